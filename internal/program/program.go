// Package program is the example environment main.go deploys, and `havpn plan` runs under mocks: a
// Google VPC with per-region subnets, an Azure resource group, VNet, GatewaySubnet and workload subnet,
// and one HaVpnLink between them.
package program

import (
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/component"
	"github.com/havpn/pulumi-havpn/internal/envconfig"
)

// LinkName is the HaVpnLink's name in the example environment.
const LinkName = "gcp-azure"

// Result is what one run of the program built.
type Result struct {
	Env      *envconfig.Environment
	Link     *component.HaVpnLink
	Warnings []string
}

// Run is the Pulumi program of main.go.
func Run(ctx *pulumi.Context) error {
	_, err := Build(ctx)
	return err
}

// Build reads the stack configuration, registers the environment and the link, and exports the outputs.
func Build(ctx *pulumi.Context) (*Result, error) {
	env, err := envconfig.Load(lookup(ctx))
	if err != nil {
		return nil, err
	}
	res := &Result{Env: env, Warnings: env.Warnings()}
	for _, w := range res.Warnings {
		if err := ctx.Log.Warn(w, nil); err != nil {
			return nil, err
		}
	}
	vpc, err := googleNetwork(ctx, env)
	if err != nil {
		return nil, err
	}
	rg, gatewaySubnet, err := azureNetwork(ctx, env)
	if err != nil {
		return nil, err
	}
	res.Link, err = component.NewHaVpnLink(ctx, LinkName, linkArgs(env, vpc, rg, gatewaySubnet))
	if err != nil {
		return nil, err
	}
	export(ctx, res.Link, vpc)
	return res, nil
}

// lookup reads havpn:* keys (secret values arrive decrypted, as for any Pulumi program).
func lookup(ctx *pulumi.Context) envconfig.Lookup {
	return func(key string) (string, bool) {
		return ctx.GetConfig(envconfig.Namespace + ":" + key)
	}
}

func googleNetwork(ctx *pulumi.Context, env *envconfig.Environment) (*compute.Network, error) {
	vpc, err := compute.NewNetwork(ctx, "vpc", &compute.NetworkArgs{
		Project:               optional(env.GcpProject),
		AutoCreateSubnetworks: pulumi.Bool(false),
		// REGIONAL advertises only the router's region to Azure; GLOBAL advertises every region.
		RoutingMode: pulumi.String(env.RoutingMode),
	})
	if err != nil {
		return nil, err
	}
	for _, s := range env.Subnets {
		_, err := compute.NewSubnetwork(ctx, "subnet-"+s.Region, &compute.SubnetworkArgs{
			Project:     optional(env.GcpProject),
			Region:      pulumi.String(s.Region),
			Network:     vpc.ID(),
			IpCidrRange: pulumi.String(s.Cidr),
		})
		if err != nil {
			return nil, err
		}
	}
	return vpc, nil
}

func azureNetwork(ctx *pulumi.Context, env *envconfig.Environment) (*resources.ResourceGroup, *network.Subnet, error) {
	rg, err := resources.NewResourceGroup(ctx, "rg", &resources.ResourceGroupArgs{Location: pulumi.String(env.AzureLocation)})
	if err != nil {
		return nil, nil, err
	}
	vnet, err := network.NewVirtualNetwork(ctx, "vnet", &network.VirtualNetworkArgs{
		ResourceGroupName: rg.Name,
		Location:          rg.Location,
		AddressSpace:      &network.AddressSpaceArgs{AddressPrefixes: pulumi.ToStringArray([]string{env.VnetCidr})},
	}, // Subnets are separate resources; without this the VNet would try to remove them on update.
		pulumi.IgnoreChanges([]string{"subnets"}))
	if err != nil {
		return nil, nil, err
	}
	gatewaySubnet, err := network.NewSubnet(ctx, "gateway-subnet", &network.SubnetArgs{
		SubnetName:         pulumi.String("GatewaySubnet"),
		ResourceGroupName:  rg.Name,
		VirtualNetworkName: vnet.Name,
		AddressPrefix:      pulumi.String(env.GatewaySubnetCidr),
	})
	if err != nil {
		return nil, nil, err
	}
	// The workload subnet is created after the GatewaySubnet: Azure serializes subnet writes in one VNet.
	_, err = network.NewSubnet(ctx, "workload-subnet", &network.SubnetArgs{
		SubnetName:         pulumi.String("workload"),
		ResourceGroupName:  rg.Name,
		VirtualNetworkName: vnet.Name,
		AddressPrefix:      pulumi.String(env.WorkloadSubnetCidr),
	}, pulumi.DependsOn([]pulumi.Resource{gatewaySubnet}))
	return rg, gatewaySubnet, err
}

func linkArgs(env *envconfig.Environment, vpc *compute.Network, rg *resources.ResourceGroup, gatewaySubnet *network.Subnet) *component.HaVpnLinkArgs {
	return &component.HaVpnLinkArgs{
		Topology: env.Topology,
		// Passed as a plain value so it is validated before any resource is registered; the link keeps
		// the master secret and every derived key secret.
		SharedSecret:     pulumi.String(env.SharedSecret),
		NextSharedSecret: pulumi.String(env.NextSharedSecret), // "" stages no rotation
		BgpSessionBlock:  env.BgpSessionBlock,
		Gcp: component.GcpArgs{
			Project:            optional(env.GcpProject),
			Region:             pulumi.String(env.GcpRegion),
			Network:            vpc.SelfLink,
			Asn:                env.GcpAsn,
			KeepaliveInterval:  env.KeepaliveInterval,
			AdvertisedIpRanges: env.AdvertisedIpRanges,
		},
		Azure: component.AzureArgs{
			ResourceGroupName: rg.Name,
			Location:          pulumi.String(env.AzureLocation),
			GatewaySubnetId:   gatewaySubnet.ID().ToStringOutput(),
			AddressPrefixes:   pulumi.ToStringArray([]string{env.VnetCidr}),
			Asn:               env.AzureAsn,
			Sku:               env.AzureSku,
		},
	}
}

func export(ctx *pulumi.Context, link *component.HaVpnLink, vpc *compute.Network) {
	ctx.Export("tunnels", link.Tunnels)
	ctx.Export("gcpGatewayIps", link.GcpGatewayIps)
	ctx.Export("azurePublicIps", link.AzurePublicIps)
	ctx.Export("azureGatewayId", link.AzureGatewayId)
	ctx.Export("gcpRouterName", link.GcpRouterName)
	ctx.Export("sharedSecrets", link.SharedSecrets)
	ctx.Export("topologyReport", link.TopologyReport)
	ctx.Export("gcpNetwork", vpc.SelfLink)
}

func optional(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
