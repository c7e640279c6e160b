// Package hubplan validates the arguments of an AzureVpnHub and computes its plan: one active-active
// BGP gateway whose instances carry the APIPA addresses of every link slot from the start (so a spoke
// added later never updates the gateway), the slots with their /30s, the spoke registry and the
// capacity used and left. It imports no Pulumi or cloud SDK.
package hubplan

import (
	"net/netip"
	"slices"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// Spec is the hub's arguments with every value known at construction resolved. A nil pointer on a
// string field means an Output not known yet; a pointer to "" means missing.
type Spec struct {
	Name              string
	ResourceGroupName *string
	Location          *string
	GatewaySubnetId   *string
	Asn               *int64
	Sku               string
	Generation        string
	Zones             []string
	GatewayName       string
	// LinkSlots is how many links the gateway is prepared for; nil when not given.
	LinkSlots *int
	// SlotTopology is the topology of the links the slots hold: "paired" (default) or "dualGateway".
	SlotTopology string
	// Spokes is the registry of which spoke takes which slot, with its Cloud Router ASN.
	Spokes []linkplan.SpokeSpec
	// AdoptGatewayFrom names a top-level HaVpnLink whose gateway and public IPs the hub takes over.
	AdoptGatewayFrom string
}

// Plan is everything havpn decides about a hub before any resource exists.
type Plan struct {
	Name         string
	SlotTopology linkplan.Topology
	Gateway      linkplan.GatewayPlan
	Slots        []Slot
	Spokes       []linkplan.SpokeSpec
	Capacity     Capacity
	// Warnings are accepted but risky choices, each with its consequence (spokes sharing an ASN).
	Warnings []string
}

// Slot is one link's share of the gateway: the /30s of its tunnels, allocated up front.
type Slot struct {
	Index   int
	Tunnels []SlotTunnel
	Spoke   string // the spoke the registry records on it, or ""
}

// SlotTunnel is one tunnel of a slot: its /30, the Azure instance holding the first host, and both BGP addresses.
type SlotTunnel struct {
	Range         netip.Prefix
	AzureInstance int
	AzureIp       netip.Addr
	GcpIp         netip.Addr
}

// Ranges lists the slot's /30s in tunnel order.
func (s Slot) Ranges() []string {
	out := make([]string, len(s.Tunnels))
	for k, t := range s.Tunnels {
		out[k] = t.Range.String()
	}
	return out
}

// Capacity is what the hub's gateway holds and what is left. The tunnel and APIPA budgets count every
// slot as in use: the addresses are on the gateway from the start, and a slot's link may come any time.
type Capacity struct {
	TunnelLimit     int // S2S tunnels the SKU carries
	TunnelsPerSlot  int // connections per slot x 2 (active-active)
	TunnelsReserved int // linkSlots x TunnelsPerSlot
	TunnelsLeft     int
	ApipaLimit      int
	ApipaPerSlot    int
	ApipaUsed       int
	ApipaLeft       int
	Slots           int
	SlotsRegistered int
	SlotsFree       int
	// MaxSlots is the most slots of this topology the SKU's tunnel budget and the APIPA budget allow.
	MaxSlots      int
	BgpRouteLimit int
}

// Build validates the spec and computes the plan; on invalid input it returns every problem as linkplan.Problems.
func Build(spec Spec) (*Plan, error) {
	if problems := Validate(spec); len(problems) > 0 {
		return nil, problems
	}
	return assemble(spec), nil
}

func assemble(spec Spec) *Plan {
	topo := topologyOf(spec.SlotTopology)
	n := *spec.LinkSlots
	p := &Plan{
		Name:         spec.Name,
		SlotTopology: topo,
		Spokes:       slices.Clone(spec.Spokes),
		Gateway: linkplan.GatewayPlan{
			ResourceName: linkplan.GatewayResourceName(spec.Name),
			Name:         gatewayNameOf(spec),
			Asn:          asnOf(spec),
			Sku:          skuOf(spec.Sku),
			Generation:   spec.Generation,
			Zones:        zonesOf(spec),
		},
		Warnings: sharedAsnWarnings(spec),
	}
	for i := 0; i < linkplan.AzureInstanceCount; i++ {
		p.Gateway.Instances = append(p.Gateway.Instances, linkplan.AzureInstance{
			Index: i, IpConfigName: linkplan.IpConfigName(i), PublicIpName: linkplan.PublicIpName(spec.Name, i),
		})
	}
	if spec.AdoptGatewayFrom != "" {
		p.Gateway.Adopted = linkplan.AdoptionOf(spec.AdoptGatewayFrom)
	}
	instances := linkplan.TunnelInstances(topo)
	for s := 0; s < n; s++ {
		slot := Slot{Index: s, Spoke: spokeOn(spec.Spokes, s)}
		for k, r := range linkplan.BlockRanges(topo, s) {
			t := SlotTunnel{Range: r, AzureInstance: instances[k], AzureIp: r.Addr().Next(), GcpIp: r.Addr().Next().Next()}
			slot.Tunnels = append(slot.Tunnels, t)
			inst := &p.Gateway.Instances[t.AzureInstance]
			inst.CustomBgpIps = append(inst.CustomBgpIps, t.AzureIp)
		}
		p.Slots = append(p.Slots, slot)
	}
	p.Capacity = capacityOf(topo, p.Gateway.Sku, n, len(spec.Spokes))
	return p
}

// capacityOf computes the budgets of n slots of a topology on a gateway of this SKU.
func capacityOf(topo linkplan.Topology, sku string, n, registered int) Capacity {
	perSlot := TunnelsPerSlot(topo)
	c := Capacity{
		TunnelLimit:     cloudrules.S2STunnels(sku),
		TunnelsPerSlot:  perSlot,
		TunnelsReserved: n * perSlot,
		ApipaLimit:      cloudrules.MaxCustomApipaAddresses,
		ApipaPerSlot:    topo.TunnelCount(),
		ApipaUsed:       n * topo.TunnelCount(),
		Slots:           n,
		SlotsRegistered: registered,
		SlotsFree:       n - registered,
		MaxSlots:        MaxSlots(topo, sku),
		BgpRouteLimit:   cloudrules.MaxGatewayBgpRoutes,
	}
	c.TunnelsLeft = c.TunnelLimit - c.TunnelsReserved
	c.ApipaLeft = c.ApipaLimit - c.ApipaUsed
	return c
}

// TunnelsPerSlot is what one link of a topology counts against the SKU's S2S tunnel budget: one
// connection per tunnel, two tunnels per active-active connection.
func TunnelsPerSlot(topo linkplan.Topology) int {
	return topo.TunnelCount() * cloudrules.TunnelsPerConnection
}

// MaxSlots is the most slots of a topology a gateway of this SKU holds: the tighter of the S2S tunnel
// budget and the APIPA budget (and of the /30 blocks havpn allocates).
func MaxSlots(topo linkplan.Topology, sku string) int {
	byTunnels := cloudrules.S2STunnels(sku) / TunnelsPerSlot(topo)
	byApipa := cloudrules.MaxCustomApipaAddresses / topo.TunnelCount()
	return min(byTunnels, byApipa, cloudrules.MaxBgpSessionBlock+1)
}

// Ref is the plan-shaping part of the hub's `hub` output, as a link on it receives it.
func (p *Plan) Ref(publicIps []string) *linkplan.HubRefSpec {
	r := &linkplan.HubRefSpec{
		Name: p.Name, GatewayName: p.Gateway.Name, Asn: p.Gateway.Asn, Sku: p.Gateway.Sku,
		SlotTopology: string(p.SlotTopology), LinkSlots: len(p.Slots), Spokes: slices.Clone(p.Spokes), PublicIps: publicIps,
	}
	for _, s := range p.Slots {
		r.Slots = append(r.Slots, linkplan.HubSlotSpec{Index: s.Index, BgpSessionRanges: s.Ranges()})
	}
	return r
}

func spokeOn(spokes []linkplan.SpokeSpec, slot int) string {
	for _, s := range spokes {
		if s.Slot == slot {
			return s.Name
		}
	}
	return ""
}

func topologyOf(s string) linkplan.Topology {
	if s == "" {
		return linkplan.Paired
	}
	return linkplan.Topology(s)
}

func asnOf(spec Spec) int64 {
	if spec.Asn == nil {
		return cloudrules.DefaultAzureAsn
	}
	return *spec.Asn
}

func skuOf(s string) string {
	if s == "" {
		return cloudrules.DefaultSku
	}
	return s
}

func zonesOf(spec Spec) []string {
	if spec.Zones != nil {
		return slices.Clone(spec.Zones)
	}
	if cloudrules.AzureSkus[skuOf(spec.Sku)].Zonal {
		return slices.Clone(cloudrules.AzureZones)
	}
	return nil
}

// gatewayNameOf is fixed: the ipConfiguration IDs embed it.
func gatewayNameOf(spec Spec) string {
	if spec.GatewayName != "" {
		return spec.GatewayName
	}
	return linkplan.GatewayResourceName(spec.Name)
}

// sharedAsnWarnings names the spokes that share an ASN and what that does to transit through the hub.
func sharedAsnWarnings(spec Spec) []string {
	byAsn := map[int64][]string{}
	var order []int64
	for _, s := range spec.Spokes {
		if len(byAsn[s.Asn]) == 0 {
			order = append(order, s.Asn)
		}
		byAsn[s.Asn] = append(byAsn[s.Asn], s.Name)
	}
	var out []string
	for _, asn := range order {
		if names := byAsn[asn]; len(names) > 1 {
			out = append(out, linkplan.SharedSpokeAsnWarning(spec.Name, names, asn))
		}
	}
	return out
}
