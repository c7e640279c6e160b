package simcloud

import (
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
)

func TestDiffClassification(t *testing.T) {
	gateway := obj{"resourceGroupName": "rg", "virtualNetworkGatewayName": "vgw", "location": "westeurope", "gatewayType": "Vpn",
		"vpnType": "RouteBased", "sku": obj{"name": "VpnGw1AZ"}, "bgpSettings": obj{"asn": 65515.0}}
	tunnel := obj{"name": "t-1234567", defaultsKey: []any{"name"}, "sharedSecret": "a", "ikeVersion": 2.0, "description": "x"}
	conn := obj{"virtualNetworkGatewayConnectionName": "c", "connectionProtocol": "IKEv2", "sharedKey": "a", "dpdTimeoutSeconds": 45.0,
		"virtualNetworkGateway1": obj{"id": "g1"}, "localNetworkGateway2": obj{"id": "l1"}}
	with := func(base obj, changes obj) obj {
		out := clone(base)
		for k, v := range changes {
			if v == nil {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
		return out
	}
	cases := []struct {
		name     string
		token    string
		olds     obj
		news     obj
		replaces []string
		kinds    map[string]pulumirpc.PropertyDiff_Kind
		dbr      bool
	}{
		{name: "equal", token: azureGateway, olds: gateway, news: clone(gateway)},
		{name: "gateway sku updates in place", token: azureGateway, olds: gateway, news: with(gateway, obj{"sku": obj{"name": "VpnGw2AZ"}}),
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"sku": pulumirpc.PropertyDiff_UPDATE}},
		{name: "gateway bgpSettings update in place", token: azureGateway, olds: gateway, news: with(gateway, obj{"bgpSettings": obj{"asn": 65010.0}}),
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"bgpSettings": pulumirpc.PropertyDiff_UPDATE}},
		// azure-native plans an update for a gateway's location and generation (not a path parameter, not
		// create-only, not in forceNewMap); the API then refuses the move (see TestUpdateAsTheAPIDoes).
		{name: "gateway location updates (azure-native); ARM refuses it at update", token: azureGateway, olds: gateway, news: with(gateway, obj{"location": "northeurope"}),
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"location": pulumirpc.PropertyDiff_UPDATE}},
		{name: "gateway location differing only in case and spaces is no change", token: azureGateway, olds: gateway, news: with(gateway, obj{"location": "West Europe"})},
		{name: "gateway generation added updates", token: azureGateway, olds: gateway, news: with(gateway, obj{"vpnGatewayGeneration": "Generation2"}),
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"vpnGatewayGeneration": pulumirpc.PropertyDiff_ADD}},
		{name: "gateway name (a path parameter) replaces, delete first (fixed name)", token: azureGateway, olds: gateway, news: with(gateway, obj{"virtualNetworkGatewayName": "vgw2"}),
			replaces: []string{"virtualNetworkGatewayName"}, kinds: map[string]pulumirpc.PropertyDiff_Kind{"virtualNetworkGatewayName": pulumirpc.PropertyDiff_UPDATE_REPLACE}, dbr: true},
		{name: "tunnel secret replaces (tunnels are immutable), autonamed", token: gcpTunnel, olds: tunnel, news: with(tunnel, obj{"sharedSecret": "b"}),
			replaces: []string{"sharedSecret"}, kinds: map[string]pulumirpc.PropertyDiff_Kind{"sharedSecret": pulumirpc.PropertyDiff_UPDATE_REPLACE}},
		{name: "tunnel description replaces (ForceNew)", token: gcpTunnel, olds: tunnel, news: with(tunnel, obj{"description": "y"}),
			replaces: []string{"description"}, kinds: map[string]pulumirpc.PropertyDiff_Kind{"description": pulumirpc.PropertyDiff_UPDATE_REPLACE}},
		{name: "tunnel labels update", token: gcpTunnel, olds: tunnel, news: with(tunnel, obj{"labels": obj{"team": "net"}}),
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"labels": pulumirpc.PropertyDiff_ADD}},
		{name: "external gateway description replaces (ForceNew)", token: gcpExternalGateway, olds: obj{"name": "peer", "description": "a"},
			news: obj{"name": "peer", "description": "b"}, replaces: []string{"description"},
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"description": pulumirpc.PropertyDiff_UPDATE_REPLACE}, dbr: true},
		{name: "tunnel ikeVersion removed replaces", token: gcpTunnel, olds: tunnel, news: with(tunnel, obj{"ikeVersion": nil}),
			replaces: []string{"ikeVersion"}, kinds: map[string]pulumirpc.PropertyDiff_Kind{"ikeVersion": pulumirpc.PropertyDiff_DELETE_REPLACE}},
		{name: "connection key updates", token: azureConnection, olds: conn, news: with(conn, obj{"sharedKey": "b", "dpdTimeoutSeconds": 30.0}),
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"sharedKey": pulumirpc.PropertyDiff_UPDATE, "dpdTimeoutSeconds": pulumirpc.PropertyDiff_UPDATE}},
		{name: "connection protocol updates (azure-native); the API refuses it at update", token: azureConnection, olds: conn, news: with(conn, obj{"connectionProtocol": "IKEv1"}),
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"connectionProtocol": pulumirpc.PropertyDiff_UPDATE}},
		{name: "connection endpoints update", token: azureConnection, olds: conn, news: with(conn, obj{"virtualNetworkGateway1": obj{"id": "g2"}, "localNetworkGateway2": obj{"id": "l2"}}),
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"virtualNetworkGateway1": pulumirpc.PropertyDiff_UPDATE, "localNetworkGateway2": pulumirpc.PropertyDiff_UPDATE}},
		{name: "public IP zones update, sku replaces", token: azurePublicIp, olds: obj{"publicIpAddressName": "p", "zones": []any{"1"}, "sku": obj{"name": "Basic"}},
			news: obj{"publicIpAddressName": "p", "zones": []any{"1", "2"}, "sku": obj{"name": "Standard"}}, replaces: []string{"sku"},
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"zones": pulumirpc.PropertyDiff_UPDATE, "sku": pulumirpc.PropertyDiff_UPDATE_REPLACE}, dbr: true},
		{name: "subnetwork range that grows updates", token: gcpSubnetwork, olds: obj{"name": "s", "ipCidrRange": "172.16.0.0/24"},
			news: obj{"name": "s", "ipCidrRange": "172.16.0.0/23"}, kinds: map[string]pulumirpc.PropertyDiff_Kind{"ipCidrRange": pulumirpc.PropertyDiff_UPDATE}},
		{name: "subnetwork range that shrinks replaces", token: gcpSubnetwork, olds: obj{"name": "s", "ipCidrRange": "172.16.0.0/24"},
			news: obj{"name": "s", "ipCidrRange": "172.16.0.0/25"}, replaces: []string{"ipCidrRange"},
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"ipCidrRange": pulumirpc.PropertyDiff_UPDATE_REPLACE}, dbr: true},
		{name: "firewall network updates, direction replaces", token: gcpFirewall, olds: obj{"name": "fw", "network": "a", "direction": "INGRESS"},
			news: obj{"name": "fw", "network": "b", "direction": "EGRESS"}, replaces: []string{"direction"},
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"network": pulumirpc.PropertyDiff_UPDATE, "direction": pulumirpc.PropertyDiff_UPDATE_REPLACE}, dbr: true},
		{name: "unknown immutable value replaces", token: gcpTunnel, olds: tunnel, news: with(tunnel, obj{"sharedSecret": unknown{}}),
			replaces: []string{"sharedSecret"}, kinds: map[string]pulumirpc.PropertyDiff_Kind{"sharedSecret": pulumirpc.PropertyDiff_UPDATE_REPLACE}},
		{name: "router interface: every input replaces", token: gcpRouterInterface, olds: obj{"name": "if0", "ipRange": "169.254.21.2/30"},
			news: obj{"name": "if0", "ipRange": "169.254.21.6/30"}, replaces: []string{"ipRange"},
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"ipRange": pulumirpc.PropertyDiff_UPDATE_REPLACE}, dbr: true},
		{name: "router peer interface replaces", token: gcpRouterPeer, olds: obj{"name": "p", "interface": "if0", "peerAsn": 65515.0},
			news: obj{"name": "p", "interface": "if1", "peerAsn": 65010.0}, replaces: []string{"interface"},
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"interface": pulumirpc.PropertyDiff_UPDATE_REPLACE, "peerAsn": pulumirpc.PropertyDiff_UPDATE}, dbr: true},
		{name: "router peer addresses update", token: gcpRouterPeer, olds: obj{"name": "p", "interface": "if0", "peerIpAddress": "169.254.21.1"},
			news:  obj{"name": "p", "interface": "if0", "peerIpAddress": "169.254.21.5"},
			kinds: map[string]pulumirpc.PropertyDiff_Kind{"peerIpAddress": pulumirpc.PropertyDiff_UPDATE}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := diffInputs(kinds[tc.token], tc.olds, tc.news, nil, false)
			if len(tc.kinds) == 0 {
				assert.Equal(t, pulumirpc.DiffResponse_DIFF_NONE, resp.Changes)
				assert.Empty(t, resp.Diffs)
				return
			}
			assert.Equal(t, pulumirpc.DiffResponse_DIFF_SOME, resp.Changes)
			assert.ElementsMatch(t, tc.replaces, resp.Replaces)
			assert.Len(t, resp.DetailedDiff, len(tc.kinds))
			for k, want := range tc.kinds {
				if assert.Contains(t, resp.DetailedDiff, k) {
					assert.Equal(t, want, resp.DetailedDiff[k].Kind, k)
					assert.True(t, resp.DetailedDiff[k].InputDiff)
				}
			}
			assert.ElementsMatch(t, keysOf(tc.kinds), resp.Diffs)
			assert.Equal(t, tc.dbr, resp.DeleteBeforeReplace)
		})
	}
}

func TestDiffIgnoreChangesAndOldOutputs(t *testing.T) {
	k := kinds[azureVnet]
	olds := obj{"virtualNetworkName": "v", "location": "westeurope", "addressSpace": obj{"addressPrefixes": []any{"10.0.0.0/16"}}}
	news := clone(olds)
	news["location"] = "northeurope"
	assert.Equal(t, pulumirpc.DiffResponse_DIFF_NONE, diffInputs(k, olds, news, []string{"location"}, false).Changes)
	// Without old inputs the engine sends old outputs: computed keys absent from the news are not deletions.
	outs := clone(olds)
	outs["id"], outs["provisioningState"] = "/subscriptions/x", "Succeeded"
	assert.Equal(t, pulumirpc.DiffResponse_DIFF_NONE, diffInputs(k, outs, clone(olds), nil, true).Changes)
}

func keysOf(m map[string]pulumirpc.PropertyDiff_Kind) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
