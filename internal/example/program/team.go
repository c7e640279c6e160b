package program

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/component"
	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
)

// AddressPrefixesOutput is the hub stack's output a spoke's link takes as azure.addressPrefixes: the
// hub's VNet ranges (the Google firewall admits them; the link checks the spoke's subnets against them).
const AddressPrefixesOutput = "addressPrefixes"

// HubOutput is the hub stack's output a spoke's link takes as azure.hub (the AzureVpnHub's `hub`).
const HubOutput = "hub"

// buildHub is role hub: the Azure network and one AzureVpnHub with the stack's slots and spoke registry;
// it exports the hub's outputs, which the spokes read through a StackReference.
func buildHub(ctx *pulumi.Context, env *envconfig.Environment) (*component.AzureVpnHub, error) {
	// Checked before the Azure network is registered, so a bad hub creates nothing at all.
	if err := component.ValidateAzureVpnHub(HubName, hubArgs(env, later(), later())); err != nil {
		return nil, err
	}
	rg, gatewaySubnet, err := azureNetwork(ctx, env)
	if err != nil {
		return nil, err
	}
	hub, err := component.NewAzureVpnHub(ctx, HubName, hubArgs(env, rg.Name, gatewaySubnet.ID().ToStringOutput()))
	if err != nil {
		return nil, err
	}
	ctx.Export(HubOutput, hub.Hub)
	ctx.Export(AddressPrefixesOutput, pulumi.ToStringArray([]string{env.VnetCidr}))
	ctx.Export("gatewayId", hub.GatewayId)
	ctx.Export("gatewayName", hub.GatewayName)
	ctx.Export("publicIps", hub.PublicIps)
	ctx.Export("asn", hub.Asn)
	ctx.Export("sku", hub.Sku)
	ctx.Export("slotTopology", hub.SlotTopology)
	ctx.Export("slots", hub.Slots)
	ctx.Export("capacity", hub.Capacity)
	return hub, nil
}

// hubArgs passes the hub stack's values to the AzureVpnHub as they are: the component validates them.
func hubArgs(env *envconfig.Environment, resourceGroupName, gatewaySubnetId pulumi.StringInput) *component.AzureVpnHubArgs {
	var spokes []component.HubSpokeArgs
	for _, s := range env.Spokes {
		spokes = append(spokes, component.HubSpokeArgs{Name: s.Name, Slot: s.Slot, Asn: s.Asn})
	}
	return &component.AzureVpnHubArgs{
		ResourceGroupName: resourceGroupName,
		Location:          pulumi.String(env.AzureLocation),
		GatewaySubnetId:   gatewaySubnetId,
		Asn:               &env.AzureAsn,
		Sku:               env.AzureSku,
		Generation:        env.AzureGeneration,
		Zones:             env.AzureZones,
		GatewayName:       env.AzureGatewayName,
		LinkSlots:         env.LinkSlots,
		SlotTopology:      env.Topology,
		Spokes:            spokes,
	}
}

// buildSpoke is role spoke: the team's Google VPC and one link on the hub read through a StackReference,
// named after the spoke, on the slot the hub's registry gives it.
func buildSpoke(ctx *pulumi.Context, env *envconfig.Environment) (*component.HaVpnLink, error) {
	hub, prefixes, err := readHub(ctx, env.HubStack)
	if err != nil {
		return nil, err
	}
	name := SpokeName(ctx, env)
	// Checked before the VPC is registered (a spoke the hub does not register yet creates nothing).
	if err := component.ValidateHaVpnLink(name, spokeArgs(env, later(), name, hub, pulumi.ToStringArray(prefixes))); err != nil {
		return nil, err
	}
	vpc, err := googleNetwork(ctx, env, "")
	if err != nil {
		return nil, err
	}
	link, err := component.NewHaVpnLink(ctx, name, spokeArgs(env, vpc.SelfLink, name, hub, pulumi.ToStringArray(prefixes)))
	if err != nil {
		return nil, err
	}
	export(ctx, link, vpc)
	return link, nil
}

// SpokeName is a spoke stack's name in its hub's registry, which is also its link's name: spokeName, or
// the stack's name.
func SpokeName(ctx *pulumi.Context, env *envconfig.Environment) string {
	if env.SpokeName != "" {
		return env.SpokeName
	}
	return ctx.Stack()
}

// readHub reads the hub stack's `hub` and `addressPrefixes` outputs as values: the link's plan needs
// the slot's /30s before anything is registered, and a deployed hub's outputs are known.
func readHub(ctx *pulumi.Context, hubStack string) (*component.AzureVpnHubRefArgs, []string, error) {
	ref, err := pulumi.NewStackReference(ctx, "hub", &pulumi.StackReferenceArgs{Name: pulumi.String(hubStack)})
	if err != nil {
		return nil, nil, err
	}
	value := func(name string) (any, error) {
		d, err := ref.GetOutputDetails(name)
		if err != nil {
			return nil, fmt.Errorf("%s:hubStack = %q: reading its %s output: %w", envconfig.Namespace, hubStack, name, err)
		}
		if d.Value == nil {
			return nil, fmt.Errorf("%s:hubStack = %q: that stack has no %s output, so it is not a deployed hub stack. Fix: pulumi up the hub stack (havpn:role hub) first, or point %s:hubStack at it",
				envconfig.Namespace, hubStack, name, envconfig.Namespace)
		}
		return d.Value, nil
	}
	hubValue, err := value(HubOutput)
	if err != nil {
		return nil, nil, err
	}
	hub, err := component.HubRefFromValue(hubValue)
	if err != nil {
		return nil, nil, err
	}
	raw, err := value(AddressPrefixesOutput)
	if err != nil {
		return nil, nil, err
	}
	list, _ := raw.([]any)
	prefixes := make([]string, 0, len(list))
	for _, p := range list {
		s, ok := p.(string)
		if !ok {
			return nil, nil, fmt.Errorf("%s:hubStack = %q: its %s output is not a list of CIDRs: %v", envconfig.Namespace, hubStack, AddressPrefixesOutput, raw)
		}
		prefixes = append(prefixes, s)
	}
	return hub, prefixes, nil
}

// spokeArgs are a spoke's link arguments: the Google side like a link's, the Azure side the hub's (its
// gateway, resource group and location come with the hub object; its /30s are the registered slot's).
func spokeArgs(env *envconfig.Environment, network pulumi.StringInput, name string, hub *component.AzureVpnHubRefArgs, prefixes pulumi.StringArrayInput) *component.HaVpnLinkArgs {
	args := googleSideArgs(env, network)
	args.Azure = component.AzureArgs{
		Hub:               hub,
		HubSpoke:          name,
		AddressPrefixes:   prefixes,
		DpdTimeoutSeconds: &env.DpdTimeoutSeconds,
	}
	return args
}

// RunHubWithSpokes is the hub stack's program (its configuration is a hub's) with the links of the given
// spokes in the same program, each with a VPC of its own and the hub passed as hub.Ref(): one `up`
// brings them all up, and the spokes' connections wait only for the hub's gateway, as a single link's
// wait for its own. A spoke's hubStack is not read. `havpn bench` measures it (hub8).
func RunHubWithSpokes(spokes []*envconfig.Environment) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		res, err := build(ctx, 0)
		if err != nil {
			return err
		}
		if res.Hub == nil {
			return fmt.Errorf("RunHubWithSpokes runs a hub stack (havpn:role hub), not a %s stack", res.Env.Role)
		}
		for _, env := range spokes {
			if env.SpokeName == "" {
				return fmt.Errorf("RunHubWithSpokes: every spoke needs its spokeName")
			}
			vpc, err := googleNetwork(ctx, env, env.SpokeName+"-")
			if err != nil {
				return err
			}
			prefixes := pulumi.ToStringArray([]string{res.Env.VnetCidr})
			if _, err := component.NewHaVpnLink(ctx, env.SpokeName, spokeArgs(env, vpc.SelfLink, env.SpokeName, res.Hub.Ref(), prefixes)); err != nil {
				return err
			}
		}
		return nil
	}
}
