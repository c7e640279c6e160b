package simcloud

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reportOf(t *testing.T, s linkSpec) *Report {
	t.Helper()
	w := newWorld(t)
	w.build(s)
	return BuildReport(w.st)
}

func TestReportPairedWiring(t *testing.T) {
	rep := reportOf(t, pairedSpec())
	assert.True(t, rep.Simulated)
	assert.Equal(t, ReportNote, rep.Note)
	require.Len(t, rep.Sessions, 2)
	for _, s := range rep.Sessions {
		assert.Equal(t, IpsecUp, s.Ipsec, s.Reasons)
		assert.Equal(t, BgpEstablished, s.Bgp, s.Reasons)
		assert.Empty(t, s.Reasons)
	}
	assert.Equal(t, 2, rep.Established)
	assert.Equal(t, 0, rep.HalfWired)
	// Each connection comes up from both Azure instances; Google accepts one instance per interface.
	assert.Equal(t, 2, rep.AzureConnecting)
	s0 := rep.Sessions[0]
	assert.True(t, strings.HasPrefix(s0.Tunnel, "link-t0-"), s0.Tunnel)
	assert.Equal(t, "link-t0", s0.LogicalName)
	assert.Equal(t, "link-vgw/instance0", s0.AzureInstance)
	assert.Equal(t, "169.254.21.2", s0.GcpBgpIp)
	assert.Equal(t, "169.254.21.1", s0.AzureBgpIp)
	assert.True(t, strings.HasPrefix(s0.GcpInterfaceIp, "34."), s0.GcpInterfaceIp)
	assert.Regexp(t, `^(20|40)\.`, s0.AzurePublicIp)
}

func TestReportDualGatewayWiring(t *testing.T) {
	rep := reportOf(t, dualSpec())
	require.Len(t, rep.Sessions, 4)
	for _, s := range rep.Sessions {
		assert.Equal(t, BgpEstablished, s.Bgp, "%s: %v", s.Tunnel, s.Reasons)
	}
	assert.Equal(t, 4, rep.Established)
	assert.Equal(t, 0, rep.HalfWired)
	assert.Equal(t, 4, rep.AzureConnecting)
	for i := 1; i < len(rep.Sessions); i++ {
		assert.Less(t, rep.Sessions[i-1].Tunnel, rep.Sessions[i].Tunnel, "sorted by tunnel name")
	}
}

// TestReportAnyApipaLayout: any /30s of Azure's window on either instance establish, e.g. both in
// 169.254.21.0/24 (issue 11), or instance 0 on 22.x and instance 1 on 21.x; the session report reads
// each instance's addresses from the gateway, not from the /24 they are in.
func TestReportAnyApipaLayout(t *testing.T) {
	oneBlock := pairedSpec()
	oneBlock.tunnels[0].googleIp, oneBlock.tunnels[0].peerIp, oneBlock.tunnels[0].lngBgp = "169.254.21.10", "169.254.21.9", "169.254.21.10"
	oneBlock.tunnels[1].googleIp, oneBlock.tunnels[1].peerIp, oneBlock.tunnels[1].lngBgp = "169.254.21.14", "169.254.21.13", "169.254.21.14"
	for k := range oneBlock.tunnels {
		oneBlock.tunnels[k].connIps = [2]string{"169.254.21.9", "169.254.21.13"}
	}
	swapped := dualSpec()
	for k, r := range []struct{ google, azure string }{{"169.254.22.2", "169.254.22.1"}, {"169.254.21.2", "169.254.21.1"}, {"169.254.22.6", "169.254.22.5"}, {"169.254.21.6", "169.254.21.5"}} {
		swapped.tunnels[k].googleIp, swapped.tunnels[k].peerIp, swapped.tunnels[k].lngBgp = r.google, r.azure, r.google
	}
	swapped.tunnels[0].connIps, swapped.tunnels[1].connIps = [2]string{"169.254.22.1", "169.254.21.1"}, [2]string{"169.254.22.1", "169.254.21.1"}
	swapped.tunnels[2].connIps, swapped.tunnels[3].connIps = [2]string{"169.254.22.5", "169.254.21.5"}, [2]string{"169.254.22.5", "169.254.21.5"}

	for name, c := range map[string]struct {
		spec  linkSpec
		azure []string
	}{
		"paired, both /30s in 169.254.21.0/24":       {oneBlock, []string{"169.254.21.9", "169.254.21.13"}},
		"dualGateway, instance 0 on 22.x, 1 on 21.x": {swapped, []string{"169.254.22.1", "169.254.21.1", "169.254.22.5", "169.254.21.5"}},
	} {
		t.Run(name, func(t *testing.T) {
			rep := reportOf(t, c.spec)
			require.Len(t, rep.Sessions, len(c.azure))
			for k, s := range rep.Sessions {
				assert.Equal(t, BgpEstablished, s.Bgp, "%s: %v", s.Tunnel, s.Reasons)
				assert.Equal(t, c.azure[k], s.AzureBgpIp)
				assert.Equal(t, fmt.Sprintf("link-vgw/instance%d", c.spec.tunnels[k].inst), s.AzureInstance)
			}
			assert.Equal(t, len(c.azure), rep.Established)
			assert.Zero(t, rep.HalfWired)
		})
	}
	// Outside the window the session does not establish, whatever the layout.
	outside := pairedSpec()
	outside.tunnels[1].googleIp, outside.tunnels[1].peerIp, outside.tunnels[1].lngBgp = "169.254.23.2", "169.254.23.1", "169.254.23.2"
	rep := reportOf(t, outside)
	assert.Equal(t, 1, rep.Established)
}

func TestReportBrokenWirings(t *testing.T) {
	cases := []struct {
		name        string
		tweak       func(*linkSpec)
		ipsec, bgp  string
		reason      string
		established int
		halfWired   int
	}{
		{"swapped /30 hosts", func(s *linkSpec) {
			// Google takes the first host (Azure's) and points its peer at the second (terraform-google-vpn #45).
			s.tunnels[0].googleIp, s.tunnels[0].peerIp = "169.254.21.1", "169.254.21.2"
		}, IpsecUp, BgpDown, "Cloud Router peer", 1, 1},
		{"PSK mismatch", func(s *linkSpec) { s.tunnels[0].connPsk = "another-secret-entirely-0123456" },
			IpsecDown, BgpDown, "pre-shared key", 1, 0},
		{"pfsGroup None", func(s *linkSpec) { s.pfs = "None" },
			IpsecDown, BgpDown, "pfsGroup \"None\" is not accepted by Google Cloud: Google Cloud VPN requires PFS", 0, 0},
		{"LNG asn wrong", func(s *linkSpec) { s.tunnels[0].lngAsn = 65001 },
			IpsecUp, BgpDown, "has ASN 65001 but Cloud Router", 1, 1},
		{"missing router peer", func(s *linkSpec) { s.tunnels[0].skipPeer = true },
			IpsecUp, BgpDown, "no BGP peer", 1, 1},
		{"no Azure connection", func(s *linkSpec) { s.tunnels[0].skipConnection = true },
			IpsecDown, BgpDown, "no connection on Azure gateway", 1, 1},
		{"LNG expects the other host", func(s *linkSpec) { s.tunnels[0].lngBgp = "169.254.21.1" },
			IpsecUp, BgpDown, "expects the Cloud Router at 169.254.21.1", 1, 1},
		{"connection uses another instance address", func(s *linkSpec) {
			s.extraCustom[0] = []string{"169.254.21.5"}
			s.tunnels[0].connIps = [2]string{"169.254.21.5", "169.254.22.1"}
		}, IpsecUp, BgpDown, "speaks BGP from 169.254.21.5", 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := pairedSpec()
			tc.tweak(&s)
			w := newWorld(t)
			w.build(s)
			rep := BuildReport(w.st)
			require.Len(t, rep.Sessions, 2)
			s0 := rep.Sessions[0]
			assert.Equal(t, tc.ipsec, s0.Ipsec, s0.Reasons)
			assert.Equal(t, tc.bgp, s0.Bgp, s0.Reasons)
			assert.True(t, slices.ContainsFunc(s0.Reasons, func(r string) bool { return strings.Contains(r, tc.reason) }), "want %q in %v", tc.reason, s0.Reasons)
			if tc.established == 1 {
				assert.Equal(t, BgpEstablished, rep.Sessions[1].Bgp, rep.Sessions[1].Reasons)
			}
			assert.Equal(t, tc.established, rep.Established)
			assert.Equal(t, tc.halfWired, rep.HalfWired)
		})
	}
}

func TestReportCountsATunnelWithoutGoogleSideAsConnecting(t *testing.T) {
	w := linkWorld(t)
	type try struct{ instance, gcpIp string }
	tries := func(r *Report) []try {
		var out []try
		for _, a := range r.Connecting {
			out = append(out, try{a.AzureInstance, a.GcpInterfaceIp})
		}
		return out
	}
	rep := BuildReport(w.st)
	require.Len(t, rep.Sessions, 2)
	if0, if1 := rep.Sessions[0].GcpInterfaceIp, rep.Sessions[1].GcpInterfaceIp
	// Each instance also dials the other Google interface, which no tunnel pairs with it.
	assert.ElementsMatch(t, []try{{"link-vgw/instance1", if0}, {"link-vgw/instance0", if1}}, tries(rep))

	// Without tunnel t1's Google side, instance 1's dial to interface 1 is unanswered too.
	removed := 0
	for _, r := range w.st.OfType(gcpTunnel) {
		if r.Name == rep.Sessions[1].LogicalName {
			w.st.Remove(r.ID)
			removed++
		}
	}
	require.Equal(t, 1, removed)
	rep = BuildReport(w.st)
	assert.Equal(t, 1, rep.Established)
	assert.Equal(t, 3, rep.AzureConnecting)
	assert.ElementsMatch(t, []try{{"link-vgw/instance1", if0}, {"link-vgw/instance0", if1}, {"link-vgw/instance1", if1}}, tries(rep))
}

// TestGatewayComputedOutputs: the gateway returns what Azure computes: its ipConfigurations' IDs and
// private addresses, and per instance the default BGP address (from the GatewaySubnet), the tunnel
// (public) address and the custom APIPA addresses it was given.
func TestGatewayComputedOutputs(t *testing.T) {
	w := linkWorld(t)
	gw := w.rec["link-vgw"]
	configs, _ := list(gw.Outputs, "ipConfigurations")
	require.Len(t, configs, 2)
	bgp, ok := sub(gw.Outputs, "bgpSettings")
	require.True(t, ok)
	assert.Equal(t, 65515.0, bgp["asn"])
	peering, _ := list(bgp, "bgpPeeringAddresses")
	require.Len(t, peering, 2)
	var defaults []string
	for n := 0; n < 2; n++ {
		cfg := configs[n].(obj)
		assert.Equal(t, w.ipConfigID(n), cfg["id"])
		// GatewaySubnet 10.1.255.0/27: simcloud gives instance n the subnet's address .4+n as its default BGP address.
		want := fmt.Sprintf("10.1.255.%d", 4+n)
		assert.Equal(t, want, cfg["privateIPAddress"])
		p := peering[n].(obj)
		assert.Equal(t, w.ipConfigID(n), p["ipconfigurationId"])
		assert.Equal(t, []any{want}, p["defaultBgpIpAddresses"])
		assert.Equal(t, []any{w.out(fmt.Sprintf("link-pip%d", n), "ipAddress")}, p["tunnelIpAddresses"])
		assert.NotEmpty(t, p["customBgpIpAddresses"])
		defaults = append(defaults, want)
	}
	assert.Equal(t, strings.Join(defaults, ","), bgp["bgpPeeringAddress"])
}
