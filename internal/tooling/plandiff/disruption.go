package plandiff

import (
	"fmt"
	"slices"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

// Disruption is what the change does to the BGP sessions that exist before it: which resources that
// carry sessions are replaced, removed or updated in place (an update counts where cloudrules says it
// disrupts), which tunnels go down, and how many sessions the survivability analysis keeps up in the
// worst case: every outage down at once that can be (the engine runs independent steps in parallel,
// but an update waits until the resources it depends on are updated or replaced).
type Disruption struct {
	Outages []CarrierOutage `json:"outages"`
	Down    []string        `json:"down"` // tunnels down during the change, in the base plan's order
	Up      int             `json:"up"`
	Total   int             `json:"total"` // the base plan's BGP sessions
}

// CarrierOutage is one resource whose change takes sessions down.
type CarrierOutage struct {
	ResourceID
	Action  string   `json:"action"` // replace, remove or update
	Tunnels []string `json:"tunnels"`
	Why     string   `json:"why"`
}

// Verdict is the survivability table's verdict on the sessions up during the change.
func (d Disruption) Verdict() string { return analysis.Verdict(d.Up, d.Total) }

// disruption computes the Disruption of a report. The carriers come from the base plan (it holds the
// sessions that exist before the change), or from the head for a base document of an older commit.
func disruption(r Report, base, head plandoc.Document) Disruption {
	carriers := map[string]analysis.Carrier{}
	for _, doc := range []plandoc.Document{head, base} {
		for _, c := range doc.Carriers {
			carriers[c.Resource] = c
		}
	}
	rows := base.Tunnels
	d := Disruption{Outages: []CarrierOutage{}, Down: []string{}, Total: len(rows)}
	var outages []analysis.Outage
	add := func(id ResourceID, action, why string) {
		c, ok := carriers[id.Name]
		if !ok {
			return
		}
		o := analysis.Outage{Domains: c.Domains, Tunnels: c.Tunnels}
		tunnels := analysis.DownTunnels(rows, o)
		if len(tunnels) == 0 {
			return
		}
		outages = append(outages, o)
		d.Outages = append(d.Outages, CarrierOutage{ResourceID: id, Action: action, Tunnels: tunnels, Why: why})
	}
	for _, id := range r.Removed {
		add(id, "remove", "removed: its sessions end")
	}
	for _, c := range r.Changed {
		switch {
		case c.Verdict == VerdictReplace:
			why := "replaced"
			if len(c.Reasons) > 0 {
				why = c.Reasons[0]
			}
			add(c.ResourceID, string(VerdictReplace), why)
		case len(c.Fields) == 0 && len(c.Reasons) == 0:
			// Only its dependencies changed: the engine sends the cloud nothing for it.
		default:
			if u := cloudrules.UpdateDisrupts(c.Type); u.Disrupts {
				add(c.ResourceID, string(VerdictUpdate), fmt.Sprintf("in-place update, taken as disruptive for its duration (%s)", u.Source))
			}
		}
	}
	all := worstOverlap(rows, d.Outages, outages, head)
	if down := analysis.DownTunnels(rows, all); down != nil {
		d.Down = down
	}
	d.Up = analysis.SessionsUpDuring(rows, all)
	return d
}

// worstOverlap is the union of the outages that can be in flight together and leave the fewest
// sessions up. Two outages cannot overlap when one is an update of a resource that depends (directly or
// not) on the other's resource, itself updated or replaced: the engine starts that update only once
// the other step is done. This is how the component's connection waves keep a session up.
func worstOverlap(rows []analysis.TunnelRow, carriers []CarrierOutage, outages []analysis.Outage, head plandoc.Document) analysis.Outage {
	deps := dependsClosure(head)
	sequenced := func(first, then CarrierOutage) bool {
		return then.Action == string(VerdictUpdate) && first.Action != "remove" && deps[then.Name][first.Name]
	}
	n := len(carriers)
	overlap := make([][]bool, n)
	for i := range overlap {
		overlap[i] = make([]bool, n)
		for j := range overlap[i] {
			overlap[i][j] = i != j && !sequenced(carriers[i], carriers[j]) && !sequenced(carriers[j], carriers[i])
		}
	}
	var worst analysis.Outage
	worstUp := len(rows) + 1
	maximalCliques(overlap, func(clique []int) {
		var o analysis.Outage
		for _, i := range clique {
			o.Domains = append(o.Domains, outages[i].Domains...)
			o.Tunnels = append(o.Tunnels, outages[i].Tunnels...)
		}
		if up := analysis.SessionsUpDuring(rows, o); up < worstUp {
			worst, worstUp = o, up
		}
	})
	return worst
}

// dependsClosure maps each resource of a plan to every resource it depends on, directly or not.
func dependsClosure(doc plandoc.Document) map[string]map[string]bool {
	direct := map[string][]string{}
	for _, r := range doc.Resources {
		direct[r.Name] = append(direct[r.Name], r.DependsOn...)
	}
	out := map[string]map[string]bool{}
	for name := range direct {
		seen := map[string]bool{}
		stack := append([]string(nil), direct[name]...)
		for len(stack) > 0 {
			d := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !seen[d] {
				seen[d] = true
				stack = append(stack, direct[d]...)
			}
		}
		out[name] = seen
	}
	return out
}

// maximalCliques calls found with every maximal clique of the graph (Bron-Kerbosch with pivoting);
// with no vertex it calls found once with none.
func maximalCliques(adj [][]bool, found func([]int)) {
	var all []int
	for i := range adj {
		all = append(all, i)
	}
	var bk func(r, p, x []int)
	bk = func(r, p, x []int) {
		if len(p) == 0 && len(x) == 0 {
			found(r)
			return
		}
		pivot := append(append([]int(nil), p...), x...)[0]
		for _, v := range append([]int(nil), p...) {
			if adj[pivot][v] {
				continue
			}
			bk(append(append([]int(nil), r...), v), neighbours(adj, p, v), neighbours(adj, x, v))
			p = slices.DeleteFunc(p, func(u int) bool { return u == v })
			x = append(x, v)
		}
	}
	bk(nil, all, nil)
}

func neighbours(adj [][]bool, set []int, v int) []int {
	var out []int
	for _, u := range set {
		if adj[v][u] {
			out = append(out, u)
		}
	}
	return out
}
