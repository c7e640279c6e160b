package linkplan

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// Validate returns every problem in the spec at once; an empty result means Build will succeed.
func Validate(spec Spec) Problems {
	c := &collector{}
	validateName(c, spec.Name)
	validateTopology(c, spec.Topology)
	if spec.SharedSecret != nil {
		c.problems = append(c.problems, ValidateSharedSecret(*spec.SharedSecret)...)
	}
	if spec.NextSharedSecret != nil {
		c.problems = append(c.problems, ValidateNextSharedSecret(*spec.NextSharedSecret)...)
	}
	validateSessions(c, spec)
	validateAsns(c, spec)
	validateGcp(c, spec.Gcp)
	validateExistingGcp(c, spec)
	validateGatewaySource(c, spec)
	validateAzure(c, spec)
	validateIpsec(c, spec.IpsecPolicy)
	return c.problems
}

// linkNamePattern keeps every derived Google resource name valid after Pulumi's 8-character auto-name suffix.
// Source: Google Compute Engine naming rules (RFC 1035: [a-z]([-a-z0-9]*[a-z0-9])?, at most 63 characters).
var linkNamePattern = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$`)

// ValidateGatewayArgs checks the arguments of an Azure gateway havpn creates, a hub's, with fields
// named at the top level (sku, generation, zones, gatewayName): SKU and generation, zones, name.
func ValidateGatewayArgs(a AzureSpec) Problems {
	c := &collector{}
	sku := validateSku(c, "", a)
	validateZones(c, "", a, sku)
	validateGatewayName(c, "", a.GatewayName)
	return c.problems
}

// ValidateName checks a component's name (a link's or a hub's): it prefixes the names of its resources.
func ValidateName(name string) Problems {
	c := &collector{}
	validateName(c, name)
	return c.problems
}

// RequireKnown refuses a missing (empty) value; nil (an Output not known yet) passes.
func RequireKnown(field string, v *string, fix string) Problems {
	c := &collector{}
	requireKnown(c, field, v, fix)
	return c.problems
}

func validateName(c *collector, name string) {
	if !linkNamePattern.MatchString(name) {
		c.add("name", name, "the component name prefixes every Google resource name, which must be lowercase letters, digits and hyphens, start with a letter, end with a letter or digit, and stay within 63 characters with havpn's suffixes",
			"use at most 40 characters of [a-z0-9-], starting with a letter, e.g. \"gcp-azure\"")
	}
}

func validateTopology(c *collector, t string) {
	if t != "" && !slices.Contains(Topologies, Topology(t)) {
		c.add("topology", t, `the topology must be "paired" or "dualGateway"`, `set topology to "paired" (2 tunnels) or "dualGateway" (4 tunnels)`)
	}
}

// ValidateSharedSecret checks the master secret; the component also calls it when the secret arrives later as an Output.
func ValidateSharedSecret(secret string) Problems {
	c := &collector{}
	if secret == "" {
		c.add("sharedSecret", "(empty)", "a master secret is required: every tunnel's pre-shared key is derived from it",
			"pulumi config set --secret havpn:sharedSecret \"$(openssl rand -base64 32)\"")
		return c.problems
	}
	checkSecretLength(c, "sharedSecret", secret)
	return c.problems
}

// ValidateNextSharedSecret checks the secret a staged rotation moves to; "" stages nothing.
func ValidateNextSharedSecret(secret string) Problems {
	c := &collector{}
	if secret != "" {
		checkSecretLength(c, "nextSharedSecret", secret)
	}
	return c.problems
}

func checkSecretLength(c *collector, field, secret string) {
	if len(secret) < cloudrules.MinSharedSecretLength {
		c.add(field, redacted(fmt.Sprintf("(secret, %d characters)", len(secret))),
			fmt.Sprintf("the master secret must have at least %d characters", cloudrules.MinSharedSecretLength),
			"use a random secret of 32 or more characters, e.g. openssl rand -base64 32")
	}
}

func validateSessions(c *collector, spec Spec) {
	if b := spec.BgpSessionBlock; b != nil && (*b < 0 || *b > cloudrules.MaxBgpSessionBlock) {
		c.add("bgpSessionBlock", *b, fmt.Sprintf("the block must be 0-%d: each block takes two /30s per Azure instance from 169.254.21.0/24 and 169.254.22.0/24", cloudrules.MaxBgpSessionBlock),
			"give each link that shares a VPC or an Azure gateway its own block in that range")
	}
	if len(spec.BgpSessionRanges) == 0 {
		return
	}
	topo := topologyOf(spec.Topology)
	if !slices.Contains(Topologies, topo) {
		return
	}
	if len(spec.BgpSessionRanges) != topo.TunnelCount() {
		c.add("bgpSessionRanges", spec.BgpSessionRanges, fmt.Sprintf("topology %q has %d tunnels, so it needs exactly %d /30s", topo, topo.TunnelCount(), topo.TunnelCount()),
			"list one /30 per tunnel, in tunnel order, or drop bgpSessionRanges and use bgpSessionBlock")
	}
	seen := map[netip.Prefix]int{}
	for k, s := range spec.BgpSessionRanges {
		field := fmt.Sprintf("bgpSessionRanges[%d]", k)
		p, ok := parseThirty(c, field, s)
		if !ok {
			continue
		}
		if j, dup := seen[p]; dup {
			c.add(field, s, fmt.Sprintf("every BGP /30 must be distinct; it repeats bgpSessionRanges[%d]", j), "pick another /30 for this tunnel")
			continue
		}
		seen[p] = k
		// Any /30 of the window may serve a tunnel to either Azure instance: the instance carries the
		// address, whichever /24 it is in (Microsoft's vpn-gateway-howto-aws-bgp puts 21.x and 22.x on each).
		if !cloudrules.AzureApipaWindow.ContainsPrefix(p) {
			c.add(field, s, fmt.Sprintf("Azure accepts custom BGP (APIPA) addresses only in %s (Azure bgp-howto), and Azure takes the /30's first host", cloudrules.AzureApipaWindow),
				fmt.Sprintf("use a /30 inside %s, e.g. 169.254.21.0/30; any /30 of that window may end on either Azure instance", cloudrules.AzureApipaWindow))
		}
	}
}

// parseThirty parses a canonical /30 and reports problems under field.
func parseThirty(c *collector, field, s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil:
		c.add(field, s, "not a CIDR", "write it as a.b.c.d/30, e.g. 169.254.21.0/30")
		return p, false
	case p.Bits() != 30 || !p.Addr().Is4():
		c.add(field, s, "each BGP session needs an IPv4 /30 (Cloud Router docs)", "use a /30, e.g. 169.254.21.0/30")
		return p, false
	case p.Masked() != p:
		c.add(field, s, "the /30 must start at its network address", fmt.Sprintf("use %s", p.Masked()))
		return p, false
	}
	return p, true
}

func validateAsns(c *collector, spec Spec) {
	gcp, azure := gcpAsnOf(spec), azureAsnOf(spec)
	gcpOK := checkGcpAsn(c, gcp)
	azureField := azureAsnField(spec.Azure)
	azureOK := checkAzureAsn(c, azureField, azure)
	if gcpOK && azureOK && gcp == azure {
		if azureField != "azure.asn" {
			c.add("gcp.asn", gcp, fmt.Sprintf("the two sides peer over eBGP, so the Cloud Router's ASN must differ from the Azure gateway's (%s %d; Azure VPN gateway FAQ)", azureField, azure),
				fmt.Sprintf("set gcp.asn to another private ASN, e.g. %d", otherPrivateAsn(azure)))
			return
		}
		c.add("azure.asn", azure, "the two sides peer over eBGP, so the Cloud Router and Azure gateway ASNs must differ (Azure VPN gateway FAQ)",
			fmt.Sprintf("keep azure.asn %d and set gcp.asn to another private ASN, e.g. %d", cloudrules.DefaultAzureAsn, cloudrules.DefaultGcpAsn))
	}
}

// azureAsnField names the argument the Azure gateway's ASN comes from.
func azureAsnField(a AzureSpec) string {
	switch {
	case a.Hub != nil:
		return "azure.hub.asn"
	case a.ExistingGateway != nil && a.ExistingGateway.Asn != nil:
		return "azure.existingGateway.asn"
	}
	return "azure.asn"
}

// otherPrivateAsn suggests a Cloud Router ASN that differs from asn.
func otherPrivateAsn(asn int64) int64 {
	if asn == cloudrules.DefaultGcpAsn {
		return cloudrules.DefaultGcpAsn - 1
	}
	return cloudrules.DefaultGcpAsn
}

func checkGcpAsn(c *collector, asn int64) bool {
	if r, bad := cloudrules.FindAsn(asn, cloudrules.IanaReservedAsns); bad {
		c.add("gcp.asn", asn, "the ASN is "+r.Why, "use a private ASN in "+cloudrules.DescribeAsns(cloudrules.CloudRouterAsns)+", e.g. 65534")
		return false
	}
	if r, bad := cloudrules.FindAsn(asn, cloudrules.AzureReservedPeerAsns); bad {
		c.add("gcp.asn", asn, "Azure refuses this ASN for the peer of its gateway: "+r.Why, "use another private ASN, e.g. 65534 or 64512")
		return false
	}
	if _, ok := cloudrules.FindAsn(asn, cloudrules.CloudRouterAsns); !ok {
		c.add("gcp.asn", asn, "a Cloud Router ASN must be private: "+cloudrules.DescribeAsns(cloudrules.CloudRouterAsns), "use a private ASN, e.g. 65534")
		return false
	}
	return true
}

func checkAzureAsn(c *collector, field string, asn int64) bool {
	if asn < 1 || asn > cloudrules.MaxAsn {
		c.add(field, asn, "an ASN is a number in 1-4294967294", "use the Azure default 65515 or a private ASN")
		return false
	}
	if r, bad := cloudrules.FindAsn(asn, cloudrules.IanaReservedAsns); bad {
		c.add(field, asn, "the ASN is "+r.Why, "use the Azure default 65515 or another private ASN")
		return false
	}
	if r, bad := cloudrules.FindAsn(asn, cloudrules.AzureReservedGatewayAsns); bad {
		c.add(field, asn, "Azure refuses this ASN for a gateway: "+r.Why, "use the Azure default 65515 or another private ASN")
		return false
	}
	return true
}

// CheckAzureGatewayAsn checks an Azure gateway's own ASN (a hub's), under field.
func CheckAzureGatewayAsn(field string, asn int64) Problems {
	c := &collector{}
	checkAzureAsn(c, field, asn)
	return c.problems
}

// CheckCloudRouterAsn checks a Cloud Router's ASN (a hub's registered spoke), under field.
func CheckCloudRouterAsn(field string, asn int64) Problems {
	c := &collector{}
	if checkGcpAsn(c, asn) {
		return nil
	}
	for i := range c.problems {
		c.problems[i].Field = field
	}
	return c.problems
}

func validateGcp(c *collector, g GcpSpec) {
	requireKnown(c, "gcp.region", g.Region, "set gcp.region to the Cloud Router's region, e.g. asia-northeast1")
	requireKnown(c, "gcp.network", g.Network, "set gcp.network to the VPC's self link or name")
	if k := g.KeepaliveInterval; k != nil && !cloudrules.CloudRouterKeepalive.Contains(*k) {
		c.add("gcp.keepaliveInterval", *k, "Cloud Router BGP keepalive must be 20-60 seconds (Cloud Router docs)", "use a value in 20-60; 20 is the default")
	}
	for i, s := range g.AdvertisedIpRanges {
		checkCidr(c, fmt.Sprintf("gcp.advertisedIpRanges[%d]", i), s)
	}
	c.problems = append(c.problems, ValidateSubnetRanges(g.SubnetRanges)...)
	for i, a := range g.Firewall.Allow {
		checkAllow(c, fmt.Sprintf("gcp.firewall.allow[%d]", i), a)
	}
}

func checkAllow(c *collector, field string, a FirewallAllowSpec) {
	proto := strings.ToLower(a.Protocol)
	if !slices.Contains(cloudrules.FirewallProtocols, proto) && !isProtocolNumber(proto) {
		c.add(field+".protocol", a.Protocol, "not a protocol a Google firewall rule accepts", `use one of all, tcp, udp, icmp, esp, ah, sctp, ipip or an IP protocol number 0-255`)
		return
	}
	if len(a.Ports) > 0 && !slices.Contains(cloudrules.FirewallPortProtocols, proto) {
		c.add(field+".ports", a.Ports, "ports can only be given for tcp, udp and sctp (Google VPC firewall docs)", "drop the ports or change the protocol")
		return
	}
	for j, port := range a.Ports {
		if !validPortSpec(port) {
			c.add(fmt.Sprintf("%s.ports[%d]", field, j), port, "a port is a number 0-65535 or a range lo-hi with lo <= hi", `write e.g. "443" or "8000-8080"`)
		}
	}
}

var protocolNumber = regexp.MustCompile(`^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$`)

func isProtocolNumber(s string) bool { return protocolNumber.MatchString(s) }

func validPortSpec(s string) bool {
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, okA := port(lo)
	b, okB := port(hi)
	return okA && okB && a <= b
}

func port(s string) (int, bool) {
	if s == "" || len(s) > 5 {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, n <= 65535
}

func checkCidr(c *collector, field, s string) {
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil:
		c.add(field, s, "not a CIDR", "write it as address/length, e.g. 10.0.0.0/16")
	case p.Masked() != p:
		c.add(field, s, "the CIDR has host bits set", fmt.Sprintf("use %s", p.Masked()))
	}
}

// ValidateSubnetRanges checks the VPC's subnet ranges; the component calls it again when they arrive as an Output.
func ValidateSubnetRanges(ranges []string) Problems {
	c := &collector{}
	for i, s := range ranges {
		checkCidr(c, fmt.Sprintf("gcp.subnetRanges[%d]", i), s)
	}
	return c.problems
}

// cidrs parses the entries that are canonical CIDRs, by index; the others are reported by checkCidr.
func cidrs(ss []string) map[int]netip.Prefix {
	out := map[int]netip.Prefix{}
	for i, s := range ss {
		if p, err := netip.ParsePrefix(s); err == nil && p.Masked() == p {
			out[i] = p
		}
	}
	return out
}

// ValidateAddressSpace checks the Google ranges against the Azure VNet prefixes, every collision at
// once: an advertised range Azure would drop (it equals or lies inside a VNet prefix), and a Google
// subnet overlapping a VNet prefix (one cloud drops the other's route). The component calls it again
// when the prefixes or the subnet ranges arrive as Outputs. Entries that are not CIDRs are skipped.
func ValidateAddressSpace(advertised, subnetRanges, addressPrefixes []string) Problems {
	c := &collector{}
	vnet := cidrs(addressPrefixes)
	for _, i := range sortedKeys(cidrs(advertised)) {
		r := netip.MustParsePrefix(advertised[i])
		for _, j := range sortedKeys(vnet) {
			if v := vnet[j]; cloudrules.AzureFiltersRoute(r, v) {
				c.add(fmt.Sprintf("gcp.advertisedIpRanges[%d]", i), advertised[i],
					fmt.Sprintf("it lies inside azure.addressPrefixes[%d] %s, and an Azure VPN gateway drops a learned route that equals or lies inside a VNet prefix (Azure VPN FAQ, BGP)", j, v),
					fmt.Sprintf("drop %s from gcp.advertisedIpRanges or advertise a range outside %s (Azure accepts a supernet of the VNet)", r, v))
			}
		}
	}
	for _, i := range sortedKeys(cidrs(subnetRanges)) {
		g := netip.MustParsePrefix(subnetRanges[i])
		for _, j := range sortedKeys(vnet) {
			v := vnet[j]
			if why, ok := cloudrules.AddressCollision(g, v); ok {
				c.add(fmt.Sprintf("gcp.subnetRanges[%d]", i), subnetRanges[i],
					fmt.Sprintf("it overlaps azure.addressPrefixes[%d] %s: %s", j, v, why),
					fmt.Sprintf("give the Google subnet %s and the Azure VNet %s disjoint ranges", g, v))
			}
		}
	}
	return c.problems
}

func sortedKeys(m map[int]netip.Prefix) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func requireKnown(c *collector, field string, v *string, fix string) {
	if v != nil && strings.TrimSpace(*v) == "" {
		c.add(field, *v, "the field is required", fix)
	}
}

// ValidateGatewaySubnetID checks the GatewaySubnet ID, and that the gateway's resource group is the subnet's:
// the ipConfiguration IDs are built from it. resourceGroup may be nil when not known yet.
func ValidateGatewaySubnetID(id string, resourceGroup *string) Problems {
	c := &collector{}
	s, err := ParseGatewaySubnetID(id)
	if err != nil {
		c.add("azure.gatewaySubnetId", id, err.Error(), "pass the ID of the VNet's subnet named GatewaySubnet (/27 or larger recommended)")
		return c.problems
	}
	if resourceGroup != nil && *resourceGroup != "" && !strings.EqualFold(*resourceGroup, s.ResourceGroup) {
		c.add("azure.resourceGroupName", *resourceGroup, fmt.Sprintf("the gateway must be in the resource group of its GatewaySubnet (%q): its ipConfiguration IDs are built from it before it exists", s.ResourceGroup),
			fmt.Sprintf("set azure.resourceGroupName to %q", s.ResourceGroup))
	}
	return c.problems
}

// gatewayNamePattern is Azure's naming rule for virtual network gateways.
// Source: Azure naming rules for Microsoft.Network/virtualNetworkGateways (1-80, alphanumerics, _ . -).
var gatewayNamePattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$`)

// ValidateAddressPrefixes checks the VNet ranges the Google firewall admits; the component calls it
// again when the prefixes arrive as an Output.
func ValidateAddressPrefixes(prefixes []string) Problems {
	c := &collector{}
	if len(prefixes) == 0 {
		c.add("azure.addressPrefixes", prefixes, "the VNet ranges are required: the Google firewall admits only these", "list the VNet's address prefixes, e.g. [\"10.1.0.0/16\"]")
	}
	for i, s := range prefixes {
		checkCidr(c, fmt.Sprintf("azure.addressPrefixes[%d]", i), s)
	}
	return c.problems
}

func validateAzure(c *collector, spec Spec) {
	a := spec.Azure
	own := gatewaySourceOf(a) == OwnGateway
	if own && a.GatewaySubnetId != nil {
		c.problems = append(c.problems, ValidateGatewaySubnetID(*a.GatewaySubnetId, a.ResourceGroupName)...)
	}
	if a.AddressPrefixes != nil {
		c.problems = append(c.problems, ValidateAddressPrefixes(a.AddressPrefixes)...)
		// Known now: check the Google ranges against the VNet before anything is registered.
		c.problems = append(c.problems, ValidateAddressSpace(spec.Gcp.AdvertisedIpRanges, spec.Gcp.SubnetRanges, a.AddressPrefixes)...)
	}
	if own {
		sku := validateSku(c, "azure.", a)
		validateZones(c, "azure.", a, sku)
	}
	if d := a.DpdTimeoutSeconds; d != nil && !cloudrules.AzureDpdTimeout.Contains(*d) {
		c.add("azure.dpdTimeoutSeconds", *d, "Azure accepts a DPD timeout of 9-3600 seconds", "use a value in 9-3600; 45 is the default")
	}
	if own {
		validateGatewayName(c, "azure.", a.GatewayName)
	}
}

// validateGatewayName checks a fixed Azure gateway name.
func validateGatewayName(c *collector, prefix, name string) {
	if name != "" && !gatewayNamePattern.MatchString(name) {
		c.add(prefix+"gatewayName", name, "an Azure gateway name has 1-80 letters, digits, '_', '.', '-', starts with a letter or digit and ends with a letter, digit or '_'",
			"pick a name such as \"gcp-link-vgw\" or drop it to derive one from the component name")
	}
}

func validateSku(c *collector, prefix string, a AzureSpec) cloudrules.SkuRule {
	sku := skuOf(a.Sku)
	rule, known := cloudrules.AzureSkus[sku]
	switch {
	case !known:
		c.add(prefix+"sku", sku, "not an Azure VPN gateway SKU havpn knows", "use one of VpnGw1AZ, VpnGw2AZ, VpnGw3AZ, VpnGw4AZ, VpnGw5AZ")
		return rule
	case !rule.Allowed:
		c.add(prefix+"sku", sku, rule.Why, fmt.Sprintf("use %s", rule.Instead))
		return rule
	}
	if a.Generation != "" && !slices.Contains(rule.Generations, a.Generation) {
		c.add(prefix+"generation", a.Generation, fmt.Sprintf("SKU %s is offered as %s", sku, strings.Join(rule.Generations, " or ")),
			fmt.Sprintf("set %sgeneration to %s or leave it unset", prefix, rule.Generations[len(rule.Generations)-1]))
	}
	return rule
}

func validateZones(c *collector, prefix string, a AzureSpec, sku cloudrules.SkuRule) {
	seen := map[string]bool{}
	for i, z := range a.Zones {
		field := fmt.Sprintf("%szones[%d]", prefix, i)
		switch {
		case !slices.Contains(cloudrules.AzureZones, z):
			c.add(field, z, `an availability zone is "1", "2" or "3"`, `use zones from "1", "2", "3"`)
		case seen[z]:
			c.add(field, z, "the zone is listed twice", "list each zone once")
		}
		seen[z] = true
	}
	if a.Zones != nil && len(a.Zones) == 0 && sku.Zonal {
		c.add(prefix+"zones", a.Zones, "an AZ SKU needs zonal or zone-redundant public IPs", `leave azure.zones unset (default "1","2","3") or list zones`)
	}
}

func validateIpsec(c *collector, s *IpsecPolicySpec) {
	if s == nil {
		return
	}
	p := ipsecPolicyOf(s)
	fields := []struct{ name, value string }{
		{"ikeEncryption", p.IkeEncryption}, {"ikeIntegrity", p.IkeIntegrity}, {"dhGroup", p.DhGroup},
		{"ipsecEncryption", p.IpsecEncryption}, {"ipsecIntegrity", p.IpsecIntegrity}, {"pfsGroup", p.PfsGroup},
	}
	valid := map[string]bool{}
	for _, f := range fields {
		valid[f.name] = checkAlgorithm(c, f.name, f.value)
	}
	if valid["ipsecEncryption"] && valid["ipsecIntegrity"] {
		checkGcmPairing(c, p)
	}
	if !cloudrules.SaLifetime.Contains(p.SaLifeTimeSeconds) {
		c.add("ipsecPolicy.saLifeTimeSeconds", p.SaLifeTimeSeconds, "Azure accepts an SA lifetime of 300-172799 seconds", "use 10800, Google Cloud VPN's phase 2 lifetime")
	}
	if !cloudrules.SaDataSize.Contains(p.SaDataSizeKilobytes) {
		c.add("ipsecPolicy.saDataSizeKilobytes", p.SaDataSizeKilobytes, "Azure needs an SA data size of at least 1024 KB", "use 102400000, the default")
	}
}

func checkAlgorithm(c *collector, field, value string) bool {
	algs := cloudrules.IpsecAlgorithms[field]
	k := slices.IndexFunc(algs, func(a cloudrules.Algorithm) bool { return a.Name == value })
	if k >= 0 && algs[k].Allowed {
		return true
	}
	var allowed []string
	for _, a := range algs {
		if a.Allowed {
			allowed = append(allowed, a.Name)
		}
	}
	rule := "not a value Azure accepts"
	if k >= 0 {
		rule = algs[k].Why
	}
	c.add("ipsecPolicy."+field, value, rule, "use one of "+strings.Join(allowed, ", "))
	return false
}

// checkGcmPairing: with GCM, IPsec encryption and integrity must name the same GCM algorithm.
// Source: Azure IPsec/IKE policy docs ("if you use GCMAES for IPsec encryption, use the same GCMAES for integrity").
func checkGcmPairing(c *collector, p cloudrules.IpsecPolicy) {
	enc, integ := p.IpsecEncryption, p.IpsecIntegrity
	encGcm, integGcm := strings.HasPrefix(enc, "GCM"), strings.HasPrefix(integ, "GCM")
	if (encGcm || integGcm) && enc != integ {
		if encGcm {
			c.add("ipsecPolicy.ipsecIntegrity", integ, fmt.Sprintf("with ipsecEncryption %s the integrity must be the same GCM algorithm", enc), "set ipsecIntegrity to "+enc)
		} else {
			c.add("ipsecPolicy.ipsecIntegrity", integ, fmt.Sprintf("GCM integrity needs the same GCM encryption, not %s", enc), "set ipsecEncryption to "+integ+" or ipsecIntegrity to SHA256")
		}
	}
}
