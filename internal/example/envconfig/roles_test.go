package envconfig

import (
	"strings"
	"testing"
)

// TestRoles: each role's requirements, the keys a role does not read refused when set (a value equal to
// the default counts as unset), every problem at once, each message naming the key, the value (never a
// secret's), the rule and the fix.
func TestRoles(t *testing.T) {
	hub := map[string]string{"role": "hub", "linkSlots": "4"}
	spoke := map[string]string{"role": "spoke", "hubStack": "organization/havpn/hub"}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	cases := []struct {
		name string
		cfg  map[string]string
		want []string // every problem, in order
	}{
		{"unknown role", map[string]string{"role": "hubb"}, []string{
			`havpn:role = "hubb": the example program builds one of three roles: "link" (one link with its own Azure gateway), "hub" or "spoke" (team stacks around an AzureVpnHub). Fix: set it to link, hub or spoke.`}},
		{"a link without its secret", map[string]string{"sharedSecret": ""}, []string{
			`havpn:sharedSecret is not set: a link stack needs it: every tunnel's pre-shared key derives from it. Fix: pulumi config set --secret havpn:sharedSecret "$(openssl rand -base64 32)".`}},
		{"a hub without linkSlots", map[string]string{"role": "hub"}, []string{
			`havpn:linkSlots is not set: a hub stack needs it: a hub allocates the APIPA addresses of a fixed number of link slots up front, so adding a spoke never updates its gateway. Fix: pulumi config set havpn:linkSlots N, N = the spokes the hub will carry (the SKU's tunnel budget bounds it: the hub's capacity output).`}},
		{"a hub with linkSlots 0 (the default)", with(hub, "linkSlots", "0"), []string{`havpn:linkSlots is not set: a hub stack needs it`}},
		{"a spoke without hubStack", map[string]string{"role": "spoke"}, []string{
			"havpn:hubStack is not set: a spoke stack needs it: a spoke reads its hub's `hub` and `addressPrefixes` outputs through a StackReference. Fix: pulumi config set havpn:hubStack organization/havpn/hub (the hub stack's fully qualified name; on Pulumi Cloud <org>/havpn/hub)."}},
		{"a spoke without its secret", with(spoke, "sharedSecret", ""), []string{`havpn:sharedSecret is not set: a spoke stack needs it: every tunnel's pre-shared key derives from it.`}},
		{"a spoke naming its hub by the short name", with(spoke, "hubStack", "hub"), []string{
			`havpn:hubStack = "hub": a spoke names its hub stack fully qualified, <organization>/<project>/<stack>, so the StackReference resolves the same stack from any project and on any backend`,
		}},
		{"a spoke naming its hub with an empty part", with(spoke, "hubStack", "organization//hub"), []string{`havpn:hubStack = "organization//hub": a spoke names its hub stack fully qualified`}},
		{"a spoke setting the hub's keys", with(spoke, "azureSku", "VpnGw2AZ", "linkSlots", "4", "vnetCidr", "10.9.0.0/16"), []string{
			`havpn:azureSku = "VpnGw2AZ": a spoke stack does not read this key (only link and hub stacks do), so its value would be ignored. Fix: remove it from this stack (pulumi config rm havpn:azureSku); in team stacks it is the hub stack's.`,
			`havpn:vnetCidr = "10.9.0.0/16": a spoke stack does not read this key (only link and hub stacks do)`,
			`havpn:linkSlots = "4": a spoke stack does not read this key (only hub stacks do), so its value would be ignored. Fix: remove it from this stack (pulumi config rm havpn:linkSlots); in team stacks it is the hub stack's.`,
		}},
		{"a spoke setting a link's /30s", with(spoke, "bgpSessionBlock", "2"), []string{
			`havpn:bgpSessionBlock = "2": a spoke stack does not read this key (only link stacks do), so its value would be ignored. Fix: remove it from this stack (pulumi config rm havpn:bgpSessionBlock).`}},
		{"a hub setting a spoke's keys, its secret never shown", with(hub, "sharedSecret", "hub-secret-value-0123", "gcpAsn", "65001", "hubStack", "organization/havpn/hub"), []string{
			`havpn:sharedSecret = (secret): a hub stack does not read this key (only link and spoke stacks do), so its value would be ignored. Fix: remove it from this stack (pulumi config rm havpn:sharedSecret); in team stacks each spoke stack sets its own.`,
			`havpn:gcpAsn = "65001": a hub stack does not read this key (only link and spoke stacks do)`,
			`havpn:hubStack = "organization/havpn/hub": a hub stack does not read this key (only spoke stacks do), so its value would be ignored. Fix: remove it from this stack (pulumi config rm havpn:hubStack); in team stacks each spoke stack sets its own.`,
		}},
		{"a link setting team keys", map[string]string{"linkSlots": "2", "spokes": `[{"name":"a","slot":0,"asn":65001}]`, "spokeName": "a"}, []string{
			`havpn:linkSlots = "2": a link stack does not read this key (only hub stacks do)`,
			`havpn:spokes = "[{\"name\":\"a\",\"slot\":0,\"asn\":65001}]": a link stack does not read this key (only hub stacks do)`,
			`havpn:spokeName = "a": a link stack does not read this key (only spoke stacks do)`,
		}},
		{"every problem at once", map[string]string{"role": "spoke", "sharedSecret": "", "azureAsn": "65010"}, []string{
			`havpn:sharedSecret is not set: a spoke stack needs it`,
			`havpn:azureAsn = "65010": a spoke stack does not read this key`,
			`havpn:hubStack is not set: a spoke stack needs it`,
		}},
		{"a registry entry with a misspelt field", with(hub, "spokes", `[{"name":"a","slott":0,"asn":65001}]`), []string{
			`havpn:spokes[0].slott is not a field: the fields are name, slot, asn. Did you mean slot?`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := problemsOf(t, c.cfg)
			if len(got) != len(c.want) {
				t.Fatalf("%d problems, want %d:\n  %s", len(got), len(c.want), strings.Join(got, "\n  "))
			}
			for i := range c.want {
				if !strings.HasPrefix(got[i], c.want[i]) {
					t.Errorf("problem %d:\n got %s\nwant %s", i, got[i], c.want[i])
				}
				if strings.Contains(got[i], "hub-secret-value") {
					t.Errorf("a secret is shown: %s", got[i])
				}
			}
		})
	}
}

// TestRolesAccept: a value equal to its default is no value (the CLI hands a program every declared
// default), lists and objects compared by content; each role checks only its own side's addresses.
func TestRolesAccept(t *testing.T) {
	for name, cfg := range map[string]map[string]string{
		"a spoke with the default SKU and VNet":         {"role": "spoke", "hubStack": "organization/havpn/hub", "azureSku": "VpnGw1AZ", "vnetCidr": "10.1.0.0/16", "bgpSessionBlock": "0"},
		"a hub with the default policy, keys reordered": {"role": "hub", "linkSlots": "2", "ipsecPolicy": `{"saLifeTimeSeconds":10800,"pfsGroup":"PFS2048","ipsecIntegrity":"GCMAES256","ipsecEncryption":"GCMAES256","ikeIntegrity":"SHA384","ikeEncryption":"GCMAES256","dhGroup":"DHGroup14","saDataSizeKilobytes":102400000}`, "gcpAsn": "65534"},
		// The hub has no Google subnets: the default subnet inside its VNet is no collision.
		"a hub whose VNet holds the Google default subnet": {"role": "hub", "linkSlots": "2", "vnetCidr": "172.16.0.0/16", "gatewaySubnetCidr": "172.16.255.0/27", "workloadSubnetCidr": "172.16.1.0/24"},
		// The spoke's VNet is its hub's: its link checks the subnets against that.
		"a spoke whose subnet overlaps the default VNet": {"role": "spoke", "hubStack": "organization/havpn/hub", "subnets": `[{"region":"asia-northeast1","cidr":"10.1.0.0/24"}]`},
	} {
		t.Run(name, func(t *testing.T) { mustLoad(t, cfg) })
	}
	// A spoke still checks its own subnets; a hub its own VNet.
	if got := problemsOf(t, map[string]string{"role": "spoke", "hubStack": "organization/havpn/hub", "subnets": `[{"region":"r1","cidr":"172.16.0.0/16"},{"region":"r2","cidr":"172.16.128.0/24"}]`}); len(got) != 1 || !strings.HasPrefix(got[0], "havpn:subnets[1].cidr") {
		t.Errorf("spoke subnets: %q", got)
	}
	if got := problemsOf(t, map[string]string{"role": "hub", "linkSlots": "2", "gatewaySubnetCidr": "10.9.255.0/27"}); len(got) != 1 || !strings.HasPrefix(got[0], "havpn:gatewaySubnetCidr") {
		t.Errorf("hub VNet: %q", got)
	}
	// Warnings follow the role: a hub's small GatewaySubnet, a spoke's hidden regions.
	if w := mustLoad(t, map[string]string{"role": "hub", "linkSlots": "2", "gatewaySubnetCidr": "10.1.255.0/28"}).Warnings(); len(w) != 1 || !strings.Contains(w[0], "gatewaySubnetCidr") {
		t.Errorf("hub warnings: %q", w)
	}
	twoRegions := `[{"region":"asia-northeast1","cidr":"172.16.0.0/24"},{"region":"asia-northeast2","cidr":"172.24.0.0/24"}]`
	if w := mustLoad(t, map[string]string{"role": "spoke", "hubStack": "organization/havpn/hub", "subnets": twoRegions}).Warnings(); len(w) != 1 || !strings.Contains(w[0], "routingMode to GLOBAL") {
		t.Errorf("spoke warnings: %q", w)
	}
}
