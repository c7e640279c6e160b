package program

import (
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/component"
	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
)

// HubName is the AzureVpnHub's name when the example's link is moved onto a hub.
const HubName = "hub"

// RunOnHub is the example program with its link moved onto an AzureVpnHub of hubSlots slots, the
// migration README describes: the hub takes over the link's gateway and public IPs (adoptGatewayFrom,
// the same gateway name and settings) and the link takes slot 0, whose /30s are the link's block 0.
// The end-to-end tests preview and apply it to a deployed stack (SIMULATED clouds).
func RunOnHub(hubSlots int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := build(ctx, hubSlots)
		return err
	}
}

// moveOntoHub registers the hub and points the link's arguments at slot 0 of it: the arguments that
// shaped the link's own gateway move to the hub.
func moveOntoHub(ctx *pulumi.Context, env *envconfig.Environment, args *component.HaVpnLinkArgs, rg *resources.ResourceGroup, gatewaySubnet *network.Subnet, slots int) error {
	gatewayName := env.AzureGatewayName
	if gatewayName == "" {
		gatewayName = LinkName + "-vgw"
	}
	// The hub stack's arguments, taking over the link's gateway (its Azure name) with the given slots.
	hubArgs := hubArgs(env, rg.Name, gatewaySubnet.ID().ToStringOutput())
	hubArgs.GatewayName, hubArgs.LinkSlots, hubArgs.AdoptGatewayFrom = gatewayName, slots, LinkName
	hub, err := component.NewAzureVpnHub(ctx, HubName, hubArgs)
	if err != nil {
		return err
	}
	az := &args.Azure
	az.GatewaySubnetId, az.Sku, az.Generation, az.Zones, az.GatewayName = nil, "", "", nil, ""
	az.Hub, az.HubSlot = hub.Ref(), new(int)
	ctx.Export("hub", hub.Hub)
	return nil
}
