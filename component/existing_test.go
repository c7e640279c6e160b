package component

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

const (
	tokenGetGateway = "azure-native:network:getVirtualNetworkGateway"
	tokenGetRouter  = "gcp:compute/getRouter:getRouter"
	existingGwID    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworkGateways/corp-vgw"
	existingRouter  = "corp-router"
	existingHaVpn0  = "https://www.googleapis.com/compute/v1/projects/p/regions/asia-northeast1/vpnGateways/corp-gw-a"
	existingHaVpn1  = "https://www.googleapis.com/compute/v1/projects/p/regions/asia-northeast1/vpnGateways/corp-gw-b"
)

var existingPublicIps = []string{"20.1.0.10", "20.1.0.11"}

// gatewayLookup answers getVirtualNetworkGateway in the shape of the SDK's LookupVirtualNetworkGatewayResult
// (pulumi-azure-native-sdk/network/v2 v2.90.0 getVirtualNetworkGateway.go): a gateway with ipConfigurations
// "default" and "activeActive" carrying custom APIPA addresses, changed by mutate.
func gatewayLookup(mutate func(m map[string]any)) func(resource.PropertyMap) (resource.PropertyMap, error) {
	return func(args resource.PropertyMap) (resource.PropertyMap, error) {
		cfg := func(name string) string { return existingGwID + "/ipConfigurations/" + name }
		m := map[string]any{
			"id": existingGwID, "name": "corp-vgw", "location": "japaneast", "type": "Microsoft.Network/virtualNetworkGateways",
			"activeActive": true, "enableBgp": true, "gatewayType": "Vpn", "vpnType": "RouteBased",
			"sku": map[string]any{"name": "VpnGw2AZ", "tier": "VpnGw2AZ", "capacity": 2},
			"ipConfigurations": []any{
				map[string]any{"id": cfg("default"), "name": "default", "privateIPAddress": "10.1.255.4"},
				map[string]any{"id": cfg("activeActive"), "name": "activeActive", "privateIPAddress": "10.1.255.5"},
			},
			"bgpSettings": map[string]any{"asn": 65515.0, "bgpPeeringAddresses": []any{
				map[string]any{"ipconfigurationId": cfg("default"), "customBgpIpAddresses": []any{"169.254.21.1", "169.254.21.9"}, "defaultBgpIpAddresses": []any{"10.1.255.4"}, "tunnelIpAddresses": []any{existingPublicIps[0]}},
				map[string]any{"ipconfigurationId": cfg("activeActive"), "customBgpIpAddresses": []any{"169.254.22.1", "169.254.22.9"}, "defaultBgpIpAddresses": []any{"10.1.255.5"}, "tunnelIpAddresses": []any{existingPublicIps[1]}},
			}},
		}
		if mutate != nil {
			mutate(m)
		}
		return resource.NewPropertyMapFromMap(m), nil
	}
}

// routerLookup answers getRouter in the shape of the SDK's LookupRouterResult (pulumi-gcp/sdk/v7
// v7.38.0 go/gcp/compute/getRouter.go); the data source's ID is the bare name.
func routerLookup(asn int, network string) func(resource.PropertyMap) (resource.PropertyMap, error) {
	return func(args resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": existingRouter, "name": existingRouter, "network": network, "region": "asia-northeast1", "project": "p",
			"selfLink": "https://www.googleapis.com/compute/v1/projects/p/regions/asia-northeast1/routers/" + existingRouter,
			"bgps":     []any{map[string]any{"asn": asn, "advertiseMode": "DEFAULT", "keepaliveInterval": 20}},
		}), nil
	}
}

// existingArgs is validArgs on block 1 of an existing gateway, with an existing router and HA VPN gateway.
func existingArgs(topology string) *HaVpnLinkArgs {
	a := validArgs(topology)
	a.BgpSessionBlock = ptr(1)
	a.Azure.ResourceGroupName, a.Azure.Location, a.Azure.GatewaySubnetId = nil, nil, nil
	a.Azure.ExistingGateway = &ExistingGatewayArgs{Id: existingGwID, PublicIps: existingPublicIps}
	a.Gcp.ExistingRouter = existingRouter
	a.Gcp.ExistingGateways = []string{existingHaVpn0, existingHaVpn1}[:map[string]int{"paired": 1, "dualGateway": 2}[topology]]
	return a
}

func existingFunctions(gateway func(map[string]any), routerAsn int) map[string]func(resource.PropertyMap) (resource.PropertyMap, error) {
	return map[string]func(resource.PropertyMap) (resource.PropertyMap, error){
		tokenGetGateway: gatewayLookup(gateway),
		tokenGetRouter:  routerLookup(routerAsn, "projects/p/global/networks/vpc"),
	}
}

func renderExisting(t *testing.T, args *HaVpnLinkArgs, functions map[string]func(resource.PropertyMap) (resource.PropertyMap, error)) *rendering {
	t.Helper()
	return runProgram(t, functions, func(ctx *pulumi.Context) error {
		_, err := NewHaVpnLink(ctx, testName, args)
		return err
	})
}

// TestLinkOnExistingGatewayAndGoogleResources: the gateway and the router are looked up with the
// arguments the SDK's lookups take; the link registers no gateway, public IP, router or HA VPN
// gateway; it reads the HA VPN gateways; its connections use the gateway's own ipConfiguration IDs.
func TestLinkOnExistingGatewayAndGoogleResources(t *testing.T) {
	r := renderExisting(t, existingArgs("paired"), existingFunctions(nil, 65534))
	require.NoError(t, r.err)
	calls := r.rec.Calls()
	require.Len(t, calls, 2)
	assert.Equal(t, tokenGetGateway, calls[0].Token)
	assert.Equal(t, map[string]any{"resourceGroupName": "net-rg", "virtualNetworkGatewayName": "corp-vgw"}, rawMap(calls[0].Args))
	assert.Equal(t, tokenGetRouter, calls[1].Token)
	assert.Equal(t, map[string]any{"name": existingRouter, "network": testNetwork, "region": testRegion}, rawMap(calls[1].Args))

	for _, typ := range []string{tVnetGateway, tPublicIp, tRouter} {
		assert.Empty(t, r.rec.OfType(typ), "%s registered for an existing one", typ)
	}
	ha := r.rec.OfType(tHaVpnGateway)
	require.Len(t, ha, 1)
	assert.True(t, ha[0].Read, "the HA VPN gateway is read, not created")
	assert.Equal(t, "projects/p/regions/asia-northeast1/vpnGateways/corp-gw-a", ha[0].ID)

	ext := reg(t, r.rec, tExternalGw, "gcp-azure-azure-peer")
	assert.Equal(t, existingPublicIps[0], input(t, ext, "interfaces", 0, "ipAddress"))
	assert.Equal(t, existingPublicIps[1], input(t, ext, "interfaces", 1, "ipAddress"))
	cfg := []string{existingGwID + "/ipConfigurations/default", existingGwID + "/ipConfigurations/activeActive"}
	for k, w := range []struct{ ip, other string }{{"169.254.21.9", "169.254.22.9"}, {"169.254.22.9", "169.254.21.9"}} {
		conn := reg(t, r.rec, tConnection, fmt.Sprint("gcp-azure-conn", k))
		assert.Equal(t, existingGwID, input(t, conn, "virtualNetworkGateway1", "id"))
		assert.Equal(t, "net-rg", input(t, conn, "resourceGroupName"), "the gateway's resource group")
		assert.Equal(t, "japaneast", input(t, conn, "location"), "the gateway's location, from the lookup")
		assert.Equal(t, cfg[0], input(t, conn, "gatewayCustomBgpIpAddresses", 0, "ipConfigurationId"))
		assert.Equal(t, cfg[1], input(t, conn, "gatewayCustomBgpIpAddresses", 1, "ipConfigurationId"))
		assert.Equal(t, w.ip, input(t, conn, "gatewayCustomBgpIpAddresses", k, "customBgpIpAddress"), "block 1's address on its own instance")
		lng := reg(t, r.rec, tLocalNetworkGw, fmt.Sprint("gcp-azure-lng", k))
		assert.Equal(t, r.gcpInterfaceIp(t, "gcp-azure-gw0", k), input(t, lng, "gatewayIpAddress"), "the read HA VPN gateway's interface address")
		tun := reg(t, r.rec, tTunnel, fmt.Sprint("gcp-azure-t", k))
		assert.Equal(t, "https://www.googleapis.com/compute/v1/projects/p/regions/asia-northeast1/routers/"+existingRouter, input(t, tun, "router"))
		assert.Equal(t, ha[0].ID, input(t, tun, "vpnGateway"))
		iface := reg(t, r.rec, tRouterIface, fmt.Sprint("gcp-azure-if", k))
		assert.Equal(t, existingRouter, input(t, iface, "router"))
		peer := reg(t, r.rec, tRouterPeer, fmt.Sprint("gcp-azure-bgp", k))
		assert.Equal(t, existingRouter, input(t, peer, "router"))
	}
}

// TestExistingResourceLookupFailures: each way an existing gateway or router does not fit fails the link
// with the core's message, naming the exact change, and registers nothing but the component.
func TestExistingResourceLookupFailures(t *testing.T) {
	cfg := func(name string) string { return existingGwID + "/ipConfigurations/" + name }
	cases := []struct {
		name      string
		gateway   func(m map[string]any)
		routerAsn int
		failLook  string // the lookup itself fails with this error
		texts     []string
	}{
		{name: "active-standby gateway", gateway: func(m map[string]any) { m["activeActive"] = false }, routerAsn: 65534,
			texts: []string{"azure.existingGateway.id", "is not active-active (activeActive false)", "Fix: set activeActive true on gateway corp-vgw"}},
		{name: "BGP off", gateway: func(m map[string]any) { delete(m, "enableBgp") }, routerAsn: 65534,
			texts: []string{"does not have BGP enabled (enableBgp unset)", "set enableBgp true and bgpSettings.asn 65515 on gateway corp-vgw"}},
		{name: "other ASN", gateway: func(m map[string]any) { m["bgpSettings"].(map[string]any)["asn"] = 65100.0 }, routerAsn: 65534,
			texts: []string{"azure.existingGateway.asn = 65515", "has bgpSettings.asn 65100", "set azure.existingGateway.asn to 65100"}},
		{name: "APIPA address missing", routerAsn: 65534, gateway: func(m map[string]any) {
			m["bgpSettings"].(map[string]any)["bgpPeeringAddresses"] = []any{
				map[string]any{"ipconfigurationId": cfg("default"), "customBgpIpAddresses": []any{"169.254.21.9"}},
				map[string]any{"ipconfigurationId": cfg("activeActive"), "customBgpIpAddresses": []any{"169.254.22.1"}},
			}
		}, texts: []string{`ipConfiguration "activeActive" (instance 1) of gateway corp-vgw does not carry the link's APIPA address(es) 169.254.22.9 (it has 169.254.22.1)`,
			`Fix: set bgpSettings.bgpPeeringAddresses[ipconfigurationId=` + cfg("activeActive") + `].customBgpIpAddresses to ["169.254.22.1" "169.254.22.9"] on gateway corp-vgw`}},
		{name: "public IPs listed in the other order", routerAsn: 65534, gateway: func(m map[string]any) {
			for n, e := range m["bgpSettings"].(map[string]any)["bgpPeeringAddresses"].([]any) {
				e.(map[string]any)["tunnelIpAddresses"] = []any{existingPublicIps[1-n]}
			}
		}, texts: []string{`azure.existingGateway.publicIps[0] = "20.1.0.10": ipConfiguration "default" (instance 0) of gateway corp-vgw has tunnel address 20.1.0.11`,
			`Fix: set azure.existingGateway.publicIps to ["20.1.0.11" "20.1.0.10"]`}},
		{name: "one ipConfiguration", routerAsn: 65534, gateway: func(m map[string]any) { m["ipConfigurations"] = m["ipConfigurations"].([]any)[:1] },
			texts: []string{"has 1 ipConfigurations; an active-active gateway has exactly two"}},
		{name: "router ASN", routerAsn: 64600, texts: []string{"gcp.asn = 65534: Cloud Router corp-router has ASN 64600", "Fix: set gcp.asn to 64600"}},
		{name: "gateway not found", failLook: tokenGetGateway, routerAsn: 65534,
			texts: []string{`azure.existingGateway.id = "` + existingGwID + `": looking the gateway up failed`, "ResourceNotFound", "az network vnet-gateway show -g net-rg -n corp-vgw"}},
		{name: "router not found", failLook: tokenGetRouter, routerAsn: 65534,
			texts: []string{`gcp.existingRouter = "corp-router": looking the Cloud Router up in asia-northeast1 failed`, "corp-router not found"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			functions := existingFunctions(c.gateway, c.routerAsn)
			switch c.failLook {
			case tokenGetGateway:
				functions[tokenGetGateway] = func(resource.PropertyMap) (resource.PropertyMap, error) {
					return nil, errors.New("ResourceNotFound: the Resource 'Microsoft.Network/virtualNetworkGateways/corp-vgw' under resource group 'net-rg' was not found")
				}
			case tokenGetRouter:
				functions[tokenGetRouter] = func(resource.PropertyMap) (resource.PropertyMap, error) {
					return nil, errors.New("corp-router not found")
				}
			}
			r := renderExisting(t, existingArgs("paired"), functions)
			require.Error(t, r.err)
			for _, s := range c.texts {
				assert.Contains(t, r.err.Error(), s)
			}
			assert.Equal(t, []string{testName}, names(r.rec.Registrations()), "only the component is registered")
		})
	}
}

// TestExistingGcpGatewaysWithDualGateway: both existing HA VPN gateways are read, and each LNG holds the
// address of its own gateway's interface.
func TestExistingGcpGatewaysWithDualGateway(t *testing.T) {
	args := existingArgs("dualGateway")
	args.BgpSessionBlock = ptr(0)
	gateway := func(m map[string]any) {
		bgp := m["bgpSettings"].(map[string]any)
		bgp["bgpPeeringAddresses"].([]any)[0].(map[string]any)["customBgpIpAddresses"] = []any{"169.254.21.1", "169.254.21.5"}
		bgp["bgpPeeringAddresses"].([]any)[1].(map[string]any)["customBgpIpAddresses"] = []any{"169.254.22.1", "169.254.22.5"}
	}
	r := renderExisting(t, args, existingFunctions(gateway, 65534))
	require.NoError(t, r.err)
	ha := r.rec.OfType(tHaVpnGateway)
	require.Len(t, ha, 2)
	for _, g := range ha {
		assert.True(t, g.Read, g.Name)
	}
	for k, w := range wantTunnels("dualGateway") {
		lng := reg(t, r.rec, tLocalNetworkGw, w.lng)
		assert.Equal(t, r.gcpInterfaceIp(t, w.gateway, w.gcpIface), input(t, lng, "gatewayIpAddress"), "tunnel %d", k)
	}
}

// TestExistingGatewayNeedsPlainDescription: the existing resources' descriptions are checked before any
// lookup, every problem at once, and nothing is registered or looked up.
func TestExistingGatewayNeedsPlainDescription(t *testing.T) {
	args := existingArgs("paired")
	args.Azure.ExistingGateway.PublicIps = []string{"20.1.0.10"}
	args.Azure.Sku = "VpnGw2AZ"
	args.Gcp.Region = pulumi.String(testRegion).ToStringOutput()
	r := renderExisting(t, args, existingFunctions(nil, 65534))
	var problems linkplan.Problems
	require.True(t, errors.As(r.err, &problems), "%v", r.err)
	assert.Equal(t, []string{"gcp.region", "azure.existingGateway.publicIps", "azure.sku"}, problems.Fields())
	assert.Empty(t, r.rec.Registrations())
	assert.Empty(t, r.rec.Calls())
	assert.True(t, strings.Contains(r.err.Error(), "looks the router up"))
}

// TestExistingRouterOutputs: a link on an existing Cloud Router names it in the outputs `havpn status`
// reads (its name, and the project and region the lookup returned), as a link names its own.
func TestExistingRouterOutputs(t *testing.T) {
	var router, project, region *awaited[string]
	r := runProgram(t, existingFunctions(nil, 65534), func(ctx *pulumi.Context) error {
		link, err := NewHaVpnLink(ctx, testName, existingArgs("paired"))
		if err == nil {
			router, project, region = await[string](link.GcpRouterName), await[string](link.GcpProject), await[string](link.GcpRegion)
		}
		return err
	})
	require.NoError(t, r.err)
	assert.Equal(t, existingRouter, router.get(t))
	assert.Equal(t, "p", project.get(t))
	assert.Equal(t, "asia-northeast1", region.get(t))
}
