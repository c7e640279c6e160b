// Package statusapi serves the read calls `havpn status` makes to Google Cloud and Azure, answered
// from a SIMULATED world (simcloud's state directory, live faults included) in the real APIs' JSON
// shapes: Compute Engine vpnTunnels.get and routers.getRouterStatus; Azure virtualNetworkGateways GET,
// getBgpPeerStatus (202, then Azure-AsyncOperation/Location polling) and connections GET. It listens
// on 127.0.0.1 only and every answer it gives is simulated.
package statusapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// Servers are the two simulated APIs, each on its own loopback port.
type Servers struct {
	GcpURL   string // base URL; the Compute API lives under compute/v1/
	AzureURL string // base URL of the simulated Azure Resource Manager
	servers  []*http.Server
}

// Start serves the state directory dir on two ephemeral loopback ports.
func Start(dir string) (*Servers, error) {
	if _, err := os.Stat(filepath.Join(dir, simcloud.StateFile)); err != nil {
		return nil, fmt.Errorf("no simulated world in %s: %w", dir, err)
	}
	store := &simcloud.Store{Dir: dir}
	s := &Servers{}
	for _, h := range []struct {
		url     *string
		handler http.Handler
	}{{&s.GcpURL, NewGcpHandler(store)}, {&s.AzureURL, NewAzureHandler(store)}} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.Close()
			return nil, err
		}
		srv := &http.Server{Handler: h.handler}
		go func() { _ = srv.Serve(ln) }()
		s.servers = append(s.servers, srv)
		*h.url = "http://" + ln.Addr().String() + "/"
	}
	return s, nil
}

// Close stops both servers.
func (s *Servers) Close() {
	for _, srv := range s.servers {
		_ = srv.Close()
	}
}

// live reads the world's live state under the store's shared lock.
func live(store *simcloud.Store) (*simcloud.LiveState, error) {
	var ls *simcloud.LiveState
	err := store.View(func(st *simcloud.State) error {
		ls = simcloud.Live(st)
		return nil
	})
	return ls, err
}

func writeJSON(w http.ResponseWriter, code int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// errNotFound marks a lookup that found nothing.
var errNotFound = errors.New("not found")

// field helpers over a record's plain JSON maps.
func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// pick copies the listed keys that are present.
func pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := m[k]; ok && v != nil {
			out[k] = v
		}
	}
	return out
}
