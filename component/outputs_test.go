package component

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// linkOutputs are the component's outputs, captured inside the program.
type linkOutputs struct {
	tunnels        *awaited[[]map[string]any]
	gcpGatewayIps  *awaited[[]string]
	azurePublicIps *awaited[[]string]
	azureGatewayId *awaited[string]
	gcpRouterName  *awaited[string]
	topologyReport *awaited[string]
}

func renderOutputs(t *testing.T, args *HaVpnLinkArgs) (*rendering, *linkOutputs) {
	t.Helper()
	o := &linkOutputs{}
	r := mustRender(t, args, func(ctx *pulumi.Context, link *HaVpnLink) {
		o.tunnels = await[[]map[string]any](link.Tunnels)
		o.gcpGatewayIps = await[[]string](link.GcpGatewayIps)
		o.azurePublicIps = await[[]string](link.AzurePublicIps)
		o.azureGatewayId = await[string](link.AzureGatewayId)
		o.gcpRouterName = await[string](link.GcpRouterName)
		o.topologyReport = await[string](link.TopologyReport)
	})
	return r, o
}

func TestTunnelsOutput(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r, o := renderOutputs(t, validArgs(topo))
			var want []map[string]any
			for _, w := range wantTunnels(topo) {
				want = append(want, map[string]any{
					"name":            w.tunnel,
					"gcpGateway":      w.gcpGateway,
					"gcpInterface":    w.gcpIface,
					"azureInstance":   w.azureInst,
					"bgpSessionRange": w.rng,
					"gcpBgpIp":        w.gcpIp,
					"azureBgpIp":      w.azureIp,
				})
			}
			assert.Equal(t, want, o.tunnels.get(t))
			// The rows describe what was registered, too.
			for _, row := range o.tunnels.get(t) {
				k := strings.TrimPrefix(row["name"].(string), testName+"-t")
				assert.Equal(t, row["gcpBgpIp"].(string)+"/30", input(t, reg(t, r.rec, tRouterIface, testName+"-if"+k), "ipRange"))
				assert.Equal(t, row["azureBgpIp"], input(t, reg(t, r.rec, tRouterPeer, testName+"-bgp"+k), "peerIpAddress"))
			}
		})
	}
}

func TestTunnelsOutputFollowsBlock(t *testing.T) {
	_, o := renderOutputs(t, customArgs()) // bgpSessionBlock 3
	var got []string
	for _, row := range o.tunnels.get(t) {
		got = append(got, row["bgpSessionRange"].(string)+" "+row["azureBgpIp"].(string)+" "+row["gcpBgpIp"].(string))
	}
	assert.Equal(t, []string{
		"169.254.21.24/30 169.254.21.25 169.254.21.26",
		"169.254.22.24/30 169.254.22.25 169.254.22.26",
		"169.254.21.28/30 169.254.21.29 169.254.21.30",
		"169.254.22.28/30 169.254.22.29 169.254.22.30",
	}, got)
}

func TestAddressOutputs(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r, o := renderOutputs(t, validArgs(topo))
			var wantGcp []string
			for _, gw := range r.rec.OfType(tHaVpnGateway) {
				wantGcp = append(wantGcp, r.gcpInterfaceIp(t, gw.Name, 0), r.gcpInterfaceIp(t, gw.Name, 1))
			}
			require.Len(t, wantGcp, map[string]int{"paired": 2, "dualGateway": 4}[topo])
			assert.Equal(t, wantGcp, o.gcpGatewayIps.get(t), "gateway by gateway, interface 0 then 1")
			assert.Equal(t, []string{r.publicIp(t, "gcp-azure-pip0"), r.publicIp(t, "gcp-azure-pip1")}, o.azurePublicIps.get(t))
			assert.Equal(t, r.id(t, "gcp-azure-vgw"), o.azureGatewayId.get(t))
			assert.Equal(t, r.state(t, "gcp-azure-router", "name"), o.gcpRouterName.get(t))
		})
	}
}

func TestTopologyReportOutput(t *testing.T) {
	tests := []struct {
		topo     string
		header   string
		rows     []string // wiring rows as regexps over whitespace-separated columns
		linkDown []string // failure cases that leave no BGP session
	}{
		{
			topo:   "paired",
			header: `havpn link "gcp-azure", topology paired: 2 tunnels, 2 BGP sessions`,
			rows: []string{
				`gcp-azure-t0 gcp-azure-gw0 0 0 169.254.21.0/30 169.254.21.2 169.254.21.1 65534 65515`,
				`gcp-azure-t1 gcp-azure-gw0 1 1 169.254.22.0/30 169.254.22.2 169.254.22.1 65534 65515`,
			},
			linkDown: []string{
				"gcp-gw0-if0 + gcp-gw0-if1 0/2",
				"gcp-gw0-if0 + azure-inst1 0/2",
				"gcp-gw0-if1 + azure-inst0 0/2",
				"azure-inst0 + azure-inst1 0/2",
			},
		},
		{
			topo:   "dualGateway",
			header: `havpn link "gcp-azure", topology dualGateway: 4 tunnels, 4 BGP sessions`,
			rows: []string{
				`gcp-azure-t0 gcp-azure-gw0 0 0 169.254.21.0/30 169.254.21.2 169.254.21.1 65534 65515`,
				`gcp-azure-t1 gcp-azure-gw0 1 1 169.254.22.0/30 169.254.22.2 169.254.22.1 65534 65515`,
				`gcp-azure-t2 gcp-azure-gw1 0 0 169.254.21.4/30 169.254.21.6 169.254.21.5 65534 65515`,
				`gcp-azure-t3 gcp-azure-gw1 1 1 169.254.22.4/30 169.254.22.6 169.254.22.5 65534 65515`,
			},
			linkDown: []string{"azure-inst0 + azure-inst1 0/4"},
		},
	}
	space := regexp.MustCompile(`\s+`)
	for _, tc := range tests {
		t.Run(tc.topo, func(t *testing.T) {
			_, o := renderOutputs(t, validArgs(tc.topo))
			report := o.topologyReport.get(t)
			lines := strings.Split(report, "\n")
			norm := make([]string, len(lines))
			for i, l := range lines {
				norm[i] = strings.TrimSpace(space.ReplaceAllString(l, " "))
			}
			assert.Equal(t, tc.header, norm[0])
			assert.Contains(t, norm, "TUNNEL GCP GATEWAY GCP IF AZURE INSTANCE /30 GCP BGP IP AZURE BGP IP GCP ASN AZURE ASN")
			for _, row := range tc.rows {
				assert.Contains(t, norm, row)
			}
			var down []string
			for _, l := range norm {
				if strings.HasSuffix(l, " LINK DOWN") {
					down = append(down, strings.TrimSuffix(l, " LINK DOWN"))
				}
			}
			assert.Equal(t, tc.linkDown, down)
			if tc.topo == "dualGateway" {
				assert.Contains(t, norm, "gcp-gw0-if0 + azure-inst1 1/4 degraded", "dualGateway survives the field report's outage")
			} else {
				assert.Contains(t, norm, "gcp-gw0-if0 1/2 degraded")
			}
		})
	}
}
