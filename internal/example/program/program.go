// Package program is the example environment main.go deploys, and `havpn plan` runs under mocks: a
// Google VPC with per-region subnets, an Azure resource group, VNet, GatewaySubnet and workload subnet,
// and one HaVpnLink between them; or, by havpn:role, the hub or one spoke of team stacks (team.go).
package program

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/component"
	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
)

// LinkName is the HaVpnLink's name in the example environment.
const LinkName = "gcp-azure"

// Result is what one run of the program built: a link (roles link and spoke) or a hub.
type Result struct {
	Env      *envconfig.Environment
	Link     *component.HaVpnLink
	Hub      *component.AzureVpnHub
	Warnings []string
}

// Run is the Pulumi program of main.go.
func Run(ctx *pulumi.Context) error {
	_, err := Build(ctx)
	return err
}

// Build reads the stack configuration, registers the environment and the link, and exports the outputs.
func Build(ctx *pulumi.Context) (*Result, error) { return build(ctx, 0) }

// build is Build; with hubSlots > 0 the link's gateway belongs to an AzureVpnHub (hub.go).
func build(ctx *pulumi.Context, hubSlots int) (*Result, error) {
	// The pinned CLI checks the declared keys' types but lets an undeclared havpn: key through; under
	// the Go language host the program sees every key (PULUMI_CONFIG) and refuses such a typo itself.
	if undeclared := envconfig.UndeclaredKeys(engineConfigKeys()); len(undeclared) > 0 {
		return nil, &envconfig.Error{Problems: undeclared}
	}
	if plain := plainSecrets(ctx); len(plain) > 0 {
		return nil, &envconfig.Error{Problems: plain}
	}
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
	if hubSlots > 0 && env.Role != envconfig.RoleLink {
		return nil, fmt.Errorf("moving onto a hub applies to a link stack, not to a %s stack", env.Role)
	}
	switch env.Role {
	case envconfig.RoleHub:
		res.Hub, err = buildHub(ctx, env)
		return res, err
	case envconfig.RoleSpoke:
		res.Link, err = buildSpoke(ctx, env)
		return res, err
	}
	// The link's arguments are checked before the networks whose Outputs it takes are registered, so a
	// bad link creates nothing at all.
	if err := component.ValidateHaVpnLink(LinkName, linkArgs(env, later(), later(), later())); err != nil {
		return nil, err
	}
	vpc, err := googleNetwork(ctx, env, "")
	if err != nil {
		return nil, err
	}
	rg, gatewaySubnet, err := azureNetwork(ctx, env)
	if err != nil {
		return nil, err
	}
	args := linkArgs(env, vpc.SelfLink, rg.Name, gatewaySubnet.ID().ToStringOutput())
	if hubSlots > 0 {
		if err := moveOntoHub(ctx, env, args, rg, gatewaySubnet, hubSlots); err != nil {
			return nil, err
		}
	}
	res.Link, err = component.NewHaVpnLink(ctx, LinkName, args)
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

// plainSecrets refuses a secret key given in plain text: the engine lists the keys a stack holds
// encrypted (PULUMI_CONFIG_SECRET_KEYS, RunInfo.ConfigSecretKeys), and the declaration cannot make the
// CLI refuse an optional secret itself (envconfig.Key.Encrypt).
func plainSecrets(ctx *pulumi.Context) []string {
	var out []string
	for _, k := range envconfig.Keys {
		if !k.Secret && !k.Encrypt {
			continue
		}
		if v, ok := ctx.GetConfig(k.Qualified()); ok && v != "" && !ctx.IsConfigSecret(k.Qualified()) {
			out = append(out, fmt.Sprintf("%s must be encrypted: it is a secret. Fix: pulumi config set --secret %s <value>.", k.Qualified(), k.Qualified()))
		}
	}
	return out
}

// engineConfigKeys lists the configuration keys the Go language host passed the program in
// PULUMI_CONFIG (the SDK's pulumi.EnvConfig); none when the program runs inline or under mocks, where
// the caller checks the configuration it sets (simrun, havpn plan).
func engineConfigKeys() []string {
	var cfg map[string]string
	if err := json.Unmarshal([]byte(os.Getenv(pulumi.EnvConfig)), &cfg); err != nil {
		return nil
	}
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	return keys
}

// googleNetwork registers the VPC and its subnets; prefix namespaces their logical names when one
// program builds several (RunHubWithSpokes).
func googleNetwork(ctx *pulumi.Context, env *envconfig.Environment, prefix string) (*compute.Network, error) {
	vpc, err := compute.NewNetwork(ctx, prefix+"vpc", &compute.NetworkArgs{
		Project:               optional(env.GcpProject),
		AutoCreateSubnetworks: pulumi.Bool(false),
		// REGIONAL advertises only the router's region to Azure; GLOBAL advertises every region.
		RoutingMode: pulumi.String(env.RoutingMode),
	})
	if err != nil {
		return nil, err
	}
	for _, s := range env.Subnets {
		_, err := compute.NewSubnetwork(ctx, prefix+"subnet-"+s.Region, &compute.SubnetworkArgs{
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

// linkArgs passes every tunable value of the stack to the link as it is: the component validates it,
// with its own messages. Plain values are validated before any resource is registered.
func linkArgs(env *envconfig.Environment, network, resourceGroupName, gatewaySubnetId pulumi.StringInput) *component.HaVpnLinkArgs {
	args := googleSideArgs(env, network)
	args.BgpSessionBlock, args.BgpSessionRanges = &env.BgpSessionBlock, env.BgpSessionRanges
	args.Azure = component.AzureArgs{
		ResourceGroupName: resourceGroupName,
		Location:          pulumi.String(env.AzureLocation),
		GatewaySubnetId:   gatewaySubnetId,
		AddressPrefixes:   pulumi.ToStringArray([]string{env.VnetCidr}),
		Asn:               &env.AzureAsn,
		Sku:               env.AzureSku,
		Generation:        env.AzureGeneration,
		Zones:             env.AzureZones,
		DpdTimeoutSeconds: &env.DpdTimeoutSeconds,
		GatewayName:       env.AzureGatewayName,
	}
	return args
}

// googleSideArgs are the link arguments a link and a spoke set alike: the topology, the secrets, the
// Google side and the connections' IPsec policy.
func googleSideArgs(env *envconfig.Environment, network pulumi.StringInput) *component.HaVpnLinkArgs {
	p := env.IpsecPolicy
	return &component.HaVpnLinkArgs{
		Topology: env.Topology,
		// Passed as a plain value so it is validated before any resource is registered; the link keeps
		// the master secret and every derived key secret.
		SharedSecret:     pulumi.String(env.SharedSecret),
		NextSharedSecret: pulumi.String(env.NextSharedSecret), // "" stages no rotation
		Gcp: component.GcpArgs{
			Project:            optional(env.GcpProject),
			Region:             pulumi.String(env.GcpRegion),
			Network:            network,
			Asn:                &env.GcpAsn,
			KeepaliveInterval:  &env.KeepaliveInterval,
			AdvertisedIpRanges: env.AdvertisedIpRanges,
			// The subnets' ranges as planned (known now): the link checks them against the VNet.
			SubnetRanges: pulumi.ToStringArray(env.SubnetRanges()),
			Firewall:     firewallArgs(env.Firewall),
		},
		IpsecPolicy: &component.IpsecPolicyArgs{
			IkeEncryption: p.IkeEncryption, IkeIntegrity: p.IkeIntegrity, DhGroup: p.DhGroup,
			IpsecEncryption: p.IpsecEncryption, IpsecIntegrity: p.IpsecIntegrity, PfsGroup: p.PfsGroup,
			SaLifeTimeSeconds: p.SaLifeTimeSeconds, SaDataSizeKilobytes: p.SaDataSizeKilobytes,
		},
	}
}

func firewallArgs(f envconfig.Firewall) *component.FirewallArgs {
	args := &component.FirewallArgs{Enabled: f.Enabled}
	for _, a := range f.Allow {
		allow := component.FirewallAllowArgs{Protocol: a.Protocol}
		for _, port := range a.Ports {
			allow.Ports = append(allow.Ports, string(port))
		}
		args.Allow = append(args.Allow, allow)
	}
	// No tags: the rule applies to every instance (the component's default when none are given).
	if len(f.TargetTags) > 0 {
		args.TargetTags = pulumi.ToStringArray(f.TargetTags)
	}
	return args
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

// later stands in, for a check before registration, for an input that will be another resource's
// Output: the component takes any Output as known only later.
func later() pulumi.StringOutput { return pulumi.String("").ToStringOutput() }

func optional(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
