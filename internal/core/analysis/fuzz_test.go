package analysis

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// FuzzBuild: Build never panics; a plan it returns always passes CheckWiring and has every single and
// pair failure analysed; a refusal is always linkplan.Problems with at least one problem.
func FuzzBuild(f *testing.F) {
	const secret = "0123456789abcdefghijklmnopqrstuv"
	// topology, block, gcpAsn, azureAsn, keepalive, dpd, sku, r0, r1, r2, r3, nRanges, name, secret
	f.Add("paired", 0, int64(65534), int64(65515), 20, 45, "VpnGw1AZ", "", "", "", "", 0, "gcp-azure", secret)
	f.Add("dualGateway", 0, int64(65534), int64(65515), 20, 45, "VpnGw2AZ", "", "", "", "", 0, "gcp-azure", secret)
	f.Add("", 31, int64(4200000000), int64(65010), 60, 3600, "", "", "", "", "", 0, "a", secret)
	f.Add("dualGateway", 31, int64(64512), int64(4294967294), 59, 9, "VpnGw5AZ", "", "", "", "", 0, "l-2", secret)
	f.Add("paired", 7, int64(65001), int64(65002), 20, 45, "VpnGw3AZ", "169.254.21.252/30", "169.254.22.0/30", "", "", 2, "x", secret)
	f.Add("dualGateway", 0, int64(65001), int64(65002), 20, 45, "VpnGw1AZ", "169.254.21.8/30", "169.254.22.8/30", "169.254.21.12/30", "169.254.22.12/30", 4, "dual", secret)
	// Any /30s of Azure's window on either instance (Microsoft's AWS guide puts 21.x and 22.x on each).
	f.Add("paired", 0, int64(65534), int64(65515), 20, 45, "VpnGw1AZ", "169.254.22.0/30", "169.254.21.0/30", "", "", 2, "swap", secret)
	f.Add("paired", 0, int64(65534), int64(65515), 20, 45, "VpnGw1AZ", "169.254.21.8/30", "169.254.21.12/30", "", "", 2, "one-24", secret)
	// Invalid inputs.
	f.Add("mesh", 0, int64(65534), int64(65515), 20, 45, "VpnGw1AZ", "", "", "", "", 0, "gcp-azure", secret)
	f.Add("paired", 32, int64(65515), int64(65515), 19, 8, "Basic", "", "", "", "", 0, "gcp-azure", "short")
	f.Add("dualGateway", -1, int64(0), int64(0), 61, 3601, "VpnGw1", "169.254.21.1/30", "169.254.21.1/30", "fe80::/30", "x", 4, "BAD", "")
	f.Add("paired", 0, int64(65534), int64(65515), 20, 45, "VpnGw1AZ", "169.254.21.0/30", "169.254.22.0/30", "169.254.21.4/30", "", 3, "too-many", secret)
	f.Add("dualGateway", 0, int64(23456), int64(12076), 20, 45, "Nope", "169.254.21.0/29", "10.0.0.0/30", "", "", 2, "", secret)

	f.Fuzz(func(t *testing.T, topology string, block int, gcpAsn, azureAsn int64, keepalive, dpd int, sku, r0, r1, r2, r3 string, nRanges int, name, secret string) {
		spec := validSpec(linkplan.Paired)
		spec.Topology = topology
		spec.BgpSessionBlock = &block
		spec.Gcp.Asn, spec.Azure.Asn = &gcpAsn, &azureAsn
		spec.Gcp.KeepaliveInterval, spec.Azure.DpdTimeoutSeconds = &keepalive, &dpd
		spec.Azure.Sku = sku
		if nRanges < 0 {
			nRanges = -nRanges
		}
		spec.BgpSessionRanges = []string{r0, r1, r2, r3}[:nRanges%5]
		spec.Name = name
		spec.SharedSecret = &secret

		plan, err := linkplan.Build(spec)
		if err != nil {
			var ps linkplan.Problems
			if plan != nil || !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Build refused with plan %v, err %T %v", plan != nil, err, err)
			}
			if !strings.Contains(err.Error(), ps[0].Field) {
				t.Fatalf("error text %q lacks field %q", err.Error(), ps[0].Field)
			}
			return
		}
		if plan == nil {
			t.Fatal("Build returned neither plan nor error")
		}
		if errs := CheckWiring(plan); len(errs) != 0 {
			t.Fatalf("CheckWiring on a built plan: %v", errs)
		}
		domains := plan.FailureDomains()
		n := len(domains)
		if want := 2*plan.Topology.GcpGatewayCount() + linkplan.AzureInstanceCount; n != want {
			t.Fatalf("%d failure domains, want %d", n, want)
		}
		cases := Survivability(plan)
		if len(cases) != n+n*(n-1)/2 {
			t.Fatalf("%d survivability cases for %d domains, want %d", len(cases), n, n+n*(n-1)/2)
		}
		for _, c := range cases {
			if len(c.Failed) == 1 && c.BgpSessionsUp < 1 {
				t.Fatalf("single failure %v cuts the link", c.Failed)
			}
		}
		for stage, up := range RotationStagesKeepLink(plan) {
			if up < 1 || len(plan.TunnelsOfRotationStage(stage)) == 0 {
				t.Fatalf("rotation stage %d: %d tunnels replaced, %d sessions stay up", stage, len(plan.TunnelsOfRotationStage(stage)), up)
			}
		}
		wantCuts := 4
		if plan.Topology == linkplan.DualGateway {
			wantCuts = 1
		}
		if got := len(Cuts(cases)); got != wantCuts {
			t.Fatalf("%s: %d cuts, want %d", plan.Topology, got, wantCuts)
		}
		if rows := TunnelRows(plan); len(rows) != len(plan.Tunnels) {
			t.Fatalf("%d rows for %d tunnels", len(rows), len(plan.Tunnels))
		}
		if r := TopologyReport(plan); !strings.Contains(r, plan.Tunnels[0].Session.Range.String()) {
			t.Fatalf("report lacks the first /30")
		}
	})
}

// FuzzCheckWiringCorrupt corrupts one tunnel of a built plan; CheckWiring must never panic and must
// report every change that breaks an invariant.
func FuzzCheckWiringCorrupt(f *testing.F) {
	f.Add(false, 0, 0, 0, 0, 0, uint32(0), uint32(0))
	f.Add(true, 3, 1, 1, 1, 2, uint32(0xa9fe1508), uint32(0))
	f.Add(false, 1, 0, 1, 2, 0, uint32(0), uint32(0)) // instance 2 does not exist (regression)
	f.Add(true, 0, 0, 0, -1, 1, uint32(0), uint32(0)) // instance -1 does not exist (regression)
	f.Add(false, 1, 0, 0, 1, -1, uint32(0), uint32(0xa9fe1601))
	f.Add(true, 2, 2, 5, 0, 0, uint32(0x0a000000), uint32(0))
	f.Add(true, 0, 0, 0, 0, 1, uint32(0), uint32(0xa9fe1605)) // other instance's other address: still valid
	f.Fuzz(func(t *testing.T, dual bool, tunnel, gw, iface, inst, connInst int, rangeAddr, connIp uint32) {
		topo := linkplan.Paired
		if dual {
			topo = linkplan.DualGateway
		}
		p := buildPlan(t, topo)
		k := abs(tunnel) % len(p.Tunnels)
		orig := p.Tunnels[k]
		orig.ConnectionBgpIps = slices.Clone(orig.ConnectionBgpIps)
		tun := &p.Tunnels[k]
		tun.GcpInterface = linkplan.GcpInterface{Gateway: gw, Interface: iface}
		tun.AzureInstance = inst
		if rangeAddr != 0 {
			tun.Session.Range = netip.PrefixFrom(ipv4(rangeAddr), 30)
		}
		connBroken := false
		if connIp != 0 {
			n := abs(connInst) % len(tun.ConnectionBgpIps)
			ip := ipv4(connIp)
			tun.ConnectionBgpIps[n] = ip
			connBroken = !slices.Contains(p.Azure.Instances[n].CustomBgpIps, ip) || (n == orig.AzureInstance && ip != orig.Session.AzureIp)
		}
		errs := CheckWiring(p)
		broken := tun.GcpInterface != orig.GcpInterface || tun.AzureInstance != orig.AzureInstance ||
			tun.Session.Range != orig.Session.Range || connBroken
		if broken != (len(errs) > 0) {
			t.Fatalf("broken=%v (tunnel %d: %+v) but CheckWiring returned %v", broken, k, *tun, errs)
		}
		_ = Survivability(p)
	})
}

func ipv4(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func abs(n int) int {
	if n < 0 {
		if n == -n { // math.MinInt
			return 0
		}
		return -n
	}
	return n
}
