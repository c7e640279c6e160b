package simcloud

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// like copies a stored resource's inputs (less its name) with changes; a nil change removes the key.
func (w *world) like(logical string, changes obj) obj {
	in := clone(w.rec[logical].Inputs)
	delete(in, defaultsKey)
	k := kinds[w.rec[logical].Type]
	if k.Token != azureGateway {
		delete(in, k.NameKey)
	}
	for key, v := range changes {
		if v == nil {
			delete(in, key)
		} else {
			in[key] = v
		}
	}
	return in
}

// ruleCase is one resource checked against a hand-built paired link.
type ruleCase struct {
	name   string
	token  string
	spec   func(*linkSpec) // optional change to the link the world holds
	inputs func(w *world) obj
	prop   string // the failing property; "" = the inputs are valid
	reason string // part of the failure's reason
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := pairedSpec()
			if tc.spec != nil {
				tc.spec(&s)
			}
			w := newWorld(t)
			w.build(s)
			failures, _ := w.check(tc.token, "case", tc.inputs(w))
			if tc.prop == "" {
				assert.Empty(t, failures)
				return
			}
			require.NotEmpty(t, failures, "want a failure on %s", tc.prop)
			found := false
			for _, f := range failures {
				label := kinds[tc.token].Cloud.Label
				assert.True(t, strings.HasPrefix(f.Reason, label+": "), "labelled simulated: %s", f.Reason)
				assert.Contains(t, f.Reason, "(Source: ", "cites its rule: %s", f.Reason)
				if f.Property == tc.prop && strings.Contains(f.Reason, tc.reason) {
					found = true
				}
			}
			assert.True(t, found, "want %s: %q in %+v", tc.prop, tc.reason, failures)
		})
	}
}

func TestGoogleNetworkRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "valid", token: gcpNetwork, inputs: func(w *world) obj { return obj{"autoCreateSubnetworks": false, "routingMode": "REGIONAL"} }},
		{name: "routing mode", token: gcpNetwork, inputs: func(w *world) obj { return obj{"routingMode": "WORLDWIDE"} }, prop: "routingMode", reason: "REGIONAL, GLOBAL"},
		{name: "name", token: gcpNetwork, inputs: func(w *world) obj { return obj{"name": "Bad_Name"} }, prop: "name", reason: "lowercase"},
	})
}

func TestGoogleSubnetworkRules(t *testing.T) {
	sub := func(cidr string) func(w *world) obj {
		return func(w *world) obj {
			return obj{"region": testRegion, "network": w.out("vpc", "selfLink"), "ipCidrRange": cidr}
		}
	}
	runRuleCases(t, []ruleCase{
		{name: "valid", token: gcpSubnetwork, inputs: sub("10.10.0.0/24")},
		{name: "overlap", token: gcpSubnetwork, inputs: func(w *world) obj {
			w.add(gcpSubnetwork, "other", obj{"region": "asia-northeast2", "network": w.id("vpc"), "ipCidrRange": "10.10.0.0/20"})
			return sub("10.10.4.0/24")(w)
		}, prop: "ipCidrRange", reason: "overlaps subnetwork"},
		{name: "not a network address", token: gcpSubnetwork, inputs: sub("10.10.0.1/24"), prop: "ipCidrRange", reason: "not a network address"},
		{name: "too small", token: gcpSubnetwork, inputs: sub("10.10.0.0/30"), prop: "ipCidrRange", reason: "/29 or larger"},
		{name: "invalid", token: gcpSubnetwork, inputs: sub("10.10.0.0/40"), prop: "ipCidrRange", reason: "not a valid CIDR"},
		{name: "network missing", token: gcpSubnetwork, inputs: func(w *world) obj {
			return obj{"region": testRegion, "network": "projects/sim-project/global/networks/nope", "ipCidrRange": "10.10.0.0/24"}
		}, prop: "network", reason: "does not exist"},
	})
}

func TestGoogleHaVpnGatewayRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "valid by bare network name", token: gcpHaGateway, inputs: func(w *world) obj {
			return obj{"region": testRegion, "network": w.name("vpc"), "stackType": "IPV4_ONLY"}
		}},
		{name: "stack type", token: gcpHaGateway, inputs: func(w *world) obj { return w.like("link-gw0", obj{"stackType": "IPV5"}) }, prop: "stackType"},
		{name: "network required", token: gcpHaGateway, inputs: func(w *world) obj { return w.like("link-gw0", obj{"network": nil}) }, prop: "network", reason: "required"},
	})
}

func TestGoogleExternalGatewayRules(t *testing.T) {
	ifaces := func(ips ...string) []any {
		var out []any
		for i, ip := range ips {
			out = append(out, obj{"id": i, "ipAddress": ip})
		}
		return out
	}
	runRuleCases(t, []ruleCase{
		{name: "valid", token: gcpExternalGateway, inputs: func(w *world) obj {
			return obj{"redundancyType": "TWO_IPS_REDUNDANCY", "interfaces": ifaces("20.1.1.1", "20.1.1.2")}
		}},
		{name: "two IPs need two interfaces", token: gcpExternalGateway, inputs: func(w *world) obj {
			return obj{"redundancyType": "TWO_IPS_REDUNDANCY", "interfaces": ifaces("20.1.1.1")}
		}, prop: "interfaces", reason: "exactly 2"},
		{name: "interface ids 0 and 1", token: gcpExternalGateway, inputs: func(w *world) obj {
			return obj{"redundancyType": "TWO_IPS_REDUNDANCY", "interfaces": []any{obj{"id": 0, "ipAddress": "20.1.1.1"}, obj{"id": 2, "ipAddress": "20.1.1.2"}}}
		}, prop: "interfaces[1].id", reason: "0..1"},
		{name: "invalid address", token: gcpExternalGateway, inputs: func(w *world) obj {
			return obj{"redundancyType": "TWO_IPS_REDUNDANCY", "interfaces": ifaces("20.1.1.1", "300.1.1.1")}
		}, prop: "interfaces[1].ipAddress", reason: "not a valid IPv4"},
		{name: "redundancy type", token: gcpExternalGateway, inputs: func(w *world) obj {
			return obj{"redundancyType": "THREE_IPS", "interfaces": ifaces("20.1.1.1")}
		}, prop: "redundancyType"},
	})
}

func TestGoogleRouterRules(t *testing.T) {
	router := func(bgp obj) func(w *world) obj {
		return func(w *world) obj { return obj{"region": testRegion, "network": w.id("vpc"), "bgp": bgp} }
	}
	runRuleCases(t, []ruleCase{
		{name: "valid", token: gcpRouter, inputs: router(obj{"asn": 64512, "keepaliveInterval": 60})},
		{name: "valid 32-bit custom", token: gcpRouter, inputs: router(obj{"asn": 4200000000, "advertiseMode": "CUSTOM",
			"advertisedGroups": []string{"ALL_SUBNETS"}, "advertisedIpRanges": []any{obj{"range": "10.0.0.0/8"}}})},
		{name: "public asn", token: gcpRouter, inputs: router(obj{"asn": 64000}), prop: "bgp.asn", reason: "not a private ASN"},
		{name: "partner interconnect asn", token: gcpRouter, inputs: router(obj{"asn": 16550}), prop: "bgp.asn", reason: "Partner Interconnect"},
		{name: "keepalive", token: gcpRouter, inputs: router(obj{"asn": 65000, "keepaliveInterval": 10}), prop: "bgp.keepaliveInterval", reason: "20-60"},
		{name: "groups need CUSTOM", token: gcpRouter, inputs: router(obj{"asn": 65000, "advertisedGroups": []string{"ALL_SUBNETS"}}),
			prop: "bgp.advertiseMode", reason: "only allowed with advertiseMode CUSTOM"},
		{name: "group name", token: gcpRouter, inputs: router(obj{"asn": 65000, "advertiseMode": "CUSTOM", "advertisedGroups": []string{"EVERYTHING"}}),
			prop: "bgp.advertisedGroups[0]"},
	})
}

func TestGoogleTunnelRules(t *testing.T) {
	free := func(w *world) obj { return w.like("link-t0", obj{"peerExternalGatewayInterface": 1}) }
	runRuleCases(t, []ruleCase{
		{name: "valid on a free interface pair", token: gcpTunnel, inputs: free},
		{name: "valid by self links", token: gcpTunnel, inputs: func(w *world) obj {
			return w.like("link-t0", obj{"peerExternalGatewayInterface": 1, "vpnGateway": w.out("link-gw0", "selfLink"), "router": w.out("link-router", "selfLink")})
		}},
		{name: "second tunnel on one interface pair", token: gcpTunnel, inputs: func(w *world) obj { return w.like("link-t0", nil) },
			prop: "vpnGatewayInterface", reason: "already uses this HA VPN interface"},
		{name: "ike version", token: gcpTunnel, inputs: func(w *world) obj { return w.like("link-t0", obj{"peerExternalGatewayInterface": 1, "ikeVersion": 1}) },
			prop: "ikeVersion", reason: "IKEv2"},
		{name: "interface", token: gcpTunnel, inputs: func(w *world) obj { return w.like("link-t0", obj{"vpnGatewayInterface": 2}) },
			prop: "vpnGatewayInterface", reason: "interfaces 0 and 1"},
		{name: "peer interface", token: gcpTunnel, inputs: func(w *world) obj { return w.like("link-t0", obj{"peerExternalGatewayInterface": 3}) },
			prop: "peerExternalGatewayInterface", reason: "has no interface 3"},
		{name: "router on another network", token: gcpTunnel, inputs: func(w *world) obj {
			w.add(gcpNetwork, "other-vpc", obj{"autoCreateSubnetworks": false})
			w.add(gcpRouter, "other-router", obj{"region": testRegion, "network": w.id("other-vpc"), "bgp": obj{"asn": 65000}})
			return w.like("link-t0", obj{"peerExternalGatewayInterface": 1, "router": w.id("other-router")})
		}, prop: "router", reason: "not on the HA VPN gateway's network"},
		{name: "secret required", token: gcpTunnel, inputs: func(w *world) obj {
			return w.like("link-t0", obj{"peerExternalGatewayInterface": 1, "sharedSecret": nil})
		},
			prop: "sharedSecret", reason: "required"},
	})
}

func TestGoogleRouterInterfaceRules(t *testing.T) {
	// newTunnel adds a tunnel with no interface yet and returns interface inputs for it.
	newTunnel := func(ipRange string) func(w *world) obj {
		return func(w *world) obj {
			w.add(gcpTunnel, "t-extra", w.like("link-t0", obj{"peerExternalGatewayInterface": 1}))
			return obj{"name": "if-extra", "region": testRegion, "router": w.name("link-router"), "ipRange": ipRange, "vpnTunnel": w.name("t-extra")}
		}
	}
	runRuleCases(t, []ruleCase{
		{name: "valid", token: gcpRouterInterface, inputs: newTunnel("169.254.21.10/30")},
		{name: "not a /30", token: gcpRouterInterface, inputs: newTunnel("169.254.21.10/29"), prop: "ipRange", reason: "/30"},
		{name: "outside link-local", token: gcpRouterInterface, inputs: newTunnel("10.0.0.1/30"), prop: "ipRange", reason: "169.254.0.0/16"},
		{name: "network address", token: gcpRouterInterface, inputs: newTunnel("169.254.21.8/30"), prop: "ipRange", reason: "network or broadcast"},
		{name: "/30 used on the network", token: gcpRouterInterface, inputs: newTunnel("169.254.21.1/30"), prop: "ipRange", reason: "already used by interface link-if0"},
		{name: "/30 used by another router on the network", token: gcpRouterInterface, inputs: func(w *world) obj {
			w.add(gcpRouter, "router-2", obj{"region": "asia-northeast2", "network": w.id("vpc"), "bgp": obj{"asn": 65000}})
			in := newTunnel("169.254.22.1/30")(w)
			w.put(gcpRouterInterface, "if-osaka", obj{"name": "if-osaka", "region": "asia-northeast2", "router": w.name("router-2"), "ipRange": "169.254.23.2/30", "vpnTunnel": "x"})
			in["ipRange"] = "169.254.23.1/30"
			return in
		}, prop: "ipRange", reason: "Cloud Router router-2"},
		{name: "tunnel already bound", token: gcpRouterInterface, inputs: func(w *world) obj {
			return obj{"name": "if-extra", "region": testRegion, "router": w.name("link-router"), "ipRange": "169.254.21.10/30", "vpnTunnel": w.name("link-t0")}
		}, prop: "vpnTunnel", reason: "already has router interface"},
		{name: "tunnel missing", token: gcpRouterInterface, inputs: func(w *world) obj {
			return obj{"name": "if-extra", "region": testRegion, "router": w.name("link-router"), "ipRange": "169.254.21.10/30", "vpnTunnel": "nope"}
		}, prop: "vpnTunnel", reason: "does not exist"},
	})
}

func TestGoogleRouterPeerRules(t *testing.T) {
	noPeer := func(s *linkSpec) { s.tunnels[0].skipPeer = true }
	peer := func(changes obj) func(w *world) obj {
		return func(w *world) obj {
			in := obj{"name": "bgp-x", "region": testRegion, "router": w.name("link-router"), "interface": "link-if0",
				"ipAddress": "169.254.21.2", "peerIpAddress": "169.254.21.1", "peerAsn": 65515}
			for k, v := range changes {
				in[k] = v
			}
			return in
		}
	}
	runRuleCases(t, []ruleCase{
		{name: "valid", token: gcpRouterPeer, spec: noPeer, inputs: peer(nil)},
		{name: "not the interface address", token: gcpRouterPeer, spec: noPeer, inputs: peer(obj{"ipAddress": "169.254.21.1", "peerIpAddress": "169.254.21.2"}),
			prop: "ipAddress", reason: "not interface link-if0's address 169.254.21.2"},
		{name: "peer outside the /30", token: gcpRouterPeer, spec: noPeer, inputs: peer(obj{"peerIpAddress": "169.254.22.1"}), prop: "peerIpAddress", reason: "other usable address"},
		{name: "peer is the router", token: gcpRouterPeer, spec: noPeer, inputs: peer(obj{"peerIpAddress": "169.254.21.2"}), prop: "peerIpAddress"},
		{name: "reserved peer asn", token: gcpRouterPeer, spec: noPeer, inputs: peer(obj{"peerAsn": 23456}), prop: "peerAsn", reason: "AS_TRANS"},
		{name: "interface missing", token: gcpRouterPeer, spec: noPeer, inputs: peer(obj{"interface": "nope"}), prop: "interface", reason: "does not exist"},
		{name: "interface has a peer", token: gcpRouterPeer, spec: noPeer, inputs: peer(obj{"interface": "link-if1", "ipAddress": "169.254.22.2", "peerIpAddress": "169.254.22.1"}),
			prop: "interface", reason: "already has BGP peer link-bgp1"},
	})
}

func TestGoogleFirewallRules(t *testing.T) {
	fw := func(allows []any, ranges ...string) func(w *world) obj {
		return func(w *world) obj {
			return obj{"network": w.id("vpc"), "direction": "INGRESS", "allows": allows, "sourceRanges": ranges}
		}
	}
	runRuleCases(t, []ruleCase{
		{name: "valid", token: gcpFirewall, inputs: fw([]any{obj{"protocol": "tcp", "ports": []string{"22", "443-444"}}, obj{"protocol": "icmp"}, obj{"protocol": "50"}}, "10.1.0.0/16")},
		{name: "uppercase protocol", token: gcpFirewall, inputs: fw([]any{obj{"protocol": "TCP"}}), prop: "allows[0].protocol", reason: "lowercase"},
		{name: "ports without tcp/udp/sctp", token: gcpFirewall, inputs: fw([]any{obj{"protocol": "icmp", "ports": []string{"1"}}}), prop: "allows[0].ports", reason: "only allowed with tcp, udp, sctp"},
		{name: "port range", token: gcpFirewall, inputs: fw([]any{obj{"protocol": "udp", "ports": []string{"70000"}}}), prop: "allows[0].ports[0]"},
		{name: "protocol number", token: gcpFirewall, inputs: fw([]any{obj{"protocol": "300"}}), prop: "allows[0].protocol", reason: "0-255"},
		{name: "source range", token: gcpFirewall, inputs: fw([]any{obj{"protocol": "all"}}, "10.0.0.0/33"), prop: "sourceRanges[0]"},
		{name: "direction", token: gcpFirewall, inputs: func(w *world) obj {
			return obj{"network": w.id("vpc"), "direction": "SIDEWAYS", "allows": []any{obj{"protocol": "all"}}}
		}, prop: "direction"},
	})
}

func TestAzureNetworkRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "resource group valid", token: azureResourceGroup, inputs: func(w *world) obj { return obj{"location": "japaneast"} }},
		{name: "resource group location", token: azureResourceGroup, inputs: func(w *world) obj { return obj{} }, prop: "location", reason: "required"},
		{name: "vnet valid", token: azureVnet, inputs: func(w *world) obj { return w.like("vnet", nil) }},
		{name: "vnet prefix", token: azureVnet, inputs: func(w *world) obj {
			return w.like("vnet", obj{"addressSpace": obj{"addressPrefixes": []string{"10.1.0.0/33"}}})
		}, prop: "addressSpace.addressPrefixes[0]"},
		{name: "vnet resource group missing", token: azureVnet, inputs: func(w *world) obj { return w.like("vnet", obj{"resourceGroupName": "nope"}) },
			prop: "resourceGroupName", reason: "does not exist"},
		{name: "subnet valid", token: azureSubnet, inputs: func(w *world) obj {
			return obj{"resourceGroupName": w.name("rg"), "virtualNetworkName": w.name("vnet"), "subnetName": "workload", "addressPrefix": "10.1.1.0/24"}
		}},
		{name: "subnet outside the vnet", token: azureSubnet, inputs: func(w *world) obj {
			return obj{"resourceGroupName": w.name("rg"), "virtualNetworkName": w.name("vnet"), "subnetName": "workload", "addressPrefix": "10.2.1.0/24"}
		}, prop: "addressPrefix", reason: "not inside the address space"},
		{name: "subnet overlaps a sibling", token: azureSubnet, inputs: func(w *world) obj {
			return obj{"resourceGroupName": w.name("rg"), "virtualNetworkName": w.name("vnet"), "subnetName": "workload", "addressPrefix": "10.1.255.0/28"}
		}, prop: "addressPrefix", reason: "overlaps subnet GatewaySubnet"},
		{name: "GatewaySubnet too small", token: azureSubnet, inputs: func(w *world) obj {
			w.add(azureVnet, "vnet2", obj{"resourceGroupName": w.name("rg"), "addressSpace": obj{"addressPrefixes": []string{"10.2.0.0/16"}}})
			return obj{"resourceGroupName": w.name("rg"), "virtualNetworkName": w.name("vnet2"), "subnetName": "GatewaySubnet", "addressPrefix": "10.2.255.0/30"}
		}, prop: "addressPrefix", reason: "smaller than /29"},
		{name: "subnet vnet missing", token: azureSubnet, inputs: func(w *world) obj {
			return obj{"resourceGroupName": w.name("rg"), "virtualNetworkName": "nope", "subnetName": "workload", "addressPrefix": "10.1.1.0/24"}
		}, prop: "virtualNetworkName", reason: "does not exist"},
		{name: "public IP valid", token: azurePublicIp, inputs: func(w *world) obj { return w.like("link-pip0", nil) }},
		{name: "public IP Standard Dynamic", token: azurePublicIp, inputs: func(w *world) obj { return w.like("link-pip0", obj{"publicIPAllocationMethod": "Dynamic"}) },
			prop: "publicIPAllocationMethod", reason: "Standard SKU public IP needs publicIPAllocationMethod Static"},
		{name: "public IP zone", token: azurePublicIp, inputs: func(w *world) obj { return w.like("link-pip0", obj{"zones": []string{"4"}}) }, prop: "zones[0]"},
		{name: "public IP sku", token: azurePublicIp, inputs: func(w *world) obj { return w.like("link-pip0", obj{"sku": obj{"name": "Premium"}}) }, prop: "sku.name"},
	})
}

func TestAzureGatewayRules(t *testing.T) {
	gw := func(change func(w *world, in obj)) func(w *world) obj {
		return func(w *world) obj {
			in := norm(w.t, w.gatewayInputs(pairedSpec()))
			if change != nil {
				change(w, in)
			}
			return in
		}
	}
	bgp := func(in obj) obj { return in["bgpSettings"].(obj) }
	peering := func(in obj, n int) obj { return bgp(in)["bgpPeeringAddresses"].([]any)[n].(obj) }
	config := func(in obj, n int) obj { return in["ipConfigurations"].([]any)[n].(obj) }
	runRuleCases(t, []ruleCase{
		{name: "valid", token: azureGateway, inputs: gw(nil)},
		{name: "active-active needs two ipConfigurations", token: azureGateway, inputs: gw(func(w *world, in obj) {
			in["ipConfigurations"] = in["ipConfigurations"].([]any)[:1]
		}), prop: "ipConfigurations", reason: "ActiveActiveGatewayMustHaveExactlyTwoIpConfigurations"},
		{name: "non-AZ sku", token: azureGateway, inputs: gw(func(w *world, in obj) { in["sku"] = obj{"name": "VpnGw1", "tier": "VpnGw1"} }),
			prop: "sku.name", reason: "use VpnGw1AZ"},
		{name: "basic sku", token: azureGateway, inputs: gw(func(w *world, in obj) { in["sku"] = obj{"name": "Basic"} }), prop: "sku.name", reason: "Basic supports neither"},
		{name: "generation", token: azureGateway, inputs: gw(func(w *world, in obj) {
			in["sku"], in["vpnGatewayGeneration"] = obj{"name": "VpnGw4AZ"}, "Generation1"
		}), prop: "vpnGatewayGeneration"},
		{name: "policy based with BGP", token: azureGateway, inputs: gw(func(w *world, in obj) { in["vpnType"] = "PolicyBased" }), prop: "vpnType", reason: "RouteBased"},
		{name: "APIPA window", token: azureGateway, inputs: gw(func(w *world, in obj) { peering(in, 0)["customBgpIpAddresses"] = []any{"169.254.20.1"} }),
			prop: "bgpSettings.bgpPeeringAddresses[0].customBgpIpAddresses[0]", reason: "outside 169.254.21.0-169.254.22.255"},
		// Any address of the window on either instance, several per instance (vpn-gateway-howto-aws-bgp).
		{name: "21.x and 22.x on each instance", token: azureGateway, inputs: gw(func(w *world, in obj) {
			peering(in, 0)["customBgpIpAddresses"] = []any{"169.254.21.2", "169.254.22.2"}
			peering(in, 1)["customBgpIpAddresses"] = []any{"169.254.21.6", "169.254.22.6"}
		})},
		{name: "both instances in 169.254.21.0/24", token: azureGateway, inputs: gw(func(w *world, in obj) {
			peering(in, 0)["customBgpIpAddresses"] = []any{"169.254.21.9"}
			peering(in, 1)["customBgpIpAddresses"] = []any{"169.254.21.13"}
		})},
		{name: "address used twice", token: azureGateway, inputs: gw(func(w *world, in obj) { peering(in, 1)["customBgpIpAddresses"] = []any{"169.254.21.1"} }),
			prop: "bgpSettings.bgpPeeringAddresses[1].customBgpIpAddresses[0]", reason: "used twice"},
		{name: "foreign ipconfigurationId", token: azureGateway, inputs: gw(func(w *world, in obj) {
			peering(in, 0)["ipconfigurationId"] = strings.Replace(w.ipConfigID(0), testGateway, "other-vgw", 1)
		}), prop: "bgpSettings.bgpPeeringAddresses[0].ipconfigurationId", reason: "not the ID of one of this gateway's ipConfigurations"},
		// A second gateway cannot take the first one's public IPs (why a renamed gateway must replace the old one first).
		{name: "public IP held by another gateway", token: azureGateway, inputs: gw(func(w *world, in obj) { in["virtualNetworkGatewayName"] = "other-vgw" }),
			prop: "ipConfigurations[0].publicIPAddress", reason: "PublicIPAddressInUse"},
		{name: "reserved asn", token: azureGateway, inputs: gw(func(w *world, in obj) { bgp(in)["asn"] = float64(65517) }), prop: "bgpSettings.asn", reason: "reserved by Azure"},
		{name: "IANA asn", token: azureGateway, inputs: gw(func(w *world, in obj) { bgp(in)["asn"] = float64(64500) }), prop: "bgpSettings.asn", reason: "documentation"},
		{name: "not the GatewaySubnet", token: azureGateway, inputs: gw(func(w *world, in obj) {
			w.add(azureSubnet, "workload", obj{"resourceGroupName": w.name("rg"), "virtualNetworkName": w.name("vnet"), "subnetName": "workload", "addressPrefix": "10.1.1.0/24"})
			config(in, 0)["subnet"] = obj{"id": w.id("workload")}
			config(in, 1)["subnet"] = obj{"id": w.id("workload")}
		}), prop: "ipConfigurations[0].subnet.id", reason: "must be named GatewaySubnet"},
		{name: "public IP missing", token: azureGateway, inputs: gw(func(w *world, in obj) {
			config(in, 1)["publicIPAddress"] = obj{"id": w.id("link-pip0") + "-nope"}
		}), prop: "ipConfigurations[1].publicIPAddress.id", reason: "does not exist"},
		{name: "basic public IP", token: azureGateway, inputs: gw(func(w *world, in obj) {
			w.add(azurePublicIp, "basic-pip", obj{"resourceGroupName": w.name("rg"), "sku": obj{"name": "Basic"}, "publicIPAllocationMethod": "Dynamic"})
			config(in, 1)["publicIPAddress"] = obj{"id": w.id("basic-pip")}
		}), prop: "ipConfigurations[1].publicIPAddress", reason: "Standard SKU with Static"},
	})
}

func TestAzureLocalNetworkGatewayRules(t *testing.T) {
	lng := func(changes obj) func(w *world) obj {
		return func(w *world) obj { return w.like("link-lng0", changes) }
	}
	runRuleCases(t, []ruleCase{
		{name: "valid", token: azureLng, inputs: lng(nil)},
		{name: "address", token: azureLng, inputs: lng(obj{"gatewayIpAddress": "not-an-ip"}), prop: "gatewayIpAddress", reason: "not a valid IPv4"},
		{name: "azure asn", token: azureLng, inputs: lng(obj{"bgpSettings": obj{"asn": 65515, "bgpPeeringAddress": "169.254.21.2"}}), prop: "bgpSettings.asn", reason: "reserved by Azure"},
		{name: "IANA asn", token: azureLng, inputs: lng(obj{"bgpSettings": obj{"asn": 65535, "bgpPeeringAddress": "169.254.21.2"}}), prop: "bgpSettings.asn", reason: "IANA"},
		{name: "BGP address", token: azureLng, inputs: lng(obj{"bgpSettings": obj{"asn": 65534, "bgpPeeringAddress": "x"}}), prop: "bgpSettings.bgpPeeringAddress"},
	})
}

func TestAzureConnectionRules(t *testing.T) {
	// conn returns a connection to a new LNG (a new Google address), with changes.
	conn := func(change func(w *world, in obj)) func(w *world) obj {
		return func(w *world) obj {
			w.add(azureLng, "lng-new", w.like("link-lng0", obj{"gatewayIpAddress": "35.1.2.3"}))
			in := norm(w.t, w.connectionInputs(pairedSpec(), "lng-new", testPsk, [2]string{"169.254.21.1", "169.254.22.1"}))
			if change != nil {
				change(w, in)
			}
			return in
		}
	}
	policy := func(in obj) obj { return in["ipsecPolicies"].([]any)[0].(obj) }
	runRuleCases(t, []ruleCase{
		{name: "valid", token: azureConnection, inputs: conn(nil)},
		{name: "valid for Azure without PFS (Google refuses it in the session report)", token: azureConnection,
			inputs: conn(func(w *world, in obj) { policy(in)["pfsGroup"] = "None" })},
		{name: "IKEv1", token: azureConnection, inputs: conn(func(w *world, in obj) { in["connectionProtocol"] = "IKEv1" }), prop: "connectionProtocol", reason: "IKEv2"},
		{name: "connection type", token: azureConnection, inputs: conn(func(w *world, in obj) { in["connectionType"] = "Vnet2Vnet" }), prop: "connectionType"},
		{name: "dpd", token: azureConnection, inputs: conn(func(w *world, in obj) { in["dpdTimeoutSeconds"] = float64(5) }), prop: "dpdTimeoutSeconds", reason: "9-3600"},
		{name: "GCM integrity", token: azureConnection, inputs: conn(func(w *world, in obj) { policy(in)["ipsecIntegrity"] = "SHA256" }),
			prop: "ipsecPolicies[0].ipsecIntegrity", reason: "same GCM integrity"},
		{name: "unknown pfs group", token: azureConnection, inputs: conn(func(w *world, in obj) { policy(in)["pfsGroup"] = "PFS99" }),
			prop: "ipsecPolicies[0].pfsGroup", reason: "not an Azure value"},
		{name: "SA lifetime", token: azureConnection, inputs: conn(func(w *world, in obj) { policy(in)["saLifeTimeSeconds"] = float64(100) }),
			prop: "ipsecPolicies[0].saLifeTimeSeconds"},
		{name: "both instances listed", token: azureConnection, inputs: conn(func(w *world, in obj) {
			in["gatewayCustomBgpIpAddresses"] = in["gatewayCustomBgpIpAddresses"].([]any)[:1]
		}), prop: "gatewayCustomBgpIpAddresses", reason: "list both instances"},
		{name: "address not assigned to the instance", token: azureConnection, inputs: conn(func(w *world, in obj) {
			in["gatewayCustomBgpIpAddresses"].([]any)[0].(obj)["customBgpIpAddress"] = "169.254.22.1"
		}), prop: "gatewayCustomBgpIpAddresses[0].customBgpIpAddress", reason: "not one of the custom BGP addresses"},
		{name: "same LNG address twice on the gateway", token: azureConnection, inputs: func(w *world) obj {
			ip := w.rec["link-lng0"].Inputs["gatewayIpAddress"]
			w.add(azureLng, "lng-dup", w.like("link-lng0", obj{"gatewayIpAddress": ip}))
			return norm(w.t, w.connectionInputs(pairedSpec(), "lng-dup", testPsk, [2]string{"169.254.21.1", "169.254.22.1"}))
		}, prop: "localNetworkGateway2", reason: "already uses local network gateway"},
		{name: "gateway missing", token: azureConnection, inputs: conn(func(w *world, in obj) {
			in["virtualNetworkGateway1"] = obj{"id": w.gatewayID() + "x"}
		}), prop: "virtualNetworkGateway1.id", reason: "does not exist"},
		{name: "shared key too long", token: azureConnection, inputs: conn(func(w *world, in obj) { in["sharedKey"] = strings.Repeat("k", 129) }),
			prop: "sharedKey", reason: "1-128"},
	})
}

func TestRulesSkipUnknownsAndMissingReferencesInCheck(t *testing.T) {
	w := newWorld(t)
	k := kinds[gcpTunnel]
	in := obj{"name": "t", "region": testRegion, "vpnGateway": unknown{}, "vpnGatewayInterface": float64(0),
		"peerExternalGateway": "projects/p/global/externalVpnGateways/later", "peerExternalGatewayInterface": float64(0),
		"router": unknown{}, "ikeVersion": float64(2), "sharedSecret": unknown{}}
	assert.Empty(t, newChecker(k, w.set, in, w.st, false).run(false), "preview: unknowns and not-yet-created references pass")
	failures := newChecker(k, w.set, in, w.st, true).run(true)
	require.Len(t, failures, 1, "at Create a missing reference fails")
	assert.Equal(t, "peerExternalGateway", failures[0].Property)
}
