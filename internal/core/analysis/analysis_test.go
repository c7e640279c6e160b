package analysis

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

const testSubnetID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet"

func ptr[T any](v T) *T { return &v }

func validSpec(topo linkplan.Topology) linkplan.Spec {
	return linkplan.Spec{
		Name:         "gcp-azure",
		Topology:     string(topo),
		SharedSecret: ptr("0123456789abcdefghijklmnopqrstuv"),
		Gcp:          linkplan.GcpSpec{Region: ptr("asia-northeast1"), Network: ptr("vpc")},
		Azure: linkplan.AzureSpec{
			ResourceGroupName: ptr("rg"),
			Location:          ptr("japaneast"),
			GatewaySubnetId:   ptr(testSubnetID),
			AddressPrefixes:   []string{"10.1.0.0/16"},
		},
	}
}

func buildPlan(t testing.TB, topo linkplan.Topology) *linkplan.Plan {
	t.Helper()
	p, err := linkplan.Build(validSpec(topo))
	if err != nil {
		t.Fatalf("Build(%s): %v", topo, err)
	}
	return p
}

func key(failed []string) string { return strings.Join(failed, "+") }

func TestSessionsUp(t *testing.T) {
	tests := []struct {
		topo   linkplan.Topology
		failed []string
		want   int
	}{
		{linkplan.Paired, nil, 2},
		{linkplan.Paired, []string{"gcp-gw0-if0"}, 1},
		{linkplan.Paired, []string{"gcp-gw0-if1"}, 1},
		{linkplan.Paired, []string{"azure-inst0"}, 1},
		{linkplan.Paired, []string{"azure-inst1"}, 1},
		{linkplan.Paired, []string{"gcp-gw0-if0", "azure-inst1"}, 0}, // the field report's outage
		{linkplan.Paired, []string{"gcp-gw0-if1", "azure-inst0"}, 0},
		{linkplan.Paired, []string{"gcp-gw0-if0", "azure-inst0"}, 1}, // same tunnel twice
		{linkplan.Paired, []string{"gcp-gw0-if0", "gcp-gw0-if1"}, 0},
		{linkplan.Paired, []string{"azure-inst0", "azure-inst1"}, 0},
		{linkplan.Paired, []string{"gcp-gw1-if0"}, 2}, // not a domain of this plan
		{linkplan.DualGateway, nil, 4},
		{linkplan.DualGateway, []string{"gcp-gw0-if0"}, 3},
		{linkplan.DualGateway, []string{"azure-inst1"}, 2},
		{linkplan.DualGateway, []string{"gcp-gw0-if0", "azure-inst1"}, 1},
		{linkplan.DualGateway, []string{"gcp-gw0-if1", "azure-inst0"}, 1},
		{linkplan.DualGateway, []string{"gcp-gw0-if0", "gcp-gw0-if1"}, 2},
		{linkplan.DualGateway, []string{"gcp-gw0-if0", "gcp-gw1-if0"}, 2},
		{linkplan.DualGateway, []string{"gcp-gw0-if0", "gcp-gw1-if1", "azure-inst1"}, 1},
		{linkplan.DualGateway, []string{"azure-inst0", "azure-inst1"}, 0},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%s", tc.topo, key(tc.failed)), func(t *testing.T) {
			if got := SessionsUp(buildPlan(t, tc.topo), tc.failed); got != tc.want {
				t.Errorf("SessionsUp = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestSurvivabilityPaired(t *testing.T) {
	p := buildPlan(t, linkplan.Paired)
	cases := Survivability(p)
	want := map[string]int{
		"gcp-gw0-if0": 1, "gcp-gw0-if1": 1, "azure-inst0": 1, "azure-inst1": 1,
		"gcp-gw0-if0+gcp-gw0-if1": 0,
		"gcp-gw0-if0+azure-inst0": 1,
		"gcp-gw0-if0+azure-inst1": 0,
		"gcp-gw0-if1+azure-inst0": 0,
		"gcp-gw0-if1+azure-inst1": 1,
		"azure-inst0+azure-inst1": 0,
	}
	checkCases(t, cases, want)
}

func TestSurvivabilityDualGateway(t *testing.T) {
	p := buildPlan(t, linkplan.DualGateway)
	cases := Survivability(p)
	domains := p.FailureDomains()
	if len(domains) != 6 {
		t.Fatalf("failure domains %v", domains)
	}
	want := map[string]int{}
	for _, d := range domains {
		if strings.HasPrefix(d, "gcp-") {
			want[d] = 3
		} else {
			want[d] = 2
		}
	}
	for i := range domains {
		for j := i + 1; j < len(domains); j++ {
			a, b := domains[i], domains[j]
			switch {
			case a == "azure-inst0" && b == "azure-inst1":
				want[a+"+"+b] = 0
			case strings.HasPrefix(a, "gcp-") && strings.HasPrefix(b, "gcp-"):
				want[a+"+"+b] = 2
			case strings.HasSuffix(a, "-if0") && b == "azure-inst0", strings.HasSuffix(a, "-if1") && b == "azure-inst1":
				want[a+"+"+b] = 2 // the interface's tunnel already ends on the failed instance
			default:
				want[a+"+"+b] = 1 // an interface and the other instance
			}
		}
	}
	checkCases(t, cases, want)
	for _, c := range cases {
		if key(c.Failed) != "azure-inst0+azure-inst1" && c.BgpSessionsUp < 1 {
			t.Errorf("dualGateway loses the link when %v fail", c.Failed)
		}
	}
}

func checkCases(t *testing.T, cases []FailureCase, want map[string]int) {
	t.Helper()
	if len(cases) != len(want) {
		t.Errorf("%d cases, want %d", len(cases), len(want))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		k := key(c.Failed)
		if seen[k] {
			t.Errorf("case %s listed twice", k)
		}
		seen[k] = true
		w, ok := want[k]
		if !ok {
			t.Errorf("unexpected case %s", k)
			continue
		}
		if c.BgpSessionsUp != w {
			t.Errorf("%s: %d BGP sessions up, want %d", k, c.BgpSessionsUp, w)
		}
	}
}

func TestSurvivabilityOrder(t *testing.T) {
	p := buildPlan(t, linkplan.Paired)
	var got []string
	for _, c := range Survivability(p) {
		got = append(got, key(c.Failed))
	}
	want := []string{
		"gcp-gw0-if0", "gcp-gw0-if1", "azure-inst0", "azure-inst1",
		"gcp-gw0-if0+gcp-gw0-if1", "gcp-gw0-if0+azure-inst0", "gcp-gw0-if0+azure-inst1",
		"gcp-gw0-if1+azure-inst0", "gcp-gw0-if1+azure-inst1", "azure-inst0+azure-inst1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %q\nwant %q", got, want)
	}
}

func TestCuts(t *testing.T) {
	tests := []struct {
		topo linkplan.Topology
		want []string
	}{
		{linkplan.Paired, []string{
			"gcp-gw0-if0+gcp-gw0-if1",
			"gcp-gw0-if0+azure-inst1",
			"gcp-gw0-if1+azure-inst0",
			"azure-inst0+azure-inst1",
		}},
		{linkplan.DualGateway, []string{"azure-inst0+azure-inst1"}},
	}
	for _, tc := range tests {
		t.Run(string(tc.topo), func(t *testing.T) {
			var got []string
			for _, c := range Cuts(Survivability(buildPlan(t, tc.topo))) {
				if c.BgpSessionsUp != 0 {
					t.Errorf("cut %v has %d sessions up", c.Failed, c.BgpSessionsUp)
				}
				got = append(got, key(c.Failed))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Cuts =\n  %q\nwant\n  %q", got, tc.want)
			}
		})
	}
	if got := Cuts([]FailureCase{{Failed: []string{"x"}, BgpSessionsUp: 1}}); len(got) != 0 {
		t.Errorf("Cuts of a surviving case = %v", got)
	}
}

func TestCheckWiringAcceptsBuiltPlans(t *testing.T) {
	for _, topo := range linkplan.Topologies {
		for _, block := range []int{0, 1, 17, 31} {
			spec := validSpec(topo)
			spec.BgpSessionBlock = ptr(block)
			p, err := linkplan.Build(spec)
			if err != nil {
				t.Fatal(err)
			}
			if errs := CheckWiring(p); len(errs) != 0 {
				t.Errorf("%s block %d: %v", topo, block, errs)
			}
		}
	}
}

func TestCheckWiringCatchesCorruption(t *testing.T) {
	pfx := netip.MustParsePrefix
	// setRange moves a tunnel's session to r keeping Azure first host, Google second.
	setRange := func(tun *linkplan.Tunnel, r string) {
		tun.Session.Range = pfx(r)
		tun.Session.AzureIp = tun.Session.Range.Addr().Next()
		tun.Session.GcpIp = tun.Session.AzureIp.Next()
	}
	tests := []struct {
		name    string
		topo    linkplan.Topology
		corrupt func(p *linkplan.Plan)
		want    string // one returned error must contain this
	}{
		{
			name: "Azure and Google hosts swapped", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) {
				s := &p.Tunnels[0].Session
				s.AzureIp, s.GcpIp = s.GcpIp, s.AzureIp
			},
			want: "gcp-azure-t0: in 169.254.21.0/30 Azure must be 169.254.21.1 and Google 169.254.21.2, got 169.254.21.2 and 169.254.21.1",
		},
		{
			name: "Google on the network address", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[1].Session.GcpIp = netip.MustParseAddr("169.254.22.0") },
			want:    "gcp-azure-t1: in 169.254.22.0/30 Azure must be 169.254.22.1 and Google 169.254.22.2",
		},
		{
			name: "duplicate /30", topo: linkplan.DualGateway,
			corrupt: func(p *linkplan.Plan) { setRange(&p.Tunnels[2], "169.254.21.0/30") },
			want:    "gcp-azure-t0 and gcp-azure-t2 share the /30 169.254.21.0/30",
		},
		{
			name: "range outside Azure's APIPA window", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { setRange(&p.Tunnels[0], "169.254.30.0/30") },
			want:    "gcp-azure-t0: BGP addresses 169.254.30.1/169.254.30.2 outside Azure's APIPA window",
		},
		{
			name: "range outside the window", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { setRange(&p.Tunnels[0], "169.254.30.0/30") },
			want:    "gcp-azure-t0: 169.254.30.0/30 is outside Azure's APIPA window 169.254.21.0-169.254.22.255",
		},
		{
			// A /30 of the other /24 is valid on instance 0, but the instance must carry its address.
			name: "range moved without its instance's address", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { setRange(&p.Tunnels[0], "169.254.22.8/30") },
			want:    "gcp-azure-t0: Azure instance 0 does not carry 169.254.22.9",
		},
		{
			name: "range not a /30", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[1].Session.Range = pfx("169.254.22.0/29") },
			want:    "gcp-azure-t1: 169.254.22.0/29 is not a canonical /30",
		},
		{
			name: "range with host bits", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[1].Session.Range = pfx("169.254.22.1/30") },
			want:    "gcp-azure-t1: 169.254.22.1/30 is not a canonical /30",
		},
		{
			name: "two tunnels on one interface", topo: linkplan.DualGateway,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[2].GcpInterface = p.Tunnels[0].GcpInterface },
			want:    "gcp-azure-t0 and gcp-azure-t2 both start at gcp-gw0-if0",
		},
		{
			name: "interface without a tunnel", topo: linkplan.DualGateway,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[3].GcpInterface = p.Tunnels[1].GcpInterface },
			want:    "gcp-gw1-if1 has no tunnel",
		},
		{
			name: "tunnel missing", topo: linkplan.DualGateway,
			corrupt: func(p *linkplan.Plan) { p.Tunnels = p.Tunnels[:3] },
			want:    "topology dualGateway has 3 tunnels, want 4",
		},
		{
			name: "interface wired to the other instance", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) {
				p.Tunnels[0].GcpInterface.Interface, p.Tunnels[1].GcpInterface.Interface = 1, 0
			},
			want: "gcp-azure-t0 wires interface 1 to Azure instance 0",
		},
		{
			// Regression: CheckWiring used to panic (index out of range) on this plan.
			name: "tunnel ends on a nonexistent instance 2", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[1].AzureInstance = 2 },
			want:    "gcp-azure-t1: ends on Azure instance 2, which does not exist",
		},
		{
			name: "tunnel ends on a nonexistent instance -1", topo: linkplan.DualGateway,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[0].AzureInstance = -1 },
			want:    "gcp-azure-t0: ends on Azure instance -1, which does not exist",
		},
		{
			name: "equal ASNs on the plan", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Azure.Asn = p.Gcp.Asn },
			want:    "both sides use ASN 65534",
		},
		{
			name: "equal ASNs on a session", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[1].Session.AzureAsn = p.Tunnels[1].Session.GcpAsn },
			want:    "gcp-azure-t1: both BGP ends use ASN 65534",
		},
		{
			name: "connection names an address the instance does not carry", topo: linkplan.DualGateway,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[0].ConnectionBgpIps[1] = netip.MustParseAddr("169.254.22.9") },
			want:    "gcp-azure-t0: instance 1 uses 169.254.22.9 on the connection but does not carry it",
		},
		{
			name: "connection uses the other instance's address", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[1].ConnectionBgpIps[0] = p.Tunnels[1].Session.AzureIp },
			want:    "gcp-azure-t1: instance 0 uses 169.254.22.1 on the connection but does not carry it",
		},
		{
			name: "own instance uses another of its addresses", topo: linkplan.DualGateway,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[0].ConnectionBgpIps[0] = p.Tunnels[2].Session.AzureIp },
			want:    "gcp-azure-t0: instance 0 must use 169.254.21.1 on its own connection",
		},
		{
			name: "connection lists one instance only", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[0].ConnectionBgpIps = p.Tunnels[0].ConnectionBgpIps[:1] },
			want:    "gcp-azure-t0: connection lists 1 custom BGP addresses, want one per Azure instance (2)",
		},
		{
			name: "instance does not carry its tunnel's address", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Azure.Instances[1].CustomBgpIps = nil },
			want:    "gcp-azure-t1: Azure instance 1 does not carry 169.254.22.1",
		},
		{
			name: "address carried by both instances", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) {
				p.Azure.Instances[1].CustomBgpIps = append(p.Azure.Instances[1].CustomBgpIps, p.Tunnels[0].Session.AzureIp)
			},
			want: "APIPA 169.254.21.1 is carried by instances 0 and 1",
		},
		{
			name: "duplicate tunnel names", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[1].Name = p.Tunnels[0].Name },
			want:    `name "gcp-azure-t0" is used by gcp-azure-t0 and gcp-azure-t0`,
		},
		{
			name: "duplicate connection names", topo: linkplan.DualGateway,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[3].ConnectionName = p.Tunnels[2].ConnectionName },
			want:    `name "gcp-azure-conn2" is used by gcp-azure-t2 and gcp-azure-t3`,
		},
		{
			name: "BGP peer named like another tunnel's router interface", topo: linkplan.Paired,
			corrupt: func(p *linkplan.Plan) { p.Tunnels[1].BgpPeerName = p.Tunnels[0].RouterInterfaceName },
			want:    `name "gcp-azure-if0" is used by gcp-azure-t0 and gcp-azure-t1`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := buildPlan(t, tc.topo)
			tc.corrupt(p)
			errs := CheckWiring(p)
			if len(errs) == 0 {
				t.Fatalf("corruption not caught")
			}
			var msgs []string
			for _, err := range errs {
				msgs = append(msgs, err.Error())
			}
			if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, tc.want) }) {
				t.Errorf("no error mentions %q; got:\n  %s", tc.want, strings.Join(msgs, "\n  "))
			}
		})
	}
}

func TestTunnelRows(t *testing.T) {
	p := buildPlan(t, linkplan.DualGateway)
	got := TunnelRows(p)
	want := []TunnelRow{
		{"gcp-azure-t0", 0, 0, 0, "169.254.21.0/30", "169.254.21.2", "169.254.21.1"},
		{"gcp-azure-t1", 0, 1, 1, "169.254.22.0/30", "169.254.22.2", "169.254.22.1"},
		{"gcp-azure-t2", 1, 0, 0, "169.254.21.4/30", "169.254.21.6", "169.254.21.5"},
		{"gcp-azure-t3", 1, 1, 1, "169.254.22.4/30", "169.254.22.6", "169.254.22.5"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("TunnelRows =\n  %+v\nwant\n  %+v", got, want)
	}
}

// fields splits a table line on runs of spaces.
func fields(line string) []string { return strings.Fields(line) }

func TestWiringTable(t *testing.T) {
	tests := []struct {
		topo linkplan.Topology
		rows [][]string
	}{
		{linkplan.Paired, [][]string{
			{"gcp-azure-t0", "gcp-azure-gw0", "0", "0", "169.254.21.0/30", "169.254.21.2", "169.254.21.1", "65534", "65515"},
			{"gcp-azure-t1", "gcp-azure-gw0", "1", "1", "169.254.22.0/30", "169.254.22.2", "169.254.22.1", "65534", "65515"},
		}},
		{linkplan.DualGateway, [][]string{
			{"gcp-azure-t0", "gcp-azure-gw0", "0", "0", "169.254.21.0/30", "169.254.21.2", "169.254.21.1", "65534", "65515"},
			{"gcp-azure-t1", "gcp-azure-gw0", "1", "1", "169.254.22.0/30", "169.254.22.2", "169.254.22.1", "65534", "65515"},
			{"gcp-azure-t2", "gcp-azure-gw1", "0", "0", "169.254.21.4/30", "169.254.21.6", "169.254.21.5", "65534", "65515"},
			{"gcp-azure-t3", "gcp-azure-gw1", "1", "1", "169.254.22.4/30", "169.254.22.6", "169.254.22.5", "65534", "65515"},
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.topo), func(t *testing.T) {
			table := WiringTable(buildPlan(t, tc.topo))
			lines := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
			if len(lines) != len(tc.rows)+1 {
				t.Fatalf("%d lines, want header + %d rows:\n%s", len(lines), len(tc.rows), table)
			}
			if h := strings.Join(fields(lines[0]), " "); h != "TUNNEL GCP GATEWAY GCP IF AZURE INSTANCE /30 GCP BGP IP AZURE BGP IP GCP ASN AZURE ASN" {
				t.Errorf("header = %q", h)
			}
			for k, want := range tc.rows {
				if got := fields(lines[k+1]); !slices.Equal(got, want) {
					t.Errorf("row %d = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestSurvivabilityTable(t *testing.T) {
	p := buildPlan(t, linkplan.Paired)
	table := SurvivabilityTable(p, Survivability(p))
	lines := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
	want := []string{
		"FAILED BGP SESSIONS UP VERDICT",
		"gcp-gw0-if0 1/2 degraded",
		"gcp-gw0-if1 1/2 degraded",
		"azure-inst0 1/2 degraded",
		"azure-inst1 1/2 degraded",
		"gcp-gw0-if0 + gcp-gw0-if1 0/2 LINK DOWN",
		"gcp-gw0-if0 + azure-inst0 1/2 degraded",
		"gcp-gw0-if0 + azure-inst1 0/2 LINK DOWN",
		"gcp-gw0-if1 + azure-inst0 0/2 LINK DOWN",
		"gcp-gw0-if1 + azure-inst1 1/2 degraded",
		"azure-inst0 + azure-inst1 0/2 LINK DOWN",
	}
	var got []string
	for _, l := range lines {
		got = append(got, strings.Join(fields(l), " "))
	}
	if !slices.Equal(got, want) {
		t.Errorf("SurvivabilityTable =\n%s\nwant rows %q", table, want)
	}
	if ok := SurvivabilityTable(p, []FailureCase{{Failed: []string{"nothing"}, BgpSessionsUp: 2}}); !strings.Contains(strings.Join(fields(ok), " "), "VERDICT nothing 2/2 ok") {
		t.Errorf("all-up verdict: %q", ok)
	}
}

func TestTopologyReport(t *testing.T) {
	for _, topo := range linkplan.Topologies {
		t.Run(string(topo), func(t *testing.T) {
			p := buildPlan(t, topo)
			r := TopologyReport(p)
			n := topo.TunnelCount()
			head := fmt.Sprintf("havpn link %q, topology %s: %d tunnels, %d BGP sessions\n", "gcp-azure", topo, n, n)
			if !strings.HasPrefix(r, head) {
				t.Errorf("report starts %q, want %q", r[:min(len(r), len(head))], head)
			}
			wiring, surv := WiringTable(p), SurvivabilityTable(p, Survivability(p))
			wi, si := strings.Index(r, "Wiring\n"+wiring), strings.Index(r, "Survivability (BGP sessions up per failure)\n"+surv)
			if wi < 0 || si < 0 || wi > si {
				t.Errorf("report lacks the wiring table (at %d) before the survivability table (at %d):\n%s", wi, si, r)
			}
			for _, tun := range p.Tunnels {
				if !strings.Contains(r, tun.Session.Range.String()) {
					t.Errorf("report lacks %s", tun.Session.Range)
				}
			}
			if topo == linkplan.DualGateway && strings.Count(r, "LINK DOWN") != 1 {
				t.Errorf("dualGateway report shows %d LINK DOWN rows, want 1", strings.Count(r, "LINK DOWN"))
			}
			if topo == linkplan.Paired && strings.Count(r, "LINK DOWN") != 4 {
				t.Errorf("paired report shows %d LINK DOWN rows, want 4", strings.Count(r, "LINK DOWN"))
			}
		})
	}
}

func TestSessionsUpDuringAnOutage(t *testing.T) {
	rows := TunnelRows(buildPlan(t, linkplan.DualGateway))
	cases := []struct {
		o    Outage
		up   int
		down []string
	}{
		{Outage{}, 4, nil},
		{Outage{Tunnels: []string{"gcp-azure-t0"}}, 3, []string{"gcp-azure-t0"}},
		{Outage{Tunnels: []string{"gcp-azure-t0", "gcp-azure-t3"}}, 2, []string{"gcp-azure-t0", "gcp-azure-t3"}},
		{Outage{Domains: []string{"azure-inst0"}}, 2, []string{"gcp-azure-t0", "gcp-azure-t2"}},
		{Outage{Domains: []string{"azure-inst0"}, Tunnels: []string{"gcp-azure-t1", "gcp-azure-t2"}}, 1, []string{"gcp-azure-t0", "gcp-azure-t1", "gcp-azure-t2"}},
		{Outage{Domains: []string{"azure-inst0", "azure-inst1"}}, 0, []string{"gcp-azure-t0", "gcp-azure-t1", "gcp-azure-t2", "gcp-azure-t3"}},
		{Outage{Tunnels: []string{"not-a-tunnel"}}, 4, nil},
	}
	for _, c := range cases {
		assert.Equal(t, c.up, SessionsUpDuring(rows, c.o), "%+v", c.o)
		assert.Equal(t, c.down, DownTunnels(rows, c.o), "%+v", c.o)
	}
}

func TestCarriers(t *testing.T) {
	p := buildPlan(t, linkplan.Paired)
	by := map[string]Carrier{}
	for _, c := range Carriers(p) {
		_, dup := by[c.Resource]
		assert.False(t, dup, "%s listed twice", c.Resource)
		by[c.Resource] = c
	}
	assert.Equal(t, []string{"gcp-gw0-if0", "gcp-gw0-if1"}, by["gcp-azure-gw0"].Domains)
	assert.Equal(t, []string{"azure-inst0", "azure-inst1"}, by["gcp-azure-azure-peer"].Domains)
	assert.Equal(t, []string{"azure-inst0", "azure-inst1"}, by[p.Azure.GatewayName].Domains)
	assert.Equal(t, []string{"gcp-azure-t0", "gcp-azure-t1"}, by["gcp-azure-router"].Tunnels)
	assert.Equal(t, []string{"azure-inst1"}, by["gcp-azure-pip1"].Domains)
	for _, name := range []string{"gcp-azure-t1", "gcp-azure-if1", "gcp-azure-bgp1", "gcp-azure-lng1", "gcp-azure-conn1"} {
		assert.Equal(t, Carrier{Resource: name, Tunnels: []string{"gcp-azure-t1"}}, by[name])
	}
	assert.Len(t, by, 1+1+1+1+2+2*5)
	// Every carrier takes at least one session down with it.
	rows := TunnelRows(p)
	for _, c := range by {
		assert.Less(t, SessionsUpDuring(rows, Outage{Domains: c.Domains, Tunnels: c.Tunnels}), len(rows), c.Resource)
	}
}

// TestLinkOnAHubPassesTheWiringChecks: a link on a hub slot is wired like any link, and its carriers
// leave out the hub's gateway and public IPs (the hub's, not the link's to replace).
func TestLinkOnAHubPassesTheWiringChecks(t *testing.T) {
	for _, topo := range linkplan.Topologies {
		hub := &linkplan.HubRefSpec{Name: "hub", GatewayName: "hub-vgw", Asn: 65515, Sku: "VpnGw4AZ", SlotTopology: string(topo), LinkSlots: 4}
		for s := 0; s < 4; s++ {
			slot := linkplan.HubSlotSpec{Index: s}
			for _, r := range linkplan.BlockRanges(topo, s) {
				slot.BgpSessionRanges = append(slot.BgpSessionRanges, r.String())
			}
			hub.Slots = append(hub.Slots, slot)
		}
		spec := validSpec(topo)
		spec.Azure.Hub, spec.Azure.HubSlot, spec.Azure.GatewaySubnetId = hub, ptr(3), ptr("")
		p, err := linkplan.Build(spec)
		require.NoError(t, err)
		assert.Empty(t, CheckWiring(p), string(topo))
		for _, c := range Carriers(p) {
			assert.NotContains(t, []string{"gcp-azure-vgw", "gcp-azure-pip0", "gcp-azure-pip1", "hub-vgw", ""}, c.Resource, string(topo))
		}
		assert.Len(t, Carriers(p), topo.GcpGatewayCount()+2+5*topo.TunnelCount(), string(topo))
	}
}
