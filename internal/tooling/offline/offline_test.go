package offline

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

const stacksDir = "../../../stacks"

func stackPlan(t *testing.T, stack string, sets ...string) *Result {
	t.Helper()
	res, err := Run(Options{Stack: stack, StacksDir: stacksDir, Sets: sets})
	require.NoError(t, err)
	return res
}

func countTypes(res *Result) map[string]int {
	out := map[string]int{}
	for _, e := range res.Resources {
		out[e.Type]++
	}
	return out
}

func TestStacksPlan(t *testing.T) {
	cases := []struct {
		stack       string
		resources   int
		tunnels     int
		gateways    int
		subnets     int
		firstRange  string
		cuts        [][]string
		routingWarn bool
	}{
		{"dev", 24, 2, 1, 1, "169.254.21.0/30", [][]string{
			{"gcp-gw0-if0", "gcp-gw0-if1"}, {"gcp-gw0-if0", "azure-inst1"}, {"gcp-gw0-if1", "azure-inst0"}, {"azure-inst0", "azure-inst1"},
		}, false},
		{"prod", 36, 4, 2, 2, "169.254.21.8/30", [][]string{{"azure-inst0", "azure-inst1"}}, false},
	}
	for _, c := range cases {
		t.Run(c.stack, func(t *testing.T) {
			res := stackPlan(t, c.stack)
			assert.Len(t, res.Resources, c.resources)
			types := countTypes(res)
			assert.Equal(t, c.gateways, types["gcp:compute/haVpnGateway:HaVpnGateway"])
			assert.Equal(t, c.tunnels, types["gcp:compute/vPNTunnel:VPNTunnel"])
			assert.Equal(t, c.tunnels, types["azure-native:network:VirtualNetworkGatewayConnection"])
			assert.Equal(t, c.tunnels, types["azure-native:network:LocalNetworkGateway"])
			assert.Equal(t, 1, types["azure-native:network:VirtualNetworkGateway"])
			assert.Equal(t, c.subnets, types["gcp:compute/subnetwork:Subnetwork"])
			require.Len(t, res.Tunnels, c.tunnels)
			assert.Equal(t, c.firstRange, res.Tunnels[0].BgpSessionRange)
			var cuts [][]string
			for _, f := range analysis.Cuts(res.Failures) {
				cuts = append(cuts, f.Failed)
			}
			assert.Equal(t, c.cuts, cuts)
			assert.True(t, res.SecretPlaceholder, "no plain sharedSecret in the stack file")
			// Every carrier of a BGP session is a resource the program registers, and every tunnel has carriers.
			registered := map[string]bool{}
			for _, e := range res.Resources {
				registered[e.Name] = true
			}
			carried := map[string]bool{}
			for _, cr := range res.Carriers {
				assert.True(t, registered[cr.Resource], "carrier %s is not a registered resource", cr.Resource)
				for _, tn := range cr.Tunnels {
					carried[tn] = true
				}
			}
			for _, tn := range res.Tunnels {
				assert.True(t, carried[tn.Name], "tunnel %s has no resource of its own among the carriers", tn.Name)
			}
			for _, w := range res.Warnings {
				assert.NotContains(t, w, "REGIONAL", "the committed stacks are routed correctly")
			}
		})
	}
}

func TestRegionalRoutingWarning(t *testing.T) {
	twoRegions := `havpn:subnets=[{"region":"asia-northeast1","cidr":"172.16.0.0/24"},{"region":"asia-northeast2","cidr":"172.24.0.0/24"}]`
	res := stackPlan(t, "dev", twoRegions)
	require.Len(t, res.Warnings, 2)
	assert.Contains(t, res.Warnings[1], "REGIONAL")
	assert.Contains(t, res.Warnings[1], "asia-northeast2")
	assert.Contains(t, res.Warnings[1], "havpn:routingMode to GLOBAL")

	res = stackPlan(t, "dev", twoRegions, "routingMode=GLOBAL")
	assert.Len(t, res.Warnings, 1, "GLOBAL routing reaches every region")
}

func TestSetOverridesConfig(t *testing.T) {
	res := stackPlan(t, "dev", "bgpSessionBlock=2", "havpn:topology=dualGateway", "sharedSecret=an-explicit-secret-of-32-chars-xx")
	require.Len(t, res.Tunnels, 4)
	assert.Equal(t, "169.254.21.16/30", res.Tunnels[0].BgpSessionRange)
	assert.Equal(t, "169.254.22.20/30", res.Tunnels[3].BgpSessionRange)
	assert.False(t, res.SecretPlaceholder)
	assert.Empty(t, res.Warnings)
}

func TestMainPrintsTables(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Main([]string{"plan", "--stack", "dev", "--stacks-dir", stacksDir}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	text := out.String()
	for _, want := range []string{
		"Pulumi mocks: no cloud was contacted",
		"Resources (24)",
		"azure-native:network:VirtualNetworkGateway",
		"gcp-azure-t0  gcp-azure-gw0  0       0               169.254.21.0/30  169.254.21.2  169.254.21.1  65534    65515",
		"gcp-gw0-if0 + azure-inst1  0/2              LINK DOWN",
	} {
		assert.Contains(t, text, want)
	}
}

func TestMainJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	secret := "json-output-must-not-carry-this-secret"
	code := Main([]string{"plan", "--stack", "prod", "--stacks-dir", stacksDir, "--json", "--set", "sharedSecret=" + secret}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.NotContains(t, out.String(), secret)
	var doc struct {
		Resources []struct{ Type, Name string } `json:"resources"`
		Tunnels   []map[string]any              `json:"tunnels"`
		Failures  []struct {
			Failed        []string `json:"failed"`
			BgpSessionsUp int      `json:"bgpSessionsUp"`
		} `json:"failures"`
		Warnings []string `json:"warnings"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	assert.Len(t, doc.Resources, 36)
	assert.Equal(t, "havpn:index:HaVpnLink", doc.Resources[len(doc.Resources)-1].Type)
	require.Len(t, doc.Tunnels, 4)
	assert.Equal(t, map[string]any{
		"name": "gcp-azure-t2", "gcpGateway": 1.0, "gcpInterface": 0.0, "azureInstance": 0.0,
		"bgpSessionRange": "169.254.21.12/30", "gcpBgpIp": "169.254.21.14", "azureBgpIp": "169.254.21.13",
	}, doc.Tunnels[2])
	assert.Len(t, doc.Failures, 6+15, "6 single failures and 15 pairs")
	assert.Equal(t, []string{"azure-inst0", "azure-inst1"}, doc.Failures[len(doc.Failures)-1].Failed)
	assert.Equal(t, 0, doc.Failures[len(doc.Failures)-1].BgpSessionsUp)
	assert.NotNil(t, doc.Warnings)

	read, err := plandoc.Decode(bytes.NewReader(out.Bytes()))
	require.NoError(t, err, "plan-diff's reader (unknown fields refused) reads what plan writes")
	assert.Equal(t, "prod", read.Stack)
	assert.Len(t, read.Resources, 36)
	assert.Len(t, read.Tunnels, 4)
}

func TestMainRejectsInvalidConfig(t *testing.T) {
	cases := []struct {
		name string
		sets []string
		want []string
	}{
		{"link arguments", []string{"gcpAsn=65515", "azureSku=VpnGw1", "topology=mesh"},
			[]string{"3 invalid argument(s)", "gcp.asn = 65515", "azure.sku = \"VpnGw1\"", "use VpnGw1AZ", "topology = \"mesh\""}},
		{"short secret", []string{"sharedSecret=short"}, []string{"sharedSecret = (secret, 5 characters)"}},
		{"bad block", []string{"bgpSessionBlock=40"}, []string{"bgpSessionBlock = 40", "0-31"}},
		{"environment", []string{"routingMode=sideways"}, []string{"havpn:routingMode", "REGIONAL or GLOBAL"}},
		{"not a number", []string{"gcpAsn=abc"}, []string{`havpn:gcpAsn = "abc": must be of type integer (Pulumi.yaml)`}},
		// Typos are refused, naming the closest declared key, instead of silently planning the defaults.
		{"typo gcpAsnn", []string{"havpn:gcpAsnn=100"}, []string{"havpn:gcpAsnn is not a key of this project", "Did you mean havpn:gcpAsn?"}},
		{"typo topolgy", []string{"havpn:topolgy=dualGateway"}, []string{"havpn:topolgy is not a key of this project", "Did you mean havpn:topology?"}},
		{"list given as text", []string{"bgpSessionRanges=169.254.21.8/30"}, []string{`havpn:bgpSessionRanges = "169.254.21.8/30": must be of type array<string>`, `--set JSON such as havpn:bgpSessionRanges=["a","b"]`}},
		{"unknown object field", []string{`ipsecPolicy={"pfsGropu":"PFS24"}`}, []string{"havpn:ipsecPolicy.pfsGropu is not a field", "Did you mean pfsGroup?"}},
		// The address-space mistakes.
		{"VNet over the Google subnet", []string{"vnetCidr=172.16.0.0/16", "gatewaySubnetCidr=172.16.255.0/27", "workloadSubnetCidr=172.16.1.0/24"},
			[]string{`havpn:vnetCidr = "172.16.0.0/16": it overlaps the Google subnet subnets[0] (asia-northeast1) 172.16.0.0/24`, "Azure drops the route to 172.16.0.0/24"}},
		{"GatewaySubnet outside the VNet", []string{"gatewaySubnetCidr=10.9.255.0/27"}, []string{`havpn:gatewaySubnetCidr = "10.9.255.0/27": the GatewaySubnet must lie inside the VNet havpn:vnetCidr 10.1.0.0/16`}},
		{"GatewaySubnet /30", []string{"gatewaySubnetCidr=10.1.255.0/30"}, []string{`havpn:gatewaySubnetCidr = "10.1.255.0/30": Azure creates a VPN gateway only in a GatewaySubnet of /29 or larger`}},
		{"advertised range over the VNet", []string{`advertisedIpRanges=["10.1.0.0/16"]`}, []string{"1 invalid argument(s)", `gcp.advertisedIpRanges[0] = "10.1.0.0/16": it lies inside azure.addressPrefixes[0] 10.1.0.0/16`}},
		// Component arguments set from the stack fail with the component's own messages.
		{"component values", []string{"dpdTimeoutSeconds=5", `azureZones=["4"]`, "azureGeneration=Generation3", `ipsecPolicy={"pfsGroup":"None"}`, `firewall={"allow":[{"protocol":"icmp","ports":[8]}]}`, `bgpSessionRanges=["169.254.23.0/30","169.254.21.4/30"]`},
			[]string{"6 invalid argument(s)", "azure.dpdTimeoutSeconds = 5", `azure.zones[0] = "4"`, `azure.generation = "Generation3"`, `ipsecPolicy.pfsGroup = "None"`, "gcp.firewall.allow[0].ports", `bgpSessionRanges[0] = "169.254.23.0/30"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := []string{"plan", "--stack", "dev", "--stacks-dir", stacksDir}
			for _, s := range c.sets {
				args = append(args, "--set", s)
			}
			assert.Equal(t, 1, Main(args, &out, &errOut))
			for _, w := range c.want {
				assert.Contains(t, errOut.String(), w)
			}
			assert.NotContains(t, errOut.String(), "short\"", "the secret value is never printed")
			assert.Empty(t, out.String())
		})
	}
}

func TestMainUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"deploy"}, {"plan"}, {"plan", "--stack", "missing", "--stacks-dir", stacksDir}, {"plan", "--stack", "dev", "--stacks-dir", stacksDir, "--set", "gcpAsn"}} {
		var out, errOut bytes.Buffer
		assert.Equal(t, 2, Main(args, &out, &errOut), args)
		assert.NotEmpty(t, errOut.String())
	}
}

// TestPlanRefusesTeamStacks: the hub and spoke stacks are not planned offline (a spoke's plan needs
// its hub's outputs); the refusal says why, exit 2.
func TestPlanRefusesTeamStacks(t *testing.T) {
	for stack, role := range map[string]string{"hub": "hub", "spoke-a": "spoke"} {
		var out, errOut bytes.Buffer
		assert.Equal(t, 2, Main([]string{"plan", "--stack", stack, "--stacks-dir", stacksDir}, &out, &errOut), stack)
		assert.Contains(t, errOut.String(), "has havpn:role "+role+": havpn plan plans link stacks only")
	}
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, Main([]string{"plan", "--stack", "dev", "--stacks-dir", stacksDir, "--set", "havpn:role=hub"}, &out, &errOut))
}

// TestStackFilesHoldNoSecret: the master secret is set with `pulumi config set --secret`, never committed.
func TestStackFilesHoldNoSecret(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(stacksDir, "Pulumi.*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "havpn:sharedSecret:") {
				assert.Contains(t, line, "secure:", "%s commits a plain sharedSecret", f)
			}
		}
	}
}

// TestExplicitApipaLayout: issue 11's layout, both /30s in 169.254.21.0/24, plans Azure on .9 and .13
// (one address on each instance) and Google on .10 and .14, through every rendered resource.
func TestExplicitApipaLayout(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Main([]string{"plan", "--stack", "dev", "--stacks-dir", stacksDir, "--json", "--set", `havpn:bgpSessionRanges=["169.254.21.8/30","169.254.21.12/30"]`}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	doc, err := plandoc.Decode(bytes.NewReader(out.Bytes()))
	require.NoError(t, err)
	require.Len(t, doc.Tunnels, 2)
	for k, want := range []struct{ rng, azure, gcp string }{{"169.254.21.8/30", "169.254.21.9", "169.254.21.10"}, {"169.254.21.12/30", "169.254.21.13", "169.254.21.14"}} {
		row := doc.Tunnels[k]
		assert.Equal(t, k, row.AzureInstance, "tunnel %d still ends on Azure instance %d", k, k)
		assert.Equal(t, []string{want.rng, want.azure, want.gcp}, []string{row.BgpSessionRange, row.AzureBgpIp, row.GcpBgpIp})
	}
	inputs := map[string]map[string]any{}
	for _, r := range doc.Resources {
		inputs[r.Name] = r.Inputs
	}
	assert.Equal(t, "169.254.21.10/30", inputs["gcp-azure-if0"]["ipRange"])
	assert.Equal(t, "169.254.21.14/30", inputs["gcp-azure-if1"]["ipRange"])
	assert.Equal(t, "169.254.21.13", inputs["gcp-azure-bgp1"]["peerIpAddress"])
	peering := inputs["gcp-azure-vgw"]["bgpSettings"].(map[string]any)["bgpPeeringAddresses"].([]any)
	assert.Equal(t, []any{"169.254.21.9"}, peering[0].(map[string]any)["customBgpIpAddresses"], "instance 0")
	assert.Equal(t, []any{"169.254.21.13"}, peering[1].(map[string]any)["customBgpIpAddresses"], "instance 1 carries a 169.254.21.x address")
	assert.Equal(t, "169.254.21.14", inputs["gcp-azure-lng1"]["bgpSettings"].(map[string]any)["bgpPeeringAddress"])
}

// TestStackKeysReachTheLink: the link arguments a network engineer tunes are settable per stack.
func TestStackKeysReachTheLink(t *testing.T) {
	res := stackPlan(t, "dev", "dpdTimeoutSeconds=30", "azureSku=VpnGw2AZ", "azureGeneration=Generation2", `azureZones=["2"]`,
		"azureGatewayName=edge-vgw", `ipsecPolicy={"pfsGroup":"PFS24","dhGroup":"DHGroup24"}`,
		`firewall={"allow":[{"protocol":"tcp","ports":[22,"8000-8080"]}],"targetTags":["vpn"]}`, "gcp:project=other-namespace-is-not-ours")
	inputs := map[string]map[string]any{}
	for _, r := range res.Resources {
		inputs[r.Name] = r.Inputs
	}
	vgw := inputs["gcp-azure-vgw"]
	require.NotNil(t, vgw)
	assert.Equal(t, "edge-vgw", vgw["virtualNetworkGatewayName"], "azureGatewayName names the gateway")
	assert.Equal(t, "VpnGw2AZ", vgw["sku"].(map[string]any)["name"])
	assert.Equal(t, "Generation2", vgw["vpnGatewayGeneration"])
	assert.Equal(t, []any{"2"}, inputs["gcp-azure-pip0"]["zones"])
	conn := inputs["gcp-azure-conn0"]
	assert.Equal(t, 30.0, conn["dpdTimeoutSeconds"])
	policy := conn["ipsecPolicies"].([]any)[0].(map[string]any)
	assert.Equal(t, []any{"PFS24", "DHGroup24", "GCMAES256"}, []any{policy["pfsGroup"], policy["dhGroup"], policy["ipsecEncryption"]}, "fields left out keep the default")
	fw := inputs["gcp-azure-from-azure"]
	assert.Equal(t, []any{"vpn"}, fw["targetTags"])
	assert.Equal(t, []any{map[string]any{"protocol": "tcp", "ports": []any{"22", "8000-8080"}}}, fw["allows"])

	// Firewall disabled: no rule.
	res = stackPlan(t, "dev", `firewall={"enabled":false}`)
	for _, r := range res.Resources {
		assert.NotEqual(t, "gcp:compute/firewall:Firewall", r.Type)
	}
}

// TestProgramRefusesUndeclaredEngineKeys: run by the Go language host, the program sees every key in
// PULUMI_CONFIG and refuses an undeclared havpn: key, which the pinned CLI lets through.
func TestProgramRefusesUndeclaredEngineKeys(t *testing.T) {
	t.Setenv(pulumi.EnvConfig, `{"havpn:topology":"paired","havpn:gcpAsnn":"100","gcp:project":"p"}`)
	_, err := Run(Options{Stack: "dev", StacksDir: stacksDir})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "havpn:gcpAsnn is not a key of this project")
	assert.Contains(t, err.Error(), "Did you mean havpn:gcpAsn?")
	assert.NotContains(t, err.Error(), "gcp:project")

	t.Setenv(pulumi.EnvConfig, `{"havpn:topology":"paired","gcp:project":"p"}`)
	_, err = Run(Options{Stack: "dev", StacksDir: stacksDir})
	require.NoError(t, err)
}
