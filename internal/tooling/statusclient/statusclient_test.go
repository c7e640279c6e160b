package statusclient

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud/statusapi"
)

var update = flag.Bool("update", false, "rewrite internal/core/linkstatus/testdata/ from the simulated APIs")

// world is a deployed simulated world recorded by the e2e tests (make e2e E2EFLAGS=-update): the link
// as its outputs describe it and simcloud's state, pre-shared keys redacted.
type world struct {
	Link  linkstatus.Link `json:"link"`
	State json.RawMessage `json:"state"`
}

// simulated serves a copy of a recorded world through the simulated APIs on loopback (httptest),
// counting the requests by method and path.
type simulated struct {
	link      linkstatus.Link
	store     *simcloud.Store
	endpoints Endpoints
	mu        sync.Mutex
	requests  []string
}

// serve answers getBgpPeerStatus at the first poll; servePolling answers InProgress once first, as
// the simulated API does by default.
func serve(t *testing.T, topology string) *simulated {
	return serveWith(t, topology, statusapi.Immediate())
}

func servePolling(t *testing.T, topology string) *simulated { return serveWith(t, topology) }

func serveWith(t *testing.T, topology string, opts ...statusapi.AzureOption) *simulated {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "simulation", "simcloud", "statusapi", "testdata", "world-"+topology+".json"))
	require.NoError(t, err, "recorded by `make e2e E2EFLAGS=-update`")
	var w world
	require.NoError(t, json.Unmarshal(raw, &w))
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, simcloud.StateFile), w.State, 0o644))
	s := &simulated{link: w.Link, store: &simcloud.Store{Dir: dir}}
	count := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			s.requests = append(s.requests, r.Method+" "+r.URL.Path)
			s.mu.Unlock()
			h.ServeHTTP(rw, r)
		})
	}
	gcp := httptest.NewServer(count(statusapi.NewGcpHandler(s.store)))
	azure := httptest.NewServer(count(statusapi.NewAzureHandler(s.store, opts...)))
	t.Cleanup(gcp.Close)
	t.Cleanup(azure.Close)
	s.endpoints = Endpoints{Gcp: gcp.URL, Azure: azure.URL}
	return s
}

func (s *simulated) read(t *testing.T) linkstatus.Observations {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return Read(ctx, s.link, s.endpoints)
}

// recordedCases are the faults whose answers linkstatus's tests judge, per topology.
var recordedCases = map[string][]struct{ name, kind, target string }{
	"paired": {
		{"healthy", "", ""},
		{"tunnel-down", "tunnel-down", "gcp-azure-t1"},
		{"psk-mismatch", "psk-mismatch", "gcp-azure-t0"},
		{"phase2-mismatch", "phase2-mismatch", "gcp-azure-t0"},
		{"bgp-down", "bgp-down", "gcp-azure-t1"},
		{"bgp-down-all", "bgp-down", "all"},
		{"azure-instance-down", "azure-instance-down", "instance1"},
	},
	"dualGateway": {
		{"healthy", "", ""},
		{"azure-instance-down", "azure-instance-down", "instance0"},
		{"psk-mismatch", "psk-mismatch", "gcp-azure-t3"},
	},
}

// TestRecordedResponses reads every recorded case through the official clients from the simulated
// APIs and compares the answers with linkstatus's testdata (rewritten with -update), so the status
// logic is tested on what the clients really decode.
func TestRecordedResponses(t *testing.T) {
	for topology, cases := range recordedCases {
		for _, c := range cases {
			t.Run(topology+"/"+c.name, func(t *testing.T) {
				t.Parallel() // each case has its own world and servers; the Azure poll waits a second
				s := serve(t, topology)
				if c.kind != "" {
					require.NoError(t, s.store.InjectFault(simcloud.LiveFault{Kind: c.kind, Target: c.target}))
				}
				obs := s.read(t)
				require.Empty(t, obs.ReadErrors)
				got, err := json.MarshalIndent(map[string]any{"simulated": true, "link": s.link, "observations": obs}, "", "  ")
				require.NoError(t, err)
				path := filepath.Join("..", "..", "core", "linkstatus", "testdata", topology+"-"+c.name+".json")
				if *update {
					require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
					return
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test ./internal/tooling/statusclient -update")
				assert.JSONEq(t, string(want), string(got), "the simulated APIs answer differently from %s", path)
			})
		}
	}
}

// TestReadHealthyPaired checks what the clients decode from each API of a healthy world.
func TestReadHealthyPaired(t *testing.T) {
	s := serve(t, "paired")
	obs := s.read(t)
	require.Empty(t, obs.ReadErrors)
	require.Len(t, obs.VpnTunnels, 2)
	for k, vt := range obs.VpnTunnels {
		assert.Equal(t, s.link.Tunnels[k].GcpTunnelName, vt.Name)
		assert.Equal(t, "ESTABLISHED", vt.Status)
		assert.Contains(t, vt.DetailedStatus, "simulated")
		assert.Equal(t, s.link.AzurePublicIps[k], vt.PeerIp, "tunnel %d peers with Azure instance %d", k, k)
	}
	require.NotNil(t, obs.RouterStatus)
	assert.Equal(t, "compute#routerStatusResponse", obs.RouterStatus.Kind)
	peers := obs.RouterStatus.Result.BgpPeerStatus
	require.Len(t, peers, 2)
	for k, p := range peers {
		assert.Equal(t, "UP", p.Status)
		assert.Equal(t, "Established", p.State)
		assert.Equal(t, s.link.Tunnels[k].GcpBgpIp, p.IpAddress)
		assert.Equal(t, s.link.Tunnels[k].AzureBgpIp, p.PeerIpAddress)
		assert.True(t, strings.HasSuffix(p.LinkedVpnTunnel, "/vpnTunnels/"+s.link.Tunnels[k].GcpTunnelName), p.LinkedVpnTunnel)
		assert.Equal(t, int64(1), p.NumLearnedRoutes, "the dev VNet has one prefix")
	}
	require.NotNil(t, obs.Gateway)
	assert.Len(t, obs.Gateway.Properties.BgpSettings.BgpPeeringAddresses, 2)
	require.NotNil(t, obs.BgpPeerStatus)
	assert.Len(t, obs.BgpPeerStatus.Value, 4, "two connections, each tried from both instances")
	require.Len(t, obs.Connections, 2)
	for _, c := range obs.Connections {
		assert.Equal(t, "Connected", c.Properties.ConnectionStatus)
	}
}

// TestGetBgpPeerStatusPolls: the POST answers 202; azcore's poller follows Azure-AsyncOperation until
// Succeeded, then reads the result from Location.
func TestGetBgpPeerStatusPolls(t *testing.T) {
	s := servePolling(t, "paired")
	s.read(t)
	var post, status, result int
	for _, r := range s.requests {
		switch {
		case strings.HasPrefix(r, "POST ") && strings.HasSuffix(r, "/getBgpPeerStatus"):
			post++
		case strings.Contains(r, "/operations/"):
			status++
		case strings.Contains(r, "/operationResults/"):
			result++
		}
	}
	assert.Equal(t, 1, post, "%v", s.requests)
	assert.Equal(t, 2, status, "InProgress, then Succeeded: %v", s.requests)
	assert.Equal(t, 1, result, "the final GET on Location: %v", s.requests)
}

// TestReadErrors: what an API refuses becomes a ReadError with the API's own message; the rest is read.
func TestReadErrors(t *testing.T) {
	s := serve(t, "paired")
	s.link.Tunnels[0].GcpTunnelName = "no-such-tunnel"
	s.link.Tunnels[1].AzureConnectionID = strings.Replace(s.link.Tunnels[1].AzureConnectionID, "/connections/", "/connections/gone", 1)
	obs := s.read(t)
	require.Len(t, obs.ReadErrors, 2, "%+v", obs.ReadErrors)
	assert.Equal(t, "compute.vpnTunnels.get no-such-tunnel", obs.ReadErrors[0].Call)
	assert.Contains(t, obs.ReadErrors[0].Error, "notFound")
	assert.Contains(t, obs.ReadErrors[0].Error, "vpnTunnels/no-such-tunnel' was not found")
	assert.Contains(t, obs.ReadErrors[1].Call, "GET connections ")
	assert.Contains(t, obs.ReadErrors[1].Error, "ResourceNotFound")
	assert.Len(t, obs.VpnTunnels, 1, "the other tunnel is still read")
	assert.Len(t, obs.Connections, 1)
	assert.NotNil(t, obs.BgpPeerStatus)
	r := linkstatus.Evaluate(s.link, obs)
	assert.Equal(t, linkstatus.Unreadable, r.Verdict)
	assert.Equal(t, 3, r.ExitCode)
}

// TestEndpointsCheck: only loopback endpoints may be named, both or neither.
func TestEndpointsCheck(t *testing.T) {
	for _, tc := range []struct {
		ep   Endpoints
		want string // "" = accepted
	}{
		{Endpoints{}, ""},
		{Endpoints{Gcp: "http://127.0.0.1:8080/", Azure: "http://localhost:9090"}, ""},
		{Endpoints{Gcp: "http://[::1]:1/", Azure: "https://127.0.0.2/"}, ""},
		{Endpoints{Gcp: "https://compute.googleapis.com/", Azure: "http://127.0.0.1:1/"}, "--gcp-endpoint https://compute.googleapis.com/: only loopback"},
		{Endpoints{Gcp: "http://127.0.0.1:1/", Azure: "http://10.0.0.1/"}, "--azure-endpoint http://10.0.0.1/: only loopback"},
		{Endpoints{Gcp: "http://127.0.0.1:1/"}, "give both"},
		{Endpoints{Gcp: "127.0.0.1:1", Azure: "http://127.0.0.1:1/"}, "not an http(s) URL"},
	} {
		err := tc.ep.Check()
		if tc.want == "" {
			assert.NoError(t, err, "%+v", tc.ep)
		} else if assert.Error(t, err, "%+v", tc.ep) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}
