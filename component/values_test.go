package component

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/simulation/mockcloud"
)

// num is how a number input reads back from the recorder.
func num(n int) float64 { return float64(n) }

func TestGoogleTunnels(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r := mustRender(t, validArgs(topo), nil)
			want := wantTunnels(topo)
			require.Len(t, r.rec.OfType(tTunnel), len(want))
			for _, w := range want {
				tun := reg(t, r.rec, tTunnel, w.tunnel)
				assert.Equal(t, r.id(t, w.gateway), input(t, tun, "vpnGateway"), "%s starts on %s", w.tunnel, w.gateway)
				assert.Equal(t, num(w.gcpIface), input(t, tun, "vpnGatewayInterface"), w.tunnel)
				assert.Equal(t, r.id(t, testName+"-azure-peer"), input(t, tun, "peerExternalGateway"), w.tunnel)
				assert.Equal(t, num(w.azureInst), input(t, tun, "peerExternalGatewayInterface"), "%s must reach Azure instance %d", w.tunnel, w.azureInst)
				assert.Equal(t, r.id(t, testName+"-router"), input(t, tun, "router"), w.tunnel)
				assert.Equal(t, num(2), input(t, tun, "ikeVersion"), w.tunnel)
				assert.Equal(t, testRegion, input(t, tun, "region"), w.tunnel)
			}
		})
	}
}

func TestRouterInterfacesAndPeers(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r := mustRender(t, validArgs(topo), nil)
			want := wantTunnels(topo)
			require.Len(t, r.rec.OfType(tRouterIface), len(want))
			require.Len(t, r.rec.OfType(tRouterPeer), len(want))
			routerName := r.state(t, testName+"-router", "name")
			for _, w := range want {
				iface := reg(t, r.rec, tRouterIface, w.iface)
				assert.Equal(t, w.gcpIp+"/30", input(t, iface, "ipRange"), "%s: Google takes the second host of %s", w.iface, w.rng)
				assert.Equal(t, w.iface, input(t, iface, "name"))
				assert.Equal(t, routerName, input(t, iface, "router"))
				assert.Equal(t, r.state(t, w.tunnel, "name"), input(t, iface, "vpnTunnel"), "%s sits on %s", w.iface, w.tunnel)

				peer := reg(t, r.rec, tRouterPeer, w.peer)
				assert.Equal(t, w.gcpIp, input(t, peer, "ipAddress"), w.peer)
				assert.Equal(t, w.azureIp, input(t, peer, "peerIpAddress"), "%s: Azure takes the first host of %s", w.peer, w.rng)
				assert.Equal(t, num(65515), input(t, peer, "peerAsn"), w.peer)
				assert.Equal(t, w.iface, input(t, peer, "interface"), w.peer)
				assert.Equal(t, routerName, input(t, peer, "router"), w.peer)
				assert.Equal(t, w.peer, input(t, peer, "name"))
			}
		})
	}
}

func TestRouterPeersFollowBlockAndAsns(t *testing.T) {
	args := validArgs("dualGateway")
	args.BgpSessionBlock = ptr(5)
	args.Gcp.Asn = ptr(4200000001)
	args.Azure.Asn = ptr(65010)
	args.Gcp.KeepaliveInterval = ptr(40)
	r := mustRender(t, args, nil)
	// Block 5 starts at .40 (5 blocks x 2 slots x 4 addresses) in each instance's /24.
	want := []struct{ iface, peer, lng, ipRange, azureIp, gcpIp string }{
		{"gcp-azure-if0", "gcp-azure-bgp0", "gcp-azure-lng0", "169.254.21.42/30", "169.254.21.41", "169.254.21.42"},
		{"gcp-azure-if1", "gcp-azure-bgp1", "gcp-azure-lng1", "169.254.22.42/30", "169.254.22.41", "169.254.22.42"},
		{"gcp-azure-if2", "gcp-azure-bgp2", "gcp-azure-lng2", "169.254.21.46/30", "169.254.21.45", "169.254.21.46"},
		{"gcp-azure-if3", "gcp-azure-bgp3", "gcp-azure-lng3", "169.254.22.46/30", "169.254.22.45", "169.254.22.46"},
	}
	for _, w := range want {
		assert.Equal(t, w.ipRange, input(t, reg(t, r.rec, tRouterIface, w.iface), "ipRange"))
		peer := reg(t, r.rec, tRouterPeer, w.peer)
		assert.Equal(t, w.gcpIp, input(t, peer, "ipAddress"))
		assert.Equal(t, w.azureIp, input(t, peer, "peerIpAddress"))
		assert.Equal(t, num(65010), input(t, peer, "peerAsn"))
		lng := reg(t, r.rec, tLocalNetworkGw, w.lng)
		assert.Equal(t, w.gcpIp, input(t, lng, "bgpSettings", "bgpPeeringAddress"))
		assert.Equal(t, num(4200000001), input(t, lng, "bgpSettings", "asn"))
	}
	router := reg(t, r.rec, tRouter, "gcp-azure-router")
	assert.Equal(t, num(4200000001), input(t, router, "bgp", "asn"))
	assert.Equal(t, num(40), input(t, router, "bgp", "keepaliveInterval"))
	vgw := reg(t, r.rec, tVnetGateway, "gcp-azure-vgw")
	assert.Equal(t, num(65010), input(t, vgw, "bgpSettings", "asn"))
	assert.Equal(t, []any{"169.254.21.41", "169.254.21.45"}, input(t, vgw, "bgpSettings", "bgpPeeringAddresses", 0, "customBgpIpAddresses"))
	assert.Equal(t, []any{"169.254.22.41", "169.254.22.45"}, input(t, vgw, "bgpSettings", "bgpPeeringAddresses", 1, "customBgpIpAddresses"))
}

func TestExternalVpnGateway(t *testing.T) {
	r := mustRender(t, validArgs("paired"), nil)
	require.Len(t, r.rec.OfType(tExternalGw), 1)
	ext := reg(t, r.rec, tExternalGw, "gcp-azure-azure-peer")
	assert.Equal(t, "TWO_IPS_REDUNDANCY", input(t, ext, "redundancyType"))
	assert.Equal(t, []any{
		map[string]any{"id": num(0), "ipAddress": r.publicIp(t, "gcp-azure-pip0")},
		map[string]any{"id": num(1), "ipAddress": r.publicIp(t, "gcp-azure-pip1")},
	}, input(t, ext, "interfaces"), "interface N must be Azure instance N's public IP")
}

func TestCloudRouter(t *testing.T) {
	tests := []struct {
		name   string
		ranges []string
		want   map[string]any
	}{
		{"default advertisement", nil, map[string]any{
			"advertiseMode": "DEFAULT", "asn": num(65534), "keepaliveInterval": num(20),
		}},
		{"custom ranges", []string{"10.0.0.0/16", "172.16.0.0/12"}, map[string]any{
			"advertiseMode":    "CUSTOM",
			"advertisedGroups": []any{"ALL_SUBNETS"},
			"advertisedIpRanges": []any{
				map[string]any{"range": "10.0.0.0/16"},
				map[string]any{"range": "172.16.0.0/12"},
			},
			"asn": num(65534), "keepaliveInterval": num(20),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := validArgs("paired")
			args.Gcp.AdvertisedIpRanges = tc.ranges
			r := mustRender(t, args, nil)
			require.Len(t, r.rec.OfType(tRouter), 1)
			router := reg(t, r.rec, tRouter, "gcp-azure-router")
			assert.Equal(t, tc.want, input(t, router, "bgp"))
			assert.Equal(t, testNetwork, input(t, router, "network"))
			assert.Equal(t, testRegion, input(t, router, "region"))
		})
	}
}

func TestHaVpnGateways(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			args := validArgs(topo)
			args.Gcp.Project = pulumi.String("my-project")
			r := mustRender(t, args, nil)
			gws := r.rec.OfType(tHaVpnGateway)
			wantNames := []string{"gcp-azure-gw0"}
			if topo == "dualGateway" {
				wantNames = append(wantNames, "gcp-azure-gw1")
			}
			require.Equal(t, wantNames, names(gws))
			for _, g := range gws {
				assert.Equal(t, map[string]any{
					"project": "my-project", "region": testRegion, "network": testNetwork, "stackType": "IPV4_ONLY",
				}, rawMap(g.Inputs), g.Name)
			}
			// The project reaches every Google resource.
			for _, g := range r.rec.Registrations() {
				if g.Custom && strings.HasPrefix(g.Type, "gcp:") {
					assert.Equal(t, "my-project", input(t, g, "project"), g.Name)
				}
			}
		})
	}
}

func TestFirewall(t *testing.T) {
	tests := []struct {
		name     string
		firewall *FirewallArgs
		prefixes []string
		want     map[string]any // nil: no firewall rule
	}{
		{
			name: "default allows all from the VNet", prefixes: []string{"10.1.0.0/16"},
			want: map[string]any{
				"allows":       []any{map[string]any{"protocol": "all"}},
				"sourceRanges": []any{"10.1.0.0/16"},
			},
		},
		{
			name: "custom allow and target tags", prefixes: []string{"10.1.0.0/16", "10.2.0.0/24"},
			firewall: &FirewallArgs{
				Allow:      []FirewallAllowArgs{{Protocol: "tcp", Ports: []string{"22", "443"}}, {Protocol: "icmp"}},
				TargetTags: toStringArray("web"),
			},
			want: map[string]any{
				"allows": []any{
					map[string]any{"protocol": "tcp", "ports": []any{"22", "443"}},
					map[string]any{"protocol": "icmp"},
				},
				"sourceRanges": []any{"10.1.0.0/16", "10.2.0.0/24"},
				"targetTags":   []any{"web"},
			},
		},
		{
			name: "disabled", prefixes: []string{"10.1.0.0/16"},
			firewall: &FirewallArgs{Enabled: ptr(false)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := validArgs("paired")
			args.Gcp.Firewall = tc.firewall
			args.Azure.AddressPrefixes = toStringArray(tc.prefixes...)
			r := mustRender(t, args, nil)
			fws := r.rec.OfType(tFirewall)
			if tc.want == nil {
				require.Empty(t, fws)
				return
			}
			require.Len(t, fws, 1)
			fw := reg(t, r.rec, tFirewall, "gcp-azure-from-azure")
			assert.Equal(t, "INGRESS", input(t, fw, "direction"))
			assert.Equal(t, testNetwork, input(t, fw, "network"))
			for k, v := range tc.want {
				assert.Equal(t, v, input(t, fw, k), k)
			}
			if _, ok := tc.want["targetTags"]; !ok {
				assert.NotContains(t, rawMap(fw.Inputs), "targetTags")
			}
		})
	}
}

func TestPublicIps(t *testing.T) {
	tests := []struct {
		name  string
		zones []string
		want  []any
	}{
		{"default zone-redundant", nil, []any{"1", "2", "3"}},
		{"pinned zone", []string{"2"}, []any{"2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := validArgs("paired")
			args.Azure.Zones = tc.zones
			r := mustRender(t, args, nil)
			require.Equal(t, []string{"gcp-azure-pip0", "gcp-azure-pip1"}, names(r.rec.OfType(tPublicIp)))
			for _, p := range r.rec.OfType(tPublicIp) {
				assert.Equal(t, map[string]any{
					"resourceGroupName":        testRG,
					"location":                 testLocation,
					"sku":                      map[string]any{"name": "Standard", "tier": "Regional"},
					"publicIPAllocationMethod": "Static",
					"publicIPAddressVersion":   "IPv4",
					"zones":                    tc.want,
				}, rawMap(p.Inputs), p.Name)
			}
		})
	}
}

func TestAzureGateway(t *testing.T) {
	tests := []struct {
		topo      string
		customBgp [][]any // per instance
	}{
		{"paired", [][]any{{"169.254.21.1"}, {"169.254.22.1"}}},
		{"dualGateway", [][]any{{"169.254.21.1", "169.254.21.5"}, {"169.254.22.1", "169.254.22.5"}}},
	}
	for _, tc := range tests {
		t.Run(tc.topo, func(t *testing.T) {
			r := mustRender(t, validArgs(tc.topo), nil)
			require.Len(t, r.rec.OfType(tVnetGateway), 1)
			vgw := reg(t, r.rec, tVnetGateway, "gcp-azure-vgw")
			assert.Equal(t, "gcp-azure-vgw", input(t, vgw, "virtualNetworkGatewayName"))
			assert.Equal(t, testRG, input(t, vgw, "resourceGroupName"))
			assert.Equal(t, testLocation, input(t, vgw, "location"))
			assert.Equal(t, "Vpn", input(t, vgw, "gatewayType"))
			assert.Equal(t, "RouteBased", input(t, vgw, "vpnType"))
			assert.Equal(t, true, input(t, vgw, "activeActive"))
			assert.Equal(t, true, input(t, vgw, "enableBgp"))
			assert.Equal(t, map[string]any{"name": "VpnGw1AZ", "tier": "VpnGw1AZ"}, input(t, vgw, "sku"))
			assert.NotContains(t, rawMap(vgw.Inputs), "vpnGatewayGeneration")
			assert.Equal(t, num(65515), input(t, vgw, "bgpSettings", "asn"))

			configs, ok := input(t, vgw, "ipConfigurations").([]any)
			require.True(t, ok)
			require.Len(t, configs, 2, "active-active needs exactly two ipConfigurations")
			peering, ok := input(t, vgw, "bgpSettings", "bgpPeeringAddresses").([]any)
			require.True(t, ok)
			require.Len(t, peering, 2)
			for n := 0; n < 2; n++ {
				pip := []string{"gcp-azure-pip0", "gcp-azure-pip1"}[n]
				assert.Equal(t, map[string]any{
					"name":                      []string{"instance0", "instance1"}[n],
					"privateIPAllocationMethod": "Dynamic",
					"publicIPAddress":           map[string]any{"id": r.id(t, pip)},
					"subnet":                    map[string]any{"id": testSubnetID},
				}, configs[n])
				assert.Equal(t, map[string]any{
					"ipconfigurationId":    ipConfigID("gcp-azure-vgw", n),
					"customBgpIpAddresses": tc.customBgp[n],
				}, peering[n], "instance %d", n)
			}
		})
	}
}

func TestAzureGatewayNameSkuGeneration(t *testing.T) {
	args := validArgs("paired")
	args.Azure.GatewayName = "shared-vgw"
	args.Azure.Sku = "VpnGw4AZ"
	args.Azure.Generation = "Generation2"
	r := mustRender(t, args, nil)
	vgw := reg(t, r.rec, tVnetGateway, "gcp-azure-vgw")
	assert.Equal(t, "shared-vgw", input(t, vgw, "virtualNetworkGatewayName"))
	assert.Equal(t, map[string]any{"name": "VpnGw4AZ", "tier": "VpnGw4AZ"}, input(t, vgw, "sku"))
	assert.Equal(t, "Generation2", input(t, vgw, "vpnGatewayGeneration"))
	for n := 0; n < 2; n++ {
		assert.Equal(t, ipConfigID("shared-vgw", n), input(t, vgw, "bgpSettings", "bgpPeeringAddresses", n, "ipconfigurationId"))
	}
	for _, w := range wantTunnels("paired") {
		conn := reg(t, r.rec, tConnection, w.conn)
		for n := 0; n < 2; n++ {
			assert.Equal(t, ipConfigID("shared-vgw", n), input(t, conn, "gatewayCustomBgpIpAddresses", n, "ipConfigurationId"))
		}
	}
	// The external gateway's description is ForceNew: renaming the Azure gateway must not replace it.
	assert.Equal(t, externalGatewayDescription, input(t, reg(t, r.rec, tExternalGw, "gcp-azure-azure-peer"), "description"))
	assert.NotContains(t, externalGatewayDescription, "vgw")
}

func TestLocalNetworkGateways(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r := mustRender(t, validArgs(topo), nil)
			want := wantTunnels(topo)
			require.Len(t, r.rec.OfType(tLocalNetworkGw), len(want))
			seen := map[any]string{}
			for _, w := range want {
				lng := reg(t, r.rec, tLocalNetworkGw, w.lng)
				ip := input(t, lng, "gatewayIpAddress")
				assert.Equal(t, r.gcpInterfaceIp(t, w.gateway, w.gcpIface), ip, "%s must point at %s interface %d", w.lng, w.gateway, w.gcpIface)
				if prev, dup := seen[ip]; dup {
					t.Errorf("%s and %s share the address %v: Azure cannot connect both", prev, w.lng, ip)
				}
				seen[ip] = w.lng
				assert.Equal(t, map[string]any{"asn": num(65534), "bgpPeeringAddress": w.gcpIp}, input(t, lng, "bgpSettings"), w.lng)
				assert.Equal(t, []any{}, input(t, lng, "localNetworkAddressSpace", "addressPrefixes"), w.lng)
				assert.Equal(t, testRG, input(t, lng, "resourceGroupName"))
				assert.Equal(t, testLocation, input(t, lng, "location"))
			}
		})
	}
}

// defaultIpsecPolicy is the policy every connection carries unless overridden.
var defaultIpsecPolicy = map[string]any{
	"ikeEncryption": "GCMAES256", "ikeIntegrity": "SHA384", "dhGroup": "DHGroup14",
	"ipsecEncryption": "GCMAES256", "ipsecIntegrity": "GCMAES256", "pfsGroup": "PFS2048",
	"saLifeTimeSeconds": num(10800), "saDataSizeKilobytes": num(102400000),
}

func TestConnections(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r := mustRender(t, validArgs(topo), nil)
			want := wantTunnels(topo)
			require.Len(t, r.rec.OfType(tConnection), len(want))
			for _, w := range want {
				conn := reg(t, r.rec, tConnection, w.conn)
				assert.Equal(t, "IPsec", input(t, conn, "connectionType"), w.conn)
				assert.Equal(t, "IKEv2", input(t, conn, "connectionProtocol"), w.conn)
				assert.Equal(t, true, input(t, conn, "enableBgp"), w.conn)
				assert.Equal(t, num(45), input(t, conn, "dpdTimeoutSeconds"), w.conn)
				assert.Equal(t, []any{defaultIpsecPolicy}, input(t, conn, "ipsecPolicies"), w.conn)
				assert.Equal(t, map[string]any{"id": r.id(t, "gcp-azure-vgw")}, input(t, conn, "virtualNetworkGateway1"), w.conn)
				assert.Equal(t, map[string]any{"id": r.id(t, w.lng)}, input(t, conn, "localNetworkGateway2"), w.conn)
				assert.Equal(t, testRG, input(t, conn, "resourceGroupName"))
				assert.Equal(t, testLocation, input(t, conn, "location"))

				// Both instances are listed; the tunnel's own instance uses the tunnel's Azure address, the other
				// instance the address it carries for the same Google gateway.
				var wantCustom []any
				for n := 0; n < 2; n++ {
					ip := ""
					for _, o := range want {
						if o.gcpGateway == w.gcpGateway && o.azureInst == n {
							ip = o.azureIp
						}
					}
					wantCustom = append(wantCustom, map[string]any{"ipConfigurationId": ipConfigID("gcp-azure-vgw", n), "customBgpIpAddress": ip})
				}
				assert.Equal(t, wantCustom, input(t, conn, "gatewayCustomBgpIpAddresses"), w.conn)
				assert.Equal(t, w.azureIp, input(t, conn, "gatewayCustomBgpIpAddresses", w.azureInst, "customBgpIpAddress"), w.conn)
			}
		})
	}
}

func TestConnectionPolicyOverrides(t *testing.T) {
	args := validArgs("paired")
	args.Azure.DpdTimeoutSeconds = ptr(30)
	args.IpsecPolicy = &IpsecPolicyArgs{
		IkeEncryption: "AES256", IkeIntegrity: "SHA256", DhGroup: "ECP384",
		IpsecEncryption: "AES256", IpsecIntegrity: "SHA256", PfsGroup: "ECP384",
		SaLifeTimeSeconds: ptr(3600),
	}
	r := mustRender(t, args, nil)
	for _, w := range wantTunnels("paired") {
		conn := reg(t, r.rec, tConnection, w.conn)
		assert.Equal(t, num(30), input(t, conn, "dpdTimeoutSeconds"))
		assert.Equal(t, []any{map[string]any{
			"ikeEncryption": "AES256", "ikeIntegrity": "SHA256", "dhGroup": "ECP384",
			"ipsecEncryption": "AES256", "ipsecIntegrity": "SHA256", "pfsGroup": "ECP384",
			"saLifeTimeSeconds": num(3600), "saDataSizeKilobytes": num(102400000),
		}}, input(t, conn, "ipsecPolicies"))
	}
}

func TestResourceCounts(t *testing.T) {
	tests := []struct {
		topo string
		want map[string]int
	}{
		{"paired", map[string]int{
			tHaVpnGateway: 1, tExternalGw: 1, tRouter: 1, tTunnel: 2, tRouterIface: 2, tRouterPeer: 2, tFirewall: 1,
			tPublicIp: 2, tVnetGateway: 1, tLocalNetworkGw: 2, tConnection: 2, Token: 1,
		}},
		{"dualGateway", map[string]int{
			tHaVpnGateway: 2, tExternalGw: 1, tRouter: 1, tTunnel: 4, tRouterIface: 4, tRouterPeer: 4, tFirewall: 1,
			tPublicIp: 2, tVnetGateway: 1, tLocalNetworkGw: 4, tConnection: 4, Token: 1,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.topo, func(t *testing.T) {
			r := mustRender(t, validArgs(tc.topo), nil)
			got := map[string]int{}
			for _, g := range r.rec.Registrations() {
				got[g.Type]++
			}
			assert.Equal(t, tc.want, got)
			link := reg(t, r.rec, Token, testName)
			for _, g := range r.rec.Registrations() {
				if g != link {
					assert.Equal(t, link.URN, g.Parent, "%s must be a child of the link", g.Name)
				}
			}
		})
	}
}

// TestTwoLinksShareOneVpc renders a paired link on block 0 and a dualGateway link on block 1 in one
// program, on one VPC: Cloud Router /30s must be unique across the VPC network, and no two
// resources may share a name.
func TestTwoLinksShareOneVpc(t *testing.T) {
	second := validArgs("dualGateway")
	second.BgpSessionBlock = ptr(1)
	r := mustRender(t, validArgs("paired"), func(ctx *pulumi.Context, _ *HaVpnLink) {
		_, err := NewHaVpnLink(ctx, "second", second)
		require.NoError(t, err)
	})
	seen := map[string]bool{}
	for _, reg := range r.rec.Registrations() {
		key := reg.Type + " " + reg.Name
		assert.False(t, seen[key], "two resources named %s", key)
		seen[key] = true
	}
	ifaces := r.rec.OfType(tRouterIface)
	require.Len(t, ifaces, 2+4)
	var ranges []netip.Prefix
	for _, iface := range ifaces {
		p, err := netip.ParsePrefix(input(t, iface, "ipRange").(string))
		require.NoError(t, err, iface.Name)
		ranges = append(ranges, p.Masked())
	}
	for i := range ranges {
		for j := i + 1; j < len(ranges); j++ {
			assert.False(t, ranges[i].Overlaps(ranges[j]), "%s and %s overlap (%s, %s)", ifaces[i].Name, ifaces[j].Name, ranges[i], ranges[j])
		}
	}
	assert.Len(t, r.rec.OfType(tVnetGateway), 2, "each link creates its own Azure gateway")
}

// TestAzureGatewayNameReachesNoGoogleForceNewInput: renaming the Azure gateway changes no input of a
// Google resource that the pinned provider replaces on (cloudrules), so no Google tunnel is replaced.
func TestAzureGatewayNameReachesNoGoogleForceNewInput(t *testing.T) {
	base := mustRender(t, validArgs("dualGateway"), nil)
	args := validArgs("dualGateway")
	args.Azure.GatewayName = "renamed-vgw"
	head := mustRender(t, args, nil)
	compared := 0
	for _, h := range head.rec.Registrations() {
		b := base.rec.ByName(h.Name)
		if b == nil || !strings.HasPrefix(h.Type, "gcp:") {
			continue
		}
		compared++
		old, cur := mockcloud.Revealed(b.Inputs), mockcloud.Revealed(h.Inputs)
		for key, v := range cur {
			if !reflect.DeepEqual(old[key], v) && cloudrules.Replaces(h.Type, key, old[key], v, true) {
				t.Errorf("%s %s: ForceNew input %s changes with the Azure gateway's name: %v -> %v", h.Type, h.Name, key, old[key], v)
			}
		}
	}
	assert.Equal(t, 2+1+1+4*3+1, compared, "HA gateways, external gateway, router, tunnels/interfaces/peers, firewall")
}

// TestGatewayNameKeepsTheLogicalName: azure.gatewayName changes the gateway's physical name only, so
// changing it replaces the gateway (old one first, freeing its public IPs) rather than creating a
// second one; a stack deployed when the logical name followed gatewayName finds it through an alias.
func TestGatewayNameKeepsTheLogicalName(t *testing.T) {
	args := validArgs("paired")
	args.Azure.GatewayName = "corp-vgw"
	r := mustRender(t, args, nil)
	vgw := reg(t, r.rec, tVnetGateway, "gcp-azure-vgw")
	assert.Equal(t, "corp-vgw", input(t, vgw, "virtualNetworkGatewayName"))
	assert.True(t, vgw.DeleteBeforeReplace)
	require.Len(t, vgw.Aliases, 1)
	assert.Contains(t, vgw.Aliases[0], "corp-vgw")
	assert.Nil(t, r.rec.ByName("corp-vgw"))
	// The default name needs no alias.
	assert.Empty(t, reg(t, mustRender(t, validArgs("paired"), nil).rec, tVnetGateway, "gcp-azure-vgw").Aliases)
}
