package component

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// lookupExistingGateway finds the existing Azure gateway through the provider (an invoke, synchronous:
// the link registers no child before it returns) and checks it with the pure core.
func (r *renderer) lookupExistingGateway() (*linkplan.FoundGateway, error) {
	g := r.args.Azure.ExistingGateway
	id, _ := linkplan.ParseGatewayID(g.Id)
	res, err := network.LookupVirtualNetworkGateway(r.ctx, &network.LookupVirtualNetworkGatewayArgs{
		ResourceGroupName: id.ResourceGroup, VirtualNetworkGatewayName: id.Name,
	}, pulumi.Parent(r.link))
	if err != nil {
		return nil, fmt.Errorf("havpn: azure.existingGateway.id = %q: looking the gateway up failed: %w. Fix: check the ID (az network vnet-gateway show -g %s -n %s) and the azure-native provider's subscription", g.Id, err, id.ResourceGroup, id.Name)
	}
	found := foundGateway(res)
	if found.Id == "" {
		found.Id = g.Id
	}
	if problems := linkplan.ValidateExistingGateway(r.plan, found, r.spec.Azure.ExistingGateway.PublicIps); len(problems) > 0 {
		return nil, problems
	}
	return &found, nil
}

// foundGateway reduces the lookup result (the SDK's own type) to what the pure core checks.
func foundGateway(res *network.LookupVirtualNetworkGatewayResult) linkplan.FoundGateway {
	f := linkplan.FoundGateway{Name: res.Name, ActiveActive: res.ActiveActive, EnableBgp: res.EnableBgp, CustomBgpIps: map[string][]string{}, TunnelIps: map[string][]string{}}
	f.Id, f.Location, f.VpnType = deref(res.Id), deref(res.Location), deref(res.VpnType)
	if res.Sku != nil {
		f.Sku = deref(res.Sku.Name)
	}
	for _, cfg := range res.IpConfigurations {
		f.IpConfigurations = append(f.IpConfigurations, linkplan.FoundIpConfiguration{Id: deref(cfg.Id), Name: deref(cfg.Name)})
	}
	if b := res.BgpSettings; b != nil {
		f.Asn = b.Asn
		for _, e := range b.BgpPeeringAddresses {
			key := strings.ToLower(deref(e.IpconfigurationId))
			f.CustomBgpIps[key] = append(f.CustomBgpIps[key], e.CustomBgpIpAddresses...)
			f.TunnelIps[key] = append(f.TunnelIps[key], e.TunnelIpAddresses...)
		}
	}
	return f
}

// lookupExistingRouter finds the existing Cloud Router through the provider (compute.LookupRouter, an
// invoke, synchronous) and checks its ASN and network with the pure core.
func (r *renderer) lookupExistingRouter() (*linkplan.FoundRouter, error) {
	spec := r.spec.Gcp
	args := &compute.LookupRouterArgs{Name: spec.ExistingRouter, Network: *spec.Network, Region: spec.Region}
	if spec.Project != "" {
		args.Project = &spec.Project
	}
	res, err := compute.LookupRouter(r.ctx, args, pulumi.Parent(r.link))
	if err != nil {
		return nil, fmt.Errorf("havpn: gcp.existingRouter = %q: looking the Cloud Router up in %s failed: %w. Fix: check the name and gcp.region (gcloud compute routers describe %s --region %s)", spec.ExistingRouter, *spec.Region, err, spec.ExistingRouter, *spec.Region)
	}
	// The data source's ID is the router's bare name (data_source_google_compute_router.go: d.SetId(routerName));
	// the tunnels name the router by its self link, which is unambiguous across regions.
	found := linkplan.FoundRouter{Id: res.SelfLink, Name: res.Name, Network: res.Network, Project: deref(res.Project), Region: deref(res.Region)}
	if found.Id == "" {
		found.Id = spec.ExistingRouter
	}
	if found.Region == "" {
		found.Region = *spec.Region
	}
	if found.Name == "" {
		found.Name = spec.ExistingRouter
	}
	if len(res.Bgps) > 0 {
		found.Asn = &res.Bgps[0].Asn
	}
	if problems := linkplan.ValidateExistingRouter(r.plan, found, *spec.Network); len(problems) > 0 {
		return nil, problems
	}
	return &found, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
