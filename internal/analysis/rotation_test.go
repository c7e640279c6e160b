package analysis

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/havpn/pulumi-havpn/internal/linkplan"
)

func TestSessionsUpWithout(t *testing.T) {
	tests := []struct {
		topo linkplan.Topology
		down []string
		want int
	}{
		{linkplan.Paired, nil, 2},
		{linkplan.Paired, []string{"gcp-azure-t0"}, 1},
		{linkplan.Paired, []string{"gcp-azure-t0", "gcp-azure-t1"}, 0},
		{linkplan.Paired, []string{"not-a-tunnel"}, 2},
		{linkplan.DualGateway, []string{"gcp-azure-t0", "gcp-azure-t2"}, 2},
		{linkplan.DualGateway, []string{"gcp-azure-t0", "gcp-azure-t1", "gcp-azure-t3"}, 1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, SessionsUpWithout(buildPlan(t, tc.topo), tc.down), "%s without %v", tc.topo, tc.down)
	}
}

// Each rotation stage replaces the tunnels of one Azure instance; the other instance keeps the link up.
func TestRotationStagesKeepLink(t *testing.T) {
	tests := []struct {
		topo           linkplan.Topology
		stage1, stage2 []string
		up             map[int]int
	}{
		{linkplan.Paired, []string{"gcp-azure-t0"}, []string{"gcp-azure-t1"}, map[int]int{1: 1, 2: 1}},
		{linkplan.DualGateway, []string{"gcp-azure-t0", "gcp-azure-t2"}, []string{"gcp-azure-t1", "gcp-azure-t3"}, map[int]int{1: 2, 2: 2}},
	}
	for _, tc := range tests {
		p := buildPlan(t, tc.topo)
		assert.Equal(t, tc.stage1, p.TunnelsOfRotationStage(linkplan.RotationStageFirst), tc.topo)
		assert.Equal(t, tc.stage2, p.TunnelsOfRotationStage(linkplan.RotationStageSecond), tc.topo)
		assert.Equal(t, tc.up, RotationStagesKeepLink(p), tc.topo)
	}
}
