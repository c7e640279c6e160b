// Package analysis reads a link plan and tells what it guarantees: wiring invariants, and how many
// BGP sessions survive each failure. It reads only the plan; it imports no Pulumi or cloud SDK.
package analysis

import (
	"slices"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// FailureCase is one set of failed domains and the BGP sessions that stay up.
type FailureCase struct {
	Failed        []string `json:"failed"`
	BgpSessionsUp int      `json:"bgpSessionsUp"`
}

// SessionsUp counts the BGP sessions whose Google interface and Azure instance are both outside failed.
func SessionsUp(p *linkplan.Plan, failed []string) int {
	return SessionsUpDuring(TunnelRows(p), Outage{Domains: failed})
}

// Outage is what is down at one time: whole failure domains (a Google interface, an Azure instance)
// and single tunnels (their own resources being replaced or updated).
type Outage struct {
	Domains []string
	Tunnels []string
}

// SessionsUpDuring counts the BGP sessions that stay up during an outage: those whose tunnel is not
// down and whose Google interface and Azure instance are both outside the failed domains.
func SessionsUpDuring(rows []TunnelRow, o Outage) int {
	up := 0
	for _, t := range rows {
		gcp := linkplan.GcpInterface{Gateway: t.GcpGateway, Interface: t.GcpInterface}.FailureDomain()
		if !slices.Contains(o.Tunnels, t.Name) && !slices.Contains(o.Domains, gcp) && !slices.Contains(o.Domains, linkplan.AzureFailureDomain(t.AzureInstance)) {
			up++
		}
	}
	return up
}

// DownTunnels lists, in row order, the tunnels an outage takes down.
func DownTunnels(rows []TunnelRow, o Outage) []string {
	var out []string
	for _, t := range rows {
		if SessionsUpDuring([]TunnelRow{t}, o) == 0 {
			out = append(out, t.Name)
		}
	}
	return out
}

// Survivability lists every single failure and every pair of failures among the plan's failure domains.
func Survivability(p *linkplan.Plan) []FailureCase {
	domains := p.FailureDomains()
	var out []FailureCase
	for _, d := range domains {
		out = append(out, FailureCase{Failed: []string{d}, BgpSessionsUp: SessionsUp(p, []string{d})})
	}
	for i := range domains {
		for j := i + 1; j < len(domains); j++ {
			failed := []string{domains[i], domains[j]}
			out = append(out, FailureCase{Failed: failed, BgpSessionsUp: SessionsUp(p, failed)})
		}
	}
	return out
}

// Cuts returns the failure cases that leave no BGP session up.
func Cuts(cases []FailureCase) []FailureCase {
	var out []FailureCase
	for _, c := range cases {
		if c.BgpSessionsUp == 0 {
			out = append(out, c)
		}
	}
	return out
}

// RotationStagesKeepLink reports, per rotation stage, the BGP sessions that stay up while that
// stage's tunnels are replaced; a staged rotation is safe when every count is at least one.
func RotationStagesKeepLink(p *linkplan.Plan) map[int]int {
	out := map[int]int{}
	for _, stage := range []int{linkplan.RotationStageFirst, linkplan.RotationStageSecond} {
		out[stage] = SessionsUpDuring(TunnelRows(p), Outage{Tunnels: p.TunnelsOfRotationStage(stage)})
	}
	return out
}
