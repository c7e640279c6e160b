// Package analysis reads a link plan and tells what it guarantees: wiring invariants, and how many
// BGP sessions survive each failure. It reads only the plan; it imports no Pulumi or cloud SDK.
package analysis

import (
	"slices"

	"github.com/havpn/pulumi-havpn/internal/linkplan"
)

// FailureCase is one set of failed domains and the BGP sessions that stay up.
type FailureCase struct {
	Failed        []string `json:"failed"`
	BgpSessionsUp int      `json:"bgpSessionsUp"`
}

// SessionsUp counts the BGP sessions whose Google interface and Azure instance are both outside failed.
func SessionsUp(p *linkplan.Plan, failed []string) int {
	up := 0
	for _, t := range p.Tunnels {
		if !slices.Contains(failed, t.GcpInterface.FailureDomain()) && !slices.Contains(failed, linkplan.AzureFailureDomain(t.AzureInstance)) {
			up++
		}
	}
	return up
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

// SessionsUpWithout counts the BGP sessions that stay up while the named tunnels are down (replaced,
// or updated in a way that interrupts them).
func SessionsUpWithout(p *linkplan.Plan, down []string) int {
	up := 0
	for _, t := range p.Tunnels {
		if !slices.Contains(down, t.Name) {
			up++
		}
	}
	return up
}

// RotationStagesKeepLink reports, per rotation stage, the BGP sessions that stay up while that
// stage's tunnels are replaced; a staged rotation is safe when every count is at least one.
func RotationStagesKeepLink(p *linkplan.Plan) map[int]int {
	out := map[int]int{}
	for _, stage := range []int{linkplan.RotationStageFirst, linkplan.RotationStageSecond} {
		out[stage] = SessionsUpWithout(p, p.TunnelsOfRotationStage(stage))
	}
	return out
}
