package component

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/hubplan"
)

// HubToken is the AzureVpnHub component's Pulumi type token.
const HubToken = "havpn:index:AzureVpnHub"

// AzureVpnHub is one active-active, BGP-enabled Azure VPN gateway shared by many HaVpnLinks (spokes):
// its instances carry the APIPA addresses of every link slot from the start, so adding a spoke later
// creates only the spoke's LNGs and connections and never updates the gateway.
type AzureVpnHub struct {
	pulumi.ResourceState

	// Hub is everything a link on the hub needs (its azure.hub argument), as one object a spoke stack
	// reads through a StackReference and passes on unchanged.
	Hub pulumi.MapOutput `pulumi:"hub"`
	// GatewayId is the ARM ID of the gateway.
	GatewayId pulumi.StringOutput `pulumi:"gatewayId"`
	// GatewayName is the gateway's Azure name.
	GatewayName pulumi.StringOutput `pulumi:"gatewayName"`
	// PublicIps are the public addresses of the gateway's two instances.
	PublicIps pulumi.StringArrayOutput `pulumi:"publicIps"`
	// Asn is the gateway's BGP ASN.
	Asn pulumi.IntOutput `pulumi:"asn"`
	// Sku is the gateway's SKU.
	Sku pulumi.StringOutput `pulumi:"sku"`
	// SlotTopology is the topology of the links the slots hold.
	SlotTopology pulumi.StringOutput `pulumi:"slotTopology"`
	// Slots lists each slot: index, its /30s, both sides' BGP addresses, Azure instances, registered spoke.
	Slots pulumi.MapArrayOutput `pulumi:"slots"`
	// Capacity is what the gateway holds and what is left: tunnels, APIPA addresses, slots.
	Capacity pulumi.MapOutput `pulumi:"capacity"`

	// Plan is the hub's computed plan, for tools in this module.
	Plan *hubplan.Plan

	ref *AzureVpnHubRefArgs
}

// NewAzureVpnHub validates args, computes the hub's plan and registers its two public IPs and its gateway.
// Invalid arguments fail with every problem at once, before any resource is registered.
func NewAzureVpnHub(ctx *pulumi.Context, name string, args *AzureVpnHubArgs, opts ...pulumi.ResourceOption) (*AzureVpnHub, error) {
	if args == nil {
		args = &AzureVpnHubArgs{}
	}
	plan, err := hubplan.Build(args.spec(name))
	if err != nil {
		return nil, err
	}
	hub := &AzureVpnHub{Plan: plan}
	if err := ctx.RegisterComponentResource(HubToken, name, hub, opts...); err != nil {
		return nil, err
	}
	for _, w := range plan.Warnings {
		if err := ctx.Log.Warn("havpn: "+w, &pulumi.LogArgs{Resource: hub}); err != nil {
			return nil, err
		}
	}
	at := gatewayPlace{resourceGroupName: args.ResourceGroupName, location: args.Location, gatewaySubnetId: args.GatewaySubnetId}
	pips, err := renderPublicIps(ctx, plan.Gateway, at, hub)
	if err != nil {
		return nil, err
	}
	ipConfigIds := ipConfigurationIds(plan.Gateway, at)
	gw, err := renderGateway(ctx, plan.Gateway, at, pips, ipConfigIds, pulumi.Parent(hub))
	if err != nil {
		return nil, err
	}
	ids := pulumi.StringArray{}
	for _, id := range ipConfigIds {
		ids = append(ids, id)
	}
	hub.ref = &AzureVpnHubRefArgs{
		Name:               name,
		GatewayId:          gw.ID().ToStringOutput(),
		GatewayName:        plan.Gateway.Name,
		ResourceGroupName:  args.ResourceGroupName,
		Location:           args.Location,
		PublicIps:          publicIpAddresses(pips),
		IpConfigurationIds: ids.ToStringArrayOutput(),
		Asn:                int(plan.Gateway.Asn),
		Sku:                plan.Gateway.Sku,
		SlotTopology:       string(plan.SlotTopology),
		LinkSlots:          len(plan.Slots),
		Slots:              slotArgs(plan),
		Spokes:             args.Spokes,
	}
	hub.setOutputs()
	return hub, ctx.RegisterResourceOutputs(hub, hub.outputMap())
}

// Ref is the hub's `hub` output as a link in the same program takes it (azure.hub): the plan-shaping
// parts plain, the gateway's ID and public IPs as Outputs, so the link's connections wait for the
// gateway and its Google side only for the public IPs.
func (h *AzureVpnHub) Ref() *AzureVpnHubRefArgs { return h.ref }

// slotArgs lists the plan's slots as the `hub` and `slots` outputs show them.
func slotArgs(plan *hubplan.Plan) []HubSlotArgs {
	var out []HubSlotArgs
	for _, s := range plan.Slots {
		a := HubSlotArgs{Index: s.Index, BgpSessionRanges: s.Ranges(), Spoke: s.Spoke}
		for _, t := range s.Tunnels {
			a.AzureBgpIps = append(a.AzureBgpIps, t.AzureIp.String())
			a.GcpBgpIps = append(a.GcpBgpIps, t.GcpIp.String())
			a.AzureInstances = append(a.AzureInstances, t.AzureInstance)
		}
		out = append(out, a)
	}
	return out
}

func (h *AzureVpnHub) setOutputs() {
	r, c := h.ref, h.Plan.Capacity
	slots := pulumi.MapArray{}
	for _, s := range r.Slots {
		slots = append(slots, slotMap(s))
	}
	spokes := pulumi.MapArray{}
	for _, s := range r.Spokes {
		spokes = append(spokes, pulumi.Map{"name": pulumi.String(s.Name), "slot": pulumi.Int(s.Slot), "asn": pulumi.Int(s.Asn)})
	}
	h.Hub = pulumi.Map{
		"name":               pulumi.String(r.Name),
		"gatewayId":          r.GatewayId,
		"gatewayName":        pulumi.String(r.GatewayName),
		"resourceGroupName":  r.ResourceGroupName,
		"location":           r.Location,
		"publicIps":          r.PublicIps,
		"ipConfigurationIds": r.IpConfigurationIds,
		"asn":                pulumi.Int(r.Asn),
		"sku":                pulumi.String(r.Sku),
		"slotTopology":       pulumi.String(r.SlotTopology),
		"linkSlots":          pulumi.Int(r.LinkSlots),
		"slots":              slots,
		"spokes":             spokes,
	}.ToMapOutput()
	h.GatewayId = r.GatewayId.ToStringOutput()
	h.GatewayName = pulumi.String(r.GatewayName).ToStringOutput()
	h.PublicIps = r.PublicIps.ToStringArrayOutput()
	h.Asn = pulumi.Int(r.Asn).ToIntOutput()
	h.Sku = pulumi.String(r.Sku).ToStringOutput()
	h.SlotTopology = pulumi.String(r.SlotTopology).ToStringOutput()
	h.Slots = slots.ToMapArrayOutput()
	h.Capacity = pulumi.Map{
		"tunnelLimit":     pulumi.Int(c.TunnelLimit),
		"tunnelsPerSlot":  pulumi.Int(c.TunnelsPerSlot),
		"tunnelsReserved": pulumi.Int(c.TunnelsReserved),
		"tunnelsLeft":     pulumi.Int(c.TunnelsLeft),
		"apipaLimit":      pulumi.Int(c.ApipaLimit),
		"apipaPerSlot":    pulumi.Int(c.ApipaPerSlot),
		"apipaUsed":       pulumi.Int(c.ApipaUsed),
		"apipaLeft":       pulumi.Int(c.ApipaLeft),
		"slots":           pulumi.Int(c.Slots),
		"slotsRegistered": pulumi.Int(c.SlotsRegistered),
		"slotsFree":       pulumi.Int(c.SlotsFree),
		"maxSlots":        pulumi.Int(c.MaxSlots),
		"bgpRouteLimit":   pulumi.Int(c.BgpRouteLimit),
	}.ToMapOutput()
}

func slotMap(s HubSlotArgs) pulumi.Map {
	m := pulumi.Map{
		"index":            pulumi.Int(s.Index),
		"bgpSessionRanges": pulumi.ToStringArray(s.BgpSessionRanges),
		"azureBgpIps":      pulumi.ToStringArray(s.AzureBgpIps),
		"gcpBgpIps":        pulumi.ToStringArray(s.GcpBgpIps),
		"azureInstances":   pulumi.ToIntArray(s.AzureInstances),
	}
	if s.Spoke != "" {
		m["spoke"] = pulumi.String(s.Spoke)
	}
	return m
}

func (h *AzureVpnHub) outputMap() pulumi.Map {
	return pulumi.Map{
		"hub":          h.Hub,
		"gatewayId":    h.GatewayId,
		"gatewayName":  h.GatewayName,
		"publicIps":    h.PublicIps,
		"asn":          h.Asn,
		"sku":          h.Sku,
		"slotTopology": h.SlotTopology,
		"slots":        h.Slots,
		"capacity":     h.Capacity,
	}
}
