package simcloud

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// world is a hand-built simulated cloud: resources go in through the same rules and output code the
// server uses, without the gRPC layer.
type world struct {
	t   *testing.T
	st  *State
	set Settings
	rec map[string]*Record // by logical name
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return &world{t: t, st: newState(), set: defaultSettings, rec: map[string]*Record{}}
}

// norm turns Go literals (ints, []string) into the plain JSON form the engine's values take.
func norm(t *testing.T, in obj) obj {
	t.Helper()
	b, err := json.Marshal(in)
	require.NoError(t, err)
	var out obj
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// check runs the rules of a type on inputs, strictly and with the create-time rules, after autonaming.
func (w *world) check(token, logical string, in obj) ([]Failure, obj) {
	w.t.Helper()
	k := kinds[token]
	require.NotNil(w.t, k, token)
	in = norm(w.t, in)
	autoname(k, logical, nil, in, []byte("seed-"+logical))
	return newChecker(k, w.set, in, w.st, true).run(true), in
}

// add validates and stores a resource; the test fails on any rule violation.
func (w *world) add(token, logical string, in obj) *Record {
	w.t.Helper()
	failures, in := w.check(token, logical, in)
	require.Empty(w.t, failures, "%s %s", token, logical)
	return w.put(token, logical, in)
}

// put stores a resource without running the rules.
func (w *world) put(token, logical string, in obj) *Record {
	w.t.Helper()
	k := kinds[token]
	in = norm(w.t, in)
	autoname(k, logical, nil, in, []byte("seed-"+logical))
	id, ok := k.ID(w.set, in)
	require.True(w.t, ok)
	rec := &Record{ID: id, Type: token, URN: "urn:pulumi:test::havpn::" + token + "::" + logical, Name: logical, Inputs: in}
	rec.Outputs = buildOutputs(k, w.set, w.st, in, id, nil)
	w.st.Put(rec)
	w.rec[logical] = rec
	return rec
}

func (w *world) id(logical string) string { return w.rec[logical].ID }
func (w *world) name(logical string) string {
	return w.rec[logical].Physical()
}
func (w *world) out(logical, key string) any { return w.rec[logical].Outputs[key] }

// tunnelSpec is one tunnel of a hand-built link, with both clouds' view of its BGP session.
type tunnelSpec struct {
	gw, iface, inst int
	googleIp        string    // Cloud Router interface address (the /30 comes with it)
	peerIp          string    // the Cloud Router peer's peerIpAddress
	lngBgp          string    // the LNG's bgpPeeringAddress: where Azure expects the Cloud Router
	connIps         [2]string // gatewayCustomBgpIpAddresses, per Azure instance
	connPsk         string    // "" = the tunnel's PSK
	lngAsn          float64   // 0 = the Cloud Router's ASN
	skipPeer        bool
	skipConnection  bool
}

// linkSpec is a hand-built link between one or two HA VPN gateways and an active-active Azure gateway.
type linkSpec struct {
	gateways         int
	gcpAsn, azureAsn float64
	pfs              string
	tunnels          []tunnelSpec
	extraCustom      [2][]string // more custom BGP addresses per Azure instance
}

// pairedSpec: one HA VPN gateway, interface I to Azure instance I (Google tutorial addressing: Azure first host, Google second).
func pairedSpec() linkSpec {
	return linkSpec{gateways: 1, gcpAsn: 65534, azureAsn: 65515, pfs: "PFS2048", tunnels: []tunnelSpec{
		{gw: 0, iface: 0, inst: 0, googleIp: "169.254.21.2", peerIp: "169.254.21.1", lngBgp: "169.254.21.2", connIps: [2]string{"169.254.21.1", "169.254.22.1"}},
		{gw: 0, iface: 1, inst: 1, googleIp: "169.254.22.2", peerIp: "169.254.22.1", lngBgp: "169.254.22.2", connIps: [2]string{"169.254.21.1", "169.254.22.1"}},
	}}
}

// dualSpec: two HA VPN gateways, four tunnels, each Azure instance holding two sessions from its own APIPA addresses.
func dualSpec() linkSpec {
	s := pairedSpec()
	s.gateways = 2
	s.tunnels = append(s.tunnels,
		tunnelSpec{gw: 1, iface: 0, inst: 0, googleIp: "169.254.21.6", peerIp: "169.254.21.5", lngBgp: "169.254.21.6", connIps: [2]string{"169.254.21.5", "169.254.22.5"}},
		tunnelSpec{gw: 1, iface: 1, inst: 1, googleIp: "169.254.22.6", peerIp: "169.254.22.5", lngBgp: "169.254.22.6", connIps: [2]string{"169.254.21.5", "169.254.22.5"}},
	)
	return s
}

const (
	testRegion   = "europe-west1"
	testPsk      = "correct-horse-battery-staple-0123"
	testGateway  = "link-vgw"
	testLocation = "westeurope"
)

// build registers the whole link the way the havpn component renders it.
func (w *world) build(s linkSpec) {
	w.t.Helper()
	w.add(azureResourceGroup, "rg", obj{"location": testLocation})
	rg := w.name("rg")
	w.add(azureVnet, "vnet", obj{"resourceGroupName": rg, "location": testLocation, "addressSpace": obj{"addressPrefixes": []string{"10.1.0.0/16"}}})
	w.add(azureSubnet, "gateway-subnet", obj{"resourceGroupName": rg, "virtualNetworkName": w.name("vnet"), "subnetName": "GatewaySubnet", "addressPrefix": "10.1.255.0/27"})
	w.add(gcpNetwork, "vpc", obj{"autoCreateSubnetworks": false, "routingMode": "GLOBAL"})
	for i := 0; i < 2; i++ {
		w.add(azurePublicIp, fmt.Sprintf("link-pip%d", i), obj{"resourceGroupName": rg, "location": testLocation,
			"sku": obj{"name": "Standard", "tier": "Regional"}, "publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4", "zones": []string{"1", "2", "3"}})
	}
	for g := 0; g < s.gateways; g++ {
		w.add(gcpHaGateway, fmt.Sprintf("link-gw%d", g), obj{"region": testRegion, "network": w.out("vpc", "selfLink"), "stackType": "IPV4_ONLY"})
	}
	w.add(gcpExternalGateway, "link-azure-peer", obj{"redundancyType": "TWO_IPS_REDUNDANCY", "interfaces": []any{
		obj{"id": 0, "ipAddress": w.out("link-pip0", "ipAddress")}, obj{"id": 1, "ipAddress": w.out("link-pip1", "ipAddress")}}})
	w.add(gcpRouter, "link-router", obj{"region": testRegion, "network": w.id("vpc"), "bgp": obj{"asn": s.gcpAsn, "keepaliveInterval": 20, "advertiseMode": "DEFAULT"}})
	for k, t := range s.tunnels {
		w.googleTunnel(k, t)
	}
	w.azureGateway(s)
	for k, t := range s.tunnels {
		w.azureConnection(s, k, t)
	}
}

func (w *world) googleTunnel(k int, t tunnelSpec) {
	w.t.Helper()
	tunnel := fmt.Sprintf("link-t%d", k)
	w.add(gcpTunnel, tunnel, obj{"region": testRegion, "vpnGateway": w.id(fmt.Sprintf("link-gw%d", t.gw)), "vpnGatewayInterface": t.iface,
		"peerExternalGateway": w.id("link-azure-peer"), "peerExternalGatewayInterface": t.inst, "router": w.id("link-router"),
		"ikeVersion": 2, "sharedSecret": testPsk})
	iface := fmt.Sprintf("link-if%d", k)
	w.add(gcpRouterInterface, iface, obj{"name": iface, "region": testRegion, "router": w.name("link-router"),
		"ipRange": t.googleIp + "/30", "vpnTunnel": w.name(tunnel)})
	if t.skipPeer {
		return
	}
	w.add(gcpRouterPeer, fmt.Sprintf("link-bgp%d", k), obj{"name": fmt.Sprintf("link-bgp%d", k), "region": testRegion, "router": w.name("link-router"),
		"interface": iface, "ipAddress": t.googleIp, "peerIpAddress": t.peerIp, "peerAsn": 65515})
}

// gatewayID is the fixed ID of the Azure gateway, known before it exists.
func (w *world) gatewayID() string {
	return cloudrules.AzureNetworkID(w.set.Subscription, w.name("rg"), cloudrules.Collections[azureGateway], testGateway)
}

func (w *world) ipConfigID(n int) string {
	return cloudrules.AzureIpConfigurationID(w.gatewayID(), fmt.Sprintf("instance%d", n))
}

// gatewayInputs is the active-active, BGP gateway whose instances carry every address the connections use.
func (w *world) gatewayInputs(s linkSpec) obj {
	custom := [2][]string{append([]string{}, s.extraCustom[0]...), append([]string{}, s.extraCustom[1]...)}
	for _, t := range s.tunnels {
		for n, ip := range t.connIps {
			if !slices.Contains(custom[n], ip) {
				custom[n] = append(custom[n], ip)
			}
		}
	}
	var configs, peering []any
	for n := 0; n < 2; n++ {
		configs = append(configs, obj{"name": fmt.Sprintf("instance%d", n), "privateIPAllocationMethod": "Dynamic",
			"publicIPAddress": obj{"id": w.id(fmt.Sprintf("link-pip%d", n))}, "subnet": obj{"id": w.id("gateway-subnet")}})
		peering = append(peering, obj{"ipconfigurationId": w.ipConfigID(n), "customBgpIpAddresses": custom[n]})
	}
	return obj{"resourceGroupName": w.name("rg"), "virtualNetworkGatewayName": testGateway, "location": testLocation,
		"gatewayType": "Vpn", "vpnType": "RouteBased", "sku": obj{"name": "VpnGw1AZ", "tier": "VpnGw1AZ"}, "activeActive": true,
		"enableBgp": true, "ipConfigurations": configs, "bgpSettings": obj{"asn": s.azureAsn, "bgpPeeringAddresses": peering}}
}

func (w *world) azureGateway(s linkSpec) {
	w.t.Helper()
	w.add(azureGateway, "link-vgw", w.gatewayInputs(s))
}

func (w *world) azureConnection(s linkSpec, k int, t tunnelSpec) {
	w.t.Helper()
	lngAsn := t.lngAsn
	if lngAsn == 0 {
		lngAsn = s.gcpAsn
	}
	haIp := haInterfaceIp(w.rec[fmt.Sprintf("link-gw%d", t.gw)], float64(t.iface))
	lng := fmt.Sprintf("link-lng%d", k)
	w.add(azureLng, lng, obj{"resourceGroupName": w.name("rg"), "location": testLocation, "gatewayIpAddress": haIp,
		"localNetworkAddressSpace": obj{"addressPrefixes": []string{}}, "bgpSettings": obj{"asn": lngAsn, "bgpPeeringAddress": t.lngBgp}})
	if t.skipConnection {
		return
	}
	psk := t.connPsk
	if psk == "" {
		psk = testPsk
	}
	w.add(azureConnection, fmt.Sprintf("link-conn%d", k), w.connectionInputs(s, lng, psk, t.connIps))
}

func (w *world) connectionInputs(s linkSpec, lng, psk string, ips [2]string) obj {
	return obj{"resourceGroupName": w.name("rg"), "location": testLocation, "connectionType": "IPsec", "connectionProtocol": "IKEv2",
		"virtualNetworkGateway1": obj{"id": w.gatewayID()}, "localNetworkGateway2": obj{"id": w.id(lng)}, "enableBgp": true,
		"sharedKey": psk, "dpdTimeoutSeconds": 45,
		"ipsecPolicies": []any{obj{"ikeEncryption": "GCMAES256", "ikeIntegrity": "SHA384", "dhGroup": "DHGroup14", "ipsecEncryption": "GCMAES256",
			"ipsecIntegrity": "GCMAES256", "pfsGroup": s.pfs, "saLifeTimeSeconds": 10800, "saDataSizeKilobytes": 102400000}},
		"gatewayCustomBgpIpAddresses": []any{
			obj{"ipConfigurationId": w.ipConfigID(0), "customBgpIpAddress": ips[0]},
			obj{"ipConfigurationId": w.ipConfigID(1), "customBgpIpAddress": ips[1]}}}
}

// linkWorld is a world with a correct paired link.
func linkWorld(t *testing.T) *world {
	w := newWorld(t)
	w.build(pairedSpec())
	return w
}
