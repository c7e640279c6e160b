package linkplan

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

func mustBuild(t *testing.T, spec Spec) *Plan {
	t.Helper()
	p, err := Build(spec)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return p
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

// wantTunnel is one tunnel's expected wiring and addressing.
type wantTunnel struct {
	gw, iface, inst int
	rng             string
	azureIp, gcpIp  string
}

func TestPlanAddressing(t *testing.T) {
	tests := []struct {
		name    string
		topo    Topology
		block   *int
		ranges  []string
		tunnels []wantTunnel
	}{
		{
			name: "paired default block", topo: Paired,
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.21.0/30", "169.254.21.1", "169.254.21.2"},
				{0, 1, 1, "169.254.22.0/30", "169.254.22.1", "169.254.22.2"},
			},
		},
		{
			name: "paired block 0", topo: Paired, block: ptr(0),
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.21.0/30", "169.254.21.1", "169.254.21.2"},
				{0, 1, 1, "169.254.22.0/30", "169.254.22.1", "169.254.22.2"},
			},
		},
		{
			name: "paired block 1", topo: Paired, block: ptr(1),
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.21.8/30", "169.254.21.9", "169.254.21.10"},
				{0, 1, 1, "169.254.22.8/30", "169.254.22.9", "169.254.22.10"},
			},
		},
		{
			name: "paired block 31", topo: Paired, block: ptr(31),
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.21.248/30", "169.254.21.249", "169.254.21.250"},
				{0, 1, 1, "169.254.22.248/30", "169.254.22.249", "169.254.22.250"},
			},
		},
		{
			name: "dualGateway block 0", topo: DualGateway, block: ptr(0),
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.21.0/30", "169.254.21.1", "169.254.21.2"},
				{0, 1, 1, "169.254.22.0/30", "169.254.22.1", "169.254.22.2"},
				{1, 0, 0, "169.254.21.4/30", "169.254.21.5", "169.254.21.6"},
				{1, 1, 1, "169.254.22.4/30", "169.254.22.5", "169.254.22.6"},
			},
		},
		{
			name: "dualGateway block 1", topo: DualGateway, block: ptr(1),
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.21.8/30", "169.254.21.9", "169.254.21.10"},
				{0, 1, 1, "169.254.22.8/30", "169.254.22.9", "169.254.22.10"},
				{1, 0, 0, "169.254.21.12/30", "169.254.21.13", "169.254.21.14"},
				{1, 1, 1, "169.254.22.12/30", "169.254.22.13", "169.254.22.14"},
			},
		},
		{
			name: "dualGateway block 31", topo: DualGateway, block: ptr(31),
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.21.248/30", "169.254.21.249", "169.254.21.250"},
				{0, 1, 1, "169.254.22.248/30", "169.254.22.249", "169.254.22.250"},
				{1, 0, 0, "169.254.21.252/30", "169.254.21.253", "169.254.21.254"},
				{1, 1, 1, "169.254.22.252/30", "169.254.22.253", "169.254.22.254"},
			},
		},
		{
			name: "paired explicit ranges override the block", topo: Paired, block: ptr(5),
			ranges: []string{"169.254.21.100/30", "169.254.22.60/30"},
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.21.100/30", "169.254.21.101", "169.254.21.102"},
				{0, 1, 1, "169.254.22.60/30", "169.254.22.61", "169.254.22.62"},
			},
		},
		{
			// Issue 11's layout: both /30s in 169.254.21.0/24, so instance 1 carries a 21.x address.
			name: "paired explicit ranges in one /24", topo: Paired,
			ranges: []string{"169.254.21.8/30", "169.254.21.12/30"},
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.21.8/30", "169.254.21.9", "169.254.21.10"},
				{0, 1, 1, "169.254.21.12/30", "169.254.21.13", "169.254.21.14"},
			},
		},
		{
			name: "dualGateway explicit ranges crossing the /24s", topo: DualGateway,
			ranges: []string{"169.254.22.0/30", "169.254.21.0/30", "169.254.22.4/30", "169.254.21.4/30"},
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.22.0/30", "169.254.22.1", "169.254.22.2"},
				{0, 1, 1, "169.254.21.0/30", "169.254.21.1", "169.254.21.2"},
				{1, 0, 0, "169.254.22.4/30", "169.254.22.5", "169.254.22.6"},
				{1, 1, 1, "169.254.21.4/30", "169.254.21.5", "169.254.21.6"},
			},
		},
		{
			name: "dualGateway explicit ranges", topo: DualGateway,
			ranges: []string{"169.254.21.200/30", "169.254.22.16/30", "169.254.21.36/30", "169.254.22.252/30"},
			tunnels: []wantTunnel{
				{0, 0, 0, "169.254.21.200/30", "169.254.21.201", "169.254.21.202"},
				{0, 1, 1, "169.254.22.16/30", "169.254.22.17", "169.254.22.18"},
				{1, 0, 0, "169.254.21.36/30", "169.254.21.37", "169.254.21.38"},
				{1, 1, 1, "169.254.22.252/30", "169.254.22.253", "169.254.22.254"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := validSpec()
			spec.Topology = string(tc.topo)
			spec.BgpSessionBlock = tc.block
			spec.BgpSessionRanges = tc.ranges
			p := mustBuild(t, spec)
			if p.Topology != tc.topo {
				t.Errorf("Topology = %q, want %q", p.Topology, tc.topo)
			}
			if len(p.Tunnels) != len(tc.tunnels) {
				t.Fatalf("%d tunnels, want %d", len(p.Tunnels), len(tc.tunnels))
			}
			if got := len(p.Gcp.Gateways); got != tc.topo.GcpGatewayCount() {
				t.Errorf("%d HA VPN gateways, want %d", got, tc.topo.GcpGatewayCount())
			}
			wantInstIps := make([][]netip.Addr, AzureInstanceCount)
			for k, w := range tc.tunnels {
				got := p.Tunnels[k]
				if got.Index != k {
					t.Errorf("tunnel %d: Index = %d", k, got.Index)
				}
				if got.GcpInterface != (GcpInterface{w.gw, w.iface}) || got.AzureInstance != w.inst {
					t.Errorf("tunnel %d wired %s -> azure-inst%d, want gcp-gw%d-if%d -> azure-inst%d",
						k, got.GcpInterface.FailureDomain(), got.AzureInstance, w.gw, w.iface, w.inst)
				}
				if got.GcpInterface.Interface != got.AzureInstance {
					t.Errorf("tunnel %d: interface %d must reach instance %d", k, got.GcpInterface.Interface, got.GcpInterface.Interface)
				}
				s := got.Session
				if s.Range.String() != w.rng {
					t.Errorf("tunnel %d: /30 = %s, want %s", k, s.Range, w.rng)
				}
				if s.AzureIp != addr(w.azureIp) {
					t.Errorf("tunnel %d: Azure BGP IP = %s, want %s (first host)", k, s.AzureIp, w.azureIp)
				}
				if s.GcpIp != addr(w.gcpIp) {
					t.Errorf("tunnel %d: Google BGP IP = %s, want %s (second host)", k, s.GcpIp, w.gcpIp)
				}
				if s.GcpAsn != cloudrules.DefaultGcpAsn || s.AzureAsn != cloudrules.DefaultAzureAsn {
					t.Errorf("tunnel %d: session ASNs %d/%d", k, s.GcpAsn, s.AzureAsn)
				}
				wantInstIps[w.inst] = append(wantInstIps[w.inst], addr(w.azureIp))
			}
			if len(p.Azure.Instances) != AzureInstanceCount {
				t.Fatalf("%d Azure instances, want 2", len(p.Azure.Instances))
			}
			for n, inst := range p.Azure.Instances {
				if !slices.Equal(inst.CustomBgpIps, wantInstIps[n]) {
					t.Errorf("azure-inst%d carries %v, want %v", n, inst.CustomBgpIps, wantInstIps[n])
				}
				if want := tc.topo.GcpGatewayCount(); len(inst.CustomBgpIps) != want {
					t.Errorf("azure-inst%d carries %d APIPA addresses, want %d", n, len(inst.CustomBgpIps), want)
				}
			}
		})
	}
}

func TestConnectionBgpIps(t *testing.T) {
	tests := []struct {
		name string
		topo Topology
		want [][]string // per tunnel: instance0's address, instance1's address
	}{
		{
			name: "paired", topo: Paired,
			want: [][]string{
				{"169.254.21.1", "169.254.22.1"},
				{"169.254.21.1", "169.254.22.1"},
			},
		},
		{
			name: "dualGateway", topo: DualGateway,
			want: [][]string{
				{"169.254.21.1", "169.254.22.1"},
				{"169.254.21.1", "169.254.22.1"},
				{"169.254.21.5", "169.254.22.5"},
				{"169.254.21.5", "169.254.22.5"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := validSpec()
			spec.Topology = string(tc.topo)
			p := mustBuild(t, spec)
			for k, tun := range p.Tunnels {
				want := []netip.Addr{addr(tc.want[k][0]), addr(tc.want[k][1])}
				if !slices.Equal(tun.ConnectionBgpIps, want) {
					t.Errorf("%s: ConnectionBgpIps = %v, want %v", tun.Name, tun.ConnectionBgpIps, want)
				}
				if tun.ConnectionBgpIps[tun.AzureInstance] != tun.Session.AzureIp {
					t.Errorf("%s: its own instance must use the session address %s", tun.Name, tun.Session.AzureIp)
				}
				for n, ip := range tun.ConnectionBgpIps {
					if !slices.Contains(p.Azure.Instances[n].CustomBgpIps, ip) {
						t.Errorf("%s: azure-inst%d uses %s but does not carry it", tun.Name, n, ip)
					}
				}
			}
		})
	}
}

func TestPlanDefaults(t *testing.T) {
	p := mustBuild(t, validSpec())
	checks := []struct {
		what      string
		got, want any
	}{
		{"name", p.Name, "gcp-azure"},
		{"topology", p.Topology, Paired},
		{"gcp asn", p.Gcp.Asn, int64(65534)},
		{"azure asn", p.Azure.Asn, int64(65515)},
		{"keepalive", p.Gcp.KeepaliveInterval, 20},
		{"dpd timeout", p.Azure.DpdTimeoutSeconds, 45},
		{"sku", p.Azure.Sku, "VpnGw1AZ"},
		{"generation", p.Azure.Generation, ""},
		{"zones", strings.Join(p.Azure.Zones, ","), "1,2,3"},
		{"ipsec policy", p.IpsecPolicy, cloudrules.IpsecPolicy{
			IkeEncryption: "GCMAES256", IkeIntegrity: "SHA384", DhGroup: "DHGroup14",
			IpsecEncryption: "GCMAES256", IpsecIntegrity: "GCMAES256", PfsGroup: "PFS2048",
			SaLifeTimeSeconds: 10800, SaDataSizeKilobytes: 102400000,
		}},
		{"firewall enabled", p.Gcp.Firewall.Enabled, true},
		{"firewall allow", fmt.Sprint(p.Gcp.Firewall.Allow), fmt.Sprint([]FirewallAllowSpec{{Protocol: "all"}})},
		{"firewall name", p.Gcp.Firewall.Name, "gcp-azure-from-azure"},
		{"router name", p.Gcp.RouterName, "gcp-azure-router"},
		{"external gateway name", p.Gcp.ExternalGatewayName, "gcp-azure-azure-peer"},
		{"gateway name", p.Azure.GatewayName, "gcp-azure-vgw"},
		{"advertised ranges", len(p.Gcp.AdvertisedIpRanges), 0},
		{"gcp gateways", fmt.Sprint(p.Gcp.Gateways), fmt.Sprint([]GcpGateway{{Index: 0, Name: "gcp-azure-gw0"}})},
		{"instance 0", fmt.Sprint(p.Azure.Instances[0].IpConfigName, " ", p.Azure.Instances[0].PublicIpName), "instance0 gcp-azure-pip0"},
		{"instance 1", fmt.Sprint(p.Azure.Instances[1].IpConfigName, " ", p.Azure.Instances[1].PublicIpName), "instance1 gcp-azure-pip1"},
		{"tunnel 1 names", strings.Join([]string{p.Tunnels[1].Name, p.Tunnels[1].RouterInterfaceName, p.Tunnels[1].BgpPeerName, p.Tunnels[1].LocalNetworkGatewayName, p.Tunnels[1].ConnectionName}, " "),
			"gcp-azure-t1 gcp-azure-if1 gcp-azure-bgp1 gcp-azure-lng1 gcp-azure-conn1"},
		{"failure domains", strings.Join(p.FailureDomains(), " "), "gcp-gw0-if0 gcp-gw0-if1 azure-inst0 azure-inst1"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) || fmt.Sprintf("%T", c.got) != fmt.Sprintf("%T", c.want) {
			t.Errorf("%s = %v (%T), want %v (%T)", c.what, c.got, c.got, c.want, c.want)
		}
	}
}

func TestPlanOverrides(t *testing.T) {
	spec := validSpec()
	spec.Topology = string(DualGateway)
	spec.Gcp.Asn = ptr(int64(4200000000))
	spec.Azure.Asn = ptr(int64(65010))
	spec.Gcp.KeepaliveInterval = ptr(60)
	spec.Azure.DpdTimeoutSeconds = ptr(9)
	spec.Azure.Sku = "VpnGw4AZ"
	spec.Azure.Generation = "Generation2"
	spec.Azure.Zones = []string{"3"}
	spec.Azure.GatewayName = "hub_vgw"
	spec.Gcp.AdvertisedIpRanges = []string{"10.0.0.0/16", "10.8.0.0/14"}
	spec.Gcp.Firewall = FirewallSpec{Enabled: ptr(false), Allow: []FirewallAllowSpec{{Protocol: "tcp", Ports: []string{"22"}}}}
	spec.IpsecPolicy = &IpsecPolicySpec{PfsGroup: "ECP384", SaLifeTimeSeconds: ptr(3600)}
	p := mustBuild(t, spec)

	if p.Gcp.Asn != 4200000000 || p.Azure.Asn != 65010 {
		t.Errorf("ASNs %d/%d", p.Gcp.Asn, p.Azure.Asn)
	}
	for _, tun := range p.Tunnels {
		if tun.Session.GcpAsn != 4200000000 || tun.Session.AzureAsn != 65010 {
			t.Errorf("%s: session ASNs %d/%d", tun.Name, tun.Session.GcpAsn, tun.Session.AzureAsn)
		}
	}
	if p.Gcp.KeepaliveInterval != 60 || p.Azure.DpdTimeoutSeconds != 9 {
		t.Errorf("timers %d/%d", p.Gcp.KeepaliveInterval, p.Azure.DpdTimeoutSeconds)
	}
	if p.Azure.Sku != "VpnGw4AZ" || p.Azure.Generation != "Generation2" || !slices.Equal(p.Azure.Zones, []string{"3"}) {
		t.Errorf("sku %s %s zones %v", p.Azure.Sku, p.Azure.Generation, p.Azure.Zones)
	}
	if p.Azure.GatewayName != "hub_vgw" {
		t.Errorf("gateway name = %q, want the override hub_vgw", p.Azure.GatewayName)
	}
	wantAdv := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16"), netip.MustParsePrefix("10.8.0.0/14")}
	if !slices.Equal(p.Gcp.AdvertisedIpRanges, wantAdv) {
		t.Errorf("advertised = %v", p.Gcp.AdvertisedIpRanges)
	}
	if p.Gcp.Firewall.Enabled || fmt.Sprint(p.Gcp.Firewall.Allow) != "[{tcp [22]}]" {
		t.Errorf("firewall = %+v", p.Gcp.Firewall)
	}
	wantPolicy := cloudrules.DefaultIpsecPolicy
	wantPolicy.PfsGroup, wantPolicy.SaLifeTimeSeconds = "ECP384", 3600
	if p.IpsecPolicy != wantPolicy {
		t.Errorf("ipsec policy = %+v, want %+v", p.IpsecPolicy, wantPolicy)
	}
	if got := fmt.Sprint(p.Gcp.Gateways); got != "[{0 gcp-azure-gw0 } {1 gcp-azure-gw1 }]" {
		t.Errorf("gateways = %s", got)
	}
	if got := strings.Join(p.FailureDomains(), " "); got != "gcp-gw0-if0 gcp-gw0-if1 gcp-gw1-if0 gcp-gw1-if1 azure-inst0 azure-inst1" {
		t.Errorf("failure domains = %s", got)
	}

	// The plan must not alias the spec's slices.
	spec.Azure.Zones[0] = "1"
	spec.Gcp.Firewall.Allow[0].Protocol = "udp"
	if p.Azure.Zones[0] != "3" || p.Gcp.Firewall.Allow[0].Protocol != "tcp" {
		t.Errorf("plan aliases the spec: zones %v, allow %v", p.Azure.Zones, p.Gcp.Firewall.Allow)
	}
}

func TestGatewayName(t *testing.T) {
	tests := []struct {
		name, override, want string
	}{
		{"prod", "", "prod-vgw"},
		{"gcp-azure", "", "gcp-azure-vgw"},
		{"gcp-azure", "existing-gw", "existing-gw"},
	}
	for _, tc := range tests {
		spec := validSpec()
		spec.Name = tc.name
		spec.Azure.GatewayName = tc.override
		if got := mustBuild(t, spec).Azure.GatewayName; got != tc.want {
			t.Errorf("name %q override %q: gateway name %q, want %q", tc.name, tc.override, got, tc.want)
		}
	}
}

func TestTunnelFor(t *testing.T) {
	spec := validSpec()
	spec.Topology = string(DualGateway)
	p := mustBuild(t, spec)
	for k, i := range p.GcpInterfaces() {
		tun, ok := p.TunnelFor(i)
		if !ok || tun.Index != k || tun.GcpInterface != i {
			t.Errorf("TunnelFor(%s) = %d %v, want tunnel %d", i.FailureDomain(), tun.Index, ok, k)
		}
	}
	if _, ok := p.TunnelFor(GcpInterface{2, 0}); ok {
		t.Errorf("TunnelFor(gcp-gw2-if0) found a tunnel")
	}
}

// Blocks 0..31 of one topology never share or overlap a /30, so links sharing a VPC or Azure gateway can coexist.
func TestBlocksNeverShareARange(t *testing.T) {
	for _, topo := range Topologies {
		t.Run(string(topo), func(t *testing.T) {
			type owner struct{ block, tunnel int }
			var all []netip.Prefix
			var owners []owner
			for b := 0; b <= cloudrules.MaxBgpSessionBlock; b++ {
				spec := validSpec()
				spec.Topology = string(topo)
				spec.BgpSessionBlock = ptr(b)
				for _, tun := range mustBuild(t, spec).Tunnels {
					all = append(all, tun.Session.Range)
					owners = append(owners, owner{b, tun.Index})
				}
			}
			if want := (cloudrules.MaxBgpSessionBlock + 1) * topo.TunnelCount(); len(all) != want {
				t.Fatalf("%d ranges, want %d", len(all), want)
			}
			for i := range all {
				if !cloudrules.InstanceBlock[0].Contains(all[i].Addr()) && !cloudrules.InstanceBlock[1].Contains(all[i].Addr()) {
					t.Errorf("block %d tunnel %d: %s outside 169.254.21.0-22.255", owners[i].block, owners[i].tunnel, all[i])
				}
				for j := i + 1; j < len(all); j++ {
					if all[i].Overlaps(all[j]) {
						t.Errorf("block %d tunnel %d and block %d tunnel %d share %s / %s",
							owners[i].block, owners[i].tunnel, owners[j].block, owners[j].tunnel, all[i], all[j])
					}
				}
			}
		})
	}
}

// A paired link is the first gateway of a dualGateway link on the same block: the same /30s, so a
// paired -> dualGateway change keeps the existing tunnels (two links on one VPC need different blocks).
func TestPairedIsPrefixOfDualGateway(t *testing.T) {
	for b := 0; b <= cloudrules.MaxBgpSessionBlock; b++ {
		paired, dual := validSpec(), validSpec()
		paired.BgpSessionBlock, dual.BgpSessionBlock = ptr(b), ptr(b)
		dual.Topology = string(DualGateway)
		pp, dp := mustBuild(t, paired), mustBuild(t, dual)
		for k := range pp.Tunnels {
			if pp.Tunnels[k].Session != dp.Tunnels[k].Session {
				t.Errorf("block %d tunnel %d: paired %v, dualGateway %v", b, k, pp.Tunnels[k].Session, dp.Tunnels[k].Session)
			}
		}
	}
}

func TestDerivePSK(t *testing.T) {
	const master = testSecret
	k0 := DerivePSK(master, "gcp-azure-t0")
	if again := DerivePSK(master, "gcp-azure-t0"); again != k0 {
		t.Errorf("not deterministic: %s then %s", k0, again)
	}
	if len(k0) != 64 || len(k0) > cloudrules.MaxAzurePskLength {
		t.Errorf("len = %d, want 64", len(k0))
	}
	for _, r := range k0 {
		if !strings.ContainsRune("0123456789abcdef", r) {
			t.Fatalf("%q is not lowercase hex", k0)
		}
	}
	if strings.Contains(k0, master) {
		t.Errorf("PSK contains the master secret")
	}

	keys := map[string]string{}
	for _, m := range []string{master, master + "x", "another-master-secret-0123456789"} {
		for _, name := range []string{"gcp-azure-t0", "gcp-azure-t1", "gcp-azure-t2", "gcp-azure-t3", "other-t0", ""} {
			k := DerivePSK(m, name)
			id := fmt.Sprintf("master %q tunnel %q", m, name)
			if prev, dup := keys[k]; dup {
				t.Errorf("%s and %s derive the same PSK", prev, id)
			}
			keys[k] = id
		}
	}
	if len(keys) != 18 {
		t.Errorf("%d distinct keys, want 18", len(keys))
	}
	// Known answer: HMAC-SHA256(key="k", msg="havpn/psk/v1/t"), pins the scheme so keys stay stable across releases.
	// Computed with: printf 'havpn/psk/v1/t' | openssl dgst -sha256 -hmac k
	const want = "26da4677995a18e4407a70dc085e43e1fb4b3b54fed06ef2a0dd07be3d3f5ccb"
	if got := DerivePSK("k", "t"); got != want {
		t.Errorf("DerivePSK(k, t) = %s, want %s", got, want)
	}
}

func TestParseGatewaySubnetID(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		want    SubnetID
		wantErr string
	}{
		{name: "valid", id: testSubnetID, want: SubnetID{testSubscription, "rg", "vnet", "GatewaySubnet"}},
		{name: "lower-case segments", id: strings.ToLower(testSubnetID), want: SubnetID{testSubscription, "rg", "vnet", "gatewaysubnet"}},
		{name: "resource group with dots and parens", id: "/subscriptions/" + testSubscription + "/resourceGroups/my.rg(1)/providers/Microsoft.Network/virtualNetworks/hub-vnet/subnets/GatewaySubnet",
			want: SubnetID{testSubscription, "my.rg(1)", "hub-vnet", "GatewaySubnet"}},
		{name: "wrong subnet name", id: strings.Replace(testSubnetID, "GatewaySubnet", "default", 1), wantErr: `named "default"`},
		{name: "empty", id: "", wantErr: "not the ARM ID of a subnet"},
		{name: "virtual network ID, no subnet", id: strings.TrimSuffix(testSubnetID, "/subnets/GatewaySubnet"), wantErr: "not the ARM ID of a subnet"},
		{name: "trailing slash", id: testSubnetID + "/", wantErr: "not the ARM ID of a subnet"},
		{name: "subscription not a GUID", id: strings.Replace(testSubnetID, testSubscription, "sub", 1), wantErr: "not the ARM ID of a subnet"},
		{name: "wrong provider", id: strings.Replace(testSubnetID, "Microsoft.Network", "Microsoft.Compute", 1), wantErr: "not the ARM ID of a subnet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseGatewaySubnetID(tc.id)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	// ParseSubnetID does not care about the subnet's name.
	if s, err := ParseSubnetID(strings.Replace(testSubnetID, "GatewaySubnet", "app", 1)); err != nil || s.Subnet != "app" {
		t.Errorf("ParseSubnetID = %+v, %v", s, err)
	}
}

func TestIpConfigurationID(t *testing.T) {
	s, err := ParseGatewaySubnetID(testSubnetID)
	if err != nil {
		t.Fatal(err)
	}
	p := mustBuild(t, validSpec())
	for n, inst := range p.Azure.Instances {
		got := IpConfigurationID(s, p.Azure.GatewayName, inst.IpConfigName)
		want := fmt.Sprintf("/subscriptions/%s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/gcp-azure-vgw/ipConfigurations/instance%d", testSubscription, n)
		if got != want {
			t.Errorf("instance %d:\n got %s\nwant %s", n, got, want)
		}
	}
}
