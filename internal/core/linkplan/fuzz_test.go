package linkplan

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// FuzzValidate checks that Validate never panics, that it agrees with Build, that every problem is
// complete, that a refused shared secret is never echoed back, and that an accepted plan keeps every
// BGP /30 distinct and inside Azure's APIPA window and no Google range colliding with the VNet.
func FuzzValidate(f *testing.F) {
	// topology, block, gcpAsn, azureAsn, keepalive, dpd, sku, generation, r0, r1, r2, r3, nRanges, name, secret, zone, protocol, port, advertised, subnet, vnet
	f.Add("paired", 0, int64(65534), int64(65515), 20, 45, "VpnGw1AZ", "", "", "", "", "", 0, "gcp-azure", testSecret, "1", "all", "", "", "172.16.0.0/24", "10.1.0.0/16")
	f.Add("dualGateway", 31, int64(4200000000), int64(65010), 60, 3600, "VpnGw5AZ", "Generation2", "", "", "", "", 0, "l", testSecret, "3", "tcp", "443", "10.0.0.0/8", "", "10.1.0.0/16")
	f.Add("paired", 3, int64(64512), int64(65515), 30, 9, "", "", "169.254.21.0/30", "169.254.22.0/30", "", "", 2, "a-b", testSecret, "2", "udp", "1-65535", "", "", "10.1.0.0/16")
	f.Add("paired", 0, int64(65534), int64(65515), 20, 45, "", "", "169.254.21.8/30", "169.254.21.12/30", "", "", 2, "same-24", testSecret, "1", "all", "", "", "", "10.1.0.0/16")
	f.Add("dualGateway", 0, int64(65001), int64(65002), 20, 45, "VpnGw3AZ", "Generation1", "169.254.21.0/30", "169.254.22.0/30", "169.254.21.4/30", "169.254.22.4/30", 4, "x1", testSecret, "1", "50", "", "", "", "10.1.0.0/16")
	f.Add("dualGateway", 0, int64(65001), int64(65002), 20, 45, "", "", "169.254.22.12/30", "169.254.21.0/30", "169.254.22.252/30", "169.254.21.4/30", 4, "cross", testSecret, "1", "all", "", "", "", "10.1.0.0/16")
	f.Add("mesh", -1, int64(65515), int64(65515), 19, 8, "Basic", "Generation3", "169.254.21.1/30", "fe80::/30", "nope", "169.254.21.1/30", 4, "BAD", "short", "4", "icmp", "8", "10.1.2.0/24", "10.0.0.0/8", "10.1.0.0/16")
	f.Add("", 32, int64(0), int64(4294967296), 61, 3601, "VpnGw4AZ", "Generation1", "169.254.22.0/30", "169.254.22.0/30", "10.0.0.0/30", "", 3, "", "", "", "tcpp", "70000", "10.1.0.0/16", "10.1.0.0/16", "10.1.0.0/16")
	f.Add("paired", 1<<40, int64(-1), int64(-9223372036854775808), -1<<31, 1<<31, "VpnGw1", "", "169.254.21.0/29", "", "", "", 1, strings.Repeat("a", 41), "0123456789abcde", "1", "sctp", "9-8", "x", "10.1.0.1/16", "")
	f.Add("paired", 0, int64(65534), int64(65515), 20, 45, "", "", "169.254.20.252/30", "169.254.23.0/30", "", "", 2, "edges", testSecret, "1", "all", "", "", "", "10.1.0.0/16")

	f.Fuzz(func(t *testing.T, topology string, block int, gcpAsn, azureAsn int64, keepalive, dpd int, sku, generation, r0, r1, r2, r3 string, nRanges int, name, secret, zone, protocol, port, advertised, subnet, vnet string) {
		spec := validSpec()
		spec.Name = name
		spec.Topology = topology
		spec.SharedSecret = &secret
		spec.BgpSessionBlock = &block
		if nRanges < 0 {
			nRanges = -nRanges
		}
		spec.BgpSessionRanges = []string{r0, r1, r2, r3}[:nRanges%5]
		spec.Gcp.Asn, spec.Azure.Asn = &gcpAsn, &azureAsn
		spec.Gcp.KeepaliveInterval, spec.Azure.DpdTimeoutSeconds = &keepalive, &dpd
		spec.Azure.Sku, spec.Azure.Generation = sku, generation
		spec.Azure.Zones = []string{zone}
		allow := FirewallAllowSpec{Protocol: protocol}
		if port != "" {
			allow.Ports = []string{port}
		}
		spec.Gcp.Firewall.Allow = []FirewallAllowSpec{allow}
		spec.Gcp.AdvertisedIpRanges = nonEmpty(advertised)
		spec.Gcp.SubnetRanges = nonEmpty(subnet)
		spec.Azure.AddressPrefixes = []string{vnet}

		ps := Validate(spec)
		plan, err := Build(spec)
		if len(ps) == 0 {
			if err != nil || plan == nil {
				t.Fatalf("Validate accepted but Build failed: %v", err)
			}
			if len(plan.Tunnels) != plan.Topology.TunnelCount() {
				t.Fatalf("%d tunnels for %s", len(plan.Tunnels), plan.Topology)
			}
			checkAcceptedAddressing(t, plan, spec)
			return
		}
		var got Problems
		if plan != nil || !errors.As(err, &got) || len(got) != len(ps) {
			t.Fatalf("Validate found %d problems, Build returned plan %v, err %v", len(ps), plan != nil, err)
		}
		for _, p := range ps {
			if p.Field == "" || p.Rule == "" || p.Fix == "" {
				t.Fatalf("incomplete problem %#v", p)
			}
			if p.Field == "sharedSecret" {
				want := `"(empty)"`
				if secret != "" {
					want = fmt.Sprintf("(secret, %d characters)", len(secret))
				}
				if p.Value != want {
					t.Fatalf("sharedSecret value %q, want %q", p.Value, want)
				}
			}
		}
	})
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// checkAcceptedAddressing holds for every plan Build accepts, whatever the layout.
func checkAcceptedAddressing(t *testing.T, plan *Plan, spec Spec) {
	t.Helper()
	seen := map[netip.Prefix]bool{}
	for _, tun := range plan.Tunnels {
		r := tun.Session.Range
		if !cloudrules.AzureApipaWindow.ContainsPrefix(r) || r.Bits() != 30 || seen[r] {
			t.Fatalf("%s: accepted /30 %s (distinct /30s inside %s only)", tun.Name, r, cloudrules.AzureApipaWindow)
		}
		seen[r] = true
		if !slices.Contains(plan.Azure.Instances[tun.AzureInstance].CustomBgpIps, tun.Session.AzureIp) {
			t.Fatalf("%s: instance %d does not carry %s", tun.Name, tun.AzureInstance, tun.Session.AzureIp)
		}
	}
	vnet := netip.MustParsePrefix(spec.Azure.AddressPrefixes[0])
	for _, s := range spec.Gcp.SubnetRanges {
		if netip.MustParsePrefix(s).Overlaps(vnet) {
			t.Fatalf("accepted Google subnet %s overlapping the VNet %s", s, vnet)
		}
	}
	for _, s := range spec.Gcp.AdvertisedIpRanges {
		if a := netip.MustParsePrefix(s); a.Overlaps(vnet) && a.Bits() >= vnet.Bits() {
			t.Fatalf("accepted advertised range %s inside the VNet %s", s, vnet)
		}
	}
}
