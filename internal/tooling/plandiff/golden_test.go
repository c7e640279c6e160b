package plandiff

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

var update = flag.Bool("update", false, "rewrite the golden Markdown files in testdata/golden")

// The fixture plans in testdata are real `havpn plan --json` outputs (testdata/gen.sh).
func loadPlan(t *testing.T, name string) plandoc.Document {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name+".json"))
	require.NoError(t, err)
	defer f.Close()
	p, err := plandoc.Decode(f)
	require.NoError(t, err)
	return p
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".md")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run: go test ./internal/tooling/plandiff -update")
	if string(want) != got {
		t.Errorf("Markdown differs from %s (if intended, run: go test ./internal/tooling/plandiff -update)\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

func TestGoldenPairs(t *testing.T) {
	cases := []struct {
		name, stack, base, head string
		add, remove, change     int
		check                   func(t *testing.T, r Report, md string)
	}{
		{"identical", "dev", "dev", "dev", 0, 0, 0, func(t *testing.T, r Report, md string) {
			assert.True(t, r.Empty())
			assert.Contains(t, md, "No changes")
			assert.NotContains(t, md, "#### ")
		}},
		{"bgp-session-block", "dev", "dev", "dev-block2", 0, 0, 9, func(t *testing.T, r Report, md string) {
			assert.Equal(t, FieldChange{Path: "ipRange", Kind: Modified, Old: "169.254.21.2/30", New: "169.254.21.18/30"}, changeOf(t, r, "gcp-azure-if0").Fields[0])
			require.Len(t, r.Tunnels, 2)
			assert.Equal(t, Modified, r.Tunnels[0].Kind)
			assert.Equal(t, "169.254.21.16/30", r.Tunnels[0].Head.BgpSessionRange)
			assert.Empty(t, r.Failures, "the same wiring shape survives the same failures")
			assert.Contains(t, md, "| ~ | `gcp-azure-t0` | `0` | `0` | `0` | `169.254.21.0/30` → `169.254.21.16/30` |")
			assert.NotContains(t, md, "Survivability")
			// ipRange is ForceNew: the interfaces are replaced, their peers with them (replaceWith).
			assert.Equal(t, VerdictReplace, changeOf(t, r, "gcp-azure-if0").Verdict)
			assert.Contains(t, changeOf(t, r, "gcp-azure-if0").Reasons[0], "resource_compute_router_interface.go:76 ForceNew")
			assert.Equal(t, []string{"replaced with `gcp-azure-if0` (replaceWith)", "`interface` comes from replaced `gcp-azure-if0` and forces a new resource"},
				changeOf(t, r, "gcp-azure-bgp0").Reasons)
			assert.Equal(t, VerdictUpdate, changeOf(t, r, "gcp-azure-vgw").Verdict)
			assert.Contains(t, md, "| +- replace | `RouterInterface` | `gcp-azure-if0` | 1 input |")
			assert.Contains(t, md, "| ~ update | `VirtualNetworkGateway` | `gcp-azure-vgw` | 2 inputs |")
			assert.Equal(t, []string{"gcp-azure-t0", "gcp-azure-t1"}, r.Disruption.Down)
			assert.Contains(t, md, "#### Disruption\n")
			assert.Contains(t, md, "BGP sessions up during the change: 0/2 — **LINK DOWN**")
		}},
		{"dual-gateway", "dev", "dev", "dev-dualgateway", 11, 0, 2, func(t *testing.T, r Report, md string) {
			assert.Contains(t, r.Added, ResourceID{Type: "gcp:compute/haVpnGateway:HaVpnGateway", Name: "gcp-azure-gw1"})
			assert.Contains(t, md, "| + add | `HaVpnGateway` | `gcp-azure-gw1` | |")
			assert.Contains(t, md, "| ~ | `gcp-gw0-if0 + azure-inst1` | 0/2 → 1/4 | **LINK DOWN** → degraded |")
			assert.Contains(t, md, "| ~ | `azure-inst0 + azure-inst1` | 0/2 → 0/4 | **LINK DOWN** |")
			assert.Contains(t, md, "| + | `gcp-gw1-if0` | 3/4 | degraded |")
			assert.Equal(t, 0, r.UnchangedFailures, "every case changes: 2 tunnels became 4")
			assert.Len(t, r.Failures, 10+11)
			require.Len(t, r.Tunnels, 4)
			assert.Equal(t, []Kind{Unchanged, Unchanged, Added, Added}, []Kind{r.Tunnels[0].Kind, r.Tunnels[1].Kind, r.Tunnels[2].Kind, r.Tunnels[3].Kind})
			// The gateway's APIPA lists change: an in-place update, taken as disrupting both existing sessions.
			require.Len(t, r.Disruption.Outages, 1)
			assert.Equal(t, "update", r.Disruption.Outages[0].Action)
			assert.Equal(t, 2, r.Disruption.Total, "the sessions that exist before the change")
			assert.Contains(t, md, "BGP sessions up during the change: 0/2 — **LINK DOWN**")
		}},
		{"keepalive", "dev", "dev", "dev-keepalive30", 0, 0, 1, func(t *testing.T, r Report, md string) {
			c := changeOf(t, r, "gcp-azure-router")
			assert.Equal(t, []FieldChange{{Path: "bgp.keepaliveInterval", Kind: Modified, Old: "20", New: "30"}}, c.Fields)
			assert.Contains(t, md, "| ~ update | `Router` | `gcp-azure-router` | 1 input |")
			assert.Contains(t, md, "assumed: the Google docs do not say a Cloud Router BGP update keeps its sessions up")
			assert.Contains(t, md, "| `bgp.keepaliveInterval` | `20` | `30` |")
			assert.Empty(t, r.Tunnels)
			assert.Empty(t, r.Failures)
		}},
		{"shared-secret", "dev", "dev", "dev-secret", 0, 0, 8, func(t *testing.T, r Report, md string) {
			assert.False(t, r.Empty(), "the placeholder warning goes away")
			assert.Len(t, r.WarningsRemoved, 1)
			assert.Contains(t, md, "- removed: sharedSecret is not set in plain text")
			fixture, err := os.ReadFile(filepath.Join("testdata", "dev-secret.json"))
			require.NoError(t, err)
			assert.NotContains(t, string(fixture), "fixture-secret-value", "gen.sh planned with this secret; the plan must mask it")
			assert.Contains(t, string(fixture), `"sharedKey": "[secret]"`)
			// The master secret changed with no rotation staged: every tunnel is re-keyed at once.
			require.NotNil(t, r.KeyChange)
			assert.Equal(t, StepOneStep, r.KeyChange.Step)
			assert.Equal(t, []string{"gcp-azure-t0", "gcp-azure-t1"}, r.KeyChange.Tunnels)
			assert.Equal(t, VerdictReplace, changeOf(t, r, "gcp-azure-t0").Verdict, "sharedSecret is ForceNew")
			assert.Equal(t, VerdictReplace, changeOf(t, r, "gcp-azure-conn1").Verdict, "replaceOnChanges: sharedKey")
			assert.Equal(t, VerdictReplace, changeOf(t, r, "gcp-azure-if0").Verdict, "dragged along by its tunnel")
			assert.Contains(t, md, "> [!WARNING]\n> Pre-shared keys change (one step)")
			assert.Contains(t, md, "BGP sessions up during the change: 0/2 — **LINK DOWN**")
			assert.NotContains(t, md, "fixture-secret-value")
		}},
		{"rotate-stage1", "dev", "dev", "dev-rotate-stage1", 0, 0, 4, func(t *testing.T, r Report, md string) {
			require.NotNil(t, r.KeyChange)
			assert.Equal(t, StepStage1, r.KeyChange.Step)
			assert.Equal(t, []string{"gcp-azure-t0"}, r.KeyChange.Tunnels)
			assert.Equal(t, VerdictReplace, changeOf(t, r, "gcp-azure-conn0").Verdict)
			assert.Nil(t, findChange(r, "gcp-azure-t1"), "stage 1 leaves instance 1's tunnel alone")
			assert.Equal(t, []string{"gcp-azure-t0"}, r.Disruption.Down)
			assert.Contains(t, md, "BGP sessions up during the change: 1/2\n")
			assert.NotContains(t, md, "fixture-next-secret")
		}},
		{"rotate-stage2", "dev", "dev-rotate-stage1", "dev-rotate-stage2", 0, 0, 4, func(t *testing.T, r Report, md string) {
			require.NotNil(t, r.KeyChange)
			assert.Equal(t, StepStage2, r.KeyChange.Step)
			assert.Equal(t, []string{"gcp-azure-t1"}, r.KeyChange.Tunnels)
			assert.Nil(t, findChange(r, "gcp-azure-t0"), "stage 1's tunnel already has the new key")
			assert.Contains(t, md, "BGP sessions up during the change: 1/2\n")
		}},
		{"rotate-stage1-undone", "dev", "dev-rotate-stage1", "dev", 0, 0, 4, func(t *testing.T, r Report, md string) {
			require.NotNil(t, r.KeyChange)
			assert.Equal(t, StepStage1Undo, r.KeyChange.Step)
			assert.Equal(t, []string{"gcp-azure-t0"}, r.KeyChange.Tunnels)
		}},
		{"dpd-waves", "dev", "dev", "dev-dpd30", 0, 0, 2, func(t *testing.T, r Report, md string) {
			// Both connections are updated, but conn1 depends on conn0: never both at once.
			assert.Equal(t, VerdictUpdate, changeOf(t, r, "gcp-azure-conn0").Verdict)
			assert.Equal(t, VerdictUpdate, changeOf(t, r, "gcp-azure-conn1").Verdict)
			require.Len(t, r.Disruption.Outages, 2)
			assert.Len(t, r.Disruption.Down, 1)
			assert.Equal(t, 1, r.Disruption.Up)
			assert.Contains(t, md, "BGP sessions up during the change: 1/2\n")
		}},
		{"prod-sku-advertised-ranges", "prod", "prod", "prod-sku", 0, 0, 2, func(t *testing.T, r Report, md string) {
			assert.Equal(t, VerdictUpdate, changeOf(t, r, "gcp-azure-vgw").Verdict, "a SKU change is an in-place update")
			assert.Contains(t, md, "BGP sessions up during the change: 0/4 — **LINK DOWN**")
			c := changeOf(t, r, "gcp-azure-router")
			assert.Equal(t, []FieldChange{
				{Path: "bgp.advertiseMode", Kind: Modified, Old: "DEFAULT", New: "CUSTOM"},
				{Path: "bgp.advertisedGroups", Kind: Added, New: `["ALL_SUBNETS"]`},
				{Path: "bgp.advertisedIpRanges", Kind: Added, New: `[{"range":"192.168.0.0/24"}]`},
			}, c.Fields)
			assert.Contains(t, md, "| `bgp.advertisedGroups` | _(absent)_ | `[\"ALL_SUBNETS\"]` |")
		}},
		{"reverse-dual-gateway", "dev", "dev-dualgateway", "dev", 0, 11, 2, func(t *testing.T, r Report, md string) {
			assert.Contains(t, md, "| - remove | `VPNTunnel` | `gcp-azure-t3` | |")
			assert.Contains(t, md, "| - | `gcp-azure-t3` |")
			assert.Contains(t, md, "| - | `gcp-gw1-if1` | 3/4 | degraded |")
			assert.Contains(t, md, "| `VPNTunnel` `gcp-azure-t3` | remove | `gcp-azure-t3` | removed: its sessions end |")
			assert.Equal(t, 4, r.Disruption.Total)
		}},
		{"azure-location", "dev", "dev", "dev-location", 0, 0, 18, func(t *testing.T, r Report, md string) {
			// The resource group's location is in forceNewMap: everything in it is replaced; the public IPs
			// are replaced, so the external gateway's interfaces change (ForceNew), so every tunnel, then every
			// interface (vpnTunnel is ForceNew) and peer (replaceWith) goes too.
			for _, name := range []string{"rg", "gcp-azure-pip0", "gcp-azure-azure-peer", "gcp-azure-t0", "gcp-azure-if1", "gcp-azure-bgp1", "gcp-azure-vgw", "gcp-azure-conn0"} {
				assert.Equal(t, VerdictReplace, changeOf(t, r, name).Verdict, name)
			}
			assert.Equal(t, []string{"`interfaces` comes from replaced `gcp-azure-pip0` and forces a new resource",
				"`interfaces` comes from replaced `gcp-azure-pip1` and forces a new resource"}, changeOf(t, r, "gcp-azure-azure-peer").Reasons)
			assert.Empty(t, changeOf(t, r, "gcp-azure-vgw").Refused, "a replaced gateway is not updated, so nothing is refused")
			assert.Contains(t, md, "| +- replace | `ExternalVpnGateway` | `gcp-azure-azure-peer` | dragged along |")
			assert.Contains(t, md, "BGP sessions up during the change: 0/2 — **LINK DOWN**")
		}},
		{"subnet-grows", "dev", "dev", "dev-subnet-grow", 0, 0, 1, func(t *testing.T, r Report, md string) {
			assert.Equal(t, VerdictUpdate, changeOf(t, r, "subnet-asia-northeast1").Verdict, "a range that only grows is updated in place")
			assert.Contains(t, md, "No resource that carries a BGP session is replaced, removed or updated.")
			assert.Contains(t, md, "BGP sessions up during the change: 2/2\n")
		}},
		{"subnet-shrinks", "dev", "dev", "dev-subnet-shrink", 0, 0, 1, func(t *testing.T, r Report, md string) {
			c := changeOf(t, r, "subnet-asia-northeast1")
			assert.Equal(t, VerdictReplace, c.Verdict)
			assert.Contains(t, c.Reasons[0], "resource_compute_subnetwork.go:108 CustomizeDiff")
			assert.Contains(t, md, "| +- replace | `Subnetwork` | `subnet-asia-northeast1` | 1 input |")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Diff(loadPlan(t, c.base), loadPlan(t, c.head))
			add, remove, change := r.Counts()
			assert.Equal(t, [3]int{c.add, c.remove, c.change}, [3]int{add, remove, change}, "add/remove/change")
			md := Markdown(c.stack, r)
			assert.True(t, strings.HasPrefix(md, "### havpn plan `"+c.stack+"`: "), md)
			assert.Contains(t, md, Label)
			c.check(t, r, md)
			assert.Equal(t, md, Markdown(c.stack, Diff(loadPlan(t, c.base), loadPlan(t, c.head))), "deterministic")
			golden(t, c.name, md)
		})
	}
}

func TestGoldenFailedPlan(t *testing.T) {
	msg := "havpn plan: stack \"dev\" is invalid:\nhavpn: 1 invalid argument(s):\n  - gcp.asn = 65515: Azure refuses this ASN for the peer of its gateway: reserved by Azure (default gateway ASN). Fix: use another private ASN, e.g. 65534 or 64512."
	md := Markdown("dev", Failed("", msg))
	assert.Contains(t, md, "not compared, the plan failed")
	assert.Contains(t, md, "The base plan succeeded.")
	assert.Contains(t, md, "```text\n"+msg+"\n```")
	golden(t, "failed-head", md)
}

func TestGoldenDocument(t *testing.T) {
	dev := Diff(loadPlan(t, "dev"), loadPlan(t, "dev-keepalive30"))
	prod := Diff(loadPlan(t, "prod"), loadPlan(t, "prod"))
	doc := Document("origin/main (0123456789ab)", "HEAD (ba9876543210)", []Section{{"dev", dev}, {"prod", prod}})
	assert.True(t, strings.HasPrefix(doc, Marker+"\n## havpn plan diff: `origin/main (0123456789ab)` → `HEAD (ba9876543210)`"))
	assert.Less(t, strings.Index(doc, "### havpn plan `dev`"), strings.Index(doc, "### havpn plan `prod`"), "stacks in the order given")
	golden(t, "document", doc)
}

func changeOf(t *testing.T, r Report, name string) ResourceChange {
	t.Helper()
	for _, c := range r.Changed {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no change of %s in %+v", name, r.Changed)
	return ResourceChange{}
}

func findChange(r Report, name string) *ResourceChange {
	for i := range r.Changed {
		if r.Changed[i].Name == name {
			return &r.Changed[i]
		}
	}
	return nil
}
