// Package cloudrules holds the Google Cloud and Azure rules havpn must respect,
// one table per fact, each with the source it comes from. It imports no cloud SDK.
package cloudrules

import (
	"fmt"
	"net/netip"
	"strings"
)

// AddrRange is an inclusive range of IPv4 addresses.
type AddrRange struct{ First, Last netip.Addr }

// Contains reports whether a lies in the range.
func (r AddrRange) Contains(a netip.Addr) bool {
	return a.Is4() && a.Compare(r.First) >= 0 && a.Compare(r.Last) <= 0
}

func (r AddrRange) String() string { return r.First.String() + "-" + r.Last.String() }

// AzureApipaWindow is where Azure custom BGP (APIPA) addresses must lie.
// Source: Azure vpn-gateway "configure BGP" / bgp-howto (azurerm validates the same window, PR #10381).
var AzureApipaWindow = AddrRange{
	First: netip.MustParseAddr("169.254.21.0"),
	Last:  netip.MustParseAddr("169.254.22.255"),
}

// ContainsPrefix reports whether every address of p lies in the range.
func (r AddrRange) ContainsPrefix(p netip.Prefix) bool {
	p = p.Masked()
	return r.Contains(p.Addr()) && r.Contains(LastAddr(p))
}

// LastAddr is the highest address of an IPv4 prefix.
func LastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// InstanceBlock is the layout of havpn's DEFAULT allocation (bgpSessionBlock): the /24 that holds the
// /30s of tunnels ending on one Azure instance. It is havpn's choice, not an Azure rule: any address of
// AzureApipaWindow may sit on either instance, so explicit bgpSessionRanges may use any /30 of the window.
// Source: Google tutorial "Create HA VPN connections between Google Cloud and Azure" (21.x for instance 0,
// 22.x for instance 1); Microsoft's vpn-gateway-howto-aws-bgp puts 169.254.21.x and 169.254.22.x on each instance.
var InstanceBlock = []netip.Prefix{
	netip.MustParsePrefix("169.254.21.0/24"),
	netip.MustParsePrefix("169.254.22.0/24"),
}

// CloudRouterLinkLocal is where every Cloud Router BGP /30 must lie.
// Source: Google Cloud Router docs (each BGP session uses its own /30 from 169.254.0.0/16).
var CloudRouterLinkLocal = netip.MustParsePrefix("169.254.0.0/16")

// AsnRange is an inclusive range of autonomous system numbers.
type AsnRange struct {
	First, Last int64
	Why         string
}

// Contains reports whether asn lies in the range.
func (r AsnRange) Contains(asn int64) bool { return asn >= r.First && asn <= r.Last }

// FindAsn returns the range of ranges that holds asn.
func FindAsn(asn int64, ranges []AsnRange) (AsnRange, bool) {
	for _, r := range ranges {
		if r.Contains(asn) {
			return r, true
		}
	}
	return AsnRange{}, false
}

// DescribeAsns lists ranges for a message: "64512-65534 or 4200000000-4294967294".
func DescribeAsns(ranges []AsnRange) string {
	parts := make([]string, len(ranges))
	for i, r := range ranges {
		parts[i] = fmt.Sprintf("%d-%d", r.First, r.Last)
	}
	return strings.Join(parts, " or ")
}

// CloudRouterAsns are the ASNs a Cloud Router may use.
// Source: Google HA VPN-Azure tutorial and google_compute_router docs (private 16-bit and 32-bit ranges).
var CloudRouterAsns = []AsnRange{
	{64512, 65534, "private 16-bit"},
	{4200000000, 4294967294, "private 32-bit"},
}

// IanaReservedAsns can be used by neither side.
// Source: Azure VPN gateway FAQ, BGP section (IANA-reserved values).
var IanaReservedAsns = []AsnRange{
	{0, 0, "IANA-reserved"},
	{23456, 23456, "IANA-reserved (AS_TRANS)"},
	{64496, 64511, "IANA-reserved for documentation"},
	{65535, 65551, "IANA-reserved"},
	{4294967295, 4294967295, "IANA-reserved"},
}

// AzureReservedPeerAsns cannot be used by the peer of an Azure gateway (here: the Cloud Router).
// Source: Azure VPN gateway FAQ, BGP section ("ASNs reserved by Azure").
var AzureReservedPeerAsns = []AsnRange{
	{8074, 8075, "reserved by Azure (public)"},
	{12076, 12076, "reserved by Azure (public)"},
	{65515, 65515, "reserved by Azure (default gateway ASN)"},
	{65517, 65520, "reserved by Azure (private)"},
}

// AzureReservedGatewayAsns cannot be the Azure gateway's own ASN; 65515 is its default and allowed.
// Source: Azure VPN gateway FAQ, BGP section (reserved list, less the gateway default).
var AzureReservedGatewayAsns = []AsnRange{
	{8074, 8075, "reserved by Azure (public)"},
	{12076, 12076, "reserved by Azure (public)"},
	{65517, 65520, "reserved by Azure (private)"},
}

// MaxAsn is the largest 32-bit ASN.
const MaxAsn = 4294967295

// Defaults for the link.
const (
	DefaultGcpAsn         = 65534 // Google tutorial uses a private 16-bit ASN for Cloud Router
	DefaultAzureAsn       = 65515 // Azure VPN gateway FAQ: default gateway ASN
	DefaultKeepalive      = 20    // Cloud Router docs: keepalive default 20 s
	DefaultDpdTimeout     = 45    // Azure connection docs: dpdTimeoutSeconds default 45
	DefaultSku            = "VpnGw1AZ"
	MinSharedSecretLength = 16 // havpn policy: enough entropy for the HMAC-derived per-tunnel PSKs
	MaxBgpSessionBlock    = 31 // 64 /30s per /24, two per Azure instance per block
	ApipaSlotsPerInstance = 2  // havpn: at most two tunnels end on one Azure instance (dualGateway)
	MaxAzurePskLength     = 128
)

// IntRange is an inclusive integer range with its source.
type IntRange struct{ Min, Max int }

// Contains reports whether v lies in the range.
func (r IntRange) Contains(v int) bool { return v >= r.Min && v <= r.Max }

// CloudRouterKeepalive bounds the Cloud Router BGP keepalive interval in seconds.
// Source: Cloud Router docs (keepalive 20-60 s, hold time 3x).
var CloudRouterKeepalive = IntRange{20, 60}

// AzureDpdTimeout bounds dpdTimeoutSeconds of an Azure connection.
// Source: Azure VirtualNetworkGatewayConnection REST reference (9-3600 s).
var AzureDpdTimeout = IntRange{9, 3600}

// SkuRule tells whether havpn accepts an Azure gateway SKU and what to use instead.
type SkuRule struct {
	Allowed     bool
	Zonal       bool     // AZ SKU: public IPs get zones
	Generations []string // allowed vpnGatewayGeneration values
	Instead     string   // the SKU to suggest when refused
	Why         string
	S2STunnels  int // site-to-site tunnels the gateway carries (Azure "About gateway SKUs"; see capacity.go)
}

// AzureSkus lists the VPN gateway SKUs.
// Source: Azure docs "VPN Gateway SKU consolidation" (non-AZ VpnGw1-5 can no longer be created) and
// "about-active-active gateways" (Basic supports neither BGP nor active-active); generations per SKU and
// S2S tunnels (VpnGw1AZ-VpnGw3AZ 30, VpnGw4AZ-VpnGw5AZ 100) from "About gateway SKUs".
var AzureSkus = map[string]SkuRule{
	"Basic":           {Why: "Basic supports neither BGP nor active-active", Instead: "VpnGw1AZ"},
	"Standard":        {Why: "legacy SKU, no longer creatable", Instead: "VpnGw1AZ"},
	"HighPerformance": {Why: "legacy SKU, no longer creatable", Instead: "VpnGw2AZ"},
	"VpnGw1":          {Why: "non-AZ SKUs can no longer be created (SKU consolidation)", Instead: "VpnGw1AZ"},
	"VpnGw2":          {Why: "non-AZ SKUs can no longer be created (SKU consolidation)", Instead: "VpnGw2AZ"},
	"VpnGw3":          {Why: "non-AZ SKUs can no longer be created (SKU consolidation)", Instead: "VpnGw3AZ"},
	"VpnGw4":          {Why: "non-AZ SKUs can no longer be created (SKU consolidation)", Instead: "VpnGw4AZ"},
	"VpnGw5":          {Why: "non-AZ SKUs can no longer be created (SKU consolidation)", Instead: "VpnGw5AZ"},
	"VpnGw1AZ":        {Allowed: true, Zonal: true, Generations: []string{"Generation1", "Generation2"}, S2STunnels: 30},
	"VpnGw2AZ":        {Allowed: true, Zonal: true, Generations: []string{"Generation1", "Generation2"}, S2STunnels: 30},
	"VpnGw3AZ":        {Allowed: true, Zonal: true, Generations: []string{"Generation1", "Generation2"}, S2STunnels: 30},
	"VpnGw4AZ":        {Allowed: true, Zonal: true, Generations: []string{"Generation2"}, S2STunnels: 100},
	"VpnGw5AZ":        {Allowed: true, Zonal: true, Generations: []string{"Generation2"}, S2STunnels: 100},
}

// AzureZones are the availability zone names a Standard public IP accepts.
// Source: Azure public IP docs (zones "1", "2", "3").
var AzureZones = []string{"1", "2", "3"}

// IpsecPolicy is the IKE/IPsec policy set on every Azure connection.
type IpsecPolicy struct {
	IkeEncryption       string
	IkeIntegrity        string
	DhGroup             string
	IpsecEncryption     string
	IpsecIntegrity      string
	PfsGroup            string
	SaLifeTimeSeconds   int
	SaDataSizeKilobytes int
}

// DefaultIpsecPolicy is set explicitly on each connection: Azure as initiator offers no PFS by default, Google requires PFS.
// Source: Azure IPsec/IKE policy docs and Google "Supported IKE ciphers" (phase 2 lifetime 10800 s, PFS required).
var DefaultIpsecPolicy = IpsecPolicy{
	IkeEncryption:       "GCMAES256",
	IkeIntegrity:        "SHA384",
	DhGroup:             "DHGroup14",
	IpsecEncryption:     "GCMAES256",
	IpsecIntegrity:      "GCMAES256",
	PfsGroup:            "PFS2048",
	SaLifeTimeSeconds:   10800,
	SaDataSizeKilobytes: 102400000,
}

// Algorithm is one value of an IPsec policy field and whether both clouds accept it.
type Algorithm struct {
	Name    string
	Allowed bool
	Why     string // why refused
}

// IpsecAlgorithms lists, per policy field, Azure's values and whether Google Cloud HA VPN accepts them too.
// Source: Azure "IPsec/IKE policy" docs (values) and Google "Supported IKE ciphers" (IKEv2, PFS required in phase 2);
// DES/3DES/MD5/group 1 are refused by havpn as too weak (our policy).
var IpsecAlgorithms = map[string][]Algorithm{
	"ikeEncryption": {
		{Name: "GCMAES256", Allowed: true}, {Name: "GCMAES128", Allowed: true},
		{Name: "AES256", Allowed: true}, {Name: "AES192", Allowed: true}, {Name: "AES128", Allowed: true},
		{Name: "DES3", Why: "3DES is refused by havpn as too weak"}, {Name: "DES", Why: "DES is refused by havpn as too weak"},
	},
	"ikeIntegrity": {
		{Name: "SHA384", Allowed: true}, {Name: "SHA256", Allowed: true}, {Name: "SHA1", Allowed: true},
		{Name: "MD5", Why: "MD5 is refused by havpn as too weak"},
		{Name: "GCMAES256", Why: "IKE integrity is the PRF hash; havpn uses SHA384 or SHA256 with GCM IKE encryption"},
		{Name: "GCMAES128", Why: "IKE integrity is the PRF hash; havpn uses SHA384 or SHA256 with GCM IKE encryption"},
	},
	"dhGroup": {
		{Name: "DHGroup24", Allowed: true}, {Name: "ECP384", Allowed: true}, {Name: "ECP256", Allowed: true},
		{Name: "DHGroup14", Allowed: true}, {Name: "DHGroup2048", Allowed: true}, {Name: "DHGroup2", Allowed: true},
		{Name: "DHGroup1", Why: "group 1 is not offered by Google Cloud VPN"},
		{Name: "None", Why: "IKE phase 1 needs a Diffie-Hellman group"},
	},
	"ipsecEncryption": {
		{Name: "GCMAES256", Allowed: true}, {Name: "GCMAES192", Allowed: true}, {Name: "GCMAES128", Allowed: true},
		{Name: "AES256", Allowed: true}, {Name: "AES192", Allowed: true}, {Name: "AES128", Allowed: true},
		{Name: "DES3", Why: "3DES is refused by havpn as too weak"}, {Name: "DES", Why: "DES is refused by havpn as too weak"},
		{Name: "None", Why: "Google Cloud VPN does not carry unencrypted ESP"},
	},
	"ipsecIntegrity": {
		{Name: "GCMAES256", Allowed: true}, {Name: "GCMAES192", Allowed: true}, {Name: "GCMAES128", Allowed: true},
		{Name: "SHA256", Allowed: true}, {Name: "SHA1", Allowed: true},
		{Name: "MD5", Why: "MD5 is refused by havpn as too weak"},
	},
	"pfsGroup": {
		{Name: "PFS24", Allowed: true}, {Name: "ECP384", Allowed: true}, {Name: "ECP256", Allowed: true},
		{Name: "PFS2048", Allowed: true}, {Name: "PFS2", Allowed: true}, {Name: "PFS14", Allowed: true},
		{Name: "PFS1", Why: "group 1 is not offered by Google Cloud VPN"},
		{Name: "PFSMM", Why: "not a Diffie-Hellman group Google Cloud VPN offers"},
		{Name: "None", Why: "Google Cloud VPN requires PFS in phase 2"},
	},
}

// SaLifetime bounds saLifeTimeSeconds; SaDataSize bounds saDataSizeKilobytes.
// Source: Azure IPsec/IKE policy docs (lifetime >= 300 s, up to 172799 s; data size >= 1024 KB).
var (
	SaLifetime = IntRange{300, 172799}
	SaDataSize = IntRange{1024, 2147483647}
)

// FirewallProtocols are the protocol names a Google firewall allow rule accepts (IP protocol numbers too).
// Source: Google VPC firewall rules docs ("protocols and ports").
var FirewallProtocols = []string{"all", "tcp", "udp", "icmp", "esp", "ah", "sctp", "ipip"}

// FirewallPortProtocols are the protocols for which ports may be listed.
// Source: Google VPC firewall rules docs (ports only with tcp, udp, sctp).
var FirewallPortProtocols = []string{"tcp", "udp", "sctp"}

// GcpRedundancy is the external VPN gateway redundancy type for the two Azure public IPs.
// Source: Google HA VPN docs (TWO_IPS_REDUNDANCY for a peer with two interfaces).
const GcpRedundancy = "TWO_IPS_REDUNDANCY"

// GatewaySubnetName is the only subnet name an Azure virtual network gateway accepts.
// Source: Azure VPN gateway settings docs ("the subnet must be named GatewaySubnet").
const GatewaySubnetName = "GatewaySubnet"
