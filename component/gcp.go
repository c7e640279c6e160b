package component

import (
	"fmt"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// gcpResources are the Google Cloud resources of one link.
type gcpResources struct {
	gateways []gcpGateway
	peer     *compute.ExternalVpnGateway
	// router is the link's own Cloud Router, nil on an existing router; routerId, routerName and the
	// router's project and region name either.
	router                      *compute.Router
	routerId, routerName        pulumi.StringOutput
	routerProject, routerRegion pulumi.StringOutput
	tunnels                     []*compute.VPNTunnel
}

// gcpGateway is one HA VPN gateway the tunnels start on, the link's own or an existing one.
type gcpGateway struct {
	id           pulumi.StringOutput
	interfaceIps []pulumi.StringOutput // interface 0, then 1
}

// renderGcp registers the HA VPN gateways (or reads existing ones), the external gateway holding the
// Azure public IPs, the Cloud Router (unless it exists), one tunnel, router interface and BGP peer per
// planned tunnel, and the firewall rule. Nothing here depends on the Azure gateway: only on the Azure
// public IPs.
func (r *renderer) renderGcp(azurePublicIps []pulumi.StringPtrOutput, router *linkplan.FoundRouter) (*gcpResources, error) {
	g := &gcpResources{}
	var err error
	for _, gw := range r.plan.Gcp.Gateways {
		ha, err := r.haVpnGateway(gw)
		if err != nil {
			return nil, err
		}
		g.gateways = append(g.gateways, ha)
	}
	if g.peer, err = r.externalGateway(azurePublicIps); err != nil {
		return nil, err
	}
	if router != nil {
		g.routerId, g.routerName = pulumi.String(router.Id).ToStringOutput(), pulumi.String(router.Name).ToStringOutput()
		g.routerProject, g.routerRegion = pulumi.String(router.Project).ToStringOutput(), pulumi.String(router.Region).ToStringOutput()
	} else {
		if g.router, err = r.router(); err != nil {
			return nil, err
		}
		g.routerId, g.routerName = g.router.ID().ToStringOutput(), g.router.Name
		g.routerProject, g.routerRegion = g.router.Project, g.router.Region
	}
	for _, t := range r.plan.Tunnels {
		tunnel, err := r.tunnel(g, t)
		if err != nil {
			return nil, err
		}
		g.tunnels = append(g.tunnels, tunnel)
	}
	if err := r.firewall(); err != nil {
		return nil, err
	}
	return g, nil
}

// haVpnGateway registers one HA VPN gateway or, for gcp.existingGateways, reads the existing one
// (compute.GetHaVpnGateway: pulumi-gcp v7.38 has no getHaVpnGateway data source) and checks it when
// it resolves: the tunnels and LNGs wait for that check.
func (r *renderer) haVpnGateway(gw linkplan.GcpGateway) (gcpGateway, error) {
	var ha *compute.HaVpnGateway
	var err error
	if gw.SelfLink == "" {
		ha, err = compute.NewHaVpnGateway(r.ctx, gw.Name, &compute.HaVpnGatewayArgs{
			Project:   r.args.Gcp.Project,
			Region:    r.args.Gcp.Region,
			Network:   r.args.Gcp.Network,
			StackType: pulumi.String("IPV4_ONLY"),
		}, r.parent)
		if err != nil {
			return gcpGateway{}, err
		}
		return gcpGateway{id: ha.ID().ToStringOutput(), interfaceIps: []pulumi.StringOutput{interfaceIp(ha, 0), interfaceIp(ha, 1)}}, nil
	}
	ref, _ := linkplan.ParseHaVpnGatewayRef(gw.SelfLink)
	if ha, err = compute.GetHaVpnGateway(r.ctx, gw.Name, pulumi.ID(ref.ID()), nil, r.parent); err != nil {
		return gcpGateway{}, err
	}
	network := ""
	if n := knownString(r.args.Gcp.Network); n != nil {
		network = *n
	}
	checked := pulumi.All(ha.ID(), ha.Network, ha.VpnInterfaces).ApplyT(func(vs []any) ([]string, error) {
		found := linkplan.FoundHaVpnGateway{SelfLink: gw.SelfLink, Network: vs[1].(string)}
		for _, iface := range vs[2].([]compute.HaVpnGatewayVpnInterface) {
			ip := ""
			if iface.IpAddress != nil {
				ip = *iface.IpAddress
			}
			found.Interfaces = append(found.Interfaces, ip)
		}
		if problems := linkplan.ValidateExistingHaVpnGateway(gw.Index, found, network); len(problems) > 0 {
			return nil, problems
		}
		return append([]string{string(vs[0].(pulumi.ID))}, found.Interfaces...), nil
	}).(pulumi.StringArrayOutput)
	return gcpGateway{id: checked.Index(pulumi.Int(0)), interfaceIps: []pulumi.StringOutput{checked.Index(pulumi.Int(1)), checked.Index(pulumi.Int(2))}}, nil
}

// externalGatewayDescription is the external VPN gateway's description. It is ForceNew (terraform-provider-google-beta
// v5.42.0 resource_compute_external_vpn_gateway.go:73) and a new external gateway replaces every tunnel, so it
// holds nothing a user changes for another reason (not the Azure gateway's name).
const externalGatewayDescription = "Azure active-active VPN gateway instances (managed by havpn)"

// externalGateway describes the two Azure instances to Google, interface N = Azure instance N.
func (r *renderer) externalGateway(azurePublicIps []pulumi.StringPtrOutput) (*compute.ExternalVpnGateway, error) {
	ifaces := compute.ExternalVpnGatewayInterfaceArray{}
	for _, inst := range r.plan.Azure.Instances {
		ifaces = append(ifaces, compute.ExternalVpnGatewayInterfaceArgs{
			Id:        pulumi.Int(inst.Index),
			IpAddress: azurePublicIps[inst.Index],
		})
	}
	return compute.NewExternalVpnGateway(r.ctx, r.plan.Gcp.ExternalGatewayName, &compute.ExternalVpnGatewayArgs{
		Project:        r.args.Gcp.Project,
		RedundancyType: pulumi.String(cloudrules.GcpRedundancy),
		Interfaces:     ifaces,
		Description:    pulumi.String(externalGatewayDescription),
	}, r.parent)
}

// router is the Cloud Router: it advertises all subnets, plus the custom ranges when given.
func (r *renderer) router() (*compute.Router, error) {
	bgp := &compute.RouterBgpArgs{
		Asn:               pulumi.Int(int(r.plan.Gcp.Asn)),
		KeepaliveInterval: pulumi.Int(r.plan.Gcp.KeepaliveInterval),
		AdvertiseMode:     pulumi.String("DEFAULT"),
	}
	if ranges := r.plan.Gcp.AdvertisedIpRanges; len(ranges) > 0 {
		custom := compute.RouterBgpAdvertisedIpRangeArray{}
		for _, p := range ranges {
			custom = append(custom, compute.RouterBgpAdvertisedIpRangeArgs{Range: pulumi.String(p.String())})
		}
		bgp.AdvertiseMode = pulumi.String("CUSTOM")
		bgp.AdvertisedGroups = pulumi.ToStringArray([]string{"ALL_SUBNETS"})
		bgp.AdvertisedIpRanges = custom
	}
	return compute.NewRouter(r.ctx, r.plan.Gcp.RouterName, &compute.RouterArgs{
		Project: r.args.Gcp.Project,
		Region:  r.args.Gcp.Region,
		Network: r.args.Gcp.Network,
		Bgp:     bgp,
	}, r.parent)
}

// tunnel registers one tunnel with its router interface and BGP peer.
func (r *renderer) tunnel(g *gcpResources, t linkplan.Tunnel) (*compute.VPNTunnel, error) {
	tunnel, err := compute.NewVPNTunnel(r.ctx, t.Name, &compute.VPNTunnelArgs{
		Project:                      r.args.Gcp.Project,
		Region:                       r.args.Gcp.Region,
		VpnGateway:                   g.gateways[t.GcpInterface.Gateway].id,
		VpnGatewayInterface:          pulumi.Int(t.GcpInterface.Interface),
		PeerExternalGateway:          g.peer.ID(),
		PeerExternalGatewayInterface: pulumi.Int(t.AzureInstance),
		Router:                       g.routerId,
		IkeVersion:                   pulumi.Int(2),
		SharedSecret:                 r.psks[t.Name],
	}, r.parent,
		// A new tunnel on the same interface pair fails while the old one exists (terraform-provider-google #16619).
		pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return nil, err
	}
	iface, err := compute.NewRouterInterface(r.ctx, t.RouterInterfaceName, &compute.RouterInterfaceArgs{
		Name:      pulumi.String(t.RouterInterfaceName),
		Project:   r.args.Gcp.Project,
		Region:    r.args.Gcp.Region,
		Router:    g.routerName,
		IpRange:   pulumi.String(fmt.Sprintf("%s/%d", t.Session.GcpIp, t.Session.Range.Bits())),
		VpnTunnel: tunnel.Name,
	}, r.parent, pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return nil, err
	}
	_, err = compute.NewRouterPeer(r.ctx, t.BgpPeerName, &compute.RouterPeerArgs{
		Name:          pulumi.String(t.BgpPeerName),
		Project:       r.args.Gcp.Project,
		Region:        r.args.Gcp.Region,
		Router:        g.routerName,
		Interface:     iface.Name,
		IpAddress:     pulumi.String(t.Session.GcpIp.String()),
		PeerIpAddress: pulumi.String(t.Session.AzureIp.String()),
		PeerAsn:       pulumi.Int(int(t.Session.AzureAsn)),
	}, r.parent, pulumi.DeleteBeforeReplace(true),
		// The peer must be replaced whenever its interface is (terraform-google-vpn #204/#205).
		pulumi.ReplaceWith([]pulumi.Resource{iface}))
	return tunnel, err
}

// firewall admits the Azure VNet ranges: every VPC has an implied deny-all ingress rule.
func (r *renderer) firewall() error {
	fw := r.plan.Gcp.Firewall
	if !fw.Enabled {
		return nil
	}
	allows := compute.FirewallAllowArray{}
	for _, a := range fw.Allow {
		allow := compute.FirewallAllowArgs{Protocol: pulumi.String(a.Protocol)}
		if len(a.Ports) > 0 {
			allow.Ports = pulumi.ToStringArray(a.Ports)
		}
		allows = append(allows, allow)
	}
	args := &compute.FirewallArgs{
		Project:      r.args.Gcp.Project,
		Network:      r.args.Gcp.Network,
		Direction:    pulumi.String("INGRESS"),
		SourceRanges: r.addressPrefixes,
		Allows:       allows,
		Description:  pulumi.String("Admit the Azure VNet over the havpn link " + r.plan.Name),
	}
	if f := r.args.Gcp.Firewall; f != nil && f.TargetTags != nil {
		args.TargetTags = f.TargetTags
	}
	_, err := compute.NewFirewall(r.ctx, fw.Name, args, r.parent)
	return err
}

// checkAddressSpace validates the VNet ranges and the Google ranges against them when they resolve:
// plain values were checked before any registration, Outputs only now (same messages). The firewall
// admits the checked ranges only, and the Azure gateway waits on the check.
func (r *renderer) checkAddressSpace() {
	subnets := pulumi.StringArray{}.ToStringArrayOutput()
	if r.args.Gcp.SubnetRanges != nil {
		subnets = r.args.Gcp.SubnetRanges.ToStringArrayOutput()
	}
	advertised := r.args.Gcp.AdvertisedIpRanges
	checked := pulumi.All(r.args.Azure.AddressPrefixes.ToStringArrayOutput(), subnets).ApplyT(func(vs []any) ([]string, error) {
		prefixes, ranges := vs[0].([]string), vs[1].([]string)
		problems := linkplan.ValidateAddressPrefixes(prefixes)
		problems = append(problems, linkplan.ValidateSubnetRanges(ranges)...)
		problems = append(problems, linkplan.ValidateAddressSpace(advertised, ranges, prefixes)...)
		if len(problems) > 0 {
			return nil, problems
		}
		return prefixes, nil
	}).(pulumi.StringArrayOutput)
	r.addressPrefixes = checked
	r.addressSpaceChecked = checked.ApplyT(func([]string) []pulumi.Resource { return nil }).(pulumi.ResourceArrayOutput)
}

// interfaceIps lists every HA VPN interface address, gateway by gateway.
func (g *gcpResources) interfaceIps() pulumi.StringArrayOutput {
	ips := pulumi.StringArray{}
	for _, gw := range g.gateways {
		for _, ip := range gw.interfaceIps {
			ips = append(ips, ip)
		}
	}
	return ips.ToStringArrayOutput()
}

// interfaceIp is the address Google assigned to interface i of an HA VPN gateway (the API lists
// vpnInterfaces in id order).
func interfaceIp(gw *compute.HaVpnGateway, i int) pulumi.StringOutput {
	return gw.VpnInterfaces.Index(pulumi.Int(i)).IpAddress().Elem()
}
