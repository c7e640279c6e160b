package linkplan

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// FoundGateway is an existing Azure VPN gateway as the provider's lookup returned it
// (azure-native:network:getVirtualNetworkGateway), reduced to what a link needs. Nil pointers are
// properties the lookup did not return.
type FoundGateway struct {
	Id           string
	Name         string
	Location     string
	ActiveActive *bool
	EnableBgp    *bool
	VpnType      string
	Sku          string
	Asn          *float64
	// IpConfigurations are the gateway's instances in the order Azure lists them: instance n of the
	// link is IpConfigurations[n].
	IpConfigurations []FoundIpConfiguration
	// CustomBgpIps maps an ipConfiguration ID (lowercased) to the custom APIPA addresses bgpSettings gives it.
	CustomBgpIps map[string][]string
	// TunnelIps maps an ipConfiguration ID (lowercased) to its public tunnel addresses
	// (bgpSettings.bgpPeeringAddresses[].tunnelIpAddresses, read-only: azure-native network v2.90.0
	// IPConfigurationBgpPeeringAddressResponse, pulumiTypes.go:44148).
	TunnelIps map[string][]string
}

// FoundIpConfiguration is one ipConfiguration of a found gateway.
type FoundIpConfiguration struct {
	Id, Name string
}

// ValidateExistingGateway checks a found gateway against what the link needs, every problem at once:
// active-active, BGP-enabled, route-based, the expected ASN, two ipConfigurations, and the link's APIPA
// addresses on the right ones, and publicIps (azure.existingGateway.publicIps, nil while unknown) in the
// order of its ipConfigurations. Each fix is the exact change to make on the gateway (or the argument).
func ValidateExistingGateway(p *Plan, g FoundGateway, publicIps []string) Problems {
	c := &collector{}
	const field = "azure.existingGateway.id"
	name := p.Azure.GatewayName
	if g.ActiveActive == nil || !*g.ActiveActive {
		c.add(field, p.Azure.ExistingGatewayId, fmt.Sprintf("gateway %s is not active-active (activeActive %s): a link needs a tunnel from each instance (Azure about-active-active gateways)", name, showBool(g.ActiveActive)),
			fmt.Sprintf("set activeActive true on gateway %s (a second Standard static public IP and ipConfiguration; Azure: change a gateway to active-active mode), then run again", name))
	}
	if g.EnableBgp == nil || !*g.EnableBgp {
		c.add(field, p.Azure.ExistingGatewayId, fmt.Sprintf("gateway %s does not have BGP enabled (enableBgp %s): the link's sessions are BGP (Azure bgp-howto)", name, showBool(g.EnableBgp)),
			fmt.Sprintf("set enableBgp true and bgpSettings.asn %d on gateway %s", p.Azure.Asn, name))
	}
	if g.VpnType != "" && g.VpnType != "RouteBased" {
		c.add(field, p.Azure.ExistingGatewayId, fmt.Sprintf("gateway %s is %s: BGP and active-active need a route-based gateway (Azure about-active-active gateways)", name, g.VpnType),
			"use a RouteBased gateway (the VPN type cannot be changed; a new gateway is needed)")
	}
	// A non-AZ SKU can no longer be created but an existing one still works; only Basic lacks BGP.
	if rule := cloudrules.AzureSkus[g.Sku]; g.Sku == "Basic" {
		c.add(field, p.Azure.ExistingGatewayId, fmt.Sprintf("gateway %s is SKU %s: %s (Azure about-active-active gateways)", name, g.Sku, rule.Why), fmt.Sprintf("use a gateway of another SKU, e.g. %s", rule.Instead))
	}
	if g.Asn != nil && int64(*g.Asn) != p.Azure.Asn {
		c.add("azure.existingGateway.asn", p.Azure.Asn, fmt.Sprintf("gateway %s has bgpSettings.asn %d: the LNGs and Cloud Router peer with the gateway's real ASN", name, int64(*g.Asn)),
			fmt.Sprintf("set azure.existingGateway.asn to %d (the ASN of a gateway in use is not changed lightly)", int64(*g.Asn)))
	}
	if len(g.IpConfigurations) != AzureInstanceCount {
		c.add(field, p.Azure.ExistingGatewayId, fmt.Sprintf("gateway %s has %d ipConfigurations; an active-active gateway has exactly two (Azure about-active-active gateways; ALZ #2674)", name, len(g.IpConfigurations)),
			fmt.Sprintf("give gateway %s two ipConfigurations, each with its own Standard static public IP", name))
		return c.problems
	}
	for n, cfg := range g.IpConfigurations {
		have := g.CustomBgpIps[strings.ToLower(cfg.Id)]
		var missing []string
		for _, ip := range p.Azure.Instances[n].CustomBgpIps {
			if !slices.Contains(have, ip.String()) {
				missing = append(missing, ip.String())
			}
		}
		if len(missing) == 0 {
			continue
		}
		want := append(slices.Clone(have), missing...)
		c.add(field, p.Azure.ExistingGatewayId, fmt.Sprintf("ipConfiguration %q (instance %d) of gateway %s does not carry the link's APIPA address(es) %s (it has %s); every connection names its own in gatewayCustomBgpIpAddresses (vpn-gateway-howto-aws-bgp), which Azure accepts only from those the instance carries (azurerm #22885)",
			cfg.Name, n, name, strings.Join(missing, ", "), listOrNone(have)),
			fmt.Sprintf("set bgpSettings.bgpPeeringAddresses[ipconfigurationId=%s].customBgpIpAddresses to %q on gateway %s (portal: Configuration, Custom Azure APIPA BGP IP address; a gateway update), or pick a bgpSessionBlock whose addresses the gateway carries",
				cfg.Id, want, name))
	}
	checkTunnelIps(c, g, publicIps)
	return c.problems
}

// checkTunnelIps: instance n of the link is the gateway's n-th ipConfiguration, so publicIps[n] must be
// that ipConfiguration's tunnel address; a swapped or stale list would point each Google interface at
// the other instance. Checked where the gateway reports its tunnel addresses.
func checkTunnelIps(c *collector, g FoundGateway, publicIps []string) {
	var actual []string
	for _, cfg := range g.IpConfigurations {
		ips := g.TunnelIps[strings.ToLower(cfg.Id)]
		if len(ips) == 0 {
			return
		}
		actual = append(actual, ips[0])
	}
	for n, cfg := range g.IpConfigurations {
		if n < len(publicIps) && !slices.Contains(g.TunnelIps[strings.ToLower(cfg.Id)], publicIps[n]) {
			c.add(fmt.Sprintf("azure.existingGateway.publicIps[%d]", n), publicIps[n],
				fmt.Sprintf("ipConfiguration %q (instance %d) of gateway %s has tunnel address %s (bgpSettings.bgpPeeringAddresses[].tunnelIpAddresses)", cfg.Name, n, g.Name, strings.Join(g.TunnelIps[strings.ToLower(cfg.Id)], ", ")),
				fmt.Sprintf("set azure.existingGateway.publicIps to %q, the gateway's instances in the order of its ipConfigurations", actual))
		}
	}
}

// FoundRouter is an existing Cloud Router as the provider's lookup returned it (gcp:compute/getRouter:getRouter).
type FoundRouter struct {
	Id      string
	Name    string
	Network string
	Project string
	Region  string
	Asn     *int
}

// ValidateExistingRouter checks a found Cloud Router: its ASN is the link's gcp.asn, and it is on gcp.network.
func ValidateExistingRouter(p *Plan, r FoundRouter, network string) Problems {
	c := &collector{}
	switch {
	case r.Asn == nil:
		c.add("gcp.existingRouter", r.Name, "the router has no BGP settings (bgp.asn): it cannot peer with Azure", fmt.Sprintf("set bgp.asn %d on router %s", p.Gcp.Asn, r.Name))
	case int64(*r.Asn) != p.Gcp.Asn:
		c.add("gcp.asn", p.Gcp.Asn, fmt.Sprintf("Cloud Router %s has ASN %d: the Azure side (LNG bgpSettings.asn) must name the router's real ASN", r.Name, *r.Asn),
			fmt.Sprintf("set gcp.asn to %d, or change the router's ASN first (gcloud compute routers update --asn)", *r.Asn))
	}
	if network != "" && r.Network != "" && !sameNetwork(r.Network, network) {
		c.add("gcp.existingRouter", r.Name, fmt.Sprintf("Cloud Router %s is on network %s, not gcp.network %s: tunnels, router and HA VPN gateways share one VPC", r.Name, r.Network, network),
			"use a router of gcp.network, or change gcp.network")
	}
	return c.problems
}

// FoundHaVpnGateway is an existing HA VPN gateway as the provider read it (compute.GetHaVpnGateway).
type FoundHaVpnGateway struct {
	SelfLink   string
	Network    string
	Interfaces []string // the interfaces' public addresses, interface 0 first
}

// ValidateExistingHaVpnGateway checks a read HA VPN gateway: two interfaces with addresses, on gcp.network.
func ValidateExistingHaVpnGateway(index int, g FoundHaVpnGateway, network string) Problems {
	c := &collector{}
	field := fmt.Sprintf("gcp.existingGateways[%d]", index)
	if len(g.Interfaces) != GcpInterfaceCount || slices.Contains(g.Interfaces, "") {
		c.add(field, g.SelfLink, fmt.Sprintf("the gateway lists interfaces %q; an HA VPN gateway has two, each with an address (Google HA VPN docs)", g.Interfaces),
			"use an IPv4 HA VPN gateway that Google has finished creating")
	}
	for _, ip := range g.Interfaces {
		if a, err := netip.ParseAddr(ip); ip != "" && (err != nil || !a.Is4()) {
			c.add(field, g.SelfLink, fmt.Sprintf("interface address %q is not IPv4", ip), "use an IPV4_ONLY HA VPN gateway")
		}
	}
	if network != "" && g.Network != "" && !sameNetwork(g.Network, network) {
		c.add(field, g.SelfLink, fmt.Sprintf("the gateway is on network %s, not gcp.network %s", g.Network, network), "use a gateway of gcp.network")
	}
	return c.problems
}

func lastSegment(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

// sameNetwork compares two references to a VPC network: by project and name when both name their
// project (a Shared VPC network of another project with the same name is another network), by name
// when either is a bare name.
func sameNetwork(a, b string) bool {
	if strings.Contains(a, "projects/") && strings.Contains(b, "projects/") {
		return NetworkKey(a) == NetworkKey(b)
	}
	return lastSegment(a) == lastSegment(b)
}

func showBool(b *bool) string {
	if b == nil {
		return "unset"
	}
	return fmt.Sprint(*b)
}

func listOrNone(ss []string) string {
	if len(ss) == 0 {
		return "none"
	}
	return strings.Join(ss, ", ")
}
