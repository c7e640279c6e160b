package statusapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// NewGcpHandler serves the simulated Compute Engine API (v1) calls of `havpn status`:
//
//	GET compute/v1/projects/{project}/regions/{region}/vpnTunnels/{tunnel}
//	GET compute/v1/projects/{project}/regions/{region}/routers/{router}/getRouterStatus
//
// Shapes: Compute Engine API reference (vpnTunnels, routers.getRouterStatus), as in the discovery
// document google.golang.org/api v0.316.0 compute/v1/compute-api.json (VpnTunnel, RouterStatusResponse,
// RouterStatusBgpPeerStatus); errors in Google's JSON error format {"error": {code, message, errors[]}}.
func NewGcpHandler(store *simcloud.Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /compute/v1/projects/{project}/regions/{region}/vpnTunnels/{tunnel}", func(w http.ResponseWriter, r *http.Request) {
		serveGcp(w, store, "vpnTunnels", r, func(ls *simcloud.LiveState) (any, error) {
			return vpnTunnel(ls, r.PathValue("project"), r.PathValue("region"), r.PathValue("tunnel"))
		})
	})
	mux.HandleFunc("GET /compute/v1/projects/{project}/regions/{region}/routers/{router}/getRouterStatus", func(w http.ResponseWriter, r *http.Request) {
		serveGcp(w, store, "routers", r, func(ls *simcloud.LiveState) (any, error) {
			return routerStatus(ls, r.PathValue("project"), r.PathValue("region"), r.PathValue("router"))
		})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		gcpError(w, http.StatusNotFound, "notFound", fmt.Sprintf("simcloud (simulated Google Cloud): %s %s is not simulated", r.Method, r.URL.Path))
	})
	return mux
}

func serveGcp(w http.ResponseWriter, store *simcloud.Store, collection string, r *http.Request, answer func(*simcloud.LiveState) (any, error)) {
	ls, err := live(store)
	if err != nil {
		gcpError(w, http.StatusInternalServerError, "backendError", "simcloud (simulated Google Cloud): "+err.Error())
		return
	}
	body, err := answer(ls)
	if err != nil { // Compute's 404: error.errors[].reason "notFound" (Compute Engine API docs, "API errors")
		name := r.PathValue("tunnel") + r.PathValue("router")
		gcpError(w, http.StatusNotFound, "notFound", fmt.Sprintf("simcloud (simulated Google Cloud): The resource 'projects/%s/regions/%s/%s/%s' was not found",
			r.PathValue("project"), r.PathValue("region"), collection, name))
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// gcpError writes Google's JSON error format. Source: Google API error model (google.golang.org/api googleapi.Error).
func gcpError(w http.ResponseWriter, code int, reason, message string) {
	writeJSON(w, code, map[string]any{"error": map[string]any{
		"code": code, "message": message,
		"errors": []any{map[string]any{"message": message, "domain": "global", "reason": reason}},
	}})
}

// inPlace reports whether a Google record lives in the project and region of the request.
func inPlace(rec *simcloud.Record, project, region, name string) bool {
	return rec.Physical() == name && str(rec.Outputs, "project") == project && str(rec.Outputs, "region") == region
}

// selfLink turns a reference (an ID or already a URL) into a Compute self link.
func selfLink(ref string) string {
	if ref == "" || strings.HasPrefix(ref, "https://") {
		return ref
	}
	return cloudrules.GcpSelfLink(strings.TrimPrefix(ref, "/"))
}

// tunnelStatus is what Compute reports for a tunnel in the session's state.
func tunnelStatus(t simcloud.LiveTunnel) string {
	if t.IpsecUp() {
		return cloudrules.GcpTunnelEstablished
	}
	switch t.Session.Cause {
	case simcloud.CausePskMismatch:
		return cloudrules.GcpTunnelAuthorizationError
	case simcloud.CauseIkeMismatch, simcloud.CauseProposalMismatch:
		return cloudrules.GcpTunnelNegotiationFailure
	}
	return cloudrules.GcpTunnelNoIncomingPackets
}

func vpnTunnel(ls *simcloud.LiveState, project, region, name string) (map[string]any, error) {
	for _, t := range ls.Tunnels {
		if !inPlace(t.Record, project, region, name) {
			continue
		}
		out, in := t.Record.Outputs, t.Record.Inputs
		detail := "simcloud (simulated): IPsec established"
		if !t.IpsecUp() {
			detail = "simcloud (simulated): " + strings.Join(t.Session.Reasons, "; ")
		}
		body := pick(out, "name", "selfLink", "peerIp", "sharedSecretHash", "vpnGatewayInterface", "peerExternalGatewayInterface", "ikeVersion", "description")
		body["kind"] = "compute#vpnTunnel"
		body["id"] = str(out, "tunnelId")
		body["region"] = cloudrules.GcpSelfLink(fmt.Sprintf("projects/%s/regions/%s", project, region))
		body["vpnGateway"] = selfLink(str(in, "vpnGateway"))
		body["peerExternalGateway"] = selfLink(str(in, "peerExternalGateway"))
		body["router"] = selfLink(str(in, "router"))
		body["status"], body["detailedStatus"] = tunnelStatus(t), detail
		return body, nil
	}
	return nil, errNotFound
}

func routerStatus(ls *simcloud.LiveState, project, region, name string) (map[string]any, error) {
	for _, router := range ls.Routers {
		if !inPlace(router, project, region, name) {
			continue
		}
		peers := []any{}
		for _, p := range ls.RouterPeers {
			if p.Router.ID == router.ID {
				peers = append(peers, bgpPeerStatus(p))
			}
		}
		return map[string]any{
			"kind": cloudrules.GcpRouterStatusKey,
			"result": map[string]any{
				"network":             selfLink(str(router.Inputs, "network")),
				"bestRoutes":          []any{},
				"bestRoutesForRouter": []any{},
				"bgpPeerStatus":       peers,
			},
		}, nil
	}
	return nil, errNotFound
}

// bgpPeerStatus is one RouterStatusBgpPeerStatus: UP/Established when the session is, else DOWN and
// Active (the Cloud Router keeps opening the session), or Idle when it does not open it at all.
func bgpPeerStatus(p simcloud.LiveRouterPeer) map[string]any {
	body := map[string]any{
		"name":             p.Peer.Physical(),
		"ipAddress":        str(p.Peer.Outputs, "ipAddress"),
		"peerIpAddress":    str(p.Peer.Inputs, "peerIpAddress"),
		"enableIpv4":       true,
		"status":           cloudrules.GcpBgpDown,
		"state":            cloudrules.GcpBgpActive,
		"numLearnedRoutes": p.LearnedRoutes,
	}
	if p.Tunnel != nil {
		body["linkedVpnTunnel"] = str(p.Tunnel.Outputs, "selfLink")
	}
	switch {
	case p.Established():
		body["status"], body["state"] = cloudrules.GcpBgpUp, cloudrules.GcpBgpEstablished
	case p.Session == nil || p.Session.Cause == simcloud.CauseBgpDown:
		body["state"] = cloudrules.GcpBgpIdle
	}
	return body
}
