package simcloud

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// Azure type tokens, as the azure-native SDK registers them.
const (
	azureResourceGroup = "azure-native:resources:ResourceGroup"
	azureVnet          = "azure-native:network:VirtualNetwork"
	azureSubnet        = "azure-native:network:Subnet"
	azurePublicIp      = "azure-native:network:PublicIPAddress"
	azureGateway       = "azure-native:network:VirtualNetworkGateway"
	azureLng           = "azure-native:network:LocalNetworkGateway"
	azureConnection    = "azure-native:network:VirtualNetworkGatewayConnection"
)

// Sources the Azure rules cite.
const (
	srcAzArm          = "Azure Resource Manager docs (resources live in an existing resource group)"
	srcAzVnet         = "Azure virtual network docs (address space and subnets)"
	srcAzPip          = "Azure public IP address docs"
	srcAzActive       = "Azure about-active-active gateways"
	srcAzAlz2674      = "Azure about-active-active gateways; ALZ #2674"
	srcAzSettings     = "Azure VPN gateway settings docs"
	srcAzSku          = "Azure docs gateway-sku-consolidation"
	srcAzBgp          = "Azure vpn-gateway configure-bgp / bgp-howto (azurerm PR #10381)"
	srcAzFaq          = "Azure VPN gateway FAQ, BGP section"
	srcAzIpsec        = "Azure IPsec/IKE policy docs"
	srcAzConnection   = "Azure VirtualNetworkGatewayConnection REST reference"
	srcAz22885        = "azurerm #22885"
	srcAzFieldReport  = "field report: two connected LNGs with one public IP"
	srcAzLocalNetwork = "Azure local network gateway docs"
	srcAzPipInUse     = "ARM error PublicIPAddressInUse (gardener/gardener-extension-provider-azure #759)"
)

func init() {
	a := func(k *Kind) {
		k.Cloud = Azure
		specific := k.Outputs
		k.Outputs = func(o *Outputs) {
			azureOutputs(o)
			if specific != nil {
				specific(o)
			}
		}
		register(k)
	}
	// Which input changes replace a resource, and which updates the API refuses or ignores:
	// cloudrules.ReplaceRules (azure-native's path parameters, create-only properties and forceNewMap).
	a(&Kind{Token: azureResourceGroup, Seconds: 10, Rules: resourceGroupRules})
	a(&Kind{Token: azureVnet, Seconds: 20, Rules: vnetRules})
	a(&Kind{Token: azureSubnet, Seconds: 10, Rules: subnetRules})
	a(&Kind{Token: azurePublicIp, Seconds: 10,
		Rules: publicIpRules, Outputs: publicIpOutputs, Computed: []string{"ipAddress"}})
	a(&Kind{Token: azureGateway, Seconds: 45 * 60,
		Rules: gatewayRules, CreateRules: gatewayCreateRules, Outputs: gatewayOutputs, DeleteGuard: gatewayDeleteGuard})
	a(&Kind{Token: azureLng, Seconds: 60,
		Rules: lngRules})
	a(&Kind{Token: azureConnection, Seconds: 2 * 60,
		Rules: connectionRules, CreateRules: connectionCreateRules, Outputs: connectionOutputs, Computed: []string{"connectionStatus"}})
}

// azureOutputs fills what every Azure resource returns: the ARM type and the resource group's location when none is given.
func azureOutputs(o *Outputs) {
	if o.Kind.Token == azureResourceGroup {
		o.Out["type"] = "Microsoft.Resources/resourceGroups"
		return
	}
	if absent(o.In, "location") {
		if rg := resourceGroupNamed(o.St, strOr(o.In, "resourceGroupName", "")); rg != nil {
			o.Out["location"] = rg.Outputs["location"]
		}
	}
}

// resourceGroupNamed finds a resource group by name (ARM names compare case-insensitively).
func resourceGroupNamed(st *State, name string) *Record {
	for _, r := range st.OfType(azureResourceGroup) {
		if strings.EqualFold(r.Physical(), name) {
			return r
		}
	}
	return nil
}

// azureGroup requires the resource group to exist at Create/Update. Source: Azure Resource Manager docs.
func (c *Checker) azureGroup() {
	c.require(srcAzArm, "resourceGroupName")
	if rg, ok := str(c.In, "resourceGroupName"); ok && resourceGroupNamed(c.St, rg) == nil {
		c.missing("resourceGroupName", "resource group", rg)
	}
}

// azureRef resolves a known {id} reference to a resource of one type.
func (c *Checker) azureRef(prop, token, what string) *Record {
	id, ok := refID(c.In, prop)
	if !ok || id == "" {
		return nil
	}
	r := c.St.Get(id)
	if r == nil || r.Type != token {
		c.missing(prop+".id", what, id)
		return nil
	}
	return r
}

func resourceGroupRules(c *Checker) {
	c.require(srcAzArm, "location")
}

func vnetRules(c *Checker) {
	c.azureGroup()
	space, ok := sub(c.In, "addressSpace")
	if absent(c.In, "addressSpace") || ok && !isUnknown(space["addressPrefixes"]) && len(stringsOf(space, "addressPrefixes")) == 0 {
		c.fail("addressSpace", srcAzVnet, "addressSpace.addressPrefixes needs at least one range")
		return
	}
	var seen []netip.Prefix
	for n, s := range stringsOf(space, "addressPrefixes") {
		p, ok := c.prefix(fmt.Sprintf("addressSpace.addressPrefixes[%d]", n), srcAzVnet, s)
		if !ok {
			continue
		}
		for _, q := range seen {
			if overlaps(p, q) {
				c.fail(fmt.Sprintf("addressSpace.addressPrefixes[%d]", n), srcAzVnet, "%s overlaps %s of the same address space", p, q)
			}
		}
		seen = append(seen, p)
	}
}

// vnetNamed finds a virtual network by resource group and name.
func vnetNamed(st *State, rg, name string) *Record {
	for _, r := range st.OfType(azureVnet) {
		if strings.EqualFold(strOr(r.Inputs, "resourceGroupName", ""), rg) && strings.EqualFold(r.Physical(), name) {
			return r
		}
	}
	return nil
}

func subnetRules(c *Checker) {
	c.require(srcAzVnet, "resourceGroupName", "virtualNetworkName")
	if absent(c.In, "addressPrefix") && absent(c.In, "addressPrefixes") {
		c.fail("addressPrefix", srcAzVnet, "addressPrefix is required")
	}
	rg, ok1 := str(c.In, "resourceGroupName")
	vnetName, ok2 := str(c.In, "virtualNetworkName")
	var vnet *Record
	if ok1 && ok2 {
		if vnet = vnetNamed(c.St, rg, vnetName); vnet == nil {
			c.missing("virtualNetworkName", "virtual network", vnetName)
		}
	}
	s, ok := str(c.In, "addressPrefix")
	if !ok {
		return
	}
	p, ok := c.prefix("addressPrefix", srcAzVnet, s)
	if !ok {
		return
	}
	// Source: Azure VPN gateway settings docs (GatewaySubnet /29 at least, /27 or larger recommended).
	if name, _ := str(c.In, "subnetName"); name == cloudrules.GatewaySubnetName && p.Bits() > 29 {
		c.fail("addressPrefix", srcAzSettings, "GatewaySubnet %s is smaller than /29 (/27 or larger is recommended)", p)
	}
	if vnet != nil {
		subnetInVnet(c, vnet, p)
	}
}

// subnetInVnet checks a subnet lies inside the VNet's space and overlaps no sibling. Source: Azure virtual network docs.
func subnetInVnet(c *Checker, vnet *Record, p netip.Prefix) {
	space, _ := sub(vnet.Inputs, "addressSpace")
	inside := false
	for _, s := range stringsOf(space, "addressPrefixes") {
		if q, err := netip.ParsePrefix(s); err == nil && q.Bits() <= p.Bits() && q.Contains(p.Addr()) {
			inside = true
		}
	}
	if !inside {
		c.fail("addressPrefix", srcAzVnet, "%s is not inside the address space of virtual network %s", p, vnet.Physical())
	}
	for _, o := range c.others(azureSubnet) {
		sameVnet := strings.EqualFold(strOr(o.Inputs, "resourceGroupName", ""), strOr(vnet.Inputs, "resourceGroupName", "")) &&
			strings.EqualFold(strOr(o.Inputs, "virtualNetworkName", ""), vnet.Physical())
		if q, err := netip.ParsePrefix(strOr(o.Inputs, "addressPrefix", "")); err == nil && sameVnet && overlaps(p, q) {
			c.fail("addressPrefix", srcAzVnet, "%s overlaps subnet %s (%s)", p, o.Physical(), q)
		}
	}
}

func publicIpRules(c *Checker) {
	c.azureGroup()
	sku, _ := sub(c.In, "sku")
	c.oneOfAt(sku, "name", "sku.name", srcAzPip, "Basic", "Standard")
	// Source: Azure public IP address docs (a Standard SKU address is always Static).
	if strOr(sku, "name", "") == "Standard" && strOr(c.In, "publicIPAllocationMethod", "Static") != "Static" {
		c.fail("publicIPAllocationMethod", srcAzPip, "a Standard SKU public IP needs publicIPAllocationMethod Static")
	}
	c.oneOf("publicIPAllocationMethod", srcAzPip, "Static", "Dynamic")
	c.oneOf("publicIPAddressVersion", srcAzPip, "IPv4", "IPv6")
	for n, z := range stringsOf(c.In, "zones") {
		if !slices.Contains(cloudrules.AzureZones, z) {
			c.fail(fmt.Sprintf("zones[%d]", n), srcAzPip, "zone %q is not one of %s", z, strings.Join(cloudrules.AzureZones, ", "))
		}
	}
}

// publicIpOutputs assigns a public-looking address (20.x or 40.x), deterministic from the ID and unique in the state.
func publicIpOutputs(o *Outputs) {
	if o.Prev != nil && !absent(o.Prev.Outputs, "ipAddress") {
		o.Out["ipAddress"] = o.Prev.Outputs["ipAddress"]
		return
	}
	o.Out["ipAddress"] = allocatePublicIp(o.ID, "pip", []byte{20, 40}, usedPublicIps(o.St, o.ID))
}

func gatewayRules(c *Checker) {
	c.azureGroup()
	c.require(srcAzSettings, "gatewayType", "sku", "ipConfigurations")
	// Source: Azure VPN gateway settings docs (only VPN gateways are simulated).
	c.oneOf("gatewayType", srcAzSettings, "Vpn")
	c.oneOf("vpnType", srcAzSettings, "RouteBased", "PolicyBased")
	// Source: Azure about-active-active gateways (BGP and active-active need a route-based gateway).
	if v, ok := str(c.In, "vpnType"); ok && v != "RouteBased" && (isTrue(c.In, "enableBgp") || isTrue(c.In, "activeActive")) {
		c.fail("vpnType", srcAzActive, "BGP and active-active need vpnType RouteBased, not %s", v)
	}
	gatewaySku(c)
	gatewayIpConfigurations(c)
	gatewayBgp(c)
}

// gatewayCreateRules refuses a gateway whose ipConfiguration takes a public IP another gateway holds.
// Source: the ARM error PublicIPAddressInUse ("Resource ... is referencing public IP address ... that is
// already allocated to resource ...", quoted in gardener/gardener-extension-provider-azure #759).
func gatewayCreateRules(c *Checker) {
	for n, cfg := range objects(c.In, "ipConfigurations") {
		id, ok := refID(cfg, "publicIPAddress")
		if !ok {
			continue
		}
		for _, other := range c.others(azureGateway) {
			for _, ocfg := range objects(other.Inputs, "ipConfigurations") {
				if oid, _ := refID(ocfg, "publicIPAddress"); strings.EqualFold(oid, id) {
					c.fail(fmt.Sprintf("ipConfigurations[%d].publicIPAddress", n), srcAzPipInUse,
						"PublicIPAddressInUse: the gateway is referencing public IP address %s that is already allocated to resource %s/ipConfigurations/%s",
						id, other.ID, strOr(ocfg, "name", ""))
				}
			}
		}
	}
}

// gatewaySku refuses SKUs Azure no longer creates (non-AZ) or that lack BGP/active-active (Basic).
// Source: Azure docs gateway-sku-consolidation and about-active-active gateways (cloudrules.AzureSkus).
func gatewaySku(c *Checker) {
	sku, _ := sub(c.In, "sku")
	name, ok := str(sku, "name")
	if !ok {
		return
	}
	rule, known := cloudrules.AzureSkus[name]
	switch {
	case !known:
		c.fail("sku.name", srcAzSku, "SKU %q is not a VPN gateway SKU", name)
	case !rule.Allowed:
		c.fail("sku.name", srcAzSku, "SKU %s cannot be created: %s; use %s", name, rule.Why, rule.Instead)
	default:
		if gen, ok := str(c.In, "vpnGatewayGeneration"); ok && !slices.Contains(rule.Generations, gen) {
			c.fail("vpnGatewayGeneration", srcAzSku, "SKU %s supports %s, not %s", name, strings.Join(rule.Generations, ", "), gen)
		}
	}
}

// gatewayIpConfigurations checks the instances: two for active-active, Standard/Static public IPs, the GatewaySubnet.
// Source: Azure about-active-active gateways; ALZ #2674 ("ActiveActiveGatewayMustHaveExactlyTwoIpConfigurations").
func gatewayIpConfigurations(c *Checker) {
	arr, ok := list(c.In, "ipConfigurations")
	if !ok {
		return
	}
	if active, known := flag(c.In, "activeActive"); known && active && len(arr) != 2 {
		c.fail("ipConfigurations", srcAzAlz2674, "ActiveActiveGatewayMustHaveExactlyTwoIpConfigurations: an active-active gateway needs exactly two ipConfigurations, got %d", len(arr))
	} else if !active && !isUnknown(c.In["activeActive"]) && len(arr) != 1 {
		c.fail("ipConfigurations", srcAzActive, "an active-standby gateway takes exactly one ipConfiguration, got %d (set activeActive for two)", len(arr))
	}
	seen := ipConfigSeen{names: map[string]bool{}, pips: map[string]bool{}, subnets: map[string]bool{}}
	for n, cfg := range objects(c.In, "ipConfigurations") {
		gatewayIpConfiguration(c, fmt.Sprintf("ipConfigurations[%d]", n), cfg, seen)
	}
	if len(seen.subnets) > 1 {
		c.fail("ipConfigurations", srcAzSettings, "all ipConfigurations must use the same GatewaySubnet")
	}
}

// ipConfigSeen collects what the gateway's ipConfigurations use, to find duplicates.
type ipConfigSeen struct{ names, pips, subnets map[string]bool }

// gatewayIpConfiguration checks one instance: a unique name, its own public IP, the GatewaySubnet.
// Source: Azure about-active-active gateways (one Standard public IP per instance).
func gatewayIpConfiguration(c *Checker, prop string, cfg obj, seen ipConfigSeen) {
	if name, ok := str(cfg, "name"); ok && seen.names[name] {
		c.fail(prop+".name", srcAzActive, "ipConfiguration name %q is used twice", name)
	} else if absent(cfg, "name") {
		c.fail(prop+".name", srcAzActive, "every ipConfiguration needs a name (its ID is referenced by bgpSettings and connections)")
	} else {
		seen.names[name] = true
	}
	if id, ok := refID(cfg, "publicIPAddress"); ok {
		if seen.pips[strings.ToLower(id)] {
			c.fail(prop+".publicIPAddress", srcAzActive, "public IP %s is used by two ipConfigurations", id)
		}
		seen.pips[strings.ToLower(id)] = true
		gatewayPublicIp(c, prop+".publicIPAddress", id)
	} else if absent(cfg, "publicIPAddress") {
		c.fail(prop+".publicIPAddress", srcAzActive, "every ipConfiguration needs a public IP")
	}
	if id, ok := refID(cfg, "subnet"); ok {
		seen.subnets[strings.ToLower(id)] = true
		gatewaySubnet(c, prop+".subnet", id)
	}
}

// gatewayPublicIp requires an existing Standard, Static public IP. Source: Azure about-active-active gateways.
func gatewayPublicIp(c *Checker, prop, id string) {
	pip := c.St.Get(id)
	if pip == nil || pip.Type != azurePublicIp {
		c.missing(prop+".id", "public IP address", id)
		return
	}
	sku, _ := sub(pip.Inputs, "sku")
	if strOr(sku, "name", "Basic") != "Standard" || strOr(pip.Inputs, "publicIPAllocationMethod", "Static") != "Static" {
		c.fail(prop, srcAzActive, "public IP %s must be Standard SKU with Static allocation", pip.Physical())
	}
}

// gatewaySubnet requires the subnet named GatewaySubnet. Source: Azure VPN gateway settings docs.
func gatewaySubnet(c *Checker, prop, id string) {
	if name := id[strings.LastIndex(id, "/")+1:]; !strings.Contains(strings.ToLower(id), "/subnets/") || name != cloudrules.GatewaySubnetName {
		c.fail(prop+".id", srcAzSettings, "the gateway subnet must be named %s, not %q", cloudrules.GatewaySubnetName, name)
		return
	}
	if s := c.St.Get(id); s == nil || s.Type != azureSubnet {
		c.missing(prop+".id", "subnet", id)
	}
}

// gatewayBgp checks the ASN and the custom APIPA addresses of each instance: any address of the window on
// either instance (no per-instance /24: Microsoft's vpn-gateway-howto-aws-bgp puts 169.254.21.x and
// 169.254.22.x on each instance), unique on the gateway.
// Source: Azure VPN gateway FAQ (reserved ASNs), bgp-howto (APIPA window, the gateway's own ipConfiguration
// IDs) and vpn-gateway-howto-aws-bgp (APIPA addresses per instance).
func gatewayBgp(c *Checker) {
	bgp, ok := sub(c.In, "bgpSettings")
	if !ok {
		return
	}
	if asn, ok := num(bgp, "asn"); ok {
		if p := asnProblem(asn, cloudrules.AzureReservedGatewayAsns, cloudrules.IanaReservedAsns); p != "" {
			c.fail("bgpSettings.asn", srcAzFaq, "%s", p)
		}
	}
	own := map[string]bool{}
	for _, cfg := range objects(c.In, "ipConfigurations") {
		if name, ok := str(cfg, "name"); ok && c.SelfID != "" {
			own[strings.ToLower(cloudrules.AzureIpConfigurationID(c.SelfID, name))] = true
		}
	}
	seen := map[netip.Addr]bool{}
	for n, entry := range objects(bgp, "bgpPeeringAddresses") {
		prop := fmt.Sprintf("bgpSettings.bgpPeeringAddresses[%d]", n)
		if id, ok := str(entry, "ipconfigurationId"); ok && len(own) > 0 && !own[strings.ToLower(id)] {
			c.fail(prop+".ipconfigurationId", srcAzBgp, "%q is not the ID of one of this gateway's ipConfigurations (%s/ipConfigurations/<name>)", id, c.SelfID)
		}
		for k, s := range stringsOf(entry, "customBgpIpAddresses") {
			a, ok := c.ipv4(fmt.Sprintf("%s.customBgpIpAddresses[%d]", prop, k), srcAzBgp, s)
			switch {
			case !ok:
			case !cloudrules.AzureApipaWindow.Contains(a):
				c.fail(fmt.Sprintf("%s.customBgpIpAddresses[%d]", prop, k), srcAzBgp, "custom BGP address %s is outside %s", a, cloudrules.AzureApipaWindow)
			case seen[a]:
				c.fail(fmt.Sprintf("%s.customBgpIpAddresses[%d]", prop, k), srcAzBgp, "custom BGP address %s is used twice on the gateway", a)
			}
			seen[a] = true
		}
	}
}

// gatewayOutputs fills the read-only BGP fields: per ipConfiguration, the default BGP address (from the
// GatewaySubnet, .4 and .5), the tunnel address (its public IP) and bgpPeeringAddress "x,y".
// Source: Azure bgp-howto (defaultBgpIpAddresses/tunnelIpAddresses are read-only, server-populated).
func gatewayOutputs(o *Outputs) {
	bgp := obj{}
	if in, ok := sub(o.In, "bgpSettings"); ok {
		bgp = clone(in)
	}
	if absent(bgp, "asn") {
		bgp["asn"] = float64(cloudrules.DefaultAzureAsn)
	}
	var configs, entries []any
	var defaults []string
	for n, cfg := range objects(o.In, "ipConfigurations") {
		id := cloudrules.AzureIpConfigurationID(o.ID, strOr(cfg, "name", ""))
		def := defaultBgpIp(o.St, cfg, n)
		out := clone(cfg)
		out["id"], out["privateIPAddress"] = id, def
		configs = append(configs, out)
		entry := peeringEntry(bgp, id)
		entry["defaultBgpIpAddresses"] = []any{def}
		entry["tunnelIpAddresses"] = []any{publicIpOf(o.St, cfg)}
		entries = append(entries, entry)
		defaults = append(defaults, def)
	}
	bgp["bgpPeeringAddresses"] = entries
	bgp["bgpPeeringAddress"] = strings.Join(defaults, ",")
	bgp["peerWeight"] = float64(0)
	o.Out["bgpSettings"] = bgp
	o.Out["ipConfigurations"] = configs
}

// peeringEntry returns the input bgpPeeringAddresses entry of an ipConfiguration, or a new one.
func peeringEntry(bgp obj, id string) obj {
	for _, e := range objects(bgp, "bgpPeeringAddresses") {
		if strings.EqualFold(strOr(e, "ipconfigurationId", ""), id) {
			return clone(e)
		}
	}
	return obj{"ipconfigurationId": id, "customBgpIpAddresses": []any{}}
}

// defaultBgpIp is instance n's private BGP address: the GatewaySubnet's address .4 + n.
func defaultBgpIp(st *State, cfg obj, n int) string {
	id, _ := refID(cfg, "subnet")
	if s := st.Get(id); s != nil {
		if p, err := netip.ParsePrefix(strOr(s.Inputs, "addressPrefix", "")); err == nil {
			return nthAddress(p, 4+n).String()
		}
	}
	return ""
}

// publicIpOf is the address of an ipConfiguration's public IP, or "".
func publicIpOf(st *State, cfg obj) string {
	if pip := publicIpRecord(st, cfg); pip != nil {
		return strOr(pip.Outputs, "ipAddress", "")
	}
	return ""
}

// publicIpRecord is the public IP resource an ipConfiguration references, or nil.
func publicIpRecord(st *State, cfg obj) *Record {
	id, _ := refID(cfg, "publicIPAddress")
	return st.Get(id)
}

// connectionsOf lists the connections of a gateway.
func connectionsOf(st *State, gatewayID string) []*Record {
	var out []*Record
	for _, c := range st.OfType(azureConnection) {
		if id, _ := refID(c.Inputs, "virtualNetworkGateway1"); strings.EqualFold(id, gatewayID) {
			out = append(out, c)
		}
	}
	return out
}

// gatewayDeleteGuard refuses deleting a gateway connections still use.
// Source: Azure VPN gateway docs (delete the connections before the gateway).
func gatewayDeleteGuard(st *State, r *Record) string {
	if conns := connectionsOf(st, r.ID); len(conns) > 0 {
		return fmt.Sprintf("gateway %s still has connection %s; delete its connections first", r.Physical(), conns[0].Physical())
	}
	return ""
}

func lngRules(c *Checker) {
	c.azureGroup()
	if absent(c.In, "fqdn") {
		c.require(srcAzLocalNetwork, "gatewayIpAddress")
	}
	if s, ok := str(c.In, "gatewayIpAddress"); ok {
		c.ipv4("gatewayIpAddress", srcAzLocalNetwork, s)
	}
	if bgp, ok := sub(c.In, "bgpSettings"); ok {
		// Source: Azure VPN gateway FAQ, BGP section (ASNs reserved by Azure and IANA cannot be the peer's).
		if asn, ok := num(bgp, "asn"); ok {
			if p := asnProblem(asn, cloudrules.AzureReservedPeerAsns, cloudrules.IanaReservedAsns); p != "" {
				c.fail("bgpSettings.asn", srcAzFaq, "%s", p)
			}
		} else if absent(bgp, "asn") {
			c.fail("bgpSettings.asn", srcAzFaq, "bgpSettings.asn is required")
		}
		if s, ok := str(bgp, "bgpPeeringAddress"); ok {
			c.ipv4("bgpSettings.bgpPeeringAddress", srcAzBgp, s)
		}
	}
	space, _ := sub(c.In, "localNetworkAddressSpace")
	for n, s := range stringsOf(space, "addressPrefixes") {
		c.prefix(fmt.Sprintf("localNetworkAddressSpace.addressPrefixes[%d]", n), srcAzLocalNetwork, s)
	}
}

func connectionRules(c *Checker) {
	c.azureGroup()
	c.require(srcAzConnection, "connectionType", "virtualNetworkGateway1", "localNetworkGateway2", "sharedKey")
	// Source: Azure connection REST reference (only site-to-site IPsec connections are simulated).
	c.oneOf("connectionType", srcAzConnection, "IPsec")
	// Source: Azure connection docs (IKEv2 for BGP over active-active; the protocol cannot change after creation).
	c.oneOf("connectionProtocol", srcAzConnection, "IKEv2")
	// Source: Azure connection REST reference (dpdTimeoutSeconds 9-3600).
	if d, ok := num(c.In, "dpdTimeoutSeconds"); ok && !cloudrules.AzureDpdTimeout.Contains(int(d)) {
		c.fail("dpdTimeoutSeconds", srcAzConnection, "dpdTimeoutSeconds %v is outside %d-%d", d, cloudrules.AzureDpdTimeout.Min, cloudrules.AzureDpdTimeout.Max)
	}
	if k, ok := str(c.In, "sharedKey"); ok && (k == "" || len(k) > cloudrules.MaxAzurePskLength) {
		c.fail("sharedKey", srcAzConnection, "sharedKey must be 1-%d characters", cloudrules.MaxAzurePskLength)
	}
	policies := objects(c.In, "ipsecPolicies")
	if len(policies) > 1 {
		c.fail("ipsecPolicies", srcAzIpsec, "a connection takes one IPsec/IKE policy, got %d", len(policies))
	}
	for n, p := range policies {
		ipsecPolicyRules(c, fmt.Sprintf("ipsecPolicies[%d]", n), p)
	}
	gw := c.azureRef("virtualNetworkGateway1", azureGateway, "virtual network gateway")
	lng := c.azureRef("localNetworkGateway2", azureLng, "local network gateway")
	if isTrue(c.In, "enableBgp") {
		// Source: Azure bgp-howto (BGP on a connection needs BGP on the gateway and BGP settings on the LNG).
		if gw != nil && !isTrue(gw.Inputs, "enableBgp") {
			c.fail("enableBgp", srcAzBgp, "gateway %s does not have enableBgp", gw.Physical())
		}
		if lng != nil && absent(lng.Inputs, "bgpSettings") {
			c.fail("enableBgp", srcAzBgp, "local network gateway %s has no bgpSettings", lng.Physical())
		}
	}
	if gw != nil {
		customBgpRules(c, gw)
	}
}

// ipsecPolicyRules checks every field holds an Azure value and GCM encryption comes with the same GCM integrity.
// Source: Azure IPsec/IKE policy docs (values in cloudrules.IpsecAlgorithms; lifetimes).
func ipsecPolicyRules(c *Checker, prop string, pol obj) {
	for _, field := range []string{"ikeEncryption", "ikeIntegrity", "dhGroup", "ipsecEncryption", "ipsecIntegrity", "pfsGroup"} {
		v, ok := str(pol, field)
		if !ok {
			if absent(pol, field) {
				c.fail(prop+"."+field, srcAzIpsec, "%s is required in an IPsec/IKE policy", field)
			}
			continue
		}
		if _, known := algorithm(field, v); !known {
			c.fail(prop+"."+field, srcAzIpsec, "%s %q is not an Azure value (%s)", field, v, strings.Join(algorithmNames(field), ", "))
		}
	}
	enc, integ := strOr(pol, "ipsecEncryption", ""), strOr(pol, "ipsecIntegrity", "")
	if strings.HasPrefix(enc, "GCMAES") && integ != "" && integ != enc {
		c.fail(prop+".ipsecIntegrity", srcAzIpsec, "GCM encryption %s needs the same GCM integrity, not %s", enc, integ)
	}
	if v, ok := num(pol, "saLifeTimeSeconds"); ok && !cloudrules.SaLifetime.Contains(int(v)) {
		c.fail(prop+".saLifeTimeSeconds", srcAzIpsec, "saLifeTimeSeconds %v is outside %d-%d", v, cloudrules.SaLifetime.Min, cloudrules.SaLifetime.Max)
	}
	if v, ok := num(pol, "saDataSizeKilobytes"); ok && !cloudrules.SaDataSize.Contains(int(v)) {
		c.fail(prop+".saDataSizeKilobytes", srcAzIpsec, "saDataSizeKilobytes %v is below %d", v, cloudrules.SaDataSize.Min)
	}
}

// algorithm finds a value of one IPsec policy field in cloudrules.IpsecAlgorithms.
func algorithm(field, name string) (cloudrules.Algorithm, bool) {
	for _, a := range cloudrules.IpsecAlgorithms[field] {
		if a.Name == name {
			return a, true
		}
	}
	return cloudrules.Algorithm{}, false
}

func algorithmNames(field string) []string {
	var out []string
	for _, a := range cloudrules.IpsecAlgorithms[field] {
		out = append(out, a.Name)
	}
	return out
}

// gatewayAssignments maps each of a gateway's ipConfiguration IDs (lowercased) to the custom BGP addresses bgpSettings gives it.
func gatewayAssignments(gw *Record) (ids []string, assigned map[string][]string) {
	assigned = map[string][]string{}
	for _, cfg := range objects(gw.Inputs, "ipConfigurations") {
		ids = append(ids, cloudrules.AzureIpConfigurationID(gw.ID, strOr(cfg, "name", "")))
	}
	bgp, _ := sub(gw.Inputs, "bgpSettings")
	for _, e := range objects(bgp, "bgpPeeringAddresses") {
		id := strings.ToLower(strOr(e, "ipconfigurationId", ""))
		assigned[id] = append(assigned[id], stringsOf(e, "customBgpIpAddresses")...)
	}
	return ids, assigned
}

// customBgpRules checks gatewayCustomBgpIpAddresses lists both instances, each with an address bgpSettings gives it.
// Source: azurerm #22885 (both ipConfigurations must be listed; the address is one of the instance's custom addresses).
func customBgpRules(c *Checker, gw *Record) {
	arr, ok := list(c.In, "gatewayCustomBgpIpAddresses")
	entries := objects(c.In, "gatewayCustomBgpIpAddresses")
	if !ok || len(arr) == 0 || len(entries) != len(arr) {
		return
	}
	ids, assigned := gatewayAssignments(gw)
	listed := map[string]bool{}
	for n, e := range entries {
		prop := fmt.Sprintf("gatewayCustomBgpIpAddresses[%d]", n)
		id, ok := str(e, "ipConfigurationId")
		if !ok {
			continue
		}
		listed[strings.ToLower(id)] = true
		if !slices.ContainsFunc(ids, func(s string) bool { return strings.EqualFold(s, id) }) {
			c.fail(prop+".ipConfigurationId", srcAz22885, "%q is not an ipConfiguration of gateway %s", id, gw.Physical())
			continue
		}
		if addr, ok := str(e, "customBgpIpAddress"); ok && !slices.Contains(assigned[strings.ToLower(id)], addr) {
			c.fail(prop+".customBgpIpAddress", srcAz22885, "%s is not one of the custom BGP addresses gateway %s assigns to %s (%s)",
				addr, gw.Physical(), id[strings.LastIndex(id, "/")+1:], strings.Join(assigned[strings.ToLower(id)], ", "))
		}
	}
	for _, id := range ids {
		if !listed[strings.ToLower(id)] {
			c.fail("gatewayCustomBgpIpAddresses", srcAz22885, "ipConfiguration %s of gateway %s is not listed; list both instances", id[strings.LastIndex(id, "/")+1:], gw.Physical())
		}
	}
}

// connectionCreateRules refuses a second connection on one gateway to an LNG with the same public IP.
// Source: field report (two connected LNGs with one public IP).
func connectionCreateRules(c *Checker) {
	gwID, ok1 := refID(c.In, "virtualNetworkGateway1")
	lngID, ok2 := refID(c.In, "localNetworkGateway2")
	lng := c.St.Get(lngID)
	if !ok1 || !ok2 || lng == nil {
		return
	}
	ip := strOr(lng.Inputs, "gatewayIpAddress", "")
	for _, o := range connectionsOf(c.St, gwID) {
		if strings.EqualFold(o.ID, c.SelfID) {
			continue
		}
		otherID, _ := refID(o.Inputs, "localNetworkGateway2")
		if other := c.St.Get(otherID); other != nil && ip != "" && strOr(other.Inputs, "gatewayIpAddress", "") == ip {
			c.fail("localNetworkGateway2", srcAzFieldReport, "connection %s on the same gateway already uses local network gateway %s with address %s", o.Physical(), other.Physical(), ip)
		}
	}
}

// connectionOutputs reports the connection status as the simulation sees it when created.
func connectionOutputs(o *Outputs) {
	o.Out["connectionStatus"] = "Unknown"
	if absent(o.In, "connectionProtocol") {
		o.Out["connectionProtocol"] = "IKEv2"
	}
}
