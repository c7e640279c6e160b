package plandiff

import (
	"fmt"

	"github.com/havpn/pulumi-havpn/internal/analysis"
	"github.com/havpn/pulumi-havpn/internal/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/plandoc"
)

// Disruption is what the change does to the BGP sessions that exist before it: which resources that
// carry sessions are replaced, removed or updated in place (an update counts where cloudrules says it
// disrupts), which tunnels go down, and how many sessions the survivability analysis keeps up with all
// of them down at once (the worst case: the engine runs independent steps in parallel).
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
	var all analysis.Outage
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
		all.Domains = append(all.Domains, c.Domains...)
		all.Tunnels = append(all.Tunnels, c.Tunnels...)
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
		default:
			if u := cloudrules.UpdateDisrupts(c.Type); u.Disrupts {
				add(c.ResourceID, string(VerdictUpdate), fmt.Sprintf("in-place update, taken as disruptive for its duration (%s)", u.Source))
			}
		}
	}
	if down := analysis.DownTunnels(rows, all); down != nil {
		d.Down = down
	}
	d.Up = analysis.SessionsUpDuring(rows, all)
	return d
}
