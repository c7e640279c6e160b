package cloudrules

import (
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite README's capacity limits table from the Limits table")

const (
	readmePath  = "../../../README.md"
	limitsBegin = "<!-- hub-limits:begin (generated from internal/core/cloudrules/capacity.go: go test ./internal/core/cloudrules -update) -->\n"
	limitsEnd   = "<!-- hub-limits:end -->"
)

// TestBudgetsAtTheirBoundaries: every capacity limit accepts exactly its value and refuses one more.
func TestBudgetsAtTheirBoundaries(t *testing.T) {
	cases := []struct {
		name  string
		check func(n int) string
		limit int
		cite  string
	}{
		{"tunnels VpnGw1AZ", func(n int) string { return TunnelBudgetProblem("VpnGw1AZ", n) }, 30, "About gateway SKUs"},
		{"tunnels VpnGw2AZ", func(n int) string { return TunnelBudgetProblem("VpnGw2AZ", n) }, 30, "About gateway SKUs"},
		{"tunnels VpnGw3AZ", func(n int) string { return TunnelBudgetProblem("VpnGw3AZ", n) }, 30, "About gateway SKUs"},
		{"tunnels VpnGw4AZ", func(n int) string { return TunnelBudgetProblem("VpnGw4AZ", n) }, 100, "About gateway SKUs"},
		{"tunnels VpnGw5AZ", func(n int) string { return TunnelBudgetProblem("VpnGw5AZ", n) }, 100, "About gateway SKUs"},
		{"APIPA addresses", ApipaBudgetProblem, 32, "networking limits"},
		{"Cloud Router peers", RouterPeerBudgetProblem, 128, "Cloud Router quotas"},
		{"Cloud Routers per region", RoutersPerRegionProblem, 5, "Cloud Router quotas"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if p := c.check(c.limit); p != "" {
				t.Errorf("%d (the limit) refused: %s", c.limit, p)
			}
			p := c.check(c.limit + 1)
			if p == "" {
				t.Fatalf("%d (one over the limit) accepted", c.limit+1)
			}
			for _, want := range []string{strconv.Itoa(c.limit + 1), strconv.Itoa(c.limit), c.cite} {
				if !strings.Contains(p, want) {
					t.Errorf("message %q does not name %q", p, want)
				}
			}
		})
	}
}

// TestEveryAllowedSkuHasATunnelBudget: a SKU havpn accepts and no budget would skip the tunnel check.
func TestEveryAllowedSkuHasATunnelBudget(t *testing.T) {
	for name, rule := range AzureSkus {
		if ok := rule.S2STunnels > 0; ok != rule.Allowed {
			t.Errorf("%s: allowed=%v, has a tunnel budget=%v", name, rule.Allowed, ok)
		}
	}
}

// TestReadmeLimitsTable: README's limits table is the Limits table.
func TestReadmeLimitsTable(t *testing.T) {
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	begin, end := strings.Index(readme, limitsBegin), strings.Index(readme, limitsEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the markers %q ... %q", limitsBegin, limitsEnd)
	}
	want := readme[:begin+len(limitsBegin)] + LimitsMarkdown() + readme[end:]
	if *update {
		if err := os.WriteFile(readmePath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != readme {
		t.Fatalf("README's limits table differs from cloudrules.Limits; run go test ./internal/core/cloudrules -run TestReadmeLimitsTable -update")
	}
}
