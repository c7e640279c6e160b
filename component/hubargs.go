package component

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/hubplan"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// AzureVpnHubArgs are the arguments of an AzureVpnHub: the gateway's place (resource references, so
// Outputs flow in) and the plan-shaping values (plain: ASN, SKU, slots), validated before anything
// is registered.
type AzureVpnHubArgs struct {
	// ResourceGroupName is the gateway's resource group: the GatewaySubnet's.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// Location is the Azure region, e.g. japaneast.
	Location pulumi.StringInput `pulumi:"location"`
	// GatewaySubnetId is the ARM ID of the subnet named GatewaySubnet.
	GatewaySubnetId pulumi.StringInput `pulumi:"gatewaySubnetId"`
	// Asn is the gateway's ASN (default 65515); every spoke's Cloud Router needs another.
	Asn *int `pulumi:"asn,optional"`
	// Sku is the gateway SKU (default VpnGw1AZ): it sets the tunnel budget (30, or 100 for VpnGw4AZ/5AZ).
	Sku string `pulumi:"sku,optional"`
	// Generation is the gateway generation, Generation1 or Generation2.
	Generation string `pulumi:"generation,optional"`
	// Zones are the public IPs' zones (default 1, 2, 3 for AZ SKUs).
	Zones []string `pulumi:"zones,optional"`
	// GatewayName fixes the gateway's name (default "<hub name>-vgw").
	GatewayName string `pulumi:"gatewayName,optional"`
	// LinkSlots is how many links the gateway is prepared for: every slot's APIPA addresses are on the
	// gateway from the start, so adding a spoke never updates it.
	LinkSlots int `pulumi:"linkSlots"`
	// SlotTopology is the topology of the links on the hub: "paired" (default) or "dualGateway".
	SlotTopology string `pulumi:"slotTopology,optional"`
	// Spokes is the registry of spokes (usually one stack each): name, slot and Cloud Router ASN.
	Spokes []HubSpokeArgs `pulumi:"spokes,optional"`
	// AdoptGatewayFrom names a top-level HaVpnLink of the same stack whose gateway and public IPs the hub
	// takes over (aliases), to move a single link onto a hub without replacing them.
	AdoptGatewayFrom string `pulumi:"adoptGatewayFrom,optional"`
}

// HubSpokeArgs is one entry of a hub's spoke registry.
type HubSpokeArgs struct {
	// Name is what the spoke's link gives as azure.hubSpoke.
	Name string `pulumi:"name"`
	// Slot is the hub slot the spoke takes.
	Slot int `pulumi:"slot"`
	// Asn is the ASN of the spoke's Cloud Router (its link's gcp.asn).
	Asn int `pulumi:"asn"`
}

// AzureVpnHubRefArgs is an AzureVpnHub's `hub` output: everything a link on the hub needs. The
// plan-shaping parts are plain (a deployed hub's outputs are known); the gateway's ID, place and public
// IPs are inputs, so the hub's own program can pass its Outputs (AzureVpnHub.Ref).
type AzureVpnHubRefArgs struct {
	Name               string                  `pulumi:"name"`
	GatewayId          pulumi.StringInput      `pulumi:"gatewayId"`
	GatewayName        string                  `pulumi:"gatewayName"`
	ResourceGroupName  pulumi.StringInput      `pulumi:"resourceGroupName"`
	Location           pulumi.StringInput      `pulumi:"location"`
	PublicIps          pulumi.StringArrayInput `pulumi:"publicIps"`
	IpConfigurationIds pulumi.StringArrayInput `pulumi:"ipConfigurationIds"`
	Asn                int                     `pulumi:"asn"`
	Sku                string                  `pulumi:"sku"`
	SlotTopology       string                  `pulumi:"slotTopology"`
	LinkSlots          int                     `pulumi:"linkSlots"`
	Slots              []HubSlotArgs           `pulumi:"slots"`
	Spokes             []HubSpokeArgs          `pulumi:"spokes,optional"`
}

// HubSlotArgs is one slot of a hub as its `hub` and `slots` outputs list it.
type HubSlotArgs struct {
	Index            int      `pulumi:"index"`
	BgpSessionRanges []string `pulumi:"bgpSessionRanges"`
	AzureBgpIps      []string `pulumi:"azureBgpIps,optional"`
	GcpBgpIps        []string `pulumi:"gcpBgpIps,optional"`
	AzureInstances   []int    `pulumi:"azureInstances,optional"`
	Spoke            string   `pulumi:"spoke,optional"`
}

// spec resolves the hub's arguments into the pure core's Spec.
func (a *AzureVpnHubArgs) spec(name string) hubplan.Spec {
	s := hubplan.Spec{
		Name:              name,
		ResourceGroupName: knownString(a.ResourceGroupName),
		Location:          knownString(a.Location),
		GatewaySubnetId:   knownString(a.GatewaySubnetId),
		Asn:               toInt64(a.Asn),
		Sku:               a.Sku,
		Generation:        a.Generation,
		Zones:             a.Zones,
		GatewayName:       a.GatewayName,
		SlotTopology:      a.SlotTopology,
		AdoptGatewayFrom:  a.AdoptGatewayFrom,
		Spokes:            spokeSpecs(a.Spokes),
	}
	if a.LinkSlots != 0 {
		s.LinkSlots = &a.LinkSlots
	}
	return s
}

func spokeSpecs(in []HubSpokeArgs) []linkplan.SpokeSpec {
	var out []linkplan.SpokeSpec
	for _, s := range in {
		out = append(out, linkplan.SpokeSpec{Name: s.Name, Slot: s.Slot, Asn: int64(s.Asn)})
	}
	return out
}

// spec is the plan-shaping part of the hub object, nil when no hub is given.
func (h *AzureVpnHubRefArgs) spec() *linkplan.HubRefSpec {
	if h == nil {
		return nil
	}
	r := &linkplan.HubRefSpec{
		Name: h.Name, GatewayName: h.GatewayName, Asn: int64(h.Asn), Sku: h.Sku, SlotTopology: h.SlotTopology,
		LinkSlots: h.LinkSlots, Spokes: spokeSpecs(h.Spokes), PublicIps: knownStrings(h.PublicIps),
	}
	for _, s := range h.Slots {
		r.Slots = append(r.Slots, linkplan.HubSlotSpec{Index: s.Index, BgpSessionRanges: s.BgpSessionRanges})
	}
	return r
}

// HubRefFromValue turns the value of a hub's `hub` output read from another stack (a StackReference's
// GetOutputDetails value, or any JSON-shaped map) into the argument a link takes as azure.hub.
func HubRefFromValue(v any) (*AzureVpnHubRefArgs, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var plain struct {
		Name               string         `json:"name"`
		GatewayId          string         `json:"gatewayId"`
		GatewayName        string         `json:"gatewayName"`
		ResourceGroupName  string         `json:"resourceGroupName"`
		Location           string         `json:"location"`
		PublicIps          []string       `json:"publicIps"`
		IpConfigurationIds []string       `json:"ipConfigurationIds"`
		Asn                int            `json:"asn"`
		Sku                string         `json:"sku"`
		SlotTopology       string         `json:"slotTopology"`
		LinkSlots          int            `json:"linkSlots"`
		Slots              []hubSlotJSON  `json:"slots"`
		Spokes             []hubSpokeJSON `json:"spokes"`
	}
	if err := json.Unmarshal(raw, &plain); err != nil {
		return nil, fmt.Errorf("havpn: not an AzureVpnHub `hub` output: %w", err)
	}
	if plain.Name == "" || plain.GatewayId == "" {
		return nil, fmt.Errorf("havpn: not an AzureVpnHub `hub` output (no name or gatewayId): %s", raw)
	}
	h := &AzureVpnHubRefArgs{
		Name: plain.Name, GatewayId: pulumi.String(plain.GatewayId), GatewayName: plain.GatewayName,
		ResourceGroupName: pulumi.String(plain.ResourceGroupName), Location: pulumi.String(plain.Location),
		PublicIps: pulumi.ToStringArray(plain.PublicIps), IpConfigurationIds: pulumi.ToStringArray(plain.IpConfigurationIds),
		Asn: plain.Asn, Sku: plain.Sku, SlotTopology: plain.SlotTopology, LinkSlots: plain.LinkSlots,
	}
	for _, s := range plain.Slots {
		h.Slots = append(h.Slots, HubSlotArgs(s))
	}
	for _, s := range plain.Spokes {
		h.Spokes = append(h.Spokes, HubSpokeArgs(s))
	}
	return h, nil
}

type hubSlotJSON struct {
	Index            int      `json:"index"`
	BgpSessionRanges []string `json:"bgpSessionRanges"`
	AzureBgpIps      []string `json:"azureBgpIps"`
	GcpBgpIps        []string `json:"gcpBgpIps"`
	AzureInstances   []int    `json:"azureInstances"`
	Spoke            string   `json:"spoke"`
}

type hubSpokeJSON struct {
	Name string `json:"name"`
	Slot int    `json:"slot"`
	Asn  int    `json:"asn"`
}
