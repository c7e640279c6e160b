package component

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

var update = flag.Bool("update", false, "rewrite golden files")

// customArgs is dualGateway with every optional knob the golden files should pin down.
func customArgs() *HaVpnLinkArgs {
	args := validArgs("dualGateway")
	args.BgpSessionBlock = ptr(3)
	args.Gcp.AdvertisedIpRanges = []string{"10.0.0.0/16", "192.168.10.0/24"}
	args.Gcp.Firewall = &FirewallArgs{
		Allow:      []FirewallAllowArgs{{Protocol: "tcp", Ports: []string{"22", "443"}}},
		TargetTags: pulumi.ToStringArray([]string{"from-azure", "vpn"}),
	}
	args.Azure.Sku = "VpnGw2AZ"
	args.Azure.Generation = "Generation2"
	return args
}

// TestGolden pins the whole inventory (types, names, inputs with secrets masked, dependencies) of a few
// links. The addresses the mock assigns depend on registration order, which is concurrent, so they are
// replaced by placeholders naming the resource that received them.
func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		args *HaVpnLinkArgs
	}{
		{"paired", validArgs("paired")},
		{"dualGateway", validArgs("dualGateway")},
		{"dualGatewayCustom", customArgs()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkGolden(t, tc.name, mustRender(t, tc.args, nil))
		})
	}
}

// TestGoldenSharedGateways pins the inventories of links on gateways they do not own: a hub with two
// links in one program, and a link on an existing gateway, router and HA VPN gateways.
func TestGoldenSharedGateways(t *testing.T) {
	t.Run("hubAndTwoLinks", func(t *testing.T) {
		r, _, _ := hubWithSpokes(t, "paired", 3, 0, 2)
		checkGolden(t, "hubAndTwoLinks", r)
	})
	t.Run("linkOnExistingResources", func(t *testing.T) {
		r := renderExisting(t, existingArgs("paired"), existingFunctions(nil, 65534))
		require.NoError(t, r.err)
		checkGolden(t, "linkOnExistingResources", r)
	})
}

// checkGolden compares a rendering's normalised inventory with testdata/golden/<name>.json (-update rewrites it).
func checkGolden(t *testing.T, name string, r *rendering) {
	t.Helper()
	got := goldenJSON(t, r)
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run: go test ./component -run TestGolden -update")
	if !bytes.Equal(want, got) {
		t.Fatalf("inventory differs from %s:\n%s\nIf the change is intended, run: go test ./component -run TestGolden -update", path, lineDiff(string(want), string(got)))
	}
}

// goldenJSON is the recorder's inventory with mock addresses replaced, as indented JSON.
func goldenJSON(t *testing.T, r *rendering) []byte {
	t.Helper()
	inv := r.rec.Inventory()
	addrs := r.mockAddresses(t)
	seen := map[string]bool{}
	for i := range inv {
		for k, v := range inv[i].Inputs {
			inv[i].Inputs[k] = replaceStrings(v, addrs, seen)
		}
	}
	// Every Google interface and Azure public address must be consumed by some input.
	for ip, placeholder := range addrs {
		require.Truef(t, seen[ip], "mock address %s (%s) is used by no input", ip, placeholder)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(inv))
	return b.Bytes()
}

func replaceStrings(v any, with map[string]string, seen map[string]bool) any {
	switch x := v.(type) {
	case string:
		if r, ok := with[x]; ok {
			seen[x] = true
			return r
		}
		return x
	case []any:
		for i := range x {
			x[i] = replaceStrings(x[i], with, seen)
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = replaceStrings(x[k], with, seen)
		}
		return x
	default:
		return v
	}
}

// lineDiff shows the first lines where two texts differ, with a little context.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	first := 0
	for first < len(w) && first < len(g) && w[first] == g[first] {
		first++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "golden has %d lines, got %d; first difference at line %d\n", len(w), len(g), first+1)
	from := max(0, first-3)
	show := func(label string, lines []string) {
		for i := from; i < min(len(lines), first+8); i++ {
			mark := " "
			if i >= first {
				mark = label
			}
			fmt.Fprintf(&b, "%s %4d | %s\n", mark, i+1, lines[i])
		}
	}
	b.WriteString("--- golden\n")
	show("-", w)
	b.WriteString("+++ got\n")
	show("+", g)
	return b.String()
}

// TestGoldenIsStable renders the same link several times: the normalised inventory must not change,
// or the golden files would be flaky.
func TestGoldenIsStable(t *testing.T) {
	first := goldenJSON(t, mustRender(t, validArgs("dualGateway"), nil))
	for i := 0; i < 5; i++ {
		again := goldenJSON(t, mustRender(t, validArgs("dualGateway"), nil))
		require.Equal(t, string(first), string(again), "run %d", i)
	}
}

// TestGoldenMasksSecrets reads the committed golden inventories: every PSK is masked in each.
func TestGoldenMasksSecrets(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 5)
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		var inv []plandoc.Resource
		require.NoError(t, json.Unmarshal(raw, &inv), file)
		tunnels, connections := 0, 0
		for _, e := range inv {
			switch e.Type {
			case tTunnel:
				require.Equal(t, plandoc.SecretMask, e.Inputs["sharedSecret"], "%s: %s", file, e.Name)
				tunnels++
			case tConnection:
				require.Equal(t, plandoc.SecretMask, e.Inputs["sharedKey"], "%s: %s", file, e.Name)
				connections++
			}
		}
		require.GreaterOrEqual(t, tunnels, 2, file)
		require.Equal(t, tunnels, connections, file)
	}
}
