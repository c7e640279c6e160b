package envconfig

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// Type is a Pulumi project configuration type (Pulumi.yaml `config:` declarations).
type Type string

// The types Pulumi's project configuration accepts (pulumi/pulumi v3.274.1,
// sdk/go/common/workspace/project.json, simpleConfigType).
const (
	String  Type = "string"
	Integer Type = "integer"
	Boolean Type = "boolean"
	Array   Type = "array"
	Object  Type = "object"
)

// Key declares one stack configuration key the example program reads. Pulumi.yaml's config block is
// exactly this table (TestProjectDeclaration proves it and rewrites it with -update; Go cannot embed a
// file of a parent directory), so the Pulumi CLI checks stack files against the same declaration the
// program and `havpn plan` read their keys, types and defaults from.
type Key struct {
	Name  string // without the namespace
	Type  Type
	Items Type // the element type of an Array
	// Default is the value when a stack does not set the key, JSON-shaped (string, int, bool, []any,
	// map[string]any). nil means required: the CLI refuses to run a stack without it.
	Default any
	// Secret declares the key secret in Pulumi.yaml: the CLI refuses a plain value. Only a required key
	// can be: the CLI also refuses a secret key's default (not encrypted) when a stack leaves it unset
	// (checked with v3.274.1).
	Secret bool
	// Encrypt is for an optional secret: havpn refuses a plain value (havpn plan, simrun), the
	// declaration cannot.
	Encrypt     bool
	Description string
	// Arg is the HaVpnLink argument the key sets (its validation messages name it), "" for keys of the
	// environment around the link. Not part of Pulumi.yaml.
	Arg string
	// Roles lists the roles whose program reads the key (nil: every role). A stack of another role that
	// sets it to anything but its default is refused: the value would be ignored.
	Roles []Role
	// RequiredIn lists the roles that must set the key to something other than its default; Need says
	// why and how, for the refusal.
	RequiredIn []Role
	Need       string
}

// Role is what a stack of the example program builds (havpn:role).
type Role string

// The example program's roles: one link with its own gateway, or team stacks around a hub.
const (
	RoleLink  Role = "link"
	RoleHub   Role = "hub"
	RoleSpoke Role = "spoke"
)

// Roles lists the roles in the order the README names them.
var Roles = []Role{RoleLink, RoleHub, RoleSpoke}

var (
	linkOnly     = []Role{RoleLink}
	linkAndHub   = []Role{RoleLink, RoleHub}
	linkAndSpoke = []Role{RoleLink, RoleSpoke}
)

// ReadBy reports whether a stack of the role reads the key.
func (k Key) ReadBy(r Role) bool { return k.Roles == nil || slices.Contains(k.Roles, r) }

// RequiredBy reports whether a stack of the role must set the key.
func (k Key) RequiredBy(r Role) bool { return slices.Contains(k.RequiredIn, r) }

// TypeName is the type as the Pulumi CLI names it in its messages, e.g. "array<string>".
func (k Key) TypeName() string {
	if k.Type == Array {
		return fmt.Sprintf("array<%s>", k.Items)
	}
	return string(k.Type)
}

// Qualified is the key with its namespace, e.g. "havpn:gcpAsn".
func (k Key) Qualified() string { return Namespace + ":" + k.Name }

// Keys are the example program's stack configuration keys, in the order Pulumi.yaml and the README list
// them: the role, the link's design, the Google side, the Azure side, then the keys of team stacks.
// The defaults that are the component's own come from cloudrules, the component's source for them.
var Keys = []Key{
	{Name: "role", Type: String, Default: string(RoleLink),
		Description: `What the stack builds: "link" (a Google VPC, an Azure VNet and one HaVpnLink with its own gateway), "hub" (the Azure side of team stacks: the VNet and an AzureVpnHub whose slots the spokes take) or "spoke" (one team's Google VPC and its HaVpnLink on the hub, read through hubStack).`},
	{Name: "topology", Arg: "topology", Type: String, Default: "paired",
		Description: `How the clouds are wired: "paired" (one HA VPN gateway, 2 tunnels, 2 BGP sessions) or "dualGateway" (two HA VPN gateways, 4 tunnels, 4 BGP sessions). A hub's is its slots' (slotTopology); a spoke's must be its hub's.`},
	{Name: "sharedSecret", Arg: "sharedSecret", Type: String, Default: "", Encrypt: true, Roles: linkAndSpoke, RequiredIn: linkAndSpoke,
		Need:        `every tunnel's pre-shared key derives from it. Fix: pulumi config set --secret havpn:sharedSecret "$(openssl rand -base64 32)"`,
		Description: `Master secret (16 characters or more) every tunnel's pre-shared key is derived from; each spoke has its own. Required for a link and a spoke; keep it encrypted, never committed: pulumi config set --secret havpn:sharedSecret "$(openssl rand -base64 32)".`},
	{Name: "nextSharedSecret", Arg: "nextSharedSecret", Type: String, Default: "", Encrypt: true, Roles: linkAndSpoke,
		Description: `Staged rotation: the master secret the tunnels of Azure instance 0 move to first (keep it encrypted: pulumi config set --secret). Then set sharedSecret to it and remove this key. Empty: no rotation staged.`},
	{Name: "bgpSessionBlock", Arg: "bgpSessionBlock", Type: Integer, Default: 0, Roles: linkOnly,
		Description: "Block 0-31 of havpn's default BGP /30 allocation: block b gives the k-th tunnel on Azure instance n the /30 169.254.(21+n).(8b+4k). Give each link that shares a VPC or an Azure gateway its own block. (A spoke's /30s are its hub slot's.)"},
	{Name: "bgpSessionRanges", Arg: "bgpSessionRanges", Type: Array, Items: String, Default: []any{}, Roles: linkOnly,
		Description: `Explicit BGP /30s, one per tunnel in tunnel order, overriding bgpSessionBlock: any distinct /30s inside Azure's APIPA window 169.254.21.0-169.254.22.255, on either Azure instance, e.g. ["169.254.21.8/30", "169.254.21.12/30"]. Empty: the block's allocation.`},
	{Name: "ipsecPolicy", Arg: "ipsecPolicy", Type: Object, Default: ipsecPolicyDefault(), Roles: linkAndSpoke,
		Description: "IKEv2/IPsec policy of every Azure connection (the component's ipsecPolicy fields); a field a stack leaves out keeps this default. Google requires PFS in phase 2."},
	{Name: "gcpProject", Arg: "gcp.project", Type: String, Default: "", Roles: linkAndSpoke,
		Description: "Google project of the VPC and the link; empty: the gcp provider's default (gcp:project)."},
	{Name: "gcpRegion", Arg: "gcp.region", Type: String, Default: "asia-northeast1", Roles: linkAndSpoke,
		Description: "Region of the HA VPN gateways and the Cloud Router."},
	{Name: "routingMode", Type: String, Default: "REGIONAL", Roles: linkAndSpoke,
		Description: "The VPC's dynamic routing mode: REGIONAL advertises only gcpRegion's subnets to Azure, GLOBAL the subnets of every region."},
	{Name: "subnets", Arg: "gcp.subnetRanges (the cidrs)", Type: Array, Items: Object, Default: []any{}, Roles: linkAndSpoke,
		Description: `The VPC's subnets, one per region: [{"region": ..., "cidr": ...}]. Empty: one subnet 172.16.0.0/24 in gcpRegion.`},
	{Name: "gcpAsn", Arg: "gcp.asn", Type: Integer, Default: cloudrules.DefaultGcpAsn, Roles: linkAndSpoke,
		Description: "Cloud Router ASN: private 64512-65534 or 4200000000-4294967294, not one Azure reserves (65515, 65517-65520, 8074, 8075, 12076). A spoke's must be the ASN its hub registers for it."},
	{Name: "keepaliveInterval", Arg: "gcp.keepaliveInterval", Type: Integer, Default: cloudrules.DefaultKeepalive, Roles: linkAndSpoke,
		Description: "Cloud Router BGP keepalive interval in seconds, 20-60 (hold time 3x)."},
	{Name: "advertisedIpRanges", Arg: "gcp.advertisedIpRanges", Type: Array, Items: String, Default: []any{}, Roles: linkAndSpoke,
		Description: "Extra CIDRs the Cloud Router advertises to Azure on top of all subnets; a range equal to or inside the VNet is refused (Azure drops it)."},
	{Name: "firewall", Arg: "gcp.firewall", Type: Object, Default: map[string]any{"enabled": true, "allow": []any{map[string]any{"protocol": "all"}}, "targetTags": []any{}}, Roles: linkAndSpoke,
		Description: `The VPC ingress rule admitting the VNet: {"enabled", "allow": [{"protocol", "ports"}], "targetTags"} (the component's gcp.firewall). Empty targetTags: every instance.`},
	{Name: "azureLocation", Arg: "azure.location", Type: String, Default: "japaneast", Roles: linkAndHub,
		Description: "Azure region of the resource group, the VNet and the gateway."},
	{Name: "azureAsn", Arg: "azure.asn", Type: Integer, Default: cloudrules.DefaultAzureAsn, Roles: linkAndHub,
		Description: "Azure gateway ASN; must differ from gcpAsn (a hub's from every spoke's)."},
	{Name: "azureSku", Arg: "azure.sku", Type: String, Default: cloudrules.DefaultSku, Roles: linkAndHub,
		Description: fmt.Sprintf("Azure VPN gateway SKU: VpnGw1AZ to VpnGw5AZ (non-AZ SKUs can no longer be created). A hub's bounds its linkSlots (S2S tunnels: %d on VpnGw1AZ-3AZ, %d on VpnGw4AZ-5AZ).",
			cloudrules.S2STunnels("VpnGw1AZ"), cloudrules.S2STunnels("VpnGw4AZ"))},
	{Name: "azureGeneration", Arg: "azure.generation", Type: String, Default: "", Roles: linkAndHub,
		Description: "Azure gateway generation, Generation1 or Generation2 (VpnGw4AZ and VpnGw5AZ: Generation2 only); empty: Azure's default."},
	{Name: "azureZones", Arg: "azure.zones", Type: Array, Items: String, Default: stringsAsAny(cloudrules.AzureZones), Roles: linkAndHub,
		Description: `Availability zones of the gateway's two public IPs, quoted ("1", "2", "3").`},
	{Name: "azureGatewayName", Arg: "azure.gatewayName", Type: String, Default: "", Roles: linkAndHub,
		Description: `Fixed name of the Azure gateway (its ipConfiguration IDs embed it); empty: "gcp-azure-vgw" (a hub's: "hub-vgw").`},
	{Name: "dpdTimeoutSeconds", Arg: "azure.dpdTimeoutSeconds", Type: Integer, Default: cloudrules.DefaultDpdTimeout, Roles: linkAndSpoke,
		Description: "Dead peer detection timeout of each Azure connection, 9-3600 seconds."},
	{Name: "vnetCidr", Arg: "azure.addressPrefixes", Type: String, Default: "10.1.0.0/16", Roles: linkAndHub,
		Description: "The Azure VNet's address space; must not overlap any Google subnet. A spoke reads its hub's (the hub stack's addressPrefixes output)."},
	{Name: "gatewaySubnetCidr", Type: String, Default: "10.1.255.0/27", Roles: linkAndHub,
		Description: "The GatewaySubnet, inside the VNet: /29 at least, /27 or larger recommended by Azure."},
	{Name: "workloadSubnetCidr", Type: String, Default: "10.1.1.0/24", Roles: linkAndHub,
		Description: "The workload subnet, inside the VNet and apart from the GatewaySubnet."},
	{Name: "linkSlots", Arg: "linkSlots (AzureVpnHub)", Type: Integer, Default: 0, Roles: []Role{RoleHub}, RequiredIn: []Role{RoleHub},
		Need:        "a hub allocates the APIPA addresses of a fixed number of link slots up front, so adding a spoke never updates its gateway. Fix: pulumi config set havpn:linkSlots N, N = the spokes the hub will carry (the SKU's tunnel budget bounds it: the hub's capacity output)",
		Description: "A hub's link slots: how many spokes its gateway is prepared for. Every slot's APIPA addresses are on the gateway from the start, so adding a spoke never updates it; raising linkSlots later is one gateway update. Required for a hub; azureSku bounds it."},
	{Name: "spokes", Arg: "spokes (AzureVpnHub)", Type: Array, Items: Object, Default: []any{}, Roles: []Role{RoleHub},
		Description: `A hub's spoke registry, [{"name", "slot", "asn"}]: which spoke takes which slot, with its Cloud Router's ASN. Register a spoke here, and up the hub (no cloud resource changes), before the spoke's first up.`},
	{Name: "hubStack", Arg: "azure.hub (its hub output)", Type: String, Default: "", Roles: []Role{RoleSpoke}, RequiredIn: []Role{RoleSpoke},
		Need:        "a spoke reads its hub's `hub` and `addressPrefixes` outputs through a StackReference. Fix: pulumi config set havpn:hubStack organization/havpn/hub (the hub stack's fully qualified name; on Pulumi Cloud <org>/havpn/hub)",
		Description: "A spoke's hub: the hub stack's fully qualified name, whose hub and addressPrefixes outputs the spoke reads through a StackReference: organization/havpn/hub on a DIY backend (file://, azblob://), <org>/havpn/hub on Pulumi Cloud."},
	{Name: "spokeName", Arg: "azure.hubSpoke", Type: String, Default: "", Roles: []Role{RoleSpoke},
		Description: "A spoke's name in its hub's registry, also its link's name; empty: the stack's name."},
}

func ipsecPolicyDefault() map[string]any {
	p := cloudrules.DefaultIpsecPolicy
	return map[string]any{
		"ikeEncryption": p.IkeEncryption, "ikeIntegrity": p.IkeIntegrity, "dhGroup": p.DhGroup,
		"ipsecEncryption": p.IpsecEncryption, "ipsecIntegrity": p.IpsecIntegrity, "pfsGroup": p.PfsGroup,
		"saLifeTimeSeconds": p.SaLifeTimeSeconds, "saDataSizeKilobytes": p.SaDataSizeKilobytes,
	}
}

func stringsAsAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Declared returns the declaration of a key of the project's namespace ("gcpAsn" or "havpn:gcpAsn").
func Declared(key string) (Key, bool) {
	name := strings.TrimPrefix(key, Namespace+":")
	for _, k := range Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// OwnKey reports whether a qualified key belongs to the project's namespace; keys of other namespaces
// (gcp:project, azure-native:location, pulumi:...) are the providers' and the engine's business.
func OwnKey(key string) bool { return strings.HasPrefix(Qualify(key), Namespace+":") }

// EngineValue is a configuration value as the Pulumi engine hands it to a program: scalars as their
// text, lists and objects as JSON.
func EngineValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case []any, map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	default:
		return fmt.Sprint(x)
	}
}

// Closest returns the declared key nearest to an undeclared one, for "did you mean", or "" when none is
// close enough. Like the CLI's own suggestions it compares case-insensitively by edit distance.
func Closest(key string) string {
	name := strings.ToLower(strings.TrimPrefix(key, Namespace+":"))
	best, bestD := "", 1<<30
	for _, k := range sortedNames() {
		if d := editDistance(name, strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	// Tolerate about one slip per four characters, and at least two (a swapped pair of letters).
	if limit := max(2, len(name)/4); bestD > limit {
		return ""
	}
	return Namespace + ":" + best
}

func sortedNames() []string {
	names := make([]string, len(Keys))
	for i, k := range Keys {
		names[i] = k.Name
	}
	sort.Strings(names)
	return names
}

// editDistance is the Levenshtein distance of two strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
