package simcloud

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSessionCause: each broken wiring names the first layer that fails, which the simulated read
// APIs turn into the status the real ones report.
func TestSessionCause(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tweak func(*linkSpec)
		cause string
	}{
		{"correct", func(*linkSpec) {}, ""},
		{"PSK mismatch", func(s *linkSpec) { s.tunnels[0].connPsk = "another-secret-entirely-0123456" }, CausePskMismatch},
		{"pfsGroup None", func(s *linkSpec) { s.pfs = "None" }, CauseProposalMismatch},
		{"PSK and pfsGroup both wrong: the key is checked first", func(s *linkSpec) {
			s.tunnels[0].connPsk = "another-secret-entirely-0123456"
			s.pfs = "None"
		}, CausePskMismatch},
		{"no Azure connection", func(s *linkSpec) { s.tunnels[0].skipConnection = true }, CauseNotWired},
		{"LNG asn wrong", func(s *linkSpec) { s.tunnels[0].lngAsn = 65001 }, CauseBgpMismatch},
		{"missing router peer", func(s *linkSpec) { s.tunnels[0].skipPeer = true }, CauseBgpMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := pairedSpec()
			tc.tweak(&s)
			w := newWorld(t)
			w.build(s)
			rep := BuildReport(w.st)
			assert.Equal(t, tc.cause, rep.Sessions[0].Cause, rep.Sessions[0].Reasons)
		})
	}
}

// storeOf saves a hand-built world in a state directory.
func storeOf(t *testing.T, w *world) *Store {
	t.Helper()
	s := &Store{Dir: t.TempDir()}
	require.NoError(t, s.Update(func(st *State) error {
		st.Resources = w.st.Resources
		return nil
	}))
	return s
}

func reportIn(t *testing.T, s *Store) *Report {
	t.Helper()
	rep, err := ReadReport(s.Dir)
	require.NoError(t, err)
	return rep
}

func TestInjectFaultRefusesWhatIsNotDeployed(t *testing.T) {
	s := storeOf(t, linkWorld(t))
	err := s.InjectFault(LiveFault{Kind: "meteor", Target: "link-t0"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown fault kind "meteor"; kinds: azure-instance-down, bgp-down, phase2-mismatch, psk-mismatch, tunnel-down`)
	err = s.InjectFault(LiveFault{Kind: "tunnel-down", Target: "link-t9"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `target "link-t9" is not deployed; targets: link-t0, link-t0-`)
	err = s.InjectFault(LiveFault{Kind: "azure-instance-down", Target: "link-t0"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "targets: instance0, link-vgw/instance0, instance1, link-vgw/instance1")
	faults, err := s.Faults()
	require.NoError(t, err)
	assert.Empty(t, faults)
}

// TestLiveFaultsInTheSessionReport: each fault takes down what it says, and only that; the session
// report written to sessions.json follows; clearing restores the sessions.
func TestLiveFaultsInTheSessionReport(t *testing.T) {
	for _, tc := range []struct {
		kind, target string
		ipsec, bgp   [2]string
		cause        [2]string
	}{
		{"tunnel-down", "link-t0", [2]string{IpsecDown, IpsecUp}, [2]string{BgpDown, BgpEstablished}, [2]string{CauseTunnelDown, ""}},
		{"psk-mismatch", "link-t1", [2]string{IpsecUp, IpsecDown}, [2]string{BgpEstablished, BgpDown}, [2]string{"", CausePskMismatch}},
		{"phase2-mismatch", "all", [2]string{IpsecDown, IpsecDown}, [2]string{BgpDown, BgpDown}, [2]string{CauseProposalMismatch, CauseProposalMismatch}},
		{"bgp-down", "link-t0", [2]string{IpsecUp, IpsecUp}, [2]string{BgpDown, BgpEstablished}, [2]string{CauseBgpDown, ""}},
		{"azure-instance-down", "instance1", [2]string{IpsecUp, IpsecDown}, [2]string{BgpEstablished, BgpDown}, [2]string{"", CauseInstanceDown}},
		{"azure-instance-down", "link-vgw/instance0", [2]string{IpsecDown, IpsecUp}, [2]string{BgpDown, BgpEstablished}, [2]string{CauseInstanceDown, ""}},
	} {
		t.Run(tc.kind+"/"+tc.target, func(t *testing.T) {
			s := storeOf(t, linkWorld(t))
			require.NoError(t, s.InjectFault(LiveFault{Kind: tc.kind, Target: tc.target}))
			require.NoError(t, s.InjectFault(LiveFault{Kind: tc.kind, Target: tc.target}), "injecting twice is one fault")
			faults, err := s.Faults()
			require.NoError(t, err)
			assert.Equal(t, []LiveFault{{tc.kind, tc.target}}, faults)
			rep := reportIn(t, s)
			for k, sess := range rep.Sessions {
				assert.Equal(t, tc.ipsec[k], sess.Ipsec, "%s: %v", sess.LogicalName, sess.Reasons)
				assert.Equal(t, tc.bgp[k], sess.Bgp, sess.LogicalName)
				assert.Equal(t, tc.cause[k], sess.Cause, sess.LogicalName)
				injected := slices.ContainsFunc(sess.Reasons, func(r string) bool { return strings.Contains(r, "injected fault "+tc.kind) })
				assert.Equal(t, tc.cause[k] != "", injected, "%s reasons %v", sess.LogicalName, sess.Reasons)
			}
			n, err := s.ClearFaults("", "")
			require.NoError(t, err)
			assert.Equal(t, 1, n)
			assert.Equal(t, 2, reportIn(t, s).Established)
		})
	}
}

func TestClearFaultsByKindAndTarget(t *testing.T) {
	s := storeOf(t, linkWorld(t))
	for _, f := range []LiveFault{{"tunnel-down", "link-t0"}, {"tunnel-down", "link-t1"}, {"bgp-down", "link-t0"}} {
		require.NoError(t, s.InjectFault(f))
	}
	n, err := s.ClearFaults("tunnel-down", "link-t1")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = s.ClearFaults("bgp-down", "")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	faults, err := s.Faults()
	require.NoError(t, err)
	assert.Equal(t, []LiveFault{{"tunnel-down", "link-t0"}}, faults)
}

// TestLiveState: what the simulated read APIs serve for a healthy paired link, and with one Azure
// instance down.
func TestLiveState(t *testing.T) {
	w := linkWorld(t)
	w.add(gcpSubnetwork, "subnet-a", obj{"region": testRegion, "network": w.id("vpc"), "ipCidrRange": "172.16.0.0/24"})
	w.add(gcpSubnetwork, "subnet-b", obj{"region": "europe-west4", "network": w.id("vpc"), "ipCidrRange": "172.17.0.0/24"})
	ls := Live(w.st)

	require.Len(t, ls.Tunnels, 2)
	for _, tun := range ls.Tunnels {
		assert.True(t, tun.IpsecUp(), tun.Session.Reasons)
	}
	require.Len(t, ls.RouterPeers, 2)
	for _, p := range ls.RouterPeers {
		assert.True(t, p.Established())
		require.NotNil(t, p.Tunnel)
		assert.Equal(t, 1, p.LearnedRoutes, "the VNet's one prefix, 10.1.0.0/16")
	}
	require.Len(t, ls.Connections, 2)
	for _, c := range ls.Connections {
		assert.True(t, c.Connected)
	}
	type peer struct {
		instance, local, neighbor string
		connected                 bool
	}
	var peers []peer
	for _, p := range ls.AzurePeers {
		peers = append(peers, peer{p.IpConfig, p.LocalAddress, p.Neighbor, p.Connected})
		if p.Connected {
			assert.Equal(t, 2, p.RoutesReceived, "GLOBAL routing: both regions' subnets")
		}
	}
	assert.ElementsMatch(t, []peer{
		{"instance0", "10.1.255.4", "169.254.21.2", true}, {"instance1", "10.1.255.5", "169.254.21.2", false},
		{"instance0", "10.1.255.4", "169.254.22.2", false}, {"instance1", "10.1.255.5", "169.254.22.2", true},
	}, peers, "every BGP connection is tried from both instances; Google accepts one per interface")

	w.rec["vpc"].Inputs["routingMode"] = "REGIONAL"
	regional := 0
	for _, p := range Live(w.st).AzurePeers {
		if p.Connected {
			regional++
			assert.Equal(t, 1, p.RoutesReceived, "REGIONAL routing: the router's region only")
		}
	}
	assert.Equal(t, 2, regional, "one Connected peer per session")

	w.st.LiveFaults = []LiveFault{{"azure-instance-down", "instance0"}}
	ls = Live(w.st)
	for _, p := range ls.AzurePeers {
		assert.Equal(t, "instance1", p.IpConfig, "a down instance reports no peer")
	}
	assert.Len(t, ls.AzurePeers, 2)
	var connected []bool
	for _, c := range ls.Connections {
		connected = append(connected, c.Connected)
	}
	assert.Equal(t, []bool{false, true}, connected, "the connection whose session instance 0 carries is down")
}
