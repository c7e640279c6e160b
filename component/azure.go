package component

import (
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/linkplan"
)

// azureResources are the Azure resources of one link, less the public IPs.
type azureResources struct {
	gateway     *network.VirtualNetworkGateway
	lngs        []*network.LocalNetworkGateway
	connections []*network.VirtualNetworkGatewayConnection
}

// renderPublicIps registers one Standard, Static public IP per Azure instance: active-active needs
// exactly two (Azure about-active-active gateways).
func (r *renderer) renderPublicIps() ([]*network.PublicIPAddress, error) {
	var pips []*network.PublicIPAddress
	for _, inst := range r.plan.Azure.Instances {
		pip, err := network.NewPublicIPAddress(r.ctx, inst.PublicIpName, &network.PublicIPAddressArgs{
			ResourceGroupName:        r.args.Azure.ResourceGroupName,
			Location:                 r.args.Azure.Location,
			Sku:                      &network.PublicIPAddressSkuArgs{Name: pulumi.String("Standard"), Tier: pulumi.String("Regional")},
			PublicIPAllocationMethod: pulumi.String("Static"),
			PublicIPAddressVersion:   pulumi.String("IPv4"),
			Zones:                    pulumi.ToStringArray(r.plan.Azure.Zones),
		}, r.parent)
		if err != nil {
			return nil, err
		}
		pips = append(pips, pip)
	}
	return pips, nil
}

// renderAzure registers the active-active gateway, one local network gateway per Google interface and
// one IKEv2 connection per local network gateway. The connections of rotation stage 2 wait for those
// of stage 1, so an in-place update of every connection (a DPD timeout or an IPsec policy change) runs
// in two waves and never interrupts every BGP session at once; it costs one connection create time on
// the first up.
func (r *renderer) renderAzure(pips []*network.PublicIPAddress, gcp *gcpResources) (*azureResources, error) {
	a := &azureResources{
		lngs:        make([]*network.LocalNetworkGateway, len(r.plan.Tunnels)),
		connections: make([]*network.VirtualNetworkGatewayConnection, len(r.plan.Tunnels)),
	}
	ipConfigIds := r.ipConfigurationIds()
	var err error
	if a.gateway, err = r.gateway(pips, ipConfigIds); err != nil {
		return nil, err
	}
	var firstWave []pulumi.Resource
	for _, stage := range []int{linkplan.RotationStageFirst, linkplan.RotationStageSecond} {
		var wave []pulumi.Resource
		for _, t := range r.plan.Tunnels {
			if t.RotationStage != stage {
				continue
			}
			lng, err := r.localNetworkGateway(gcp, t)
			if err != nil {
				return nil, err
			}
			conn, err := r.connection(a.gateway, lng, t, ipConfigIds, firstWave)
			if err != nil {
				return nil, err
			}
			a.lngs[t.Index], a.connections[t.Index] = lng, conn
			wave = append(wave, conn)
		}
		firstWave = wave
	}
	return a, nil
}

// ipConfigurationIds builds the gateway's own ipConfiguration IDs from the GatewaySubnet's subscription
// and resource group and the fixed gateway name: bgpSettings and connections need them before the gateway exists.
func (r *renderer) ipConfigurationIds() []pulumi.StringOutput {
	subnet := r.args.Azure.GatewaySubnetId.ToStringOutput()
	rg := r.args.Azure.ResourceGroupName.ToStringOutput()
	all := pulumi.All(subnet, rg).ApplyT(func(vs []any) ([]string, error) {
		id, group := vs[0].(string), vs[1].(string)
		if problems := linkplan.ValidateGatewaySubnetID(id, &group); len(problems) > 0 {
			return nil, problems
		}
		s, _ := linkplan.ParseGatewaySubnetID(id)
		var ids []string
		for _, inst := range r.plan.Azure.Instances {
			ids = append(ids, linkplan.IpConfigurationID(s, r.plan.Azure.GatewayName, inst.IpConfigName))
		}
		return ids, nil
	}).(pulumi.StringArrayOutput)
	ids := make([]pulumi.StringOutput, len(r.plan.Azure.Instances))
	for i := range ids {
		ids[i] = all.Index(pulumi.Int(i))
	}
	return ids
}

// gateway is the active-active, BGP-enabled, route-based gateway; each instance carries the custom
// APIPA addresses of its tunnels (Cloud Router peers only over link-local addresses).
func (r *renderer) gateway(pips []*network.PublicIPAddress, ipConfigIds []pulumi.StringOutput) (*network.VirtualNetworkGateway, error) {
	az := r.plan.Azure
	configs := network.VirtualNetworkGatewayIPConfigurationArray{}
	peering := network.IPConfigurationBgpPeeringAddressArray{}
	for _, inst := range az.Instances {
		configs = append(configs, network.VirtualNetworkGatewayIPConfigurationArgs{
			Name:                      pulumi.String(inst.IpConfigName),
			PrivateIPAllocationMethod: pulumi.String("Dynamic"),
			PublicIPAddress:           &network.SubResourceArgs{Id: pips[inst.Index].ID()},
			Subnet:                    &network.SubResourceArgs{Id: r.args.Azure.GatewaySubnetId},
		})
		peering = append(peering, network.IPConfigurationBgpPeeringAddressArgs{
			IpconfigurationId:    ipConfigIds[inst.Index],
			CustomBgpIpAddresses: pulumi.ToStringArray(addrStrings(inst)),
		})
	}
	args := &network.VirtualNetworkGatewayArgs{
		VirtualNetworkGatewayName: pulumi.String(az.GatewayName),
		ResourceGroupName:         r.args.Azure.ResourceGroupName,
		Location:                  r.args.Azure.Location,
		GatewayType:               pulumi.String("Vpn"),
		VpnType:                   pulumi.String("RouteBased"),
		Sku:                       &network.VirtualNetworkGatewaySkuArgs{Name: pulumi.String(az.Sku), Tier: pulumi.String(az.Sku)},
		ActiveActive:              pulumi.Bool(true),
		EnableBgp:                 pulumi.Bool(true),
		IpConfigurations:          configs,
		BgpSettings: &network.BgpSettingsArgs{
			Asn:                 pulumi.Float64(float64(az.Asn)),
			BgpPeeringAddresses: peering,
		},
	}
	if az.Generation != "" {
		args.VpnGatewayGeneration = pulumi.String(az.Generation)
	}
	// The name is fixed (ipConfiguration IDs embed it), so a replacement must delete first; the logical
	// name does not follow azure.gatewayName, so a new name replaces this gateway (the old one goes first
	// and frees the public IPs, which Azure allocates to one gateway at a time) instead of creating a
	// second gateway beside it. The gateway (45 minutes or more) waits until a master secret or address
	// ranges known only later passed validation.
	opts := []pulumi.ResourceOption{r.parent, pulumi.DeleteBeforeReplace(true),
		pulumi.DependsOnInputs(r.secretChecked), pulumi.DependsOnInputs(r.addressSpaceChecked)}
	if logical := r.plan.AzureGatewayResourceName(); az.GatewayName != logical {
		// Stacks deployed before the logical name was fixed named it after azure.gatewayName.
		opts = append(opts, pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String(az.GatewayName)}}))
	}
	return network.NewVirtualNetworkGateway(r.ctx, r.plan.AzureGatewayResourceName(), args, opts...)
}

// localNetworkGateway describes one Google interface to Azure: its public IP and the Cloud Router's BGP address.
func (r *renderer) localNetworkGateway(gcp *gcpResources, t linkplan.Tunnel) (*network.LocalNetworkGateway, error) {
	return network.NewLocalNetworkGateway(r.ctx, t.LocalNetworkGatewayName, &network.LocalNetworkGatewayArgs{
		ResourceGroupName: r.args.Azure.ResourceGroupName,
		Location:          r.args.Azure.Location,
		GatewayIpAddress:  interfaceIp(gcp.gateways[t.GcpInterface.Gateway], t.GcpInterface.Interface),
		// With BGP the address space may stay empty: routes are learned.
		LocalNetworkAddressSpace: &network.AddressSpaceArgs{AddressPrefixes: pulumi.StringArray{}},
		BgpSettings: &network.BgpSettingsArgs{
			Asn:               pulumi.Float64(float64(t.Session.GcpAsn)),
			BgpPeeringAddress: pulumi.String(t.Session.GcpIp.String()),
		},
	}, r.parent)
}

// connection is the IKEv2 connection to one local network gateway, with an explicit IPsec policy (Azure
// initiates without PFS by default, Google requires PFS) and, for both instances, the APIPA to use on it.
func (r *renderer) connection(gw *network.VirtualNetworkGateway, lng *network.LocalNetworkGateway, t linkplan.Tunnel, ipConfigIds []pulumi.StringOutput, after []pulumi.Resource) (*network.VirtualNetworkGatewayConnection, error) {
	pol := r.plan.IpsecPolicy
	custom := network.GatewayCustomBgpIpAddressIpConfigurationArray{}
	for n, ip := range t.ConnectionBgpIps {
		custom = append(custom, network.GatewayCustomBgpIpAddressIpConfigurationArgs{
			IpConfigurationId:  ipConfigIds[n],
			CustomBgpIpAddress: pulumi.String(ip.String()),
		})
	}
	return network.NewVirtualNetworkGatewayConnection(r.ctx, t.ConnectionName, &network.VirtualNetworkGatewayConnectionArgs{
		ResourceGroupName:      r.args.Azure.ResourceGroupName,
		Location:               r.args.Azure.Location,
		ConnectionType:         pulumi.String("IPsec"),
		ConnectionProtocol:     pulumi.String("IKEv2"),
		VirtualNetworkGateway1: network.VirtualNetworkGatewayTypeArgs{Id: gw.ID()},
		LocalNetworkGateway2:   &network.LocalNetworkGatewayTypeArgs{Id: lng.ID()},
		EnableBgp:              pulumi.Bool(true),
		SharedKey:              r.psks[t.Name],
		DpdTimeoutSeconds:      pulumi.Int(r.plan.Azure.DpdTimeoutSeconds),
		IpsecPolicies: network.IpsecPolicyArray{network.IpsecPolicyArgs{
			IkeEncryption:       pulumi.String(pol.IkeEncryption),
			IkeIntegrity:        pulumi.String(pol.IkeIntegrity),
			DhGroup:             pulumi.String(pol.DhGroup),
			IpsecEncryption:     pulumi.String(pol.IpsecEncryption),
			IpsecIntegrity:      pulumi.String(pol.IpsecIntegrity),
			PfsGroup:            pulumi.String(pol.PfsGroup),
			SaLifeTimeSeconds:   pulumi.Int(pol.SaLifeTimeSeconds),
			SaDataSizeKilobytes: pulumi.Int(pol.SaDataSizeKilobytes),
		}},
		GatewayCustomBgpIpAddresses: custom,
	}, r.parent, pulumi.ReplaceOnChanges(connectionReplaceOnChanges), pulumi.DeleteBeforeReplace(true), pulumi.DependsOn(after))
}

// connectionReplaceOnChanges (with delete-before-replace): a new key or a new gateway reaches Azure only through a new connection. A connection
// PUT keeps the old shared key (only SetSharedKey changes it: terraform-provider-azurerm #11673, PR #11742;
// Azure/azure-sdk-for-java #18083), and azure-native sends a plain PUT; a connection is not assumed to move to
// another gateway in place (cloudrules: virtualNetworkGateway1). The connection is auto-named, but the old one
// must go first: the new one would use the same local network gateway from the same Azure gateway (refused,
// field report) and the same tunnel endpoints.
var connectionReplaceOnChanges = []string{"sharedKey", "virtualNetworkGateway1"}

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
