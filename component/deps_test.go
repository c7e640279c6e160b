package component

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/simulation/mockcloud"
)

// closure returns the names of every resource start depends on, directly or through other recorded
// dependencies.
func closure(t *testing.T, rec *mockcloud.Recorder, start *mockcloud.Registration) map[string]bool {
	t.Helper()
	byURN := map[string]*mockcloud.Registration{}
	for _, g := range rec.Registrations() {
		byURN[g.URN] = g
	}
	seen := map[string]bool{}
	var visit func(g *mockcloud.Registration)
	visit = func(g *mockcloud.Registration) {
		for urn, dep := range byURN {
			if dep != g && g.DependsOn(urn) && !seen[dep.Name] {
				seen[dep.Name] = true
				visit(dep)
			}
		}
	}
	visit(start)
	return seen
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestGoogleSideDoesNotWaitForAzureGateway: the Azure gateway takes 45 minutes or more; no Google resource
// may wait for it, directly or transitively.
func TestGoogleSideDoesNotWaitForAzureGateway(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r := mustRender(t, validArgs(topo), nil)
			gcp := 0
			for _, g := range r.rec.Registrations() {
				if !strings.HasPrefix(g.Type, "gcp:") {
					continue
				}
				gcp++
				deps := closure(t, r.rec, g)
				assert.NotContains(t, deps, "gcp-azure-vgw", "%s waits for the Azure gateway via %v", g.Name, sortedKeys(deps))
				for d := range deps {
					assert.Falsef(t, strings.Contains(d, "-lng") || strings.Contains(d, "-conn"), "%s depends on Azure resource %s", g.Name, d)
				}
			}
			// HA VPN gateways, external gateway, router, firewall, and tunnel, interface and peer per tunnel.
			assert.Equal(t, map[string]int{"paired": 10, "dualGateway": 17}[topo], gcp)
			// Control: the closure does reach the gateway where it should.
			assert.Contains(t, closure(t, r.rec, reg(t, r.rec, tConnection, "gcp-azure-conn0")), "gcp-azure-vgw")
			// The transitive path tunnel -> external gateway -> public IP exists, and is the only Azure wait.
			assert.Equal(t, []string{"gcp-azure-azure-peer", "gcp-azure-gw0", "gcp-azure-pip0", "gcp-azure-pip1", "gcp-azure-router"},
				sortedKeys(closure(t, r.rec, reg(t, r.rec, tTunnel, "gcp-azure-t0"))))
		})
	}
}

func TestDependencies(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r := mustRender(t, validArgs(topo), nil)
			type edge struct {
				from, to string
				want     bool
			}
			edges := []edge{
				{"gcp-azure-azure-peer", "gcp-azure-pip0", true},
				{"gcp-azure-azure-peer", "gcp-azure-pip1", true},
				{"gcp-azure-vgw", "gcp-azure-pip0", true},
				{"gcp-azure-vgw", "gcp-azure-pip1", true},
			}
			for _, w := range wantTunnels(topo) {
				edges = append(edges,
					edge{w.lng, w.gateway, true},
					edge{w.lng, "gcp-azure-vgw", false},
					edge{w.conn, "gcp-azure-vgw", true},
					edge{w.conn, w.lng, true},
					edge{w.tunnel, w.gateway, true},
					edge{w.tunnel, "gcp-azure-azure-peer", true},
					edge{w.tunnel, "gcp-azure-router", true},
					edge{w.iface, w.tunnel, true},
					edge{w.iface, "gcp-azure-router", true},
					edge{w.peer, w.iface, true},
					edge{w.peer, "gcp-azure-router", true},
				)
				// A connection uses only its own local network gateway.
				for _, o := range wantTunnels(topo) {
					if o.lng != w.lng {
						edges = append(edges, edge{w.conn, o.lng, false})
					}
				}
			}
			for _, e := range edges {
				from := r.rec.ByName(e.from)
				to := r.rec.ByName(e.to)
				require.NotNil(t, from, e.from)
				require.NotNil(t, to, e.to)
				assert.Equal(t, e.want, from.DependsOn(to.URN), "%s depends on %s", e.from, e.to)
			}
			// The public IPs, the HA VPN gateways and the router wait for nothing.
			for _, name := range []string{"gcp-azure-pip0", "gcp-azure-pip1", "gcp-azure-gw0", "gcp-azure-router", "gcp-azure-from-azure"} {
				g := r.rec.ByName(name)
				require.NotNil(t, g, name)
				assert.Empty(t, closure(t, r.rec, g), name)
			}
		})
	}
}

func TestReplacementOptions(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r := mustRender(t, validArgs(topo), nil)
			for _, w := range wantTunnels(topo) {
				tun := reg(t, r.rec, tTunnel, w.tunnel)
				iface := reg(t, r.rec, tRouterIface, w.iface)
				peer := reg(t, r.rec, tRouterPeer, w.peer)
				assert.True(t, tun.DeleteBeforeReplace, "%s: a new tunnel on the same interface pair fails while the old one exists", w.tunnel)
				assert.True(t, iface.DeleteBeforeReplace, w.iface)
				assert.True(t, peer.DeleteBeforeReplace, w.peer)
				assert.Equal(t, []string{iface.URN}, peer.ReplaceWith, "%s must be replaced with its interface", w.peer)
				assert.Empty(t, tun.ReplaceWith, w.tunnel)
				assert.Empty(t, iface.ReplaceWith, w.iface)
			}
			assert.True(t, reg(t, r.rec, tVnetGateway, "gcp-azure-vgw").DeleteBeforeReplace, "the gateway's name is fixed")
			for _, w := range wantTunnels(topo) {
				// A connection PUT keeps the old shared key: a new key needs a new connection, the old one first.
				conn := reg(t, r.rec, tConnection, w.conn)
				assert.ElementsMatch(t, []string{"sharedKey", "virtualNetworkGateway1"}, conn.ReplaceOnChanges, w.conn)
				assert.True(t, conn.DeleteBeforeReplace, w.conn)
			}
			// Nothing else is replaced on input changes the provider would update.
			for _, g := range r.rec.Registrations() {
				if g.Type != tConnection {
					assert.Empty(t, g.ReplaceOnChanges, g.Name)
				}
			}
			// Nothing else is replaced with another resource.
			for _, g := range r.rec.Registrations() {
				if g.Type != tRouterPeer {
					assert.Empty(t, g.ReplaceWith, g.Name)
				}
			}
		})
	}
}

// TestConnectionWaves: the connections of tunnels on Azure instance 1 wait for those on instance 0, so an
// in-place update of every connection never interrupts every BGP session at once; instance-0
// connections wait for no other connection.
func TestConnectionWaves(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r := mustRender(t, validArgs(topo), nil)
			for _, w := range wantTunnels(topo) {
				conn := reg(t, r.rec, tConnection, w.conn)
				for _, o := range wantTunnels(topo) {
					other := reg(t, r.rec, tConnection, o.conn)
					want := w.azureInst == 1 && o.azureInst == 0
					assert.Equal(t, want, conn.DependsOn(other.URN), "%s (instance %d) waits for %s (instance %d)", w.conn, w.azureInst, o.conn, o.azureInst)
				}
			}
		})
	}
}
