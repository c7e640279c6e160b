package component

import (
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// gatewayPlace is where a gateway havpn creates goes: resource references of the link or the hub.
type gatewayPlace struct {
	resourceGroupName pulumi.StringInput
	location          pulumi.StringInput
	gatewaySubnetId   pulumi.StringInput
}

// renderPublicIps registers one Standard, Static public IP per Azure instance: active-active needs
// exactly two (Azure about-active-active gateways).
func renderPublicIps(ctx *pulumi.Context, gp linkplan.GatewayPlan, at gatewayPlace, parent pulumi.Resource) ([]*network.PublicIPAddress, error) {
	var pips []*network.PublicIPAddress
	for _, inst := range gp.Instances {
		opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
		if gp.Adopted != nil {
			opts = append(opts, adoptedFrom(ctx, gp.Adopted, gp.Adopted.PublicIpNames[inst.Index]))
		}
		pip, err := network.NewPublicIPAddress(ctx, inst.PublicIpName, &network.PublicIPAddressArgs{
			ResourceGroupName:        at.resourceGroupName,
			Location:                 at.location,
			Sku:                      &network.PublicIPAddressSkuArgs{Name: pulumi.String("Standard"), Tier: pulumi.String("Regional")},
			PublicIPAllocationMethod: pulumi.String("Static"),
			PublicIPAddressVersion:   pulumi.String("IPv4"),
			Zones:                    pulumi.ToStringArray(gp.Zones),
		}, opts...)
		if err != nil {
			return nil, err
		}
		pips = append(pips, pip)
	}
	return pips, nil
}

// ipConfigurationIds builds the gateway's own ipConfiguration IDs from the GatewaySubnet's subscription
// and resource group and the fixed gateway name: bgpSettings and connections need them before the gateway exists.
func ipConfigurationIds(gp linkplan.GatewayPlan, at gatewayPlace) []pulumi.StringOutput {
	subnet := at.gatewaySubnetId.ToStringOutput()
	rg := at.resourceGroupName.ToStringOutput()
	all := pulumi.All(subnet, rg).ApplyT(func(vs []any) ([]string, error) {
		id, group := vs[0].(string), vs[1].(string)
		if problems := linkplan.ValidateGatewaySubnetID(id, &group); len(problems) > 0 {
			return nil, problems
		}
		s, _ := linkplan.ParseGatewaySubnetID(id)
		var ids []string
		for _, inst := range gp.Instances {
			ids = append(ids, linkplan.IpConfigurationID(s, gp.Name, inst.IpConfigName))
		}
		return ids, nil
	}).(pulumi.StringArrayOutput)
	ids := make([]pulumi.StringOutput, len(gp.Instances))
	for i := range ids {
		ids[i] = all.Index(pulumi.Int(i))
	}
	return ids
}

// renderGateway registers the active-active, BGP-enabled, route-based gateway; each instance carries
// the custom APIPA addresses of the plan (Cloud Router peers only over link-local addresses). The name
// is fixed (ipConfiguration IDs embed it), so a replacement must delete first: the old gateway frees
// the public IPs, which Azure allocates to one gateway at a time.
func renderGateway(ctx *pulumi.Context, gp linkplan.GatewayPlan, at gatewayPlace, pips []*network.PublicIPAddress, ipConfigIds []pulumi.StringOutput, opts ...pulumi.ResourceOption) (*network.VirtualNetworkGateway, error) {
	configs := network.VirtualNetworkGatewayIPConfigurationArray{}
	peering := network.IPConfigurationBgpPeeringAddressArray{}
	for _, inst := range gp.Instances {
		configs = append(configs, network.VirtualNetworkGatewayIPConfigurationArgs{
			Name:                      pulumi.String(inst.IpConfigName),
			PrivateIPAllocationMethod: pulumi.String("Dynamic"),
			PublicIPAddress:           &network.SubResourceArgs{Id: pips[inst.Index].ID()},
			Subnet:                    &network.SubResourceArgs{Id: at.gatewaySubnetId},
		})
		peering = append(peering, network.IPConfigurationBgpPeeringAddressArgs{
			IpconfigurationId:    ipConfigIds[inst.Index],
			CustomBgpIpAddresses: pulumi.ToStringArray(addrStrings(inst)),
		})
	}
	args := &network.VirtualNetworkGatewayArgs{
		VirtualNetworkGatewayName: pulumi.String(gp.Name),
		ResourceGroupName:         at.resourceGroupName,
		Location:                  at.location,
		GatewayType:               pulumi.String("Vpn"),
		VpnType:                   pulumi.String("RouteBased"),
		Sku:                       &network.VirtualNetworkGatewaySkuArgs{Name: pulumi.String(gp.Sku), Tier: pulumi.String(gp.Sku)},
		ActiveActive:              pulumi.Bool(true),
		EnableBgp:                 pulumi.Bool(true),
		IpConfigurations:          configs,
		BgpSettings: &network.BgpSettingsArgs{
			Asn:                 pulumi.Float64(float64(gp.Asn)),
			BgpPeeringAddresses: peering,
		},
	}
	if gp.Generation != "" {
		args.VpnGatewayGeneration = pulumi.String(gp.Generation)
	}
	opts = append(opts, pulumi.DeleteBeforeReplace(true))
	if gp.Adopted != nil {
		opts = append(opts, adoptedFrom(ctx, gp.Adopted, gp.Adopted.GatewayResourceName))
	}
	return network.NewVirtualNetworkGateway(ctx, gp.ResourceName, args, opts...)
}

// adoptedFrom aliases a hub's gateway or public IP to the name it had as a child of a top-level
// HaVpnLink, so the engine moves it instead of replacing it.
func adoptedFrom(ctx *pulumi.Context, a *linkplan.Adoption, name string) pulumi.ResourceOption {
	link := pulumi.URN(fmt.Sprintf("urn:pulumi:%s::%s::%s::%s", ctx.Stack(), ctx.Project(), Token, a.Link))
	return pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String(name), ParentURN: link}})
}

func addrStrings(inst linkplan.AzureInstance) []string {
	out := make([]string, len(inst.CustomBgpIps))
	for i, ip := range inst.CustomBgpIps {
		out[i] = ip.String()
	}
	return out
}

// publicIpAddresses lists the Azure instances' public addresses.
func publicIpAddresses(pips []*network.PublicIPAddress) pulumi.StringArrayOutput {
	ips := pulumi.StringArray{}
	for _, p := range pips {
		ips = append(ips, p.IpAddress.Elem())
	}
	return ips.ToStringArrayOutput()
}
