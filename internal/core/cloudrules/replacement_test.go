package cloudrules

import (
	"strings"
	"testing"
)

// expectedRule is one row of the upstream-sourced list: the verdict on one input and the source it
// was read from (pinned tag, file and line, or spec file and definition).
type expectedRule struct {
	token, field string
	change       Change
	source       string // must appear in the table's Source
	api          APIResult
}

const (
	gb   = "google-beta/services/compute/resource_compute_"
	spec = "2023-02-01/virtualNetworkGateway.json (read at commit 233c8d7)"
	vnet = "2023-02-01/virtualNetwork.json"
)

// upstream is read from hashicorp/terraform-provider-google-beta at tag v5.42.0 (commit a785234, what
// pulumi-gcp v7.38.0 bridges), pulumi/pulumi-azure-native (diff.go, replacement.go forceNewMap) and
// Azure/azure-rest-api-specs (network 2023-02-01, the API version azure-native network v2.90.0 uses).
var upstream = []expectedRule{
	{TokenNetwork, "name", Replace, gb + "network.go:62", Applied},
	{TokenNetwork, "project", Replace, gb + "network.go:161", Applied},
	{TokenNetwork, "autoCreateSubnetworks", Replace, gb + "network.go:75", Applied},
	{TokenNetwork, "routingMode", Update, gb + "network.go:127", Applied},

	{TokenSubnetwork, "name", Replace, gb + "subnetwork.go:126", Applied},
	{TokenSubnetwork, "project", Replace, gb + "subnetwork.go:369", Applied},
	{TokenSubnetwork, "region", Replace, gb + "subnetwork.go:270", Applied},
	{TokenSubnetwork, "network", Replace, gb + "subnetwork.go:139", Applied},
	{TokenSubnetwork, "ipCidrRange", ReplaceUnlessGrows, gb + "subnetwork.go:108", Applied},

	{TokenHaVpnGateway, "name", Replace, gb + "ha_vpn_gateway.go:58", Applied},
	{TokenHaVpnGateway, "project", Replace, gb + "ha_vpn_gateway.go:145", Applied},
	{TokenHaVpnGateway, "region", Replace, gb + "ha_vpn_gateway.go:93", Applied},
	{TokenHaVpnGateway, "network", Replace, gb + "ha_vpn_gateway.go:71", Applied},
	{TokenHaVpnGateway, "stackType", Replace, gb + "ha_vpn_gateway.go:100", Applied},

	{TokenExternalGateway, "name", Replace, gb + "external_vpn_gateway.go:61", Applied},
	{TokenExternalGateway, "project", Replace, gb + "external_vpn_gateway.go:144", Applied},
	{TokenExternalGateway, "description", Replace, gb + "external_vpn_gateway.go:73", Applied},
	{TokenExternalGateway, "interfaces", Replace, gb + "external_vpn_gateway.go:79", Applied},
	{TokenExternalGateway, "redundancyType", Replace, gb + "external_vpn_gateway.go:117", Applied},
	{TokenExternalGateway, "labels", Update, gb + "external_vpn_gateway.go:105", Applied},

	{TokenRouter, "name", Replace, gb + "router.go:80", Applied},
	{TokenRouter, "project", Replace, gb + "router.go:214", Applied},
	{TokenRouter, "region", Replace, gb + "router.go:201", Applied},
	{TokenRouter, "network", Replace, gb + "router.go:92", Applied},
	{TokenRouter, "bgp", Update, gb + "router.go:96", Applied},
	{TokenRouter, "description", Update, gb + "router.go:185", Applied},

	{TokenVpnTunnel, "name", Replace, gb + "vpn_tunnel.go:164", Applied},
	{TokenVpnTunnel, "project", Replace, gb + "vpn_tunnel.go:347", Applied},
	{TokenVpnTunnel, "region", Replace, gb + "vpn_tunnel.go:256", Applied},
	{TokenVpnTunnel, "vpnGateway", Replace, gb + "vpn_tunnel.go:292", Applied},
	{TokenVpnTunnel, "vpnGatewayInterface", Replace, gb + "vpn_tunnel.go:301", Applied},
	{TokenVpnTunnel, "peerExternalGateway", Replace, gb + "vpn_tunnel.go:222", Applied},
	{TokenVpnTunnel, "peerExternalGatewayInterface", Replace, gb + "vpn_tunnel.go:230", Applied},
	{TokenVpnTunnel, "router", Replace, gb + "vpn_tunnel.go:277", Applied},
	{TokenVpnTunnel, "ikeVersion", Replace, gb + "vpn_tunnel.go:190", Applied},
	{TokenVpnTunnel, "sharedSecret", Replace, gb + "vpn_tunnel.go:176", Applied},
	{TokenVpnTunnel, "description", Replace, gb + "vpn_tunnel.go:184", Applied},
	{TokenVpnTunnel, "labels", Update, gb + "vpn_tunnel.go:196", Applied},

	{TokenRouterInterface, "name", Replace, gb + "router_interface.go:46", Applied},
	{TokenRouterInterface, "project", Replace, gb + "router_interface.go:108", Applied},
	{TokenRouterInterface, "region", Replace, gb + "router_interface.go:115", Applied},
	{TokenRouterInterface, "router", Replace, gb + "router_interface.go:52", Applied},
	{TokenRouterInterface, "ipRange", Replace, gb + "router_interface.go:76", Applied},
	{TokenRouterInterface, "vpnTunnel", Replace, gb + "router_interface.go:58", Applied},

	{TokenRouterPeer, "name", Replace, gb + "router_peer.go:67", Applied},
	{TokenRouterPeer, "project", Replace, gb + "router_peer.go:351", Applied},
	{TokenRouterPeer, "region", Replace, gb + "router_peer.go:319", Applied},
	{TokenRouterPeer, "router", Replace, gb + "router_peer.go:85", Applied},
	{TokenRouterPeer, "interface", Replace, gb + "router_peer.go:61", Applied},
	{TokenRouterPeer, "ipAddress", Update, gb + "router_peer.go:241", Applied},
	{TokenRouterPeer, "peerIpAddress", Update, gb + "router_peer.go:266", Applied},
	{TokenRouterPeer, "peerAsn", Update, gb + "router_peer.go:76", Applied},

	{TokenFirewall, "name", Replace, gb + "firewall.go:170", Applied},
	{TokenFirewall, "project", Replace, gb + "firewall.go:375", Applied},
	{TokenFirewall, "direction", Replace, gb + "firewall.go:227", Applied},
	{TokenFirewall, "network", Update, gb + "firewall.go:180", Applied},
	{TokenFirewall, "allows", Update, gb + "firewall.go:186", Applied},
	{TokenFirewall, "description", Update, gb + "firewall.go:205", Applied},
	{TokenFirewall, "sourceRanges", Update, gb + "firewall.go:271", Applied},
	{TokenFirewall, "targetTags", Update, gb + "firewall.go:346", Applied},

	{TokenResourceGroup, "resourceGroupName", Replace, "diff.go:24", Applied},
	{TokenResourceGroup, "location", Replace, `"ResourceGroup": location`, Applied},

	{TokenVirtualNetwork, "resourceGroupName", Replace, vnet, Applied},
	{TokenVirtualNetwork, "virtualNetworkName", Replace, vnet, Applied},
	{TokenVirtualNetwork, "location", Replace, `"VirtualNetwork": location`, Applied},
	{TokenVirtualNetwork, "addressSpace", Update, "VirtualNetworkPropertiesFormat/properties/addressSpace", Applied},
	{TokenVirtualNetwork, "enableDdosProtection", Update, "VirtualNetworkPropertiesFormat/properties/enableDdosProtection", Applied},
	{TokenVirtualNetwork, "enableVmProtection", Update, "VirtualNetworkPropertiesFormat/properties/enableVmProtection", Applied},
	{TokenVirtualNetwork, "subnets", Update, "VirtualNetworkPropertiesFormat/properties/subnets", Applied},

	{TokenSubnet, "resourceGroupName", Replace, "/subnets/{subnetName}", Applied},
	{TokenSubnet, "virtualNetworkName", Replace, "/subnets/{subnetName}", Applied},
	{TokenSubnet, "subnetName", Replace, "/subnets/{subnetName}", Applied},
	{TokenSubnet, "addressPrefix", Update, "SubnetPropertiesFormat/properties/addressPrefix", Applied},
	{TokenSubnet, "privateEndpointNetworkPolicies", Update, "SubnetPropertiesFormat/properties/privateEndpointNetworkPolicies", Applied},
	{TokenSubnet, "privateLinkServiceNetworkPolicies", Update, "SubnetPropertiesFormat/properties/privateLinkServiceNetworkPolicies", Applied},

	{TokenPublicIp, "resourceGroupName", Replace, "publicIPAddresses/{publicIpAddressName}", Applied},
	{TokenPublicIp, "publicIpAddressName", Replace, "publicIPAddresses/{publicIpAddressName}", Applied},
	{TokenPublicIp, "location", Replace, `"PublicIPAddress": location`, Applied},
	{TokenPublicIp, "sku", Replace, `"PublicIPAddress": sku`, Applied},
	{TokenPublicIp, "publicIPAddressVersion", Replace, `"PublicIPAddress": publicIPAddressVersion`, Applied},
	{TokenPublicIp, "publicIPAllocationMethod", Update, "not verified", Applied},
	{TokenPublicIp, "zones", Update, "not verified", Refused},

	{TokenAzureGateway, "resourceGroupName", Replace, "virtualNetworkGateways/{virtualNetworkGatewayName}", Applied},
	{TokenAzureGateway, "virtualNetworkGatewayName", Replace, "virtualNetworkGateways/{virtualNetworkGatewayName}", Applied},
	{TokenAzureGateway, "location", Update, "lists location only for", Refused},
	{TokenAzureGateway, "gatewayType", Update, spec + " #/definitions/VirtualNetworkGatewayPropertiesFormat/properties/gatewayType", Applied},
	{TokenAzureGateway, "vpnType", Update, spec + " #/definitions/VirtualNetworkGatewayPropertiesFormat/properties/vpnType", Refused},
	{TokenAzureGateway, "vpnGatewayGeneration", Update, spec + " #/definitions/VirtualNetworkGatewayPropertiesFormat/properties/vpnGatewayGeneration", Applied},
	{TokenAzureGateway, "sku", Update, spec + " #/definitions/VirtualNetworkGatewayPropertiesFormat/properties/sku", Applied},
	{TokenAzureGateway, "activeActive", Update, spec + " #/definitions/VirtualNetworkGatewayPropertiesFormat/properties/activeActive", Applied},
	{TokenAzureGateway, "enableBgp", Update, spec + " #/definitions/VirtualNetworkGatewayPropertiesFormat/properties/enableBgp", Applied},
	{TokenAzureGateway, "ipConfigurations", Update, spec + " #/definitions/VirtualNetworkGatewayPropertiesFormat/properties/ipConfigurations", Applied},
	{TokenAzureGateway, "bgpSettings", Update, spec + " #/definitions/VirtualNetworkGatewayPropertiesFormat/properties/bgpSettings", Applied},

	{TokenLocalGateway, "resourceGroupName", Replace, "localNetworkGateways/{localNetworkGatewayName}", Applied},
	{TokenLocalGateway, "localNetworkGatewayName", Replace, "localNetworkGateways/{localNetworkGatewayName}", Applied},
	{TokenLocalGateway, "location", Update, "lists location only for", Refused},
	{TokenLocalGateway, "gatewayIpAddress", Update, "LocalNetworkGatewayPropertiesFormat/properties/gatewayIpAddress", Applied},
	{TokenLocalGateway, "localNetworkAddressSpace", Update, "LocalNetworkGatewayPropertiesFormat/properties/localNetworkAddressSpace", Applied},
	{TokenLocalGateway, "bgpSettings", Update, "LocalNetworkGatewayPropertiesFormat/properties/bgpSettings", Applied},

	{TokenAzureConnection, "resourceGroupName", Replace, "connections/{virtualNetworkGatewayConnectionName}", Applied},
	{TokenAzureConnection, "virtualNetworkGatewayConnectionName", Replace, "connections/{virtualNetworkGatewayConnectionName}", Applied},
	{TokenAzureConnection, "location", Update, "lists location only for", Refused},
	{TokenAzureConnection, "connectionType", Update, "ConnectionPropertiesFormat/properties/connectionType", Applied},
	{TokenAzureConnection, "connectionProtocol", Update, "ConnectionPropertiesFormat/properties/connectionProtocol", Refused},
	{TokenAzureConnection, "virtualNetworkGateway1", Update, "ConnectionPropertiesFormat/properties/virtualNetworkGateway1", Refused},
	{TokenAzureConnection, "localNetworkGateway2", Update, "ConnectionPropertiesFormat/properties/localNetworkGateway2", Applied},
	{TokenAzureConnection, "enableBgp", Update, "ConnectionPropertiesFormat/properties/enableBgp", Applied},
	{TokenAzureConnection, "sharedKey", Update, "ConnectionPropertiesFormat/properties/sharedKey", KeptOld},
	{TokenAzureConnection, "dpdTimeoutSeconds", Update, "ConnectionPropertiesFormat/properties/dpdTimeoutSeconds", Applied},
	{TokenAzureConnection, "ipsecPolicies", Update, "ConnectionPropertiesFormat/properties/ipsecPolicies", Applied},
	{TokenAzureConnection, "gatewayCustomBgpIpAddresses", Update, "ConnectionPropertiesFormat/properties/gatewayCustomBgpIpAddresses", Applied},
}

// TestReplaceRulesMatchUpstream: every entry of the table is in the upstream list with the same
// verdict, API behaviour and source, and every upstream row is in the table.
func TestReplaceRulesMatchUpstream(t *testing.T) {
	seen := map[string]bool{}
	for _, want := range upstream {
		key := want.token + " " + want.field
		seen[key] = true
		got, ok := ReplaceRules[want.token].Fields[want.field]
		if !ok {
			t.Errorf("%s: not in the table", key)
			continue
		}
		if got.Change != want.change {
			t.Errorf("%s: table says %s, upstream (%s) says %s", key, got.Change, want.source, want.change)
		}
		if !strings.Contains(got.Source, want.source) {
			t.Errorf("%s: source %q does not cite %q", key, got.Source, want.source)
		}
		if api := apiResult(got); api != want.api {
			t.Errorf("%s: API result %d, want %d", key, api, want.api)
		}
		if got.API != nil && got.API.Source == "" {
			t.Errorf("%s: API behaviour without a source", key)
		}
	}
	for token, rules := range ReplaceRules {
		for field := range rules.Fields {
			if !seen[token+" "+field] {
				t.Errorf("%s %s: in the table but not in the upstream list", token, field)
			}
		}
		if rules.Other.Source == "" {
			t.Errorf("%s: the verdict on other inputs has no source", token)
		}
	}
}

func apiResult(r FieldRule) APIResult {
	if r.API == nil {
		return Applied
	}
	return r.API.Result
}

func TestReplacesSubnetworkRangeUnlessItGrows(t *testing.T) {
	cases := []struct {
		old, new any
		known    bool
		replace  bool
	}{
		{"172.16.0.0/24", "172.16.0.0/23", true, false}, // grows: update
		{"172.16.1.0/24", "172.16.0.0/23", true, false}, // the /23 holds the old /24
		{"172.16.0.0/24", "172.16.0.0/24", true, false}, // same range
		{"172.16.0.0/24", "172.16.0.0/25", true, true},  // shrinks
		{"172.16.0.0/24", "172.16.1.0/24", true, true},  // moves
		{"172.16.0.0/24", "172.17.0.0/16", true, true},  // larger but elsewhere
		{"172.16.0.0/24", nil, false, true},             // not known yet
		{"172.16.0.0/24", "not-a-cidr", true, true},
	}
	for _, c := range cases {
		if got := Replaces(TokenSubnetwork, "ipCidrRange", c.old, c.new, c.known); got != c.replace {
			t.Errorf("%v -> %v (known %v): replace %v, want %v", c.old, c.new, c.known, got, c.replace)
		}
	}
}

func TestReplacesOtherInputsAndUnknownTypes(t *testing.T) {
	cases := []struct {
		token, field string
		replace      bool
	}{
		{TokenVpnTunnel, "localTrafficSelectors", true}, // not rendered: every tunnel input but labels
		{TokenRouterPeer, "advertisedRoutePriority", false},
		{TokenAzureGateway, "customRoutes", false},
		{TokenFirewall, "sourceRanges", false},
		{TokenRouterInterface, "ipRange", true},
		{"gcp:compute/instance:Instance", "machineType", true}, // not covered: replace
	}
	for _, c := range cases {
		if got := Replaces(c.token, c.field, "a", "b", true); got != c.replace {
			t.Errorf("%s %s: replace %v, want %v", c.token, c.field, got, c.replace)
		}
	}
}

func TestAPIErrorInTheAPIsWords(t *testing.T) {
	r, _ := RuleFor(TokenAzureGateway, "location")
	got := r.API.APIError("vgw", "rg", "japaneast", "japanwest")
	want := "InvalidResourceLocation: The resource 'vgw' already exists in location 'japaneast' in resource group 'rg'. A resource with the same name cannot be created in location 'japanwest'. Please select a new resource name."
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	p, _ := RuleFor(TokenAzureConnection, "connectionProtocol")
	if msg := p.API.APIError("c", "rg", "IKEv2", "IKEv1"); msg != p.API.Message {
		t.Errorf("connectionProtocol refusal: %q", msg)
	}
}

func TestUpdateDisruptsDefaultsToTheLessConvenient(t *testing.T) {
	for _, token := range []string{TokenAzureGateway, TokenRouter, "gcp:compute/instance:Instance"} {
		if d := UpdateDisrupts(token); !d.Disrupts || d.Source == "" {
			t.Errorf("%s: %+v", token, d)
		}
	}
	if d := UpdateDisrupts(TokenLocalGateway); !strings.Contains(d.Source, "may cause tunnel disconnects") {
		t.Errorf("LNG source: %q", d.Source)
	}
}
