package statusapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// recordedWorld is a deployed world recorded by the e2e tests (make e2e E2EFLAGS=-update).
type recordedWorld struct {
	Link struct {
		GcpProject     string `json:"gcpProject"`
		GcpRegion      string `json:"gcpRegion"`
		GcpRouterName  string `json:"gcpRouterName"`
		AzureGatewayId string `json:"azureGatewayId"`
		Tunnels        []struct {
			GcpTunnelName     string `json:"gcpTunnelName"`
			AzureConnectionId string `json:"azureConnectionId"`
			GcpBgpIp          string `json:"gcpBgpIp"`
		} `json:"tunnels"`
	} `json:"link"`
	State json.RawMessage `json:"state"`
}

type fixture struct {
	w            recordedWorld
	store        *simcloud.Store
	gcp, azure   *httptest.Server
	computeBase  string
	apiVersion   string
	gatewayPath  string
	connectionID string
}

func newFixture(t *testing.T, topology string) *fixture {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "world-"+topology+".json"))
	require.NoError(t, err)
	f := &fixture{apiVersion: "?api-version=2023-02-01"}
	require.NoError(t, json.Unmarshal(raw, &f.w))
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, simcloud.StateFile), f.w.State, 0o644))
	f.store = &simcloud.Store{Dir: dir}
	f.gcp = httptest.NewServer(NewGcpHandler(f.store))
	f.azure = httptest.NewServer(NewAzureHandler(f.store))
	t.Cleanup(f.gcp.Close)
	t.Cleanup(f.azure.Close)
	f.computeBase = f.gcp.URL + "/compute/v1/projects/" + f.w.Link.GcpProject + "/regions/" + f.w.Link.GcpRegion
	f.gatewayPath = f.w.Link.AzureGatewayId
	f.connectionID = f.w.Link.Tunnels[0].AzureConnectionId
	return f
}

// call makes one request and decodes the JSON answer.
func call(t *testing.T, method, u string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var body map[string]any
	if len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &body), string(b))
	}
	return resp.StatusCode, resp.Header, body
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Field names of the Compute API's schemas, from its discovery document
// (google.golang.org/api v0.316.0 compute/v1/compute-api.json: VpnTunnel, RouterStatusBgpPeerStatus).
var (
	computeVpnTunnelFields = []string{"cipherSuite", "creationTimestamp", "description", "detailedStatus", "id", "ikeVersion", "kind",
		"labelFingerprint", "labels", "localTrafficSelector", "name", "params", "peerExternalGateway", "peerExternalGatewayInterface",
		"peerGcpGateway", "peerIp", "region", "remoteTrafficSelector", "router", "selfLink", "sharedSecret", "sharedSecretHash", "status",
		"targetVpnGateway", "vpnGateway", "vpnGatewayInterface"}
	computeBgpPeerStatusFields = []string{"advertisedRoutes", "bfdStatus", "depreferenced", "enableIpv4", "enableIpv6", "ipAddress",
		"ipv4NexthopAddress", "ipv6NexthopAddress", "linkedVpnTunnel", "md5AuthEnabled", "name", "numLearnedRoutes", "peerIpAddress",
		"peerIpv4NexthopAddress", "peerIpv6NexthopAddress", "routerApplianceInstance", "state", "status", "statusReason", "uptime", "uptimeSeconds"}
	// Azure/azure-rest-api-specs network 2023-02-01 virtualNetworkGateway.json, BgpPeerStatus.
	azureBgpPeerStatusFields = []string{"asn", "connectedDuration", "localAddress", "messagesReceived", "messagesSent", "neighbor", "routesReceived", "state"}
)

func TestVpnTunnelShape(t *testing.T) {
	f := newFixture(t, "paired")
	name := f.w.Link.Tunnels[0].GcpTunnelName
	code, _, body := call(t, "GET", f.computeBase+"/vpnTunnels/"+name)
	require.Equal(t, http.StatusOK, code, body)
	assert.Subset(t, computeVpnTunnelFields, keys(body), "every field served is a VpnTunnel field")
	assert.Equal(t, "compute#vpnTunnel", body["kind"])
	assert.Equal(t, name, body["name"])
	assert.Equal(t, "ESTABLISHED", body["status"])
	assert.Contains(t, body["detailedStatus"], "simulated")
	assert.NotContains(t, keys(body), "sharedSecret", "the secret is never served")
	for _, k := range []string{"selfLink", "region", "vpnGateway", "peerExternalGateway", "router"} {
		assert.True(t, strings.HasPrefix(body[k].(string), "https://www.googleapis.com/compute/v1/projects/"), "%s is a URL: %v", k, body[k])
	}
	assert.IsType(t, "", body["id"], "the discovery document types id as a uint64 string")
}

func TestGetRouterStatusShape(t *testing.T) {
	f := newFixture(t, "dualGateway")
	code, _, body := call(t, "GET", f.computeBase+"/routers/"+f.w.Link.GcpRouterName+"/getRouterStatus")
	require.Equal(t, http.StatusOK, code, body)
	assert.Equal(t, "compute#routerStatusResponse", body["kind"])
	result := body["result"].(map[string]any)
	peers := result["bgpPeerStatus"].([]any)
	require.Len(t, peers, 4)
	for k, p := range peers {
		peer := p.(map[string]any)
		assert.Subset(t, computeBgpPeerStatusFields, keys(peer))
		assert.Equal(t, "UP", peer["status"])
		assert.Equal(t, "Established", peer["state"])
		assert.EqualValues(t, 1, peer["numLearnedRoutes"], "what Azure advertises: the prod VNet's one prefix (10.2.0.0/16)")
		assert.True(t, strings.HasSuffix(peer["linkedVpnTunnel"].(string), "/vpnTunnels/"+f.w.Link.Tunnels[k].GcpTunnelName))
	}
}

func TestGcpNotFound(t *testing.T) {
	f := newFixture(t, "paired")
	code, _, body := call(t, "GET", f.computeBase+"/vpnTunnels/nope")
	assert.Equal(t, http.StatusNotFound, code)
	e := body["error"].(map[string]any)
	assert.EqualValues(t, 404, e["code"])
	assert.Contains(t, e["message"], "vpnTunnels/nope' was not found")
	assert.Equal(t, "notFound", e["errors"].([]any)[0].(map[string]any)["reason"])
	code, _, _ = call(t, "GET", f.gcp.URL+"/compute/v1/projects/p/global/networks/n")
	assert.Equal(t, http.StatusNotFound, code, "only the calls of havpn status are simulated")
}

func TestAzureApiVersion(t *testing.T) {
	f := newFixture(t, "paired")
	code, _, body := call(t, "GET", f.azure.URL+f.gatewayPath)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "MissingApiVersionParameter", body["error"].(map[string]any)["code"])
	code, _, body = call(t, "GET", f.azure.URL+f.gatewayPath+"?api-version=2025-03-01")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body["error"].(map[string]any)["message"], "serves api-version 2023-02-01")
}

func TestGatewayShape(t *testing.T) {
	f := newFixture(t, "paired")
	code, _, body := call(t, "GET", f.azure.URL+f.gatewayPath+f.apiVersion)
	require.Equal(t, http.StatusOK, code, body)
	assert.True(t, strings.EqualFold(f.gatewayPath, body["id"].(string)))
	assert.Equal(t, "Microsoft.Network/virtualNetworkGateways", body["type"])
	props := body["properties"].(map[string]any)
	assert.Equal(t, true, props["activeActive"])
	configs := props["ipConfigurations"].([]any)
	require.Len(t, configs, 2)
	for _, c := range configs {
		cfg := c.(map[string]any)
		assert.ElementsMatch(t, []string{"id", "name", "properties"}, keys(cfg), "ipConfigurations nest their properties, as the REST API does")
		assert.Contains(t, cfg["properties"], "publicIPAddress")
	}
	peering := props["bgpSettings"].(map[string]any)["bgpPeeringAddresses"].([]any)
	require.Len(t, peering, 2)
	for _, p := range peering {
		assert.ElementsMatch(t, []string{"ipconfigurationId", "defaultBgpIpAddresses", "customBgpIpAddresses", "tunnelIpAddresses"}, keys(p.(map[string]any)),
			"examples/VirtualNetworkGatewayGet.json")
	}
}

// TestGetBgpPeerStatusLongRunning: POST answers 202 with Azure-AsyncOperation and Location on this
// (loopback) host; the status is InProgress, then Succeeded; Location gives BgpPeerStatusListResult.
func TestGetBgpPeerStatusLongRunning(t *testing.T) {
	f := newFixture(t, "paired")
	code, h, body := call(t, "POST", f.azure.URL+f.gatewayPath+"/getBgpPeerStatus"+f.apiVersion)
	require.Equal(t, http.StatusAccepted, code, body)
	assert.Nil(t, body, "202 has no body")
	async, loc := h.Get("Azure-AsyncOperation"), h.Get("Location")
	assert.Equal(t, "1", h.Get("Retry-After"))
	for _, u := range []string{async, loc} {
		parsed, err := url.Parse(u)
		require.NoError(t, err)
		assert.Equal(t, strings.TrimPrefix(f.azure.URL, "http://"), parsed.Host, "polling stays on the simulated endpoint")
		assert.Equal(t, "2023-02-01", parsed.Query().Get("api-version"))
	}
	assert.Contains(t, async, "/providers/Microsoft.Network/locations/")
	_, _, st := call(t, "GET", async)
	assert.Equal(t, "InProgress", st["status"])
	_, _, st = call(t, "GET", async)
	assert.Equal(t, "Succeeded", st["status"])
	code, _, result := call(t, "GET", loc)
	require.Equal(t, http.StatusOK, code)
	value := result["value"].([]any)
	require.Len(t, value, 4, "two connections, tried from both instances")
	states := map[string]int{}
	for _, v := range value {
		p := v.(map[string]any)
		assert.Subset(t, azureBgpPeerStatusFields, keys(p))
		states[p["state"].(string)]++
	}
	assert.Equal(t, map[string]int{"Connected": 2, "Connecting": 2}, states)

	code, _, _ = call(t, "GET", strings.Replace(loc, "/operationResults/", "/operationResults/0", 1))
	assert.Equal(t, http.StatusNotFound, code, "an unknown operation")

	_, h, _ = call(t, "POST", f.azure.URL+f.gatewayPath+"/getBgpPeerStatus"+f.apiVersion+"&peer="+f.w.Link.Tunnels[1].GcpBgpIp)
	_, _, result = call(t, "GET", h.Get("Location"))
	assert.Len(t, result["value"], 2, "peer= asks about one neighbor: both instances' view of it")
}

func TestConnectionShape(t *testing.T) {
	f := newFixture(t, "paired")
	code, _, body := call(t, "GET", f.azure.URL+f.connectionID+f.apiVersion)
	require.Equal(t, http.StatusOK, code, body)
	assert.Equal(t, "Microsoft.Network/connections", body["type"])
	props := body["properties"].(map[string]any)
	assert.Equal(t, "Connected", props["connectionStatus"])
	assert.EqualValues(t, 0, props["ingressBytesTransferred"], "no traffic is simulated")
	assert.NotContains(t, keys(props), "sharedKey", "the key is never served")
	assert.Contains(t, keys(props), "gatewayCustomBgpIpAddresses")

	code, _, body = call(t, "GET", f.azure.URL+f.connectionID+"x"+f.apiVersion)
	assert.Equal(t, http.StatusNotFound, code)
	assert.Equal(t, "ResourceNotFound", body["error"].(map[string]any)["code"])
}

// TestFaultsAreServed: the APIs answer from the live fault records.
func TestFaultsAreServed(t *testing.T) {
	f := newFixture(t, "paired")
	require.NoError(t, f.store.InjectFault(simcloud.LiveFault{Kind: "psk-mismatch", Target: "gcp-azure-t0"}))
	_, _, body := call(t, "GET", f.computeBase+"/vpnTunnels/"+f.w.Link.Tunnels[0].GcpTunnelName)
	assert.Equal(t, "AUTHORIZATION_ERROR", body["status"])
	assert.Contains(t, body["detailedStatus"], "injected fault psk-mismatch")
	_, _, body = call(t, "GET", f.azure.URL+f.connectionID+f.apiVersion)
	assert.Equal(t, "NotConnected", body["properties"].(map[string]any)["connectionStatus"])

	require.NoError(t, f.store.InjectFault(simcloud.LiveFault{Kind: "bgp-down", Target: "gcp-azure-t1"}))
	_, _, body = call(t, "GET", f.computeBase+"/routers/"+f.w.Link.GcpRouterName+"/getRouterStatus")
	peers := body["result"].(map[string]any)["bgpPeerStatus"].([]any)
	assert.Equal(t, "Active", peers[0].(map[string]any)["state"], "tunnel down: the Cloud Router keeps trying")
	assert.Equal(t, "Idle", peers[1].(map[string]any)["state"], "bgp-down: the Cloud Router does not open the session")

	require.NoError(t, f.store.InjectFault(simcloud.LiveFault{Kind: "azure-instance-down", Target: "instance0"}))
	_, h, _ := call(t, "POST", f.azure.URL+f.gatewayPath+"/getBgpPeerStatus"+f.apiVersion)
	_, _, result := call(t, "GET", h.Get("Location"))
	assert.Len(t, result["value"], 2, "instance 0 reports nothing")
}

func TestStartListensOnLoopback(t *testing.T) {
	_, err := Start(t.TempDir())
	assert.ErrorContains(t, err, "no simulated world")
	f := newFixture(t, "paired")
	s, err := Start(f.store.Dir)
	require.NoError(t, err)
	defer s.Close()
	for _, u := range []string{s.GcpURL, s.AzureURL} {
		assert.True(t, strings.HasPrefix(u, "http://127.0.0.1:"), u)
	}
	code, _, _ := call(t, "GET", s.AzureURL+strings.TrimPrefix(f.gatewayPath, "/")+f.apiVersion)
	assert.Equal(t, http.StatusOK, code)
}

// TestRoutesReceivedFollowRoutingMode: Azure learns the subnets the Cloud Router advertises: every
// region's with GLOBAL routing (prod: two regions), the router's region's only with REGIONAL (dev).
func TestRoutesReceivedFollowRoutingMode(t *testing.T) {
	for topology, want := range map[string]float64{"dualGateway": 2, "paired": 1} {
		f := newFixture(t, topology)
		_, h, _ := call(t, "POST", f.azure.URL+f.gatewayPath+"/getBgpPeerStatus"+f.apiVersion)
		_, _, result := call(t, "GET", h.Get("Location"))
		connected := 0
		for _, v := range result["value"].([]any) {
			if p := v.(map[string]any); p["state"] == "Connected" {
				connected++
				assert.Equal(t, want, p["routesReceived"], topology)
			}
		}
		assert.Equal(t, map[string]int{"dualGateway": 4, "paired": 2}[topology], connected, "%s: one Connected peer per session", topology)
	}
}
