package envconfig

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func lookupOf(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// testSecret is the master secret a link or spoke stack of these tests has unless it sets its own.
const testSecret = "test-secret-0123456789"

// withSecret adds testSecret to a link's or a spoke's configuration that names no sharedSecret.
func withSecret(cfg map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range cfg {
		out[k] = v
	}
	if _, ok := out["sharedSecret"]; !ok && out["role"] != string(RoleHub) {
		out["sharedSecret"] = testSecret
	}
	return out
}

func mustLoad(t *testing.T, cfg map[string]string) *Environment {
	t.Helper()
	e, err := Load(lookupOf(withSecret(cfg)))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func problemsOf(t *testing.T, cfg map[string]string) []string {
	t.Helper()
	_, err := Load(lookupOf(withSecret(cfg)))
	ce, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %v, want *Error", err)
	}
	return ce.Problems
}

func TestLoadDefaults(t *testing.T) {
	e := mustLoad(t, nil)
	want := &Environment{
		Role: RoleLink, SharedSecret: testSecret, Spokes: []HubSpoke{},
		Topology: "paired", BgpSessionBlock: 0, BgpSessionRanges: []string{},
		IpsecPolicy: IpsecPolicy{IkeEncryption: "GCMAES256", IkeIntegrity: "SHA384", DhGroup: "DHGroup14", IpsecEncryption: "GCMAES256",
			IpsecIntegrity: "GCMAES256", PfsGroup: "PFS2048", SaLifeTimeSeconds: ptr(10800), SaDataSizeKilobytes: ptr(102400000)},
		GcpRegion: "asia-northeast1", RoutingMode: "REGIONAL", Subnets: []Subnet{{"asia-northeast1", "172.16.0.0/24"}},
		GcpAsn: 65534, KeepaliveInterval: 20, AdvertisedIpRanges: []string{},
		Firewall:      Firewall{Enabled: ptr(true), Allow: []FirewallAllow{{Protocol: "all"}}, TargetTags: []string{}},
		AzureLocation: "japaneast", AzureAsn: 65515, AzureSku: "VpnGw1AZ", AzureZones: []string{"1", "2", "3"}, DpdTimeoutSeconds: 45,
		VnetCidr: "10.1.0.0/16", GatewaySubnetCidr: "10.1.255.0/27", WorkloadSubnetCidr: "10.1.1.0/24",
	}
	if !reflect.DeepEqual(e, want) {
		t.Fatalf("defaults:\n got %+v\nwant %+v", e, want)
	}
	if len(e.Warnings()) != 0 {
		t.Errorf("the defaults warn: %q", e.Warnings())
	}
}

func ptr[T any](v T) *T { return &v }

// TestLoadEveryKey: every declared key is read into the environment, lists and objects from JSON, by
// the roles that read it; together the three roles' configurations set every key.
func TestLoadEveryKey(t *testing.T) {
	google := map[string]string{
		"topology": "dualGateway", "sharedSecret": "s3cret-s3cret-s3cret", "nextSharedSecret": "n3xt-s3cret-n3xt-s3cret",
		"ipsecPolicy": `{"pfsGroup":"PFS24","saLifeTimeSeconds":3600}`,
		"gcpProject":  "p", "gcpRegion": "europe-west1", "routingMode": "global",
		"subnets": `[{"region":"europe-west1","cidr":"172.20.0.0/24"}]`,
		"gcpAsn":  "64512", "keepaliveInterval": "30", "advertisedIpRanges": `["192.168.0.0/16"]`,
		"firewall":          `{"enabled":false,"allow":[{"protocol":"tcp","ports":[22,"8000-8080"]}],"targetTags":["vpn"]}`,
		"dpdTimeoutSeconds": "30",
	}
	azure := map[string]string{
		"azureLocation": "westeurope", "azureAsn": "65010", "azureSku": "VpnGw2AZ", "azureGeneration": "Generation2",
		"azureZones": `["1"]`, "azureGatewayName": "my-vgw",
		"vnetCidr": "10.5.0.0/16", "gatewaySubnetCidr": "10.5.255.0/26", "workloadSubnetCidr": "10.5.1.0/24",
	}
	merge := func(ms ...map[string]string) map[string]string {
		out := map[string]string{}
		for _, m := range ms {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}
	link := merge(google, azure, map[string]string{"role": "link", "bgpSessionBlock": "3", "bgpSessionRanges": `["169.254.21.8/30","169.254.21.12/30"]`})
	hub := merge(azure, map[string]string{"role": "hub", "topology": "dualGateway", "linkSlots": "3", "spokes": `[{"name":"spoke-a","slot":0,"asn":65001}]`})
	spoke := merge(google, map[string]string{"role": "spoke", "hubStack": "organization/havpn/hub", "spokeName": "team-a"})
	for _, k := range Keys {
		if _, ok := merge(link, hub, spoke)[k.Name]; !ok {
			t.Errorf("the test sets no value for %s", k.Name)
		}
	}
	googleSide := Environment{
		Topology: "dualGateway", SharedSecret: "s3cret-s3cret-s3cret", NextSharedSecret: "n3xt-s3cret-n3xt-s3cret",
		IpsecPolicy: IpsecPolicy{PfsGroup: "PFS24", SaLifeTimeSeconds: ptr(3600)},
		GcpProject:  "p", GcpRegion: "europe-west1", RoutingMode: "GLOBAL", Subnets: []Subnet{{"europe-west1", "172.20.0.0/24"}},
		GcpAsn: 64512, KeepaliveInterval: 30, AdvertisedIpRanges: []string{"192.168.0.0/16"},
		Firewall:          Firewall{Enabled: ptr(false), Allow: []FirewallAllow{{Protocol: "tcp", Ports: []Port{"22", "8000-8080"}}}, TargetTags: []string{"vpn"}},
		DpdTimeoutSeconds: 30,
	}
	withAzure := func(e Environment) Environment {
		e.AzureLocation, e.AzureAsn, e.AzureSku, e.AzureGeneration = "westeurope", 65010, "VpnGw2AZ", "Generation2"
		e.AzureZones, e.AzureGatewayName = []string{"1"}, "my-vgw"
		e.VnetCidr, e.GatewaySubnetCidr, e.WorkloadSubnetCidr = "10.5.0.0/16", "10.5.255.0/26", "10.5.1.0/24"
		return e
	}
	defaults := mustLoad(t, nil)
	wantLink := withAzure(googleSide)
	wantLink.Role, wantLink.BgpSessionBlock, wantLink.BgpSessionRanges, wantLink.Spokes = RoleLink, 3, []string{"169.254.21.8/30", "169.254.21.12/30"}, []HubSpoke{}
	// A hub's Google-side keys keep their defaults, and a spoke's Azure-side keys theirs.
	wantHub := withAzure(*defaults)
	wantHub.Role, wantHub.Topology, wantHub.SharedSecret, wantHub.LinkSlots = RoleHub, "dualGateway", "", 3
	wantHub.Spokes = []HubSpoke{{Name: "spoke-a", Slot: 0, Asn: 65001}}
	wantSpoke := googleSide
	wantSpoke.Role, wantSpoke.HubStack, wantSpoke.SpokeName, wantSpoke.Spokes = RoleSpoke, "organization/havpn/hub", "team-a", []HubSpoke{}
	wantSpoke.BgpSessionRanges = []string{}
	wantSpoke.AzureLocation, wantSpoke.AzureAsn, wantSpoke.AzureSku, wantSpoke.AzureZones = defaults.AzureLocation, defaults.AzureAsn, defaults.AzureSku, defaults.AzureZones
	wantSpoke.VnetCidr, wantSpoke.GatewaySubnetCidr, wantSpoke.WorkloadSubnetCidr = defaults.VnetCidr, defaults.GatewaySubnetCidr, defaults.WorkloadSubnetCidr
	for _, c := range []struct {
		cfg  map[string]string
		want Environment
	}{{link, wantLink}, {hub, wantHub}, {spoke, wantSpoke}} {
		if got := mustLoad(t, c.cfg); !reflect.DeepEqual(*got, c.want) {
			t.Errorf("role %s:\n got %+v\nwant %+v", c.cfg["role"], *got, c.want)
		}
	}
}

// TestLoadRefusesMalformedValues: wrong types and unknown fields in lists and objects, every one at once.
func TestLoadRefusesMalformedValues(t *testing.T) {
	got := problemsOf(t, map[string]string{
		"gcpAsn": "x", "azureAsn": "1.5", "routingMode": "both", "subnets": "[{", "advertisedIpRanges": "10.0.0.0/8",
		"ipsecPolicy": `{"pfsGropu":"PFS24"}`, "firewall": `{"allow":[{"protocol":"tcp","port":["22"]}]}`,
		"azureZones": `[1,2]`, "bgpSessionRanges": `{"a":1}`,
	})
	want := []string{
		`havpn:gcpAsn = "x": must be of type integer (Pulumi.yaml). Fix: give a whole number.`,
		`havpn:azureAsn = "1.5": must be of type integer (Pulumi.yaml). Fix: give a whole number.`,
		`havpn:bgpSessionRanges = "{\"a\":1}": must be of type array<string> (Pulumi.yaml).`,
		`havpn:ipsecPolicy.pfsGropu is not a field: the fields are ikeEncryption, ikeIntegrity, dhGroup, ipsecEncryption, ipsecIntegrity, pfsGroup, saLifeTimeSeconds, saDataSizeKilobytes. Did you mean pfsGroup?`,
		`havpn:subnets = "[{": must be of type array<object> (Pulumi.yaml).`,
		`havpn:advertisedIpRanges = "10.0.0.0/8": must be of type array<string> (Pulumi.yaml).`,
		`havpn:firewall.allow[0].port is not a field: the fields are protocol, ports. Did you mean ports?`,
		`havpn:azureZones = "[1,2]": must be of type array<string> (Pulumi.yaml).`,
		`havpn:routingMode = "BOTH": the VPC routing mode is REGIONAL or GLOBAL. Fix: set it to GLOBAL to advertise every region's subnets, REGIONAL for gcpRegion's only.`,
	}
	if len(got) != len(want) {
		t.Fatalf("%d problems, want %d:\n  %s", len(got), len(want), strings.Join(got, "\n  "))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
	// A value of the wrong JSON type inside an object names its path.
	got = problemsOf(t, map[string]string{"ipsecPolicy": `{"saLifeTimeSeconds":"3600"}`, "firewall": `{"allow":[{"protocol":"tcp","ports":[22.5]}]}`})
	if len(got) != 2 || !strings.Contains(got[0], "havpn:ipsecPolicy.saLifeTimeSeconds: a JSON string where a whole number belongs") ||
		!strings.Contains(got[1], "havpn:firewall") || !strings.Contains(got[1], "8000-8080") {
		t.Errorf("problems = %q", got)
	}
}

func TestWarnings(t *testing.T) {
	twoRegions := `[{"region":"asia-northeast1","cidr":"172.16.0.0/24"},{"region":"asia-northeast2","cidr":"172.24.0.0/24"}]`
	otherRegion := `[{"region":"asia-northeast2","cidr":"172.24.0.0/24"}]`
	cases := []struct {
		name string
		cfg  map[string]string
		want []string // substrings, one per warning
	}{
		{"one region regional", map[string]string{}, nil},
		{"two regions regional", map[string]string{"subnets": twoRegions}, []string{"asia-northeast2 [...] Set havpn:routingMode to GLOBAL."}},
		{"two regions global", map[string]string{"subnets": twoRegions, "routingMode": "global"}, nil},
		{"subnet only elsewhere", map[string]string{"subnets": otherRegion}, []string{"subnets also lie in asia-northeast2"}},
		{"GatewaySubnet /28", map[string]string{"gatewaySubnetCidr": "10.1.255.0/28"}, []string{
			"havpn:gatewaySubnetCidr 10.1.255.0/28 is smaller than the /27 or larger Azure recommends for a GatewaySubnet (VPN Gateway settings): some gateway configurations need more addresses. Use a /27, e.g. 10.1.255.0/27."}},
		{"GatewaySubnet /29, the smallest Azure accepts", map[string]string{"gatewaySubnetCidr": "10.1.255.8/29"}, []string{"10.1.255.8/29 is smaller than the /27"}},
		{"GatewaySubnet /26", map[string]string{"gatewaySubnetCidr": "10.1.255.0/26"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := mustLoad(t, c.cfg).Warnings()
			if len(got) != len(c.want) {
				t.Fatalf("warnings = %q, want %d", got, len(c.want))
			}
			for i, w := range c.want {
				for _, part := range strings.Split(w, " [...] ") {
					if !strings.Contains(got[i], part) {
						t.Errorf("warning %q lacks %q", got[i], part)
					}
				}
			}
		})
	}
}

// TestAddressSpaceChecks: every check of the environment's address space, with its full message; each
// names both ranges and the fix.
func TestAddressSpaceChecks(t *testing.T) {
	cases := []struct {
		name string
		cfg  map[string]string
		want []string
	}{
		{"VNet containing the Google subnet", map[string]string{"vnetCidr": "172.16.0.0/16", "gatewaySubnetCidr": "172.16.255.0/27", "workloadSubnetCidr": "172.16.1.0/24"}, []string{
			`havpn:vnetCidr = "172.16.0.0/16": it overlaps the Google subnet subnets[0] (asia-northeast1) 172.16.0.0/24, and the link routes between them: Azure drops the route to 172.16.0.0/24: it lies inside the VNet prefix 172.16.0.0/16 (Azure VPN FAQ, BGP). Fix: give the VNet and the Google subnets disjoint ranges (change havpn:vnetCidr or havpn:subnets[0].cidr).`}},
		{"VNet inside the Google subnet", map[string]string{"subnets": `[{"region":"r1","cidr":"10.0.0.0/8"}]`}, []string{
			`havpn:vnetCidr = "10.1.0.0/16": it overlaps the Google subnet subnets[0] (r1) 10.0.0.0/8, and the link routes between them: Google drops the route to the VNet prefix 10.1.0.0/16: it fits within the subnet range 10.0.0.0/8 (Google VPC routes overview). Fix: give the VNet and the Google subnets disjoint ranges (change havpn:vnetCidr or havpn:subnets[0].cidr).`}},
		{"GatewaySubnet outside the VNet", map[string]string{"gatewaySubnetCidr": "10.9.255.0/27"}, []string{
			`havpn:gatewaySubnetCidr = "10.9.255.0/27": the GatewaySubnet must lie inside the VNet havpn:vnetCidr 10.1.0.0/16 (Azure virtual network docs). Fix: pick a range inside 10.1.0.0/16, e.g. 10.1.255.224/27.`}},
		{"GatewaySubnet /30", map[string]string{"gatewaySubnetCidr": "10.1.255.0/30"}, []string{
			`havpn:gatewaySubnetCidr = "10.1.255.0/30": Azure creates a VPN gateway only in a GatewaySubnet of /29 or larger, and recommends /27 or larger (VPN Gateway settings). Fix: use a /27, e.g. 10.1.255.0/27.`}},
		{"workload subnet outside the VNet", map[string]string{"workloadSubnetCidr": "10.2.1.0/24"}, []string{
			`havpn:workloadSubnetCidr = "10.2.1.0/24": the workload subnet must lie inside the VNet havpn:vnetCidr 10.1.0.0/16 (Azure virtual network docs). Fix: pick a range inside 10.1.0.0/16, e.g. 10.1.255.0/24.`}},
		{"workload subnet overlapping the GatewaySubnet", map[string]string{"workloadSubnetCidr": "10.1.255.0/24"}, []string{
			`havpn:workloadSubnetCidr = "10.1.255.0/24": it overlaps the GatewaySubnet havpn:gatewaySubnetCidr 10.1.255.0/27: subnets of one VNet must not overlap, and the GatewaySubnet holds only the gateway (Azure virtual network docs). Fix: give the workload subnet and the GatewaySubnet disjoint ranges inside the VNet.`}},
		{"two Google subnets overlapping", map[string]string{"subnets": `[{"region":"r1","cidr":"172.16.0.0/16"},{"region":"r2","cidr":"172.16.128.0/24"}]`}, []string{
			`havpn:subnets[1].cidr = "172.16.128.0/24": it overlaps subnets[0] (r1) 172.16.0.0/16: the subnet ranges of one VPC network must not overlap (Google VPC docs). Fix: give the subnets of r1 and r2 disjoint ranges.`}},
		{"CIDRs that are not", map[string]string{"vnetCidr": "10.1.0.0", "gatewaySubnetCidr": "10.1.255.1/27", "subnets": `[{"region":"","cidr":"fd00::/64"}]`}, []string{
			`havpn:subnets[0] = "fd00::/64": the subnet needs a region. Fix: give each entry {"region": ..., "cidr": ...}.`,
			`havpn:subnets[0].cidr = "fd00::/64": not an IPv4 CIDR. Fix: write it as address/length, e.g. 10.1.0.0/16.`,
			`havpn:vnetCidr = "10.1.0.0": not an IPv4 CIDR. Fix: write it as address/length, e.g. 10.1.0.0/16.`,
			`havpn:gatewaySubnetCidr = "10.1.255.1/27": the CIDR has host bits set. Fix: use 10.1.255.0/27.`}},
		{"two subnets in one region", map[string]string{"subnets": `[{"region":"asia-northeast1","cidr":"172.16.0.0/24"},{"region":"asia-northeast2","cidr":"172.24.0.0/24"},{"region":"asia-northeast1","cidr":"172.17.0.0/24"}]`}, []string{
			`havpn:subnets[2] = "asia-northeast1": subnets[0] is in region "asia-northeast1" too: the example program creates one subnet per region. Fix: keep one entry per region.`}},
		{"every problem at once", map[string]string{
			"vnetCidr": "172.16.0.0/16", "gatewaySubnetCidr": "10.9.255.0/30", "workloadSubnetCidr": "172.16.0.0/24",
			"subnets": `[{"region":"r1","cidr":"172.16.0.0/24"},{"region":"r2","cidr":"172.16.0.0/23"}]`,
		}, []string{
			`havpn:subnets[1].cidr = "172.16.0.0/23": it overlaps subnets[0] (r1) 172.16.0.0/24`,
			`havpn:vnetCidr = "172.16.0.0/16": it overlaps the Google subnet subnets[0] (r1) 172.16.0.0/24`,
			`havpn:vnetCidr = "172.16.0.0/16": it overlaps the Google subnet subnets[1] (r2) 172.16.0.0/23`,
			`havpn:gatewaySubnetCidr = "10.9.255.0/30": the GatewaySubnet must lie inside the VNet havpn:vnetCidr 172.16.0.0/16`,
			`havpn:gatewaySubnetCidr = "10.9.255.0/30": Azure creates a VPN gateway only in a GatewaySubnet of /29 or larger`,
		}},
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
			}
		})
	}
	// The committed layout and a GatewaySubnet at the edge of the VNet pass.
	mustLoad(t, map[string]string{"gatewaySubnetCidr": "10.1.255.224/27"})
	mustLoad(t, map[string]string{"vnetCidr": "10.0.0.0/8", "gatewaySubnetCidr": "10.255.255.248/29", "workloadSubnetCidr": "10.0.0.0/16", "subnets": `[{"region":"r","cidr":"172.16.0.0/12"}]`})
}

// TestCheck: the CLI-equivalent checks of stack values, every problem at once, keys of other namespaces
// left alone.
func TestCheck(t *testing.T) {
	values := map[string]any{
		"havpn:gcpAsnn":                    "100",
		"havpn:topolgy":                    "dualGateway",
		"havpn:bgpSessionRange":            []any{"169.254.21.8/30"},
		"havpn:colour":                     "blue",
		"havpn:gcpAsn":                     "abc",
		"havpn:bgpSessionBlock":            "1.5",
		"havpn:bgpSessionRanges":           `["169.254.21.8/30","169.254.21.12/30"]`,
		"havpn:azureZones":                 []any{1.0, 2.0},
		"havpn:firewall":                   "off",
		"havpn:subnets":                    []any{"172.16.0.0/24"},
		"havpn:sharedSecret":               "plain-text-secret-value",
		"havpn:nextSharedSecret":           "another-plain-secret-value",
		"havpn:keepaliveInterval":          "30",
		"gcp:project":                      "p",
		"azure-native:location":            "japaneast",
		"pulumi:disable-default-providers": []any{"*"},
	}
	got := Check(values, nil)
	want := []string{
		`havpn:azureZones = [1,2]: must be of type array<string> (Pulumi.yaml). Fix: a list of quoted strings`,
		`havpn:bgpSessionBlock = "1.5": must be of type integer (Pulumi.yaml).`,
		`havpn:bgpSessionRange is not a key of this project: Pulumi.yaml declares every havpn: key the program reads, and an undeclared one would be ignored. Did you mean havpn:bgpSessionRanges?`,
		`havpn:bgpSessionRanges = "[\"169.254.21.8/30\",\"169.254.21.12/30\"]": must be of type array<string> (Pulumi.yaml). Fix: a list of quoted strings: in the stack file a YAML list, with havpn plan --set JSON such as havpn:bgpSessionRanges=["a","b"], with the CLI pulumi config set --path 'havpn:bgpSessionRanges[0]' a.`,
		`havpn:colour is not a key of this project: Pulumi.yaml declares every havpn: key the program reads, and an undeclared one would be ignored. Fix: remove it, or use one of the keys in Pulumi.yaml (README, "Stack configuration").`,
		`havpn:firewall = "off": must be of type object (Pulumi.yaml). Fix: in the stack file a YAML mapping, with havpn plan --set JSON, with the CLI pulumi config set --path.`,
		`havpn:gcpAsn = "abc": must be of type integer (Pulumi.yaml).`,
		`havpn:gcpAsnn is not a key of this project: Pulumi.yaml declares every havpn: key the program reads, and an undeclared one would be ignored. Did you mean havpn:gcpAsn?`,
		`havpn:nextSharedSecret must be encrypted: it is a secret. Fix: pulumi config set --secret havpn:nextSharedSecret <value>.`,
		`havpn:sharedSecret must be encrypted: it is a secret. Fix: pulumi config set --secret havpn:sharedSecret <value>.`,
		`havpn:subnets = ["172.16.0.0/24"]: must be of type array<object> (Pulumi.yaml). Fix: in the stack file a YAML list`,
		`havpn:topolgy is not a key of this project: Pulumi.yaml declares every havpn: key the program reads, and an undeclared one would be ignored. Did you mean havpn:topology?`,
	}
	if len(got) != len(want) {
		t.Fatalf("%d problems, want %d:\n  %s", len(got), len(want), strings.Join(got, "\n  "))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
	for _, p := range got {
		if strings.Contains(p, "plain-text-secret-value") || strings.Contains(p, "another-plain-secret-value") {
			t.Errorf("a secret value is echoed: %s", p)
		}
	}
	// Encrypted, the secret passes; a wrongly typed secret is reported without its value.
	if got := Check(map[string]any{"havpn:sharedSecret": "x"}, []string{"havpn:sharedSecret"}); len(got) != 0 {
		t.Errorf("encrypted secret refused: %q", got)
	}
}

func TestClosest(t *testing.T) {
	cases := map[string]string{
		"havpn:gcpAsnn": "havpn:gcpAsn", "topolgy": "havpn:topology", "havpn:GCPASN": "havpn:gcpAsn",
		"havpn:vnetCIDR": "havpn:vnetCidr", "havpn:gatewaySubnetCid": "havpn:gatewaySubnetCidr", "havpn:dpdTimeout": "",
		"havpn:azurezone": "havpn:azureZones", "havpn:region": "", "havpn:x": "",
	}
	for in, want := range cases {
		if got := Closest(in); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUndeclaredKeysAndSetValue(t *testing.T) {
	got := UndeclaredKeys([]string{"havpn:topology", "gcp:project", "havpn:gcpAsnn", "pulumi:tags"})
	if len(got) != 1 || !strings.Contains(got[0], "havpn:gcpAsnn is not a key") || !strings.Contains(got[0], "havpn:gcpAsn?") {
		t.Errorf("UndeclaredKeys = %q", got)
	}
	if v := SetValue("havpn:bgpSessionRanges", `["169.254.21.8/30"]`); !reflect.DeepEqual(v, []any{"169.254.21.8/30"}) {
		t.Errorf("a list key's --set is JSON: %#v", v)
	}
	if v := SetValue("bgpSessionRanges", `169.254.21.8/30`); v != "169.254.21.8/30" {
		t.Errorf("not JSON: kept as text for the type check to refuse: %#v", v)
	}
	if v := SetValue("havpn:gcpAsn", `65001`); v != "65001" {
		t.Errorf("a scalar key's --set is text, as pulumi config set stores it: %#v", v)
	}
}

func TestReadStackFile(t *testing.T) {
	dir := t.TempDir()
	yaml := "config:\n" +
		"  havpn:gcpRegion: asia-northeast1\n" +
		"  gcpAsn: 65001\n" +
		"  havpn:subnets:\n    - region: r1\n      cidr: 10.0.0.0/24\n" +
		"  havpn:azureZones:\n    - 1\n" +
		"  havpn:sharedSecret:\n    secure: v1:ciphertext\n"
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.s.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	sf, err := ReadStackFile(dir, "s")
	if err != nil {
		t.Fatal(err)
	}
	wantPlain := map[string]string{
		"havpn:gcpRegion":  "asia-northeast1",
		"havpn:gcpAsn":     "65001", // a bare key is qualified, as `pulumi config set` does
		"havpn:subnets":    `[{"cidr":"10.0.0.0/24","region":"r1"}]`,
		"havpn:azureZones": `[1]`,
	}
	if !reflect.DeepEqual(sf.Plain, wantPlain) {
		t.Errorf("plain = %q, want %q", sf.Plain, wantPlain)
	}
	wantValues := map[string]any{
		"havpn:gcpRegion": "asia-northeast1", "havpn:gcpAsn": "65001",
		"havpn:subnets":    []any{map[string]any{"region": "r1", "cidr": "10.0.0.0/24"}},
		"havpn:azureZones": []any{1.0}, // an unquoted zone: the CLI refuses it for array<string>, and so does Check
	}
	if !reflect.DeepEqual(sf.Values, wantValues) {
		t.Errorf("values = %#v, want %#v", sf.Values, wantValues)
	}
	if got := Check(sf.Values, sf.Encrypted); len(got) != 1 || !strings.HasPrefix(got[0], "havpn:azureZones = [1]: must be of type array<string>") {
		t.Errorf("Check = %q", got)
	}
	if !reflect.DeepEqual(sf.Encrypted, []string{"havpn:sharedSecret"}) {
		t.Errorf("encrypted = %q: a secure value must be listed, never passed on as plain text", sf.Encrypted)
	}
	if _, err := ReadStackFile(dir, "missing"); err == nil || !strings.Contains(err.Error(), `stack "missing"`) {
		t.Errorf("missing file: %v", err)
	}
}

// TestCommittedStacksPassTheDeclaration: the stack files hold only declared keys, correctly typed.
func TestCommittedStacksPassTheDeclaration(t *testing.T) {
	files, err := filepath.Glob("../../../stacks/Pulumi.*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stack files: %v", err)
	}
	for _, f := range files {
		stack := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml")
		sf, err := ReadStackFile("../../../stacks", stack)
		if err != nil {
			t.Fatal(err)
		}
		if got := Check(sf.Values, sf.Encrypted); len(got) != 0 {
			t.Errorf("%s: %q", f, got)
		}
		plain := map[string]string{}
		for k, v := range sf.Plain {
			plain[strings.TrimPrefix(k, Namespace+":")] = v
		}
		// The master secret is set encrypted, never committed: the test stands in for it.
		if _, err := Load(lookupOf(withSecret(plain))); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestKeysAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Keys {
		if seen[k.Name] || k.Description == "" || (k.Type == Array) != (k.Items != "") {
			t.Errorf("bad declaration %+v", k)
		}
		seen[k.Name] = true
		if k.Default != nil && !ValidValue(k, normalizedDefault(t, k)) {
			t.Errorf("%s: default %#v is not of type %s", k.Name, k.Default, k.TypeName())
		}
		if k.Default == nil && !k.Secret {
			t.Errorf("%s: only the secret is required; every other key needs a default", k.Name)
		}
		if k.Secret && k.Default != nil {
			t.Errorf("%s: the CLI refuses a secret key's default when a stack leaves it unset; declare it Encrypt instead", k.Name)
		}
	}
	if !slices.Equal(sortedNames(), sortedUnique(seen)) {
		t.Error("sortedNames")
	}
}

func normalizedDefault(t *testing.T, k Key) any {
	t.Helper()
	v, err := normalize(k.Default)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func sortedUnique(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
