package component

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
)

// TestStatusOutputs: the outputs `havpn status` reads name the resources that were registered:
// each tunnel's Google tunnel (auto-named in the cloud) and Azure connection, and the Cloud Router's
// region and project.
func TestStatusOutputs(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			var names, ids, region *awaited[map[string]string]
			var project *awaited[string]
			args := validArgs(topo)
			args.Gcp.Project = pulumi.String("havpn-test-project")
			r := mustRender(t, args, func(ctx *pulumi.Context, link *HaVpnLink) {
				names = await[map[string]string](link.GcpTunnelNames)
				ids = await[map[string]string](link.AzureConnectionIds)
				region = await[map[string]string](pulumi.StringMap{"router": link.GcpRegion}.ToStringMapOutput())
				project = await[string](link.GcpProject)
			})
			wantNames, wantIds := map[string]string{}, map[string]string{}
			for _, w := range wantTunnels(topo) {
				wantNames[w.tunnel] = r.state(t, w.tunnel, "name")
				wantIds[w.tunnel] = r.id(t, w.conn)
			}
			assert.Equal(t, wantNames, names.get(t), "tunnel name -> Google tunnel name")
			assert.Equal(t, wantIds, ids.get(t), "tunnel name -> Azure connection ARM ID")
			assert.Len(t, wantIds, len(wantTunnels(topo)))
			assert.Equal(t, map[string]string{"router": testRegion}, region.get(t), "the Cloud Router's region")
			assert.Equal(t, "havpn-test-project", project.get(t), "the Cloud Router's project")
		})
	}
}
