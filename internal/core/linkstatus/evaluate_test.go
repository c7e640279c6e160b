package linkstatus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorded is one case of testdata/: a deployed link and the answers its clouds gave. The answers
// were recorded from simcloud's simulated APIs through the official clients (statusclient's
// TestRecordedResponses writes and checks them).
type recorded struct {
	Simulated    bool         `json:"simulated"`
	Link         Link         `json:"link"`
	Observations Observations `json:"observations"`
}

func load(t *testing.T, name string) recorded {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	require.NoError(t, err)
	var r recorded
	require.NoError(t, json.Unmarshal(raw, &r))
	require.True(t, r.Simulated, "every recorded answer here comes from the simulated clouds")
	require.NoError(t, r.Link.Check())
	return r
}

// diagnosisWant is a diagnosis expected by tunnel ("" = link) and a part of its cause.
type diagnosisWant struct{ tunnel, cause string }

func TestRecordedCases(t *testing.T) {
	tests := []struct {
		name        string
		verdict     Verdict
		down        []string
		google      map[string]string // tunnel -> Google tunnel status
		azureBgp    map[string]string // tunnel -> Azure BGP state on the carrying instance
		byDesign    int
		cutBy       []string
		diagnoses   []diagnosisWant
		sourcesHave string // one source of the first diagnosis contains this
	}{
		{name: "paired-healthy", verdict: Healthy, byDesign: 2, cutBy: []string{},
			google:   map[string]string{"gcp-azure-t0": "ESTABLISHED", "gcp-azure-t1": "ESTABLISHED"},
			azureBgp: map[string]string{"gcp-azure-t0": "Connected", "gcp-azure-t1": "Connected"}},
		{name: "paired-tunnel-down", verdict: Degraded, down: []string{"gcp-azure-t1"}, byDesign: 2,
			cutBy:     []string{"gcp-gw0-if0", "azure-inst0"},
			google:    map[string]string{"gcp-azure-t1": "NO_INCOMING_PACKETS"},
			azureBgp:  map[string]string{"gcp-azure-t1": "Connecting"},
			diagnoses: []diagnosisWant{{"gcp-azure-t1", "IPsec is not up"}}, sourcesHave: "vpnTunnels"},
		{name: "paired-psk-mismatch", verdict: Degraded, down: []string{"gcp-azure-t0"}, byDesign: 2,
			cutBy:     []string{"gcp-gw0-if1", "azure-inst1"},
			google:    map[string]string{"gcp-azure-t0": "AUTHORIZATION_ERROR", "gcp-azure-t1": "ESTABLISHED"},
			diagnoses: []diagnosisWant{{"gcp-azure-t0", "pre-shared key mismatch"}}, sourcesHave: "#11673"},
		{name: "paired-phase2-mismatch", verdict: Degraded, down: []string{"gcp-azure-t0"}, byDesign: 2,
			cutBy:     []string{"gcp-gw0-if1", "azure-inst1"},
			google:    map[string]string{"gcp-azure-t0": "NEGOTIATION_FAILURE"},
			diagnoses: []diagnosisWant{{"gcp-azure-t0", "phase 2 without PFS"}}, sourcesHave: "supported-ike-ciphers"},
		{name: "paired-bgp-down", verdict: Degraded, down: []string{"gcp-azure-t1"}, byDesign: 2,
			cutBy:     []string{"gcp-gw0-if0", "azure-inst0"},
			google:    map[string]string{"gcp-azure-t1": "ESTABLISHED"},
			azureBgp:  map[string]string{"gcp-azure-t1": "Connecting"},
			diagnoses: []diagnosisWant{{"gcp-azure-t1", "BGP down with the tunnel up"}}, sourcesHave: "getRouterStatus"},
		{name: "paired-bgp-down-all", verdict: Down, down: []string{"gcp-azure-t0", "gcp-azure-t1"}, byDesign: 2,
			cutBy:  []string{},
			google: map[string]string{"gcp-azure-t0": "ESTABLISHED", "gcp-azure-t1": "ESTABLISHED"},
			diagnoses: []diagnosisWant{
				{"gcp-azure-t0", "BGP down with the tunnel up"}, {"gcp-azure-t1", "BGP down with the tunnel up"},
				{"", "the Cloud Router is not opening the sessions"},
			}, sourcesHave: "getRouterStatus"},
		{name: "paired-azure-instance-down", verdict: Degraded, down: []string{"gcp-azure-t1"}, byDesign: 1,
			cutBy:    []string{"gcp-gw0-if0", "azure-inst0"},
			google:   map[string]string{"gcp-azure-t1": "NO_INCOMING_PACKETS"},
			azureBgp: map[string]string{"gcp-azure-t1": NotReported},
			diagnoses: []diagnosisWant{
				{"gcp-azure-t1", "Azure instance azure-inst1 is not answering"}, {"", "the gateway instance is down"},
			}, sourcesHave: "vpnTunnels"},
		{name: "dualGateway-healthy", verdict: Healthy, byDesign: 4, cutBy: []string{},
			azureBgp: map[string]string{"gcp-azure-t0": "Connected", "gcp-azure-t1": "Connected", "gcp-azure-t2": "Connected", "gcp-azure-t3": "Connected"}},
		{name: "dualGateway-azure-instance-down", verdict: Degraded, down: []string{"gcp-azure-t0", "gcp-azure-t2"}, byDesign: 2,
			cutBy: []string{"azure-inst1"},
			diagnoses: []diagnosisWant{
				{"gcp-azure-t0", "Azure instance azure-inst0 is not answering"}, {"gcp-azure-t2", "Azure instance azure-inst0 is not answering"},
				{"", "the gateway instance is down"},
			}, sourcesHave: "vpnTunnels"},
		{name: "dualGateway-psk-mismatch", verdict: Degraded, down: []string{"gcp-azure-t3"}, byDesign: 4,
			cutBy:     []string{},
			google:    map[string]string{"gcp-azure-t3": "AUTHORIZATION_ERROR"},
			diagnoses: []diagnosisWant{{"gcp-azure-t3", "pre-shared key mismatch"}}, sourcesHave: "shared-key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := load(t, tc.name)
			r := Evaluate(rec.Link, rec.Observations)
			assert.Equal(t, tc.verdict, r.Verdict)
			assert.Equal(t, tc.verdict.ExitCode(), r.ExitCode)
			assert.Equal(t, len(rec.Link.Tunnels), r.Planned)
			assert.Equal(t, r.Planned-len(tc.down), r.Established)
			var down []string
			for _, row := range r.Tunnels {
				if !row.Established {
					down = append(down, row.Name)
				}
				if want, ok := tc.google[row.Name]; ok {
					assert.Equal(t, want, row.GcpTunnelStatus, "Google status of %s", row.Name)
				}
				if want, ok := tc.azureBgp[row.Name]; ok {
					assert.Equal(t, want, row.AzureBgpState, "Azure BGP state of %s", row.Name)
				}
			}
			assert.Equal(t, tc.down, down)
			assert.Len(t, r.ByDesign, tc.byDesign)
			assert.Empty(t, r.OtherPeers)
			assert.Equal(t, tc.cutBy, r.Survivability.CutBy, r.Survivability.Summary)
			var got []diagnosisWant
			for _, d := range r.Diagnoses {
				got = append(got, diagnosisWant{d.Tunnel, d.Cause})
				assert.NotEmpty(t, d.Finding)
				assert.NotEmpty(t, d.Fix)
				assert.NotEmpty(t, d.Sources)
			}
			require.Len(t, got, len(tc.diagnoses), "%+v", r.Diagnoses)
			for k, want := range tc.diagnoses {
				assert.Equal(t, want.tunnel, got[k].tunnel)
				assert.Contains(t, got[k].cause, want.cause)
			}
			if tc.sourcesHave != "" {
				assert.True(t, slices.ContainsFunc(r.Diagnoses[0].Sources, func(s string) bool { return strings.Contains(s, tc.sourcesHave) }),
					"sources %v lack %q", r.Diagnoses[0].Sources, tc.sourcesHave)
			}
		})
	}
}

// TestByDesignPeers: every Azure attempt the design makes impossible is listed apart with the tunnel
// whose Cloud Router it tries, from the instance that does not carry that tunnel.
func TestByDesignPeers(t *testing.T) {
	for _, name := range []string{"paired-healthy", "dualGateway-healthy"} {
		t.Run(name, func(t *testing.T) {
			rec := load(t, name)
			r := Evaluate(rec.Link, rec.Observations)
			var want, got []string
			for _, tun := range rec.Link.Tunnels {
				other := 1 - tun.AzureInstance
				want = append(want, tun.Name+" from azure-inst"+string(rune('0'+other))+" to "+tun.GcpBgpIp)
			}
			for _, p := range r.ByDesign {
				assert.Equal(t, "Connecting", p.State)
				got = append(got, p.Tunnel+" from "+p.AzureInstance+" to "+p.Neighbor)
			}
			assert.ElementsMatch(t, want, got)
		})
	}
}

// TestAzureLocalAddressForms: Azure may report a peer's local address as the instance's default
// (private) BGP address or as its APIPA address; both map to the instance.
func TestAzureLocalAddressForms(t *testing.T) {
	rec := load(t, "paired-healthy")
	for k, p := range rec.Observations.BgpPeerStatus.Value {
		for _, entry := range rec.Observations.Gateway.Properties.BgpSettings.BgpPeeringAddresses {
			if slices.Contains(entry.DefaultBgpIpAddresses, p.LocalAddress) {
				rec.Observations.BgpPeerStatus.Value[k].LocalAddress = entry.CustomBgpIpAddresses[0]
			}
		}
	}
	r := Evaluate(rec.Link, rec.Observations)
	assert.Equal(t, Healthy, r.Verdict)
	assert.Len(t, r.ByDesign, 2)
	assert.Empty(t, r.OtherPeers)
}

// TestUnplannedAndUnknownPeers: a peer of another link on the same gateway, and a peer whose local
// address is no instance's, are listed apart and change nothing.
func TestUnplannedAndUnknownPeers(t *testing.T) {
	rec := load(t, "paired-healthy")
	peers := &rec.Observations.BgpPeerStatus.Value
	*peers = append(*peers,
		AzureBgpPeerStatus{LocalAddress: (*peers)[0].LocalAddress, Neighbor: "169.254.21.30", State: "Connected"},
		AzureBgpPeerStatus{LocalAddress: "10.9.9.9", Neighbor: rec.Link.Tunnels[0].GcpBgpIp, State: "Connected"},
	)
	r := Evaluate(rec.Link, rec.Observations)
	assert.Equal(t, Healthy, r.Verdict)
	require.Len(t, r.OtherPeers, 2)
	assert.Equal(t, "azure-inst0", r.OtherPeers[0].AzureInstance)
	assert.Equal(t, "", r.OtherPeers[1].AzureInstance, "10.9.9.9 belongs to no instance")
}

// TestBgpAddressMismatchNamed: BGP down with the tunnel up, and the Cloud Router peer on the wrong
// address: the diagnosis names the address it uses and the one planned.
func TestBgpAddressMismatchNamed(t *testing.T) {
	rec := load(t, "paired-bgp-down")
	peers := rec.Observations.RouterStatus.Result.BgpPeerStatus
	for k := range peers {
		if strings.HasSuffix(peers[k].LinkedVpnTunnel, rec.Link.Tunnels[1].GcpTunnelName) {
			peers[k].PeerIpAddress = "169.254.22.3"
		}
	}
	r := Evaluate(rec.Link, rec.Observations)
	require.NotEmpty(t, r.Diagnoses)
	assert.Contains(t, r.Diagnoses[0].Cause, "expects Azure at 169.254.22.3, the plan 169.254.22.1")
}

// TestRouterPeerWithoutLinkedTunnel: a peer is found by its planned address when the API names no tunnel.
func TestRouterPeerWithoutLinkedTunnel(t *testing.T) {
	rec := load(t, "paired-healthy")
	for k := range rec.Observations.RouterStatus.Result.BgpPeerStatus {
		rec.Observations.RouterStatus.Result.BgpPeerStatus[k].LinkedVpnTunnel = ""
	}
	r := Evaluate(rec.Link, rec.Observations)
	assert.Equal(t, Healthy, r.Verdict)
	assert.Equal(t, "gcp-azure-bgp1", r.Tunnels[1].CloudRouterPeer)
}

// TestReadErrorMakesUnreadable: any failed read gives exit 3, with what was read still shown.
func TestReadErrorMakesUnreadable(t *testing.T) {
	rec := load(t, "paired-healthy")
	rec.Observations.RouterStatus = nil
	rec.Observations.ReadErrors = []ReadError{{Call: "compute.routers.getRouterStatus r", Error: "googleapi: Error 403: Required 'compute.routers.get' permission"}}
	r := Evaluate(rec.Link, rec.Observations)
	assert.Equal(t, Unreadable, r.Verdict)
	assert.Equal(t, 3, r.ExitCode)
	assert.Equal(t, NotReported, r.Tunnels[0].CloudRouterStatus)
	assert.Equal(t, "ESTABLISHED", r.Tunnels[0].GcpTunnelStatus, "what was read is still reported")
	assert.Equal(t, rec.Observations.ReadErrors, r.ReadErrors)
}

func TestExitCodes(t *testing.T) {
	assert.Equal(t, map[Verdict]int{Healthy: 0, Degraded: 1, Down: 2, Unreadable: 3},
		map[Verdict]int{Healthy: Healthy.ExitCode(), Degraded: Degraded.ExitCode(), Down: Down.ExitCode(), Unreadable: Unreadable.ExitCode()})
}

func TestWriteText(t *testing.T) {
	rec := load(t, "paired-psk-mismatch")
	r := Evaluate(rec.Link, rec.Observations)
	var b strings.Builder
	r.WriteText(&b, "dev")
	assert.NotContains(t, b.String(), SimulatedBanner, "only a report flagged Simulated says so")
	r.Simulated = true
	b.Reset()
	r.WriteText(&b, "dev")
	out := b.String()
	for _, want := range []string{
		SimulatedBanner,
		`havpn status: link "gcp-azure" of stack dev (paired, 2 tunnels)`,
		"Verdict: DEGRADED (exit 1): 1 of 2 planned BGP sessions established",
		"AUTHORIZATION_ERROR",
		`Azure peers "Connecting" by design (2; not faults`,
		"Survivability now: one more failure of gcp-gw0-if1 or azure-inst1 would cut the link",
		"cause: pre-shared key mismatch",
		"source: https://cloud.google.com/compute/docs/reference/rest/v1/vpnTunnels",
	} {
		assert.Contains(t, out, want)
	}
	var j strings.Builder
	require.NoError(t, r.WriteJSON(&j))
	var back Report
	require.NoError(t, json.Unmarshal([]byte(j.String()), &back))
	assert.Equal(t, *r, back, "--json carries the same content")
}

// TestSidesDisagree: a session counts as established only when both ends say so.
func TestSidesDisagree(t *testing.T) {
	t.Run("Cloud Router UP, Azure Connecting", func(t *testing.T) {
		rec := load(t, "paired-healthy")
		for k, p := range rec.Observations.BgpPeerStatus.Value {
			if p.Neighbor == rec.Link.Tunnels[0].GcpBgpIp && p.State == "Connected" {
				rec.Observations.BgpPeerStatus.Value[k].State = "Connecting"
			}
		}
		r := Evaluate(rec.Link, rec.Observations)
		assert.Equal(t, Degraded, r.Verdict)
		assert.False(t, r.Tunnels[0].Established)
		assert.Equal(t, "UP", r.Tunnels[0].CloudRouterStatus)
	})
	t.Run("Cloud Router DOWN, Azure Connected", func(t *testing.T) {
		rec := load(t, "paired-healthy")
		rec.Observations.RouterStatus.Result.BgpPeerStatus[1].Status = "DOWN"
		r := Evaluate(rec.Link, rec.Observations)
		assert.Equal(t, Degraded, r.Verdict)
		assert.False(t, r.Tunnels[1].Established)
		assert.Equal(t, "Connected", r.Tunnels[1].AzureBgpState)
	})
}

// TestInstanceMapping: an ipConfiguration is recognised by its public IP (the link's azurePublicIps)
// or, failing that, by the APIPA addresses planned on it.
func TestInstanceMapping(t *testing.T) {
	for _, tc := range []struct {
		name  string
		strip func(e *AzureIpConfigBgpAddresses)
	}{
		{"by public IP", func(e *AzureIpConfigBgpAddresses) { e.CustomBgpIpAddresses = nil }},
		{"by APIPA address", func(e *AzureIpConfigBgpAddresses) { e.TunnelIpAddresses = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := load(t, "dualGateway-healthy")
			entries := rec.Observations.Gateway.Properties.BgpSettings.BgpPeeringAddresses
			for k := range entries {
				tc.strip(&entries[k])
			}
			r := Evaluate(rec.Link, rec.Observations)
			assert.Equal(t, Healthy, r.Verdict)
			assert.Len(t, r.ByDesign, 4)
		})
	}
	rec := load(t, "paired-healthy")
	rec.Observations.Gateway = nil // the gateway could not be read: no instance is known
	r := Evaluate(rec.Link, rec.Observations)
	assert.Equal(t, Down, r.Verdict, "without the gateway no Azure peer can be attributed to an instance")
	assert.Len(t, r.OtherPeers, 4)
}
