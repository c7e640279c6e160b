package analysis

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

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
