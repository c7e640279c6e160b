package linkplan

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// validateGatewaySource checks a link on a gateway it does not own (azure.hub or azure.existingGateway)
// and the arguments that only make sense for a gateway the link creates.
func validateGatewaySource(c *collector, spec Spec) {
	a := spec.Azure
	if a.Hub != nil && a.ExistingGateway != nil {
		c.add("azure.existingGateway", a.ExistingGateway.Id, "a link uses one Azure gateway: azure.hub and azure.existingGateway cannot both be set",
			"keep azure.hub to take a slot of an AzureVpnHub, or azure.existingGateway for a gateway havpn did not create")
		return
	}
	if a.Hub == nil && (a.HubSlot != nil || a.HubSpoke != "") {
		field, value := "azure.hubSlot", any(a.HubSlot)
		if a.HubSlot != nil {
			value = *a.HubSlot
		} else {
			field, value = "azure.hubSpoke", a.HubSpoke
		}
		c.add(field, value, "a hub slot only means something with azure.hub", "set azure.hub to the hub's `hub` output, or drop "+field)
	}
	switch {
	case a.Hub != nil:
		notOnAForeignGateway(c, a, "azure.hub", "the hub owns the gateway")
		validateHubRef(c, spec)
	case a.ExistingGateway != nil:
		notOnAForeignGateway(c, a, "azure.existingGateway", "the gateway exists already")
		validateExistingGateway(c, spec)
	default:
		requireKnown(c, "azure.resourceGroupName", a.ResourceGroupName, "set azure.resourceGroupName to the VNet's resource group")
		requireKnown(c, "azure.location", a.Location, "set azure.location, e.g. japaneast")
	}
}

// notOnAForeignGateway refuses the arguments that shape a gateway the link creates when it uses another's.
func notOnAForeignGateway(c *collector, a AzureSpec, via, why string) {
	fix := func(field string) string { return fmt.Sprintf("drop %s: %s (%s)", field, why, via) }
	if a.GatewaySubnetId == nil || *a.GatewaySubnetId != "" {
		shown := "(an Output)"
		if a.GatewaySubnetId != nil {
			shown = *a.GatewaySubnetId
		}
		c.add("azure.gatewaySubnetId", shown, "a link on a gateway it does not create has no GatewaySubnet to place one in", fix("azure.gatewaySubnetId"))
	}
	for _, f := range []struct{ field, value string }{
		{"azure.generation", a.Generation}, {"azure.gatewayName", a.GatewayName},
	} {
		if f.value != "" {
			c.add(f.field, f.value, "this argument shapes a gateway the link creates", fix(f.field))
		}
	}
	if a.Zones != nil {
		c.add("azure.zones", a.Zones, "the zones are those of the public IPs of a gateway the link creates", fix("azure.zones"))
	}
}

// validateHubRef checks the hub object and the slot the link takes.
func validateHubRef(c *collector, spec Spec) {
	h, a := spec.Azure.Hub, spec.Azure
	topo := topologyOf(spec.Topology)
	if h.Name == "" {
		c.add("azure.hub.name", h.Name, "the hub object has no name", "pass the AzureVpnHub's `hub` output unchanged")
	}
	if !gatewayNamePattern.MatchString(h.GatewayName) {
		c.add("azure.hub.gatewayName", h.GatewayName, "not an Azure gateway name", "pass the AzureVpnHub's `hub` output unchanged")
	}
	if h.SlotTopology != string(topo) {
		c.add("topology", string(topo), fmt.Sprintf("hub %q has %s slots: each slot holds the /30s of one %s link", h.Name, h.SlotTopology, h.SlotTopology),
			fmt.Sprintf("set topology to %q, or use a hub whose slotTopology is %q", h.SlotTopology, topo))
	}
	if a.Asn != nil && *a.Asn != h.Asn {
		c.add("azure.asn", *a.Asn, fmt.Sprintf("the link's Azure ASN is the hub gateway's, %d", h.Asn), fmt.Sprintf("drop azure.asn or set it to %d", h.Asn))
	}
	if a.Sku != "" && a.Sku != h.Sku {
		c.add("azure.sku", a.Sku, fmt.Sprintf("the hub's gateway is %s; the SKU is the hub's (AzureVpnHub sku)", h.Sku), "drop azure.sku")
	}
	if h.PublicIps != nil {
		checkPublicIps(c, "azure.hub.publicIps", h.PublicIps, "pass the AzureVpnHub's `hub` output unchanged")
	}
	slot, ok := validateHubSlot(c, spec)
	if !ok || h.SlotTopology != string(topo) {
		return
	}
	validateSlotRanges(c, spec, topo, slot)
}

// validateHubSlot resolves the slot the link takes and checks it against the hub's registry.
func validateHubSlot(c *collector, spec Spec) (HubSlotSpec, bool) {
	h, a := spec.Azure.Hub, spec.Azure
	registered := map[int]SpokeSpec{}
	for _, s := range h.Spokes {
		registered[s.Slot] = s
	}
	var spoke *SpokeSpec
	if a.HubSpoke != "" {
		k := slices.IndexFunc(h.Spokes, func(s SpokeSpec) bool { return s.Name == a.HubSpoke })
		if k < 0 {
			var names []string
			for _, s := range h.Spokes {
				names = append(names, s.Name)
			}
			c.add("azure.hubSpoke", a.HubSpoke, fmt.Sprintf("hub %q's spoke registry has no such spoke (it has %q)", h.Name, names),
				"add the spoke to the hub's `spokes` and deploy the hub first, or pass azure.hubSlot")
			return HubSlotSpec{}, false
		}
		spoke = &h.Spokes[k]
	}
	var index int
	switch {
	case a.HubSlot != nil:
		index = *a.HubSlot
	case spoke != nil:
		index = spoke.Slot
	default:
		c.add("azure.hubSlot", "(unset)", fmt.Sprintf("a link on hub %q takes one of its slots", h.Name),
			fmt.Sprintf("set azure.hubSlot to a free slot of %v, or azure.hubSpoke to the spoke's name in the hub's registry", slotIndexes(h)))
		return HubSlotSpec{}, false
	}
	slot, found := h.SlotByIndex(index)
	if !found {
		c.add("azure.hubSlot", index, fmt.Sprintf("hub %q has slots %v (linkSlots %d)", h.Name, slotIndexes(h), h.LinkSlots),
			"pick one of those slots, or raise the hub's linkSlots (which updates its gateway once)")
		return HubSlotSpec{}, false
	}
	if owner, taken := registered[index]; taken && (spoke == nil || owner.Name != spoke.Name) {
		c.add("azure.hubSlot", index, fmt.Sprintf("hub %q's registry gives slot %d to spoke %q: two links on one slot would use the same APIPA addresses", h.Name, index, owner.Name),
			fmt.Sprintf("set azure.hubSpoke to %q if this link is that spoke, or take a slot the registry leaves free", owner.Name))
		return HubSlotSpec{}, false
	}
	if spoke != nil && spoke.Slot != index {
		c.add("azure.hubSlot", index, fmt.Sprintf("hub %q's registry gives spoke %q slot %d", h.Name, spoke.Name, spoke.Slot),
			fmt.Sprintf("drop azure.hubSlot or set it to %d", spoke.Slot))
		return HubSlotSpec{}, false
	}
	if spoke != nil && spoke.Asn != gcpAsnOf(spec) {
		c.add("gcp.asn", gcpAsnOf(spec), fmt.Sprintf("hub %q's registry records spoke %q with ASN %d: the hub's other spokes and its loop checks rely on it", h.Name, spoke.Name, spoke.Asn),
			fmt.Sprintf("set gcp.asn to %d, or correct the spoke's asn in the hub's registry", spoke.Asn))
	}
	return slot, true
}

// validateSlotRanges checks the slot's /30s and that bgpSessionBlock/bgpSessionRanges, if given, agree with them.
func validateSlotRanges(c *collector, spec Spec, topo Topology, slot HubSlotSpec) {
	field := fmt.Sprintf("azure.hub.slots[%d].bgpSessionRanges", slot.Index)
	if !slices.Contains(Topologies, topo) {
		return
	}
	if len(slot.BgpSessionRanges) != topo.TunnelCount() {
		c.add(field, slot.BgpSessionRanges, fmt.Sprintf("a %s slot holds %d /30s, one per tunnel", topo, topo.TunnelCount()), "pass the AzureVpnHub's `hub` output unchanged")
		return
	}
	seen := map[netip.Prefix]bool{}
	var ranges []netip.Prefix
	for k, s := range slot.BgpSessionRanges {
		f := fmt.Sprintf("%s[%d]", field, k)
		p, ok := parseThirty(c, f, s)
		if !ok {
			return
		}
		if seen[p] || !cloudrules.AzureApipaWindow.ContainsPrefix(p) {
			c.add(f, s, fmt.Sprintf("a slot's /30s are distinct and inside %s", cloudrules.AzureApipaWindow), "pass the AzureVpnHub's `hub` output unchanged")
			return
		}
		seen[p] = true
		ranges = append(ranges, p)
	}
	if b := spec.BgpSessionBlock; b != nil && !slices.Equal(BlockRanges(topo, *b), ranges) {
		c.add("bgpSessionBlock", *b, fmt.Sprintf("on hub %q the slot decides the /30s: slot %d has %s", spec.Azure.Hub.Name, slot.Index, strings.Join(slot.BgpSessionRanges, ", ")),
			"drop bgpSessionBlock (the hub slot sets it)")
	}
	if len(spec.BgpSessionRanges) > 0 && !slices.Equal(spec.BgpSessionRanges, slot.BgpSessionRanges) {
		c.add("bgpSessionRanges", spec.BgpSessionRanges, fmt.Sprintf("on hub %q the slot decides the /30s: slot %d has %s", spec.Azure.Hub.Name, slot.Index, strings.Join(slot.BgpSessionRanges, ", ")),
			"drop bgpSessionRanges (the hub slot sets them)")
	}
}

// validateExistingGateway checks the description of a gateway havpn did not create; what the gateway
// really is gets checked at deployment, through the provider (ValidateExistingGateway).
func validateExistingGateway(c *collector, spec Spec) {
	g, a := spec.Azure.ExistingGateway, spec.Azure
	if _, err := ParseGatewayID(g.Id); err != nil {
		c.add("azure.existingGateway.id", g.Id, err.Error(), "pass the gateway's ARM ID (az network vnet-gateway show --query id)")
	}
	checkPublicIps(c, "azure.existingGateway.publicIps", g.PublicIps, "list the public addresses of the gateway's two instances, in the order of its ipConfigurations")
	if g.Asn != nil && a.Asn != nil && *g.Asn != *a.Asn {
		c.add("azure.asn", *a.Asn, fmt.Sprintf("the link's Azure ASN is the existing gateway's, given as azure.existingGateway.asn %d", *g.Asn),
			"drop azure.asn (azure.existingGateway.asn is the gateway's)")
	}
	if a.Sku != "" {
		c.add("azure.sku", a.Sku, "the SKU is the existing gateway's (read at deployment)", "drop azure.sku")
	}
}

// checkPublicIps requires the two instances' public IPv4 addresses.
func checkPublicIps(c *collector, field string, ips []string, fix string) {
	if len(ips) != AzureInstanceCount {
		c.add(field, ips, "an active-active gateway has two instances, each with its own public IP (Azure about-active-active gateways)", fix)
		return
	}
	for i, s := range ips {
		if a, err := netip.ParseAddr(s); err != nil || !a.Is4() {
			c.add(fmt.Sprintf("%s[%d]", field, i), s, "not an IPv4 address", fix)
		}
	}
	if ips[0] == ips[1] {
		c.add(field, ips, "the two instances have distinct public IPs", fix)
	}
}

// validateExistingGcp checks an existing Cloud Router and existing HA VPN gateways: what the link needs
// to find them before anything is registered, and the router settings the link would otherwise set.
func validateExistingGcp(c *collector, spec Spec) {
	g := spec.Gcp
	if g.ExistingRouter != "" {
		if !gcpNamePattern.MatchString(g.ExistingRouter) {
			c.add("gcp.existingRouter", g.ExistingRouter, "not a Cloud Router name (RFC 1035, 1-63 lowercase letters, digits or dashes)", "pass the router's name, not its self link")
		}
		why := "with gcp.existingRouter havpn looks the router up (its ASN) before registering anything"
		if g.Region == nil {
			c.add("gcp.region", "(an Output)", why+", so the region must be known", "pass gcp.region as a plain value")
		}
		if g.Network == nil {
			c.add("gcp.network", "(an Output)", why+", and the lookup takes the router's VPC network", "pass gcp.network as a plain value (the VPC's self link or name)")
		}
		if g.ProjectUnknown {
			c.add("gcp.project", "(an Output)", why+", in the router's project", "pass gcp.project as a plain value, or leave it unset for the provider's project")
		}
		if g.KeepaliveInterval != nil {
			c.add("gcp.keepaliveInterval", *g.KeepaliveInterval, "the existing router's BGP settings are not the link's", "drop gcp.keepaliveInterval and set it on the router")
		}
		if len(g.AdvertisedIpRanges) > 0 {
			c.add("gcp.advertisedIpRanges", g.AdvertisedIpRanges, "the existing router's advertisements are not the link's", "drop gcp.advertisedIpRanges and set them on the router")
		}
	}
	if len(g.ExistingGateways) == 0 {
		return
	}
	topo := topologyOf(spec.Topology)
	if slices.Contains(Topologies, topo) && len(g.ExistingGateways) != topo.GcpGatewayCount() {
		c.add("gcp.existingGateways", g.ExistingGateways, fmt.Sprintf("topology %q uses %d HA VPN gateway(s)", topo, topo.GcpGatewayCount()),
			fmt.Sprintf("list %d self link(s), or drop gcp.existingGateways to create them", topo.GcpGatewayCount()))
	}
	seen := map[string]int{}
	for i, s := range g.ExistingGateways {
		field := fmt.Sprintf("gcp.existingGateways[%d]", i)
		ref, err := ParseHaVpnGatewayRef(s)
		if err != nil {
			c.add(field, s, err.Error(), "pass the gateway's self link (gcloud compute vpn-gateways describe NAME --region R --format='value(selfLink)')")
			continue
		}
		if j, dup := seen[ref.ID()]; dup {
			c.add(field, s, fmt.Sprintf("it repeats gcp.existingGateways[%d]: each tunnel pair needs its own gateway", j), "list distinct gateways")
		}
		seen[ref.ID()] = i
		if g.Region != nil && *g.Region != "" && ref.Region != *g.Region {
			c.add(field, s, fmt.Sprintf("the gateway is in %s, the link's Cloud Router in gcp.region %s: tunnels and router share one region", ref.Region, *g.Region),
				"use a gateway in gcp.region, or change gcp.region")
		}
	}
}
