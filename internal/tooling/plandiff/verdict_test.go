package plandiff

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

const (
	tGateway    = cloudrules.TokenAzureGateway
	tConnection = cloudrules.TokenAzureConnection
	tLng        = cloudrules.TokenLocalGateway
)

// pairedDoc is a two-tunnel plan document with its carriers, built by hand.
func pairedDoc(t *testing.T, resources ...plandoc.Resource) plandoc.Document {
	return plandoc.Document{Stack: "dev", Resources: resources,
		Tunnels: []analysis.TunnelRow{{Name: "t0", GcpInterface: 0, AzureInstance: 0}, {Name: "t1", GcpInterface: 1, AzureInstance: 1}},
		Carriers: []analysis.Carrier{
			{Resource: "vgw", Domains: []string{"azure-inst0", "azure-inst1"}},
			{Resource: "lng0", Tunnels: []string{"t0"}}, {Resource: "conn0", Tunnels: []string{"t0"}},
			{Resource: "lng1", Tunnels: []string{"t1"}}, {Resource: "conn1", Tunnels: []string{"t1"}},
		}}
}

func resource(t *testing.T, typ, name, inputs string, opts *plandoc.Options, inputDeps map[string][]string) plandoc.Resource {
	return plandoc.Resource{Type: typ, Name: name, Inputs: obj(t, inputs), Options: opts, InputDependsOn: inputDeps}
}

func TestVerdictRefusedUpdateInTheAPIsWords(t *testing.T) {
	base := pairedDoc(t, resource(t, tGateway, "vgw", `{"location":"japaneast","resourceGroupName":"rg"}`, nil, nil))
	head := pairedDoc(t, resource(t, tGateway, "vgw", `{"location":"japanwest","resourceGroupName":"rg"}`, nil, nil))
	r := Diff(base, head)
	c := changeOf(t, r, "vgw")
	assert.Equal(t, VerdictUpdate, c.Verdict, "azure-native plans an update")
	require.Len(t, c.Refused, 1)
	assert.Equal(t, "location", c.Refused[0].Input)
	assert.Equal(t, "InvalidResourceLocation: The resource 'vgw' already exists in location 'japaneast' in resource group 'rg'. "+
		"A resource with the same name cannot be created in location 'japanwest'. Please select a new resource name.", c.Refused[0].Message)
	md := Markdown("dev", r)
	assert.Contains(t, md, "| ~ update | `VirtualNetworkGateway` | `vgw` | 1 input, **refused by the API** |")
	assert.Contains(t, md, "> [!CAUTION]\n> The API refuses to update `location` in place: InvalidResourceLocation: ")
}

func TestVerdictReplaceOnChangesAndKeptValues(t *testing.T) {
	opts := &plandoc.Options{DeleteBeforeReplace: true, ReplaceOnChanges: []string{"sharedKey"}}
	base := pairedDoc(t, resource(t, tConnection, "conn0", `{"sharedKey":"a","dpdTimeoutSeconds":45}`, opts, nil),
		resource(t, tConnection, "conn1", `{"sharedKey":"a"}`, nil, nil))
	head := pairedDoc(t, resource(t, tConnection, "conn0", `{"sharedKey":"b","dpdTimeoutSeconds":45}`, opts, nil),
		resource(t, tConnection, "conn1", `{"sharedKey":"b"}`, nil, nil))
	r := Diff(base, head)
	conn0, conn1 := changeOf(t, r, "conn0"), changeOf(t, r, "conn1")
	assert.Equal(t, VerdictReplace, conn0.Verdict, "replaceOnChanges turns the provider's update into a replacement")
	assert.True(t, conn0.DeleteBeforeReplace)
	assert.Equal(t, []string{"`sharedKey` changed and the resource is registered with replaceOnChanges"}, conn0.Reasons)
	assert.Equal(t, VerdictUpdate, conn1.Verdict)
	require.Len(t, conn1.Reasons, 1)
	assert.Contains(t, conn1.Reasons[0], "the API accepts the update and keeps the old value")
	assert.Contains(t, conn1.Reasons[0], "terraform-provider-azurerm #11673")
	md := Markdown("dev", r)
	assert.Contains(t, md, "Replaced (the old resource is deleted first):\n- `sharedKey` changed")
	// Each connection carries one session: both down at once in the worst case.
	assert.Equal(t, 0, r.Disruption.Up)
}

func TestVerdictFollowsReplacementsAlongInputs(t *testing.T) {
	gw := func(rg string) plandoc.Resource {
		return resource(t, tGateway, "vgw", `{"resourceGroupName":"`+rg+`"}`, &plandoc.Options{DeleteBeforeReplace: true}, nil)
	}
	conn := func(opts *plandoc.Options) plandoc.Resource {
		return resource(t, tConnection, "conn0", `{"virtualNetworkGateway1":{"id":"vgw-id"}}`, opts, map[string][]string{"virtualNetworkGateway1": {"vgw"}})
	}
	for _, tc := range []struct {
		name    string
		opts    *plandoc.Options
		verdict Verdict
		reason  string
	}{
		{"provider updates", nil, VerdictUpdate, "`virtualNetworkGateway1` comes from replaced `vgw` (updated in place)"},
		{"replaceOnChanges", &plandoc.Options{ReplaceOnChanges: []string{"virtualNetworkGateway1"}}, VerdictReplace,
			"`virtualNetworkGateway1` comes from replaced `vgw` and forces a new resource"},
		{"replaceWith", &plandoc.Options{ReplaceWith: []string{"vgw"}}, VerdictReplace, "replaced with `vgw` (replaceWith)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Diff(pairedDoc(t, gw("rg"), conn(tc.opts)), pairedDoc(t, gw("rg2"), conn(tc.opts)))
			require.Len(t, r.Changed, 2, "the connection joins the changes although its inputs look the same")
			c := changeOf(t, r, "conn0")
			assert.Equal(t, tc.verdict, c.Verdict)
			assert.Contains(t, c.Reasons, tc.reason)
			assert.Empty(t, c.Fields)
			assert.Contains(t, Markdown("dev", r), "| `conn0` | dragged along |")
		})
	}
}

func TestVerdictOfATypeNotInTheTableIsReplace(t *testing.T) {
	r := Diff(pairedDoc(t, resource(t, "gcp:compute/instance:Instance", "vm", `{"machineType":"a"}`, nil, nil)),
		pairedDoc(t, resource(t, "gcp:compute/instance:Instance", "vm", `{"machineType":"b"}`, nil, nil)))
	c := changeOf(t, r, "vm")
	assert.Equal(t, VerdictReplace, c.Verdict)
	assert.Contains(t, c.Reasons[0], "assumed to replace")
}

func TestDisruptionKeepsTheSessionsOfUntouchedCarriers(t *testing.T) {
	base := pairedDoc(t, resource(t, tLng, "lng0", `{"localNetworkGatewayName":"a"}`, nil, nil), resource(t, tLng, "lng1", `{}`, nil, nil))
	head := pairedDoc(t, resource(t, tLng, "lng0", `{"localNetworkGatewayName":"b"}`, nil, nil), resource(t, tLng, "lng1", `{}`, nil, nil))
	r := Diff(base, head)
	d := r.Disruption
	require.NotNil(t, d)
	assert.Equal(t, []string{"t0"}, d.Down)
	assert.Equal(t, 1, d.Up)
	assert.Equal(t, 2, d.Total)
	assert.Equal(t, "degraded", d.Verdict())
	md := Markdown("dev", r)
	assert.Contains(t, md, "| `LocalNetworkGateway` `lng0` | replace | `t0` | `localNetworkGatewayName` forces a new resource")
	assert.Contains(t, md, "BGP sessions up during the change: 1/2\n")
	assert.NotContains(t, md, "LINK DOWN")
	// A base document of an older commit has no carriers: the head's are used.
	base.Carriers = nil
	assert.Equal(t, []string{"t0"}, Diff(base, head).Disruption.Down)
}

// TestEveryRenderedInputHasAnUpstreamVerdict: every input the component and the example program
// render (in the fixture plans of both stacks and every topology) has its own row in the
// replace-or-update table, so no verdict rests on a type's default.
func TestEveryRenderedInputHasAnUpstreamVerdict(t *testing.T) {
	for _, name := range []string{"dev", "dev-dualgateway", "prod", "prod-sku", "dev-subnet-grow"} {
		for _, res := range loadPlan(t, name).Resources {
			if strings.HasPrefix(res.Type, "havpn:") {
				continue
			}
			rules, ok := cloudrules.ReplaceRules[res.Type]
			if !assert.True(t, ok, "%s: type %s is not in cloudrules.ReplaceRules", name, res.Type) {
				continue
			}
			for input := range res.Inputs {
				_, ok := rules.Fields[input]
				assert.True(t, ok, "%s: %s input %s has no row in cloudrules.ReplaceRules", name, res.Type, input)
			}
		}
	}
}
