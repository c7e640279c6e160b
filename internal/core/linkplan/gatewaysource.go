package linkplan

import (
	"fmt"
	"regexp"
	"slices"
)

// gatewaySourceOf says whose gateway the link uses.
func gatewaySourceOf(a AzureSpec) GatewaySource {
	switch {
	case a.Hub != nil:
		return HubGateway
	case a.ExistingGateway != nil:
		return ExistingGateway
	}
	return OwnGateway
}

// applyGatewaySource fills the plan's Azure side for a gateway the link does not own: the hub's SKU
// and slot, or the existing gateway's ID (its SKU and ipConfigurations are read at deployment).
func applyGatewaySource(p *Plan, spec Spec) {
	a := spec.Azure
	switch p.Azure.Source {
	case HubGateway:
		slot, _ := hubSlotOf(a)
		p.Azure.Sku, p.Azure.Generation, p.Azure.Zones = a.Hub.Sku, "", nil
		p.Azure.Hub = &HubUse{Hub: a.Hub.Name, Slot: slot, Spoke: spokeOnSlot(a.Hub, slot)}
	case ExistingGateway:
		p.Azure.Sku, p.Azure.Generation, p.Azure.Zones = "", "", nil
		p.Azure.ExistingGatewayId = a.ExistingGateway.Id
	}
}

// hubSlotOf is the hub slot the link takes: azure.hubSlot, or the slot the registry gives azure.hubSpoke.
func hubSlotOf(a AzureSpec) (int, bool) {
	if a.Hub == nil {
		return 0, false
	}
	if a.HubSlot != nil {
		return *a.HubSlot, true
	}
	for _, s := range a.Hub.Spokes {
		if a.HubSpoke != "" && s.Name == a.HubSpoke {
			return s.Slot, true
		}
	}
	return 0, false
}

// SlotByIndex is the hub's slot with that index. Slots are found by their index, never by their
// position in Slots: a hub value read from another stack need not list them in order, or all of them.
func (h *HubRefSpec) SlotByIndex(index int) (HubSlotSpec, bool) {
	k := slices.IndexFunc(h.Slots, func(s HubSlotSpec) bool { return s.Index == index })
	if k < 0 {
		return HubSlotSpec{}, false
	}
	return h.Slots[k], true
}

// spokeOnSlot is the spoke the hub's registry records on a slot, or "".
func spokeOnSlot(h *HubRefSpec, slot int) string {
	for _, s := range h.Spokes {
		if s.Slot == slot {
			return s.Name
		}
	}
	return ""
}

// routerNameOf is the Cloud Router's logical name, or the existing router's name.
func routerNameOf(spec Spec) string {
	if spec.Gcp.ExistingRouter != "" {
		return spec.Gcp.ExistingRouter
	}
	return spec.Name + "-router"
}

// GatewayID is the parsed ARM ID of a virtual network gateway.
type GatewayID struct {
	Subscription  string
	ResourceGroup string
	Name          string
}

// gatewayIDPattern is the ARM ID of a virtual network gateway. Source: Azure Resource Manager resource ID format.
var gatewayIDPattern = regexp.MustCompile(`(?i)^/subscriptions/([0-9a-f-]{36})/resourceGroups/([-\w._()]{1,90})/providers/Microsoft\.Network/virtualNetworkGateways/([A-Za-z0-9][A-Za-z0-9_.-]{0,78}[A-Za-z0-9_]|[A-Za-z0-9])$`)

// ParseGatewayID parses the ARM ID of a virtual network gateway.
func ParseGatewayID(id string) (GatewayID, error) {
	m := gatewayIDPattern.FindStringSubmatch(id)
	if m == nil {
		return GatewayID{}, fmt.Errorf("not the ARM ID of a virtual network gateway: want /subscriptions/<subscription GUID>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworkGateways/<name>")
	}
	return GatewayID{Subscription: m[1], ResourceGroup: m[2], Name: m[3]}, nil
}

// HaVpnGatewayRef is the parsed self link (or ID) of a Google HA VPN gateway.
type HaVpnGatewayRef struct {
	Project, Region, Name string
}

// ID is the gateway's resource ID as pulumi-gcp reads it: projects/P/regions/R/vpnGateways/NAME.
func (r HaVpnGatewayRef) ID() string {
	return fmt.Sprintf("projects/%s/regions/%s/vpnGateways/%s", r.Project, r.Region, r.Name)
}

// haVpnGatewayPattern is a self link or ID of an HA VPN gateway.
// Source: Compute Engine REST resource names (projects/{project}/regions/{region}/vpnGateways/{name}).
var haVpnGatewayPattern = regexp.MustCompile(`^(?:https://(?:www|compute)\.googleapis\.com/compute/(?:v1|beta)/)?projects/([a-z0-9.:-]{1,63})/regions/([a-z0-9-]{1,63})/vpnGateways/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)$`)

// ParseHaVpnGatewayRef parses an HA VPN gateway's self link or ID.
func ParseHaVpnGatewayRef(s string) (HaVpnGatewayRef, error) {
	m := haVpnGatewayPattern.FindStringSubmatch(s)
	if m == nil {
		return HaVpnGatewayRef{}, fmt.Errorf("not the self link of an HA VPN gateway: want https://www.googleapis.com/compute/v1/projects/<project>/regions/<region>/vpnGateways/<name>")
	}
	return HaVpnGatewayRef{Project: m[1], Region: m[2], Name: m[3]}, nil
}

// gcpNamePattern is a Compute Engine resource name. Source: Google Compute Engine naming convention (RFC 1035).
var gcpNamePattern = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)

// slotIndexes lists the indexes of a hub's slots, for messages.
func slotIndexes(h *HubRefSpec) []int {
	var out []int
	for _, s := range h.Slots {
		out = append(out, s.Index)
	}
	slices.Sort(out)
	return out
}
