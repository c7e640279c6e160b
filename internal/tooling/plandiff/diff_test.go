package plandiff

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

// obj decodes a JSON object the way Decode does (numbers as json.Number).
func obj(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m))
	return m
}

func TestDiffInputs(t *testing.T) {
	cases := []struct {
		name, base, head string
		want             []FieldChange
	}{
		{"identical", `{"a":1,"b":{"c":[1,2]}}`, `{"b":{"c":[1,2]},"a":1}`, nil},
		{"both empty", `{}`, `{}`, nil},
		{"scalar", `{"asn":65534}`, `{"asn":64512}`, []FieldChange{{Path: "asn", Kind: Modified, Old: "65534", New: "64512"}}},
		{"number spelling kept", `{"asn":4200000000}`, `{"asn":4200000001}`, []FieldChange{{Path: "asn", Kind: Modified, Old: "4200000000", New: "4200000001"}}},
		{"type change", `{"x":"20"}`, `{"x":20}`, []FieldChange{{Path: "x", Kind: Modified, Old: `"20"`, New: "20"}}},
		{"bool and null", `{"a":true,"b":null}`, `{"a":false,"b":"x"}`, []FieldChange{
			{Path: "a", Kind: Modified, Old: "true", New: "false"},
			{Path: "b", Kind: Modified, Old: "null", New: `"x"`},
		}},
		{"nested object", `{"bgp":{"asn":1,"keepaliveInterval":20,"mode":"DEFAULT"}}`, `{"bgp":{"asn":1,"keepaliveInterval":30,"mode":"CUSTOM"}}`, []FieldChange{
			{Path: "bgp.keepaliveInterval", Kind: Modified, Old: "20", New: "30"},
			{Path: "bgp.mode", Kind: Modified, Old: "DEFAULT", New: "CUSTOM"},
		}},
		{"added and removed keys, sorted", `{"z":1,"a":{"x":1}}`, `{"m":[1],"a":{"y":"v"}}`, []FieldChange{
			{Path: "a.x", Kind: Removed, Old: "1"},
			{Path: "a.y", Kind: Added, New: "v"},
			{Path: "m", Kind: Added, New: "[1]"},
			{Path: "z", Kind: Removed, Old: "1"},
		}},
		{"scalar array shown whole", `{"zones":["1","2","3"]}`, `{"zones":["1","3"]}`, []FieldChange{
			{Path: "zones", Kind: Modified, Old: `["1","2","3"]`, New: `["1","3"]`},
		}},
		{"scalar array reorder", `{"zones":["1","2"]}`, `{"zones":["2","1"]}`, []FieldChange{
			{Path: "zones", Kind: Modified, Old: `["1","2"]`, New: `["2","1"]`},
		}},
		{"array of objects by index", `{"p":[{"ip":"a","id":"x"},{"ip":"b","id":"y"}]}`, `{"p":[{"ip":"a","id":"x"},{"ip":"c","id":"y"}]}`, []FieldChange{
			{Path: "p[1].ip", Kind: Modified, Old: "b", New: "c"},
		}},
		{"array of objects grows and shrinks", `{"p":[{"a":1}],"q":[{"a":1},{"a":2}]}`, `{"p":[{"a":1},{"a":2}],"q":[{"a":1}]}`, []FieldChange{
			{Path: "p[1]", Kind: Added, New: `{"a":2}`},
			{Path: "q[1]", Kind: Removed, Old: `{"a":2}`},
		}},
		{"nested arrays", `{"a":[[1,2],[3]]}`, `{"a":[[1,2],[4]]}`, []FieldChange{{Path: "a[1]", Kind: Modified, Old: "[3]", New: "[4]"}}},
		{"object replaced by scalar", `{"a":{"b":1}}`, `{"a":"x"}`, []FieldChange{{Path: "a", Kind: Modified, Old: `{"b":1}`, New: `"x"`}}},
		{"odd keys quoted", `{"a":{"x.y":1,"has space":1}}`, `{"a":{"x.y":2,"has space":2}}`, []FieldChange{
			{Path: `a["has space"]`, Kind: Modified, Old: "1", New: "2"},
			{Path: `a["x.y"]`, Kind: Modified, Old: "1", New: "2"},
		}},
		{"no HTML escaping", `{"a":["<x>&"]}`, `{"a":["<y>"]}`, []FieldChange{{Path: "a", Kind: Modified, Old: `["<x>&"]`, New: `["<y>"]`}}},
		// Secrets: the mask on both sides is no visible change; a value secret on one side only is hidden.
		{"secret unchanged", `{"sharedKey":"[secret]"}`, `{"sharedKey":"[secret]"}`, nil},
		{"secret becomes plain", `{"sharedKey":"[secret]"}`, `{"sharedKey":"psk-in-clear"}`, []FieldChange{
			{Path: "sharedKey", Kind: Modified, Old: "[secret]", New: Hidden, SecretnessChanged: true},
		}},
		{"plain becomes secret", `{"sharedKey":"old-psk-in-clear"}`, `{"sharedKey":"[secret]"}`, []FieldChange{
			{Path: "sharedKey", Kind: Modified, Old: Hidden, New: "[secret]", SecretnessChanged: true},
		}},
		{"secret inside a scalar array", `{"keys":["a","[secret]"]}`, `{"keys":["a","leaked"]}`, []FieldChange{
			{Path: "keys", Kind: Modified, Old: Hidden, New: Hidden, SecretnessChanged: true},
		}},
		{"secret array grows, masks kept", `{"keys":["[secret]"]}`, `{"keys":["[secret]","[secret]"]}`, []FieldChange{
			{Path: "keys", Kind: Modified, Old: Hidden, New: Hidden, SecretnessChanged: true},
		}},
		{"secret object replaced", `{"o":"[secret]"}`, `{"o":{"k":"leaked"}}`, []FieldChange{
			{Path: "o", Kind: Modified, Old: "[secret]", New: Hidden, SecretnessChanged: true},
		}},
		{"plain sibling of a secret", `{"c":{"sharedKey":"[secret]","dpd":45}}`, `{"c":{"sharedKey":"[secret]","dpd":60}}`, []FieldChange{
			{Path: "c.dpd", Kind: Modified, Old: "45", New: "60"},
		}},
		{"same masks, other values change", `{"c":[["[secret]","a"]]}`, `{"c":[["[secret]","b"]]}`, []FieldChange{
			{Path: "c[0]", Kind: Modified, Old: `["[secret]","a"]`, New: `["[secret]","b"]`},
		}},
		{"added secret stays masked", `{}`, `{"sharedKey":"[secret]"}`, []FieldChange{{Path: "sharedKey", Kind: Added, New: "[secret]"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := DiffInputs(obj(t, c.base), obj(t, c.head))
			assert.Equal(t, c.want, got)
			for _, f := range got {
				for _, leak := range []string{"psk-in-clear", "leaked"} {
					assert.NotContains(t, f.Old+f.New, leak, "a value that is secret on the other side is never shown")
				}
			}
		})
	}
}

func TestDiffInputsNilMaps(t *testing.T) {
	assert.Empty(t, DiffInputs(nil, nil))
	assert.Equal(t, []FieldChange{{Path: "a", Kind: Added, New: "1"}}, DiffInputs(nil, map[string]any{"a": json.Number("1")}))
	assert.Equal(t, []FieldChange{{Path: "a", Kind: Removed, Old: "1"}}, DiffInputs(map[string]any{"a": json.Number("1")}, nil))
}

// A secret that becomes plain must not reach the Markdown, whatever the nesting.
func TestMarkdownNeverRevealsMaskedValues(t *testing.T) {
	base := plandoc.Document{Stack: "dev", Resources: []plandoc.Resource{
		{Type: "azure-native:network:VirtualNetworkGatewayConnection", Name: "conn0", Inputs: obj(t, `{"sharedKey":"[secret]","ipsec":[{"k":"[secret]"}],"list":["[secret]"]}`)},
	}}
	head := plandoc.Document{Stack: "dev", Resources: []plandoc.Resource{
		{Type: "azure-native:network:VirtualNetworkGatewayConnection", Name: "conn0", Inputs: obj(t, `{"sharedKey":"TOPSECRET-1","ipsec":[{"k":"TOPSECRET-2"}],"list":["TOPSECRET-3","x"]}`)},
	}}
	for _, pair := range [][2]plandoc.Document{{base, head}, {head, base}} {
		r := Diff(pair[0], pair[1])
		md := Markdown("dev", r)
		assert.NotContains(t, md, "TOPSECRET")
		js, err := json.Marshal(r)
		require.NoError(t, err)
		assert.NotContains(t, string(js), "TOPSECRET", "the report itself holds no revealed value")
		assert.Contains(t, md, "is secret in one plan only: neither value is shown")
		require.Len(t, r.Changed, 1)
		assert.Len(t, r.Changed[0].Fields, 3)
	}
}

func TestDiffResources(t *testing.T) {
	res := func(typ, name string, inputs string, deps ...string) plandoc.Resource {
		return plandoc.Resource{Type: typ, Name: name, Inputs: obj(t, inputs), DependsOn: deps}
	}
	base := plandoc.Document{Stack: "dev", Resources: []plandoc.Resource{
		res("gcp:compute/router:Router", "r", `{"a":1}`, "net"),
		res("gcp:compute/network:Network", "net", `{}`),
		res("gcp:compute/vPNTunnel:VPNTunnel", "t1", `{}`),
		res("gcp:compute/vPNTunnel:VPNTunnel", "t0", `{}`, "gw0"),
	}, Warnings: []string{"w-old", "w-same"}}
	head := plandoc.Document{Stack: "dev", Resources: []plandoc.Resource{
		res("gcp:compute/vPNTunnel:VPNTunnel", "t0", `{}`, "gw0", "router"),
		res("gcp:compute/network:Network", "net", `{}`),
		res("gcp:compute/router:Router", "r", `{"a":1}`),
		res("gcp:compute/vPNTunnel:VPNTunnel", "t2", `{}`),
		res("azure-native:network:Subnet", "s", `{}`),
	}, Warnings: []string{"w-same", "w-new"}}
	r := Diff(base, head)
	assert.Equal(t, []ResourceID{{"azure-native:network:Subnet", "s"}, {"gcp:compute/vPNTunnel:VPNTunnel", "t2"}}, r.Added)
	assert.Equal(t, []ResourceID{{"gcp:compute/vPNTunnel:VPNTunnel", "t1"}}, r.Removed)
	require.Len(t, r.Changed, 2)
	assert.Equal(t, ResourceChange{ResourceID: ResourceID{"gcp:compute/router:Router", "r"}, DependsOnAdded: []string{}, DependsOnRemoved: []string{"net"}, Verdict: VerdictUpdate}, r.Changed[0])
	assert.Equal(t, ResourceChange{ResourceID: ResourceID{"gcp:compute/vPNTunnel:VPNTunnel", "t0"}, DependsOnAdded: []string{"router"}, DependsOnRemoved: []string{}, Verdict: VerdictUpdate}, r.Changed[1])
	assert.Equal(t, []string{"w-new"}, r.WarningsAdded)
	assert.Equal(t, []string{"w-old"}, r.WarningsRemoved)

	md := Markdown("dev", r)
	assert.Contains(t, md, "### havpn plan `dev`: 2 to add, 1 to remove, 2 to change\n")
	assert.Contains(t, md, "| ~ update | `Router` | `r` | dependsOn |")
	assert.Contains(t, md, "dependsOn: removed `net`\n")
	assert.Contains(t, md, "dependsOn: added `router`\n")
	assert.Contains(t, md, "- added: w-new\n- removed: w-old\n")
	// Order: added, removed, changed; each sorted by type token then name.
	assert.Less(t, strings.Index(md, "| + add | `Subnet`"), strings.Index(md, "| + add | `VPNTunnel` | `t2`"))
	assert.Less(t, strings.Index(md, "| + add | `VPNTunnel` | `t2`"), strings.Index(md, "| - remove |"))
	assert.Less(t, strings.Index(md, "| - remove |"), strings.Index(md, "| ~ update |"))
}

func TestDiffTunnelsAndFailures(t *testing.T) {
	row := func(name string, iface int, rng string) analysis.TunnelRow {
		return analysis.TunnelRow{Name: name, GcpInterface: iface, AzureInstance: iface, BgpSessionRange: rng, GcpBgpIp: "g", AzureBgpIp: "a"}
	}
	base := plandoc.Document{Resources: []plandoc.Resource{}, Tunnels: []analysis.TunnelRow{row("t0", 0, "r0"), row("t1", 1, "r1"), row("t9", 1, "r9")},
		Failures: []analysis.FailureCase{{Failed: []string{"a"}, BgpSessionsUp: 2}, {Failed: []string{"b"}, BgpSessionsUp: 2}, {Failed: []string{"a", "b"}, BgpSessionsUp: 1}}}
	head := plandoc.Document{Resources: []plandoc.Resource{}, Tunnels: []analysis.TunnelRow{row("t0", 0, "r0"), row("t1", 1, "rX"), row("t2", 0, "r2")},
		Failures: []analysis.FailureCase{{Failed: []string{"c"}, BgpSessionsUp: 3}, {Failed: []string{"b"}, BgpSessionsUp: 2}, {Failed: []string{"a", "b"}, BgpSessionsUp: 0}}}
	r := Diff(base, head)
	require.Len(t, r.Tunnels, 4)
	assert.Equal(t, []string{"t0", "t1", "t9", "t2"}, []string{r.Tunnels[0].Name, r.Tunnels[1].Name, r.Tunnels[2].Name, r.Tunnels[3].Name})
	assert.Equal(t, []Kind{Unchanged, Modified, Removed, Added}, []Kind{r.Tunnels[0].Kind, r.Tunnels[1].Kind, r.Tunnels[2].Kind, r.Tunnels[3].Kind})
	require.Len(t, r.Failures, 3)
	assert.Equal(t, FailureDiff{Kind: Removed, Failed: []string{"a"}, Base: &Outcome{2, 3}}, r.Failures[0])
	assert.Equal(t, FailureDiff{Kind: Modified, Failed: []string{"a", "b"}, Base: &Outcome{1, 3}, Head: &Outcome{0, 3}}, r.Failures[1])
	assert.Equal(t, FailureDiff{Kind: Added, Failed: []string{"c"}, Head: &Outcome{3, 3}}, r.Failures[2])
	assert.Equal(t, 1, r.UnchangedFailures)

	md := Markdown("dev", r)
	assert.Contains(t, md, "| ~ | `t1` | `0` | `1` | `1` | `r1` → `rX` | `g` | `a` |")
	assert.Contains(t, md, "|  | `t0` |")
	assert.Contains(t, md, "| - | `t9` |")
	assert.Contains(t, md, "| + | `t2` |")
	assert.Contains(t, md, "| ~ | `a + b` | 1/3 → 0/3 | degraded → **LINK DOWN** |")
	assert.Contains(t, md, "1 unchanged failure case(s) not shown.")

	same := Diff(base, base)
	assert.Empty(t, same.Tunnels)
	assert.Empty(t, same.Failures)
	assert.True(t, same.Empty())
	assert.NotContains(t, Markdown("dev", same), "Wiring")
}

func TestShortType(t *testing.T) {
	for in, want := range map[string]string{
		"gcp:compute/haVpnGateway:HaVpnGateway":                "HaVpnGateway",
		"azure-native:network:VirtualNetworkGatewayConnection": "VirtualNetworkGatewayConnection",
		"havpn:index:HaVpnLink":                                "HaVpnLink",
		"pulumi:providers:gcp":                                 "gcp",
		"NoColons":                                             "NoColons",
		"trailing:":                                            "trailing:",
	} {
		assert.Equal(t, want, ShortType(in), in)
	}
	// Two tokens that shorten alike keep their full token in the table.
	r := Report{Added: []ResourceID{{"gcp:compute/network:Network", "a"}, {"other:net:Network", "b"}, {"gcp:compute/router:Router", "c"}}}
	md := Markdown("dev", r)
	assert.Contains(t, md, "| + add | `gcp:compute/network:Network` | `a` |")
	assert.Contains(t, md, "| + add | `other:net:Network` | `b` |")
	assert.Contains(t, md, "| + add | `Router` | `c` |")
}

func TestCodeAndClip(t *testing.T) {
	assert.Equal(t, "`a`", code("a"))
	assert.Equal(t, "`a\\|b`", code("a|b"), "pipes would split the table cell")
	assert.Equal(t, "``a`b``", code("a`b"))
	assert.Equal(t, "`` `a ``", code("`a"))
	assert.Equal(t, "`a b`", code("a\nb"))
	assert.Equal(t, "` `", code(""))

	long := strings.Repeat("x", 100)
	assert.Equal(t, strings.Repeat("x", 79)+"…", clip(long, 80))
	assert.Equal(t, 80, len([]rune(clip(long, 80))))
	assert.Equal(t, "short", clip("short", 80))
	assert.Equal(t, strings.Repeat("é", 80), clip(strings.Repeat("é", 80), 80), "counts characters, not bytes")

	r := Report{Changed: []ResourceChange{{ResourceID: ResourceID{"t:m:T", "n"}, Fields: []FieldChange{{Path: "p", Kind: Modified, Old: "[" + strings.Repeat(`"169.254.21.1",`, 10) + "]", New: "x"}}}}}
	md := Markdown("dev", r)
	assert.Contains(t, md, "…` | `x` |")
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| `p` |") {
			assert.Less(t, len([]rune(line)), 110, line)
		}
	}
	assert.Equal(t, "```text\nx\n```\n", fenced("x"))
	assert.Equal(t, "````text\na```b\n````\n", fenced("a```b"))
}

// The package must stay free of Pulumi, cloud SDKs, the component and the program.
func TestPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	require.NoError(t, err)
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/pulumi/", "google.golang.org/grpc", "/component", "/internal/example/program", "/internal/simulation/mockcloud", "/internal/tooling/offline", "/provider"} {
			assert.NotContains(t, dep, banned)
		}
	}
}
