package component

import (
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// azureResources are the Azure resources of one link: its gateway (nil on a hub or an existing gateway),
// LNGs and connections.
type azureResources struct {
	gateway     *network.VirtualNetworkGateway
	lngs        []*network.LocalNetworkGateway
	connections []*network.VirtualNetworkGatewayConnection
}

// azureTarget is the Azure gateway the link's connections use, whoever owns it, and what the Google
// side needs of it (its instances' public addresses).
type azureTarget struct {
	// gatewayId is the gateway's ID (set by renderAzure for a gateway the link creates).
	gatewayId   pulumi.StringOutput
	ipConfigIds []pulumi.StringOutput
	publicIps   []pulumi.StringPtrOutput
	// publicIpList is publicIps as the link's azurePublicIps output.
	publicIpList pulumi.StringArrayOutput
	// resourceGroupName and location are where the LNGs and connections go.
	resourceGroupName, location pulumi.StringInput
	// ownPips are set when the link creates the gateway: its public IPs exist before the Google side needs them.
	ownPips []*network.PublicIPAddress
}

// azureTarget prepares the gateway the link uses: its own public IPs (the gateway itself comes later,
// in renderAzure), a hub's gateway, or an existing gateway found by lookupExistingGateway.
func (r *renderer) azureTarget(found *linkplan.FoundGateway) (*azureTarget, error) {
	az := r.args.Azure
	switch r.plan.Azure.Source {
	case linkplan.HubGateway:
		h := az.Hub
		t := &azureTarget{
			gatewayId:         h.GatewayId.ToStringOutput(),
			resourceGroupName: inputOr(az.ResourceGroupName, h.ResourceGroupName),
			location:          inputOr(az.Location, h.Location),
			publicIpList:      h.PublicIps.ToStringArrayOutput(),
		}
		ids := h.IpConfigurationIds.ToStringArrayOutput()
		for n := range r.plan.Azure.Instances {
			t.ipConfigIds = append(t.ipConfigIds, ids.Index(pulumi.Int(n)))
			t.publicIps = append(t.publicIps, t.publicIpList.Index(pulumi.Int(n)).ToStringPtrOutput())
		}
		return t, nil
	case linkplan.ExistingGateway:
		g := az.ExistingGateway
		id, _ := linkplan.ParseGatewayID(g.Id)
		t := &azureTarget{
			gatewayId:         pulumi.String(found.Id).ToStringOutput(),
			resourceGroupName: inputOr(az.ResourceGroupName, pulumi.String(id.ResourceGroup)),
			location:          inputOr(az.Location, pulumi.String(found.Location)),
			publicIpList:      pulumi.ToStringArray(g.PublicIps).ToStringArrayOutput(),
		}
		for n, cfg := range found.IpConfigurations {
			t.ipConfigIds = append(t.ipConfigIds, pulumi.String(cfg.Id).ToStringOutput())
			t.publicIps = append(t.publicIps, pulumi.StringPtr(g.PublicIps[n]).ToStringPtrOutput())
		}
		return t, nil
	}
	gp := r.plan.OwnGateway()
	at := r.gatewayPlace()
	pips, err := renderPublicIps(r.ctx, gp, at, r.link)
	if err != nil {
		return nil, err
	}
	t := &azureTarget{
		resourceGroupName: az.ResourceGroupName, location: az.Location,
		ipConfigIds:  ipConfigurationIds(gp, at),
		publicIpList: publicIpAddresses(pips),
		ownPips:      pips,
	}
	for _, p := range pips {
		t.publicIps = append(t.publicIps, p.IpAddress)
	}
	return t, nil
}

// gatewayPlace is where the link's own gateway goes.
func (r *renderer) gatewayPlace() gatewayPlace {
	return gatewayPlace{resourceGroupName: r.args.Azure.ResourceGroupName, location: r.args.Azure.Location, gatewaySubnetId: r.args.Azure.GatewaySubnetId}
}

// inputOr is in, or def when in was not given.
func inputOr(in, def pulumi.StringInput) pulumi.StringInput {
	if in == nil {
		return def
	}
	return in
}

// renderAzure registers the link's own active-active gateway (when it creates one), one local network
// gateway per Google interface and one IKEv2 connection per local network gateway. The connections of
// rotation stage 2 wait for those of stage 1, so an in-place update of every connection (a DPD timeout
// or an IPsec policy change) runs in two waves and never interrupts every BGP session at once; it
// costs one connection create time on the first up.
func (r *renderer) renderAzure(target *azureTarget, gcp *gcpResources) (*azureResources, error) {
	a := &azureResources{
		lngs:        make([]*network.LocalNetworkGateway, len(r.plan.Tunnels)),
		connections: make([]*network.VirtualNetworkGatewayConnection, len(r.plan.Tunnels)),
	}
	if target.ownPips != nil {
		// The gateway (45 minutes or more) waits until a master secret or address ranges known only
		// later passed validation. Its logical name does not follow azure.gatewayName, so a new name
		// replaces it instead of creating a second gateway beside it.
		gp := r.plan.OwnGateway()
		opts := []pulumi.ResourceOption{r.parent, pulumi.DependsOnInputs(r.secretChecked), pulumi.DependsOnInputs(r.addressSpaceChecked)}
		if gp.Name != gp.ResourceName {
			// Stacks deployed before the logical name was fixed named it after azure.gatewayName.
			opts = append(opts, pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String(gp.Name)}}))
		}
		gw, err := renderGateway(r.ctx, gp, r.gatewayPlace(), target.ownPips, target.ipConfigIds, opts...)
		if err != nil {
			return nil, err
		}
		a.gateway, target.gatewayId = gw, gw.ID().ToStringOutput()
	}
	var firstWave []pulumi.Resource
	for _, stage := range []int{linkplan.RotationStageFirst, linkplan.RotationStageSecond} {
		var wave []pulumi.Resource
		for _, t := range r.plan.Tunnels {
			if t.RotationStage != stage {
				continue
			}
			lng, err := r.localNetworkGateway(target, gcp, t)
			if err != nil {
				return nil, err
			}
			conn, err := r.connection(target, lng, t, firstWave)
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

// localNetworkGateway describes one Google interface to Azure: its public IP and the Cloud Router's BGP address.
func (r *renderer) localNetworkGateway(target *azureTarget, gcp *gcpResources, t linkplan.Tunnel) (*network.LocalNetworkGateway, error) {
	return network.NewLocalNetworkGateway(r.ctx, t.LocalNetworkGatewayName, &network.LocalNetworkGatewayArgs{
		ResourceGroupName: target.resourceGroupName,
		Location:          target.location,
		GatewayIpAddress:  gcp.gateways[t.GcpInterface.Gateway].interfaceIps[t.GcpInterface.Interface],
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
func (r *renderer) connection(target *azureTarget, lng *network.LocalNetworkGateway, t linkplan.Tunnel, after []pulumi.Resource) (*network.VirtualNetworkGatewayConnection, error) {
	pol := r.plan.IpsecPolicy
	custom := network.GatewayCustomBgpIpAddressIpConfigurationArray{}
	for n, ip := range t.ConnectionBgpIps {
		custom = append(custom, network.GatewayCustomBgpIpAddressIpConfigurationArgs{
			IpConfigurationId:  target.ipConfigIds[n],
			CustomBgpIpAddress: pulumi.String(ip.String()),
		})
	}
	return network.NewVirtualNetworkGatewayConnection(r.ctx, t.ConnectionName, &network.VirtualNetworkGatewayConnectionArgs{
		ResourceGroupName:      target.resourceGroupName,
		Location:               target.location,
		ConnectionType:         pulumi.String("IPsec"),
		ConnectionProtocol:     pulumi.String("IKEv2"),
		VirtualNetworkGateway1: network.VirtualNetworkGatewayTypeArgs{Id: target.gatewayId},
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
