package analysis

import "github.com/havpn/pulumi-havpn/internal/core/linkplan"

// Carrier is a resource of the link whose replacement, removal or disruptive update takes BGP sessions
// down: the failure domains it carries whole (a Google interface, an Azure instance), or single tunnels.
// Resource is its Pulumi logical name, as the plan names it.
type Carrier struct {
	Resource string   `json:"resource"`
	Domains  []string `json:"domains,omitempty"`
	Tunnels  []string `json:"tunnels,omitempty"`
}

// Carriers lists, from the plan alone, which resource carries which sessions: an HA VPN gateway its two
// interfaces; an Azure public IP its instance; the Azure gateway, the external VPN gateway (Google's
// description of both Azure instances) and the Cloud Router every session; a tunnel, its router interface
// and BGP peer, its local network gateway and connection their own session.
func Carriers(p *linkplan.Plan) []Carrier {
	var all, instances []string
	for _, a := range p.Azure.Instances {
		instances = append(instances, a.FailureDomain())
	}
	for _, t := range p.Tunnels {
		all = append(all, t.Name)
	}
	var out []Carrier
	for _, g := range p.Gcp.Gateways {
		var ifaces []string
		for i := 0; i < linkplan.GcpInterfaceCount; i++ {
			ifaces = append(ifaces, linkplan.GcpInterface{Gateway: g.Index, Interface: i}.FailureDomain())
		}
		out = append(out, Carrier{Resource: g.Name, Domains: ifaces})
	}
	out = append(out,
		Carrier{Resource: p.Gcp.ExternalGatewayName, Domains: instances},
		Carrier{Resource: p.Gcp.RouterName, Tunnels: all})
	// The Azure gateway and its public IPs carry the link's sessions only as the link's own resources;
	// a hub's are the hub's, an existing gateway is nobody's to change.
	if p.Azure.Source == linkplan.OwnGateway {
		out = append(out, Carrier{Resource: p.AzureGatewayResourceName(), Domains: instances})
		for _, a := range p.Azure.Instances {
			out = append(out, Carrier{Resource: a.PublicIpName, Domains: []string{a.FailureDomain()}})
		}
	}
	for _, t := range p.Tunnels {
		for _, r := range []string{t.Name, t.RouterInterfaceName, t.BgpPeerName, t.LocalNetworkGatewayName, t.ConnectionName} {
			out = append(out, Carrier{Resource: r, Tunnels: []string{t.Name}})
		}
	}
	return out
}
