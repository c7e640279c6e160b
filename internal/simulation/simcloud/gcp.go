package simcloud

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// Google Cloud type tokens, as the pulumi-gcp SDK registers them.
const (
	gcpNetwork         = "gcp:compute/network:Network"
	gcpSubnetwork      = "gcp:compute/subnetwork:Subnetwork"
	gcpHaGateway       = "gcp:compute/haVpnGateway:HaVpnGateway"
	gcpExternalGateway = "gcp:compute/externalVpnGateway:ExternalVpnGateway"
	gcpRouter          = "gcp:compute/router:Router"
	gcpTunnel          = "gcp:compute/vPNTunnel:VPNTunnel"
	gcpRouterInterface = "gcp:compute/routerInterface:RouterInterface"
	gcpRouterPeer      = "gcp:compute/routerPeer:RouterPeer"
	gcpFirewall        = "gcp:compute/firewall:Firewall"
)

// Sources the Google rules cite.
const (
	srcGcpNaming   = "Google Compute Engine resource naming convention (RFC 1035)"
	srcGcpVpc      = "Google VPC docs (subnets, dynamic routing mode)"
	srcGcpHaVpn    = "Google HA VPN docs"
	srcGcpRouter   = "Google Cloud Router docs"
	srcGcpTutorial = "Google tutorial \"Create HA VPN connections between Google Cloud and Azure\""
	srcGcpFirewall = "Google VPC firewall rules docs"
	srcGcp16619    = "terraform-provider-google #16619"
)

// gcpNamePattern is RFC 1035: a lowercase letter, then up to 62 lowercase letters, digits or dashes, not ending in a dash.
var gcpNamePattern = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)

// Which input changes replace a resource: cloudrules.ReplaceRules (ForceNew in the bridged provider).
func init() {
	g := func(k *Kind) { k.Cloud = Google; register(k) }
	g(&Kind{Token: gcpNetwork, Seconds: 20, Rules: networkRules})
	g(&Kind{Token: gcpSubnetwork, Regional: true, Seconds: 10, Rules: subnetworkRules,
		Outputs: subnetworkOutputs, Computed: []string{"gatewayAddress"}})
	g(&Kind{Token: gcpHaGateway, Regional: true, Seconds: 30, Rules: haGatewayRules,
		Outputs: haGatewayOutputs, Computed: []string{"vpnInterfaces"}})
	g(&Kind{Token: gcpExternalGateway, Seconds: 10, Rules: externalGatewayRules})
	g(&Kind{Token: gcpRouter, Regional: true, Seconds: 20, Rules: routerRules})
	g(&Kind{Token: gcpTunnel, Regional: true, Seconds: 30, Rules: tunnelRules,
		CreateRules: tunnelCreateRules, Outputs: tunnelOutputs,
		Computed: []string{"detailedStatus", "sharedSecretHash", "peerIp", "tunnelId"},
		Secrets:  map[string]string{"sharedSecretHash": "sharedSecret"}, DeleteGuard: tunnelDeleteGuard})
	g(&Kind{Token: gcpRouterInterface, Regional: true, Seconds: 15,
		Rules: routerInterfaceRules})
	g(&Kind{Token: gcpRouterPeer, Regional: true, Seconds: 15, Rules: routerPeerRules,
		Outputs: routerPeerOutputs})
	g(&Kind{Token: gcpFirewall, Seconds: 10, Rules: firewallRules})
}

// gcpName checks the physical name. Source: Google Compute Engine naming convention.
func gcpName(c *Checker) {
	if n, ok := str(c.In, "name"); ok && !gcpNamePattern.MatchString(n) {
		c.fail("name", srcGcpNaming, "name %q must be 1-63 lowercase letters, digits or dashes, start with a letter and not end with a dash", n)
	}
}

// gcpRefKey strips a self link down to its API path; bare names stay as they are.
func gcpRefKey(ref string) string {
	for _, p := range []string{cloudrules.GcpSelfLink(""), "https://compute.googleapis.com/compute/v1/",
		"https://www.googleapis.com/compute/beta/", "https://compute.googleapis.com/compute/beta/"} {
		ref = strings.TrimPrefix(ref, p)
	}
	return strings.TrimPrefix(ref, "/")
}

// resolveGcp finds the resource a reference names: a self link, an ID (or its tail), or a bare name
// (looked up in the referencing resource's region for regional types).
func resolveGcp(st *State, token, ref, region string) *Record {
	key := gcpRefKey(ref)
	if key == "" {
		return nil
	}
	regional := kinds[token] != nil && kinds[token].Regional
	for _, r := range st.OfType(token) {
		if strings.Contains(key, "/") {
			if r.ID == key || strings.HasSuffix(r.ID, "/"+key) {
				return r
			}
			continue
		}
		if r.Physical() == key && (!regional || region == "" || strOr(r.Outputs, "region", "") == region) {
			return r
		}
	}
	return nil
}

// networkKey identifies a VPC network from any form of reference.
func networkKey(st *State, ref string) string {
	if r := resolveGcp(st, gcpNetwork, ref, ""); r != nil {
		return r.ID
	}
	key := gcpRefKey(ref)
	return "?" + key[strings.LastIndex(key, "/")+1:]
}

// region is the resource's region, or the provider's.
func (c *Checker) region() string { return strOr(c.In, "region", c.Set.Region) }

// gcpRef resolves a known reference input; nil when unknown, absent or (outside Create/Update) not found yet.
func (c *Checker) gcpRef(prop, token, what string) *Record {
	ref, ok := str(c.In, prop)
	if !ok || ref == "" {
		return nil
	}
	r := resolveGcp(c.St, token, ref, c.region())
	if r == nil {
		c.missing(prop, what, ref)
	}
	return r
}

// oneOfAt fails when a known string at m[key] is not an allowed value.
func (c *Checker) oneOfAt(m obj, key, prop, source string, allowed ...string) {
	if v, ok := str(m, key); ok && !slices.Contains(allowed, v) {
		c.fail(prop, source, "%s %q is not one of %s", prop, v, strings.Join(allowed, ", "))
	}
}

func networkRules(c *Checker) {
	gcpName(c)
	// Source: Google VPC docs (dynamic routing mode is REGIONAL or GLOBAL).
	c.oneOf("routingMode", srcGcpVpc, "REGIONAL", "GLOBAL")
}

func subnetworkRules(c *Checker) {
	gcpName(c)
	c.require(srcGcpVpc, "network", "ipCidrRange")
	c.gcpRef("network", gcpNetwork, "network")
	cidr, ok := str(c.In, "ipCidrRange")
	if !ok {
		return
	}
	p, ok := c.prefix("ipCidrRange", srcGcpVpc, cidr)
	if !ok {
		return
	}
	// Source: Google VPC docs (IPv4 subnet ranges: /29 or larger).
	if !p.Addr().Is4() || p.Bits() > 29 {
		c.fail("ipCidrRange", srcGcpVpc, "%s must be an IPv4 range of /29 or larger", p)
		return
	}
	net, ok := str(c.In, "network")
	if !ok {
		return
	}
	// Source: Google VPC docs (subnet ranges in one VPC network must not overlap).
	key := networkKey(c.St, net)
	for _, o := range c.others(gcpSubnetwork) {
		op, err := netip.ParsePrefix(strOr(o.Inputs, "ipCidrRange", ""))
		if err == nil && networkKey(c.St, strOr(o.Inputs, "network", "")) == key && overlaps(op, p) {
			c.fail("ipCidrRange", srcGcpVpc, "%s overlaps subnetwork %s (%s) of the same network", p, o.Physical(), op)
		}
	}
}

// subnetworkOutputs adds the gateway address, the first host of the range.
func subnetworkOutputs(o *Outputs) {
	if p, err := netip.ParsePrefix(strOr(o.In, "ipCidrRange", "")); err == nil {
		o.Out["gatewayAddress"] = nthAddress(p, 1).String()
	}
}

func haGatewayRules(c *Checker) {
	gcpName(c)
	c.require(srcGcpHaVpn, "network")
	c.gcpRef("network", gcpNetwork, "network")
	c.oneOf("stackType", srcGcpHaVpn, "IPV4_ONLY", "IPV4_IPV6", "IPV6_ONLY")
}

// haGatewayOutputs gives interfaces 0 and 1 public addresses (34.x and 35.x), deterministic from the ID.
// Source: Google HA VPN docs (two interfaces, each with its own external address).
func haGatewayOutputs(o *Outputs) {
	if o.Prev != nil {
		o.Out["vpnInterfaces"] = o.Prev.Outputs["vpnInterfaces"]
		return
	}
	used := usedPublicIps(o.St, o.ID)
	var ifaces []any
	for i := 0; i < 2; i++ {
		ip := allocatePublicIp(o.ID, strconv.Itoa(i), []byte{byte(34 + i)}, used)
		ifaces = append(ifaces, obj{"id": float64(i), "ipAddress": ip})
	}
	o.Out["vpnInterfaces"] = ifaces
}

// externalInterfaceCounts is the number of interfaces each redundancy type takes.
// Source: Google HA VPN docs (external VPN gateway redundancy types).
var externalInterfaceCounts = map[string]int{
	"SINGLE_IP_INTERNALLY_REDUNDANT": 1,
	"TWO_IPS_REDUNDANCY":             2,
	"FOUR_IPS_REDUNDANCY":            4,
}

func externalGatewayRules(c *Checker) {
	gcpName(c)
	c.require(srcGcpHaVpn, "redundancyType", "interfaces")
	rt, ok := str(c.In, "redundancyType")
	want, known := externalInterfaceCounts[rt]
	if ok && !known {
		c.fail("redundancyType", srcGcpHaVpn, "redundancyType %q is not one of SINGLE_IP_INTERNALLY_REDUNDANT, TWO_IPS_REDUNDANCY, FOUR_IPS_REDUNDANCY", rt)
	}
	arr, listed := list(c.In, "interfaces")
	ifaces := objects(c.In, "interfaces")
	if !listed || len(ifaces) != len(arr) {
		return // not known yet
	}
	if known && len(arr) != want {
		c.fail("interfaces", srcGcpHaVpn, "%s needs exactly %d interfaces (ids 0..%d), got %d", rt, want, want-1, len(arr))
	}
	seenIds, seenIps := map[float64]bool{}, map[string]bool{}
	for n, iface := range ifaces {
		externalInterface(c, n, len(arr), iface, seenIds, seenIps)
	}
}

// externalInterface checks one interface: an id in 0..total-1 used once, a valid IPv4 address used once.
// Source: Google HA VPN docs (external VPN gateway interfaces).
func externalInterface(c *Checker, n, total int, iface obj, seenIds map[float64]bool, seenIps map[string]bool) {
	prop := fmt.Sprintf("interfaces[%d]", n)
	if id, ok := num(iface, "id"); ok && (id < 0 || id >= float64(total) || id != float64(int(id)) || seenIds[id]) {
		c.fail(prop+".id", srcGcpHaVpn, "interface ids must be 0..%d, each once; got %v", total-1, id)
	} else if ok {
		seenIds[id] = true
	}
	ip, ok := str(iface, "ipAddress")
	if !ok {
		if absent(iface, "ipAddress") {
			c.fail(prop+".ipAddress", srcGcpHaVpn, "interface %d needs an ipAddress", n)
		}
		return
	}
	if _, ok := c.ipv4(prop+".ipAddress", srcGcpHaVpn, ip); ok && seenIps[ip] {
		c.fail(prop+".ipAddress", srcGcpHaVpn, "address %s is listed twice", ip)
	}
	seenIps[ip] = true
}

// cloudRouterAsnProblem says why a Cloud Router ASN is refused.
// Source: Google HA VPN-Azure tutorial and google_compute_router docs (private 16/32-bit only; 16550 for Partner Interconnect).
func cloudRouterAsnProblem(asn float64) string {
	_, private := cloudrules.FindAsn(int64(asn), cloudrules.CloudRouterAsns)
	switch {
	case asn == 16550:
		return "ASN 16550 is only for Partner Interconnect"
	case asn != float64(int64(asn)) || !private:
		return fmt.Sprintf("ASN %v is not a private ASN (%s)", asn, cloudrules.DescribeAsns(cloudrules.CloudRouterAsns))
	}
	return ""
}

func routerRules(c *Checker) {
	gcpName(c)
	c.require(srcGcpRouter, "network")
	c.gcpRef("network", gcpNetwork, "network")
	bgp, ok := sub(c.In, "bgp")
	if !ok {
		return
	}
	if absent(bgp, "asn") {
		c.fail("bgp.asn", srcGcpRouter, "bgp.asn is required")
	}
	if asn, ok := num(bgp, "asn"); ok {
		if p := cloudRouterAsnProblem(asn); p != "" {
			c.fail("bgp.asn", srcGcpTutorial, "%s", p)
		}
	}
	// Source: Cloud Router docs (keepalive 20-60 s).
	if ka, ok := num(bgp, "keepaliveInterval"); ok && !cloudrules.CloudRouterKeepalive.Contains(int(ka)) {
		c.fail("bgp.keepaliveInterval", srcGcpRouter, "keepaliveInterval %v is outside %d-%d seconds", ka,
			cloudrules.CloudRouterKeepalive.Min, cloudrules.CloudRouterKeepalive.Max)
	}
	routerAdvertisement(c, bgp)
}

// routerAdvertisement checks DEFAULT vs CUSTOM advertisement.
// Source: Cloud Router docs (custom advertisement: advertisedGroups and advertisedIpRanges need CUSTOM).
func routerAdvertisement(c *Checker, bgp obj) {
	c.oneOfAt(bgp, "advertiseMode", "bgp.advertiseMode", srcGcpRouter, "DEFAULT", "CUSTOM")
	mode := strOr(bgp, "advertiseMode", "DEFAULT")
	groups, _ := list(bgp, "advertisedGroups")
	ranges, _ := list(bgp, "advertisedIpRanges")
	if mode != "CUSTOM" && !isUnknown(bgp["advertiseMode"]) && (len(groups) > 0 || len(ranges) > 0) {
		c.fail("bgp.advertiseMode", srcGcpRouter, "advertisedGroups and advertisedIpRanges are only allowed with advertiseMode CUSTOM")
	}
	for n, g := range stringsOf(bgp, "advertisedGroups") {
		if !slices.Contains([]string{"ALL_SUBNETS", "ALL_VPC_SUBNETS", "ALL_PEER_VPC_SUBNETS"}, g) {
			c.fail(fmt.Sprintf("bgp.advertisedGroups[%d]", n), srcGcpRouter, "advertised group %q is not ALL_SUBNETS, ALL_VPC_SUBNETS or ALL_PEER_VPC_SUBNETS", g)
		}
	}
	for n, r := range objects(bgp, "advertisedIpRanges") {
		if s, ok := str(r, "range"); ok {
			if _, err := netip.ParsePrefix(s); err != nil {
				c.fail(fmt.Sprintf("bgp.advertisedIpRanges[%d].range", n), srcGcpRouter, "%q is not a valid CIDR range", s)
			}
		}
	}
}

func tunnelRules(c *Checker) {
	gcpName(c)
	if absent(c.In, "vpnGateway") && !absent(c.In, "targetVpnGateway") {
		c.fail("targetVpnGateway", srcGcpHaVpn, "Classic VPN tunnels are not simulated; use an HA VPN gateway (vpnGateway)")
	}
	c.require(srcGcpHaVpn, "vpnGateway", "vpnGatewayInterface", "peerExternalGateway", "peerExternalGatewayInterface", "router", "sharedSecret")
	// Source: Google tutorial (HA VPN to Azure uses IKEv2).
	if v, ok := num(c.In, "ikeVersion"); ok && v != 2 {
		c.fail("ikeVersion", srcGcpTutorial, "ikeVersion %v: the Azure link needs IKEv2 (ikeVersion 2)", v)
	}
	// Source: Google HA VPN docs (an HA VPN gateway has interfaces 0 and 1).
	if v, ok := num(c.In, "vpnGatewayInterface"); ok && v != 0 && v != 1 {
		c.fail("vpnGatewayInterface", srcGcpHaVpn, "vpnGatewayInterface %v: HA VPN gateways have interfaces 0 and 1", v)
	}
	if s, ok := str(c.In, "sharedSecret"); ok && s == "" {
		c.fail("sharedSecret", srcGcpHaVpn, "sharedSecret must not be empty")
	}
	gw := c.gcpRef("vpnGateway", gcpHaGateway, "HA VPN gateway")
	router := c.gcpRef("router", gcpRouter, "Cloud Router")
	if ext := c.gcpRef("peerExternalGateway", gcpExternalGateway, "external VPN gateway"); ext != nil {
		if n, ok := num(c.In, "peerExternalGatewayInterface"); ok && externalInterfaceIp(ext, n) == "" {
			c.fail("peerExternalGatewayInterface", srcGcpHaVpn, "external VPN gateway %s has no interface %v", ext.Physical(), n)
		}
	}
	if gw != nil && router != nil {
		// Source: Google HA VPN docs (the tunnel's Cloud Router is in the gateway's network and region).
		if networkKey(c.St, strOr(gw.Inputs, "network", "")) != networkKey(c.St, strOr(router.Inputs, "network", "")) {
			c.fail("router", srcGcpHaVpn, "Cloud Router %s is not on the HA VPN gateway's network", router.Physical())
		}
		if strOr(gw.Outputs, "region", "") != strOr(router.Outputs, "region", "") {
			c.fail("router", srcGcpHaVpn, "Cloud Router %s is not in the HA VPN gateway's region", router.Physical())
		}
	}
}

// tunnelCreateRules refuses a second tunnel on one interface pair while the first exists.
// Source: terraform-provider-google #16619.
func tunnelCreateRules(c *Checker) {
	mine, ok := tunnelPair(c.St, c.In, c.region())
	if !ok {
		return
	}
	for _, o := range c.others(gcpTunnel) {
		if theirs, ok := tunnelPair(c.St, o.Inputs, strOr(o.Outputs, "region", "")); ok && theirs == mine {
			c.fail("vpnGatewayInterface", srcGcp16619, "tunnel %s already uses this HA VPN interface and peer interface; delete it before creating another", o.Physical())
		}
	}
}

// tunnelPair identifies the (HA gateway, interface, external gateway, peer interface) a tunnel uses.
func tunnelPair(st *State, in obj, region string) (string, bool) {
	gw := resolveGcp(st, gcpHaGateway, strOr(in, "vpnGateway", ""), region)
	ext := resolveGcp(st, gcpExternalGateway, strOr(in, "peerExternalGateway", ""), "")
	i, ok1 := num(in, "vpnGatewayInterface")
	p, ok2 := num(in, "peerExternalGatewayInterface")
	if gw == nil || ext == nil || !ok1 || !ok2 {
		return "", false
	}
	return fmt.Sprintf("%s#%v#%s#%v", gw.ID, i, ext.ID, p), true
}

// externalInterfaceIp is the address of interface n of an external VPN gateway, or "".
func externalInterfaceIp(ext *Record, n float64) string {
	for _, iface := range objects(ext.Inputs, "interfaces") {
		if id, ok := num(iface, "id"); ok && id == n {
			return strOr(iface, "ipAddress", "")
		}
	}
	return ""
}

// haInterfaceIp is the address of interface n of an HA VPN gateway, or "".
func haInterfaceIp(gw *Record, n float64) string {
	for _, iface := range objects(gw.Outputs, "vpnInterfaces") {
		if id, ok := num(iface, "id"); ok && id == n {
			return strOr(iface, "ipAddress", "")
		}
	}
	return ""
}

// tunnelOutputs adds the peer address, a tunnel ID, the secret's hash and a status pointing to the session report.
func tunnelOutputs(o *Outputs) {
	if ext := resolveGcp(o.St, gcpExternalGateway, strOr(o.In, "peerExternalGateway", ""), ""); ext != nil {
		if n, ok := num(o.In, "peerExternalGatewayInterface"); ok {
			o.Out["peerIp"] = externalInterfaceIp(ext, n)
		}
	}
	sum := sha256.Sum256([]byte(o.ID))
	o.Out["tunnelId"] = strconv.FormatUint(binary.BigEndian.Uint64(sum[:8])>>1, 10)
	secret := sha256.Sum256([]byte(strOr(o.In, "sharedSecret", "")))
	o.Out["sharedSecretHash"] = hex.EncodeToString(secret[:])[:27]
	o.Out["detailedStatus"] = Google.Label + ": tunnel provisioned; IPsec and BGP state are in " + SessionsFile
}

// tunnelDeleteGuard refuses deleting a tunnel a router interface is still bound to.
// Source: Google Cloud Router docs (an interface references its VPN tunnel).
func tunnelDeleteGuard(st *State, r *Record) string {
	for _, i := range st.OfType(gcpRouterInterface) {
		ref := strOr(i.Inputs, "vpnTunnel", "")
		if t := resolveGcp(st, gcpTunnel, ref, strOr(i.Outputs, "region", "")); t != nil && t.ID == r.ID {
			return fmt.Sprintf("tunnel %s is still used by router interface %s", r.Physical(), i.Physical())
		}
	}
	return ""
}

func routerInterfaceRules(c *Checker) {
	gcpName(c)
	if absent(c.In, "vpnTunnel") && (!absent(c.In, "interconnectAttachment") || !absent(c.In, "subnetwork")) {
		c.fail("vpnTunnel", srcGcpRouter, "only VPN tunnel interfaces are simulated")
	}
	c.require(srcGcpRouter, "router", "ipRange", "vpnTunnel")
	router := c.gcpRef("router", gcpRouter, "Cloud Router")
	tunnel := c.gcpRef("vpnTunnel", gcpTunnel, "VPN tunnel")
	if tunnel != nil && router != nil {
		if t := resolveGcp(c.St, gcpRouter, strOr(tunnel.Inputs, "router", ""), strOr(tunnel.Outputs, "region", "")); t == nil || t.ID != router.ID {
			c.fail("vpnTunnel", srcGcpRouter, "tunnel %s belongs to another Cloud Router", tunnel.Physical())
		}
	}
	network, ok := routerInterfaceRange(c)
	if ok && router != nil {
		uniqueSessionRange(c, router, network)
	}
	if tunnel != nil {
		oneInterfacePerTunnel(c, tunnel)
	}
}

// routerInterfaceRange checks ipRange is "<addr>/30" inside 169.254.0.0/16 with a usable host address.
// Source: Google Cloud Router docs (each BGP session uses its own /30 from 169.254.0.0/16).
func routerInterfaceRange(c *Checker) (netip.Prefix, bool) {
	s, ok := str(c.In, "ipRange")
	if !ok {
		return netip.Prefix{}, false
	}
	host, network, ok := slash30(s)
	if !ok || !cloudrules.CloudRouterLinkLocal.Contains(host) {
		c.fail("ipRange", srcGcpRouter, "ipRange %q must be an address with /30 inside %s", s, cloudrules.CloudRouterLinkLocal)
		return netip.Prefix{}, false
	}
	if !usableHost(network, host) {
		c.fail("ipRange", srcGcpRouter, "%s is the network or broadcast address of %s", host, network)
		return netip.Prefix{}, false
	}
	return network, true
}

// uniqueSessionRange refuses a /30 another interface of any Cloud Router on the same VPC network uses.
// Source: Google Cloud Router docs (the /30 is unique among all Cloud Routers in all regions of the network).
func uniqueSessionRange(c *Checker, router *Record, network netip.Prefix) {
	vpc := networkKey(c.St, strOr(router.Inputs, "network", ""))
	for _, o := range c.others(gcpRouterInterface) {
		r := resolveGcp(c.St, gcpRouter, strOr(o.Inputs, "router", ""), strOr(o.Outputs, "region", ""))
		_, theirs, ok := slash30(strOr(o.Inputs, "ipRange", ""))
		if r != nil && ok && theirs == network && networkKey(c.St, strOr(r.Inputs, "network", "")) == vpc {
			c.fail("ipRange", srcGcpRouter, "%s is already used by interface %s of Cloud Router %s on the same VPC network", network, o.Physical(), r.Physical())
		}
	}
}

// oneInterfacePerTunnel refuses a second interface bound to one tunnel.
// Source: Google Cloud Router docs (one BGP interface per VPN tunnel).
func oneInterfacePerTunnel(c *Checker, tunnel *Record) {
	for _, o := range c.others(gcpRouterInterface) {
		if t := resolveGcp(c.St, gcpTunnel, strOr(o.Inputs, "vpnTunnel", ""), strOr(o.Outputs, "region", "")); t != nil && t.ID == tunnel.ID {
			c.fail("vpnTunnel", srcGcpRouter, "tunnel %s already has router interface %s", tunnel.Physical(), o.Physical())
		}
	}
}

// routerInterfaceOf finds the interface a peer names on its router.
func routerInterfaceOf(st *State, router *Record, name string) *Record {
	for _, i := range st.OfType(gcpRouterInterface) {
		r := resolveGcp(st, gcpRouter, strOr(i.Inputs, "router", ""), strOr(i.Outputs, "region", ""))
		if r != nil && r.ID == router.ID && i.Physical() == name {
			return i
		}
	}
	return nil
}

func routerPeerRules(c *Checker) {
	gcpName(c)
	c.require(srcGcpRouter, "router", "interface", "peerIpAddress", "peerAsn")
	// Source: Azure VPN gateway FAQ, BGP section (IANA-reserved ASNs cannot peer).
	if asn, ok := num(c.In, "peerAsn"); ok {
		if p := asnProblem(asn, cloudrules.IanaReservedAsns); p != "" {
			c.fail("peerAsn", "Azure VPN gateway FAQ, BGP section", "%s", p)
		}
	}
	router := c.gcpRef("router", gcpRouter, "Cloud Router")
	name, ok := str(c.In, "interface")
	if router == nil || !ok {
		return
	}
	iface := routerInterfaceOf(c.St, router, name)
	if iface == nil {
		c.missing("interface", "router interface on "+router.Physical(), name)
		return
	}
	peerAddresses(c, iface)
	onePeerPerInterface(c, router, name)
}

// peerAddresses checks the peer's own address is the interface's and the peer's is the other host of the /30.
// Source: Google Cloud Router docs (BGP peer addresses come from the interface's /30).
func peerAddresses(c *Checker, iface *Record) {
	host, network, ok := slash30(strOr(iface.Inputs, "ipRange", ""))
	if !ok {
		return
	}
	if s, ok := str(c.In, "ipAddress"); ok {
		if a, ok := c.ipv4("ipAddress", srcGcpRouter, s); ok && a != host {
			c.fail("ipAddress", srcGcpRouter, "ipAddress %s is not interface %s's address %s", a, iface.Physical(), host)
		}
	}
	if s, ok := str(c.In, "peerIpAddress"); ok {
		a, ok := c.ipv4("peerIpAddress", srcGcpRouter, s)
		if ok && (!usableHost(network, a) || a == host) {
			c.fail("peerIpAddress", srcGcpRouter, "peerIpAddress %s must be the other usable address of %s (the Cloud Router uses %s)", a, network, host)
		}
	}
}

// onePeerPerInterface refuses a second BGP peer on one interface.
// Source: Google Cloud Router docs (one BGP session per VPN tunnel interface).
func onePeerPerInterface(c *Checker, router *Record, name string) {
	for _, o := range c.others(gcpRouterPeer) {
		r := resolveGcp(c.St, gcpRouter, strOr(o.Inputs, "router", ""), strOr(o.Outputs, "region", ""))
		if r != nil && r.ID == router.ID && strOr(o.Inputs, "interface", "") == name {
			c.fail("interface", srcGcpRouter, "interface %s already has BGP peer %s", name, o.Physical())
		}
	}
}

// routerPeerOutputs fills the Cloud Router's address from the interface when not given.
func routerPeerOutputs(o *Outputs) {
	if !absent(o.In, "ipAddress") {
		return
	}
	router := resolveGcp(o.St, gcpRouter, strOr(o.In, "router", ""), strOr(o.In, "region", o.Set.Region))
	if router == nil {
		return
	}
	if iface := routerInterfaceOf(o.St, router, strOr(o.In, "interface", "")); iface != nil {
		if host, _, ok := slash30(strOr(iface.Inputs, "ipRange", "")); ok {
			o.Out["ipAddress"] = host.String()
		}
	}
}

func firewallRules(c *Checker) {
	gcpName(c)
	c.require(srcGcpFirewall, "network")
	c.gcpRef("network", gcpNetwork, "network")
	c.oneOf("direction", srcGcpFirewall, "INGRESS", "EGRESS")
	if absent(c.In, "allows") && absent(c.In, "denies") {
		c.fail("allows", srcGcpFirewall, "a firewall rule needs allows or denies")
	}
	for _, key := range []string{"allows", "denies"} {
		for n, rule := range objects(c.In, key) {
			firewallRule(c, fmt.Sprintf("%s[%d]", key, n), rule)
		}
	}
	for _, key := range []string{"sourceRanges", "destinationRanges"} {
		for n, s := range stringsOf(c.In, key) {
			if _, err := netip.ParsePrefix(s); err != nil {
				c.fail(fmt.Sprintf("%s[%d]", key, n), srcGcpFirewall, "%q is not a valid CIDR range", s)
			}
		}
	}
}

// firewallRule checks one allow/deny entry: a known protocol name or number, ports only for tcp/udp/sctp.
// Source: Google VPC firewall rules docs ("protocols and ports").
func firewallRule(c *Checker, prop string, rule obj) {
	proto, ok := str(rule, "protocol")
	if !ok {
		if absent(rule, "protocol") {
			c.fail(prop+".protocol", srcGcpFirewall, "protocol is required")
		}
		return
	}
	if n, err := strconv.Atoi(proto); err == nil {
		if n < 0 || n > 255 {
			c.fail(prop+".protocol", srcGcpFirewall, "protocol number %d is outside 0-255", n)
		}
	} else if !slices.Contains(cloudrules.FirewallProtocols, proto) {
		c.fail(prop+".protocol", srcGcpFirewall, "protocol %q is not one of %s (lowercase) or an IP protocol number", proto, strings.Join(cloudrules.FirewallProtocols, ", "))
	}
	ports := stringsOf(rule, "ports")
	if len(ports) > 0 && !slices.Contains(cloudrules.FirewallPortProtocols, proto) {
		c.fail(prop+".ports", srcGcpFirewall, "ports are only allowed with %s, not %q", strings.Join(cloudrules.FirewallPortProtocols, ", "), proto)
	}
	for n, p := range ports {
		if !validPortRange(p) {
			c.fail(fmt.Sprintf("%s.ports[%d]", prop, n), srcGcpFirewall, "%q is not a port or port range within 0-65535", p)
		}
	}
}

// validPortRange accepts "N" or "N-M" with 0 <= N <= M <= 65535.
func validPortRange(s string) bool {
	lo, hi, isRange := strings.Cut(s, "-")
	a, err1 := strconv.Atoi(lo)
	if !isRange {
		return err1 == nil && a >= 0 && a <= 65535
	}
	b, err2 := strconv.Atoi(hi)
	return err1 == nil && err2 == nil && a >= 0 && a <= b && b <= 65535
}
