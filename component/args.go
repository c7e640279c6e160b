package component

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// HaVpnLinkArgs are the arguments of an HaVpnLink. Values that usually come from other resources
// (network, subnet ID, resource group, location, address prefixes, the secret) are Pulumi inputs;
// the design parameters that shape the plan (topology, ASNs, /30s, SKU, timers, policy) are plain
// values, so the whole plan is validated before any resource is registered.
type HaVpnLinkArgs struct {
	// Topology is "paired" (default: 2 tunnels) or "dualGateway" (4 tunnels).
	Topology string `pulumi:"topology,optional"`
	// SharedSecret is the master secret every tunnel's pre-shared key is derived from.
	SharedSecret pulumi.StringInput `pulumi:"sharedSecret"`
	// NextSharedSecret stages a rotation: while set, the tunnels of rotation stage 1 (those on Azure
	// instance 0) take their keys from it; set sharedSecret to the same value to move the rest.
	NextSharedSecret pulumi.StringInput `pulumi:"nextSharedSecret,optional"`
	// BgpSessionBlock picks a disjoint set of /30s (0-31), so several links can share a VPC and a gateway.
	BgpSessionBlock *int `pulumi:"bgpSessionBlock,optional"`
	// BgpSessionRanges overrides the allocation with one /30 per tunnel, in tunnel order.
	BgpSessionRanges []string `pulumi:"bgpSessionRanges,optional"`
	// Gcp is the Google Cloud side.
	Gcp GcpArgs `pulumi:"gcp"`
	// Azure is the Azure side.
	Azure AzureArgs `pulumi:"azure"`
	// IpsecPolicy overrides fields of the default IKEv2/IPsec policy set on every Azure connection.
	IpsecPolicy *IpsecPolicyArgs `pulumi:"ipsecPolicy,optional"`
}

// GcpArgs is the Google Cloud side of the link.
type GcpArgs struct {
	// Project is the Google project; the provider's default when unset.
	Project pulumi.StringPtrInput `pulumi:"project,optional"`
	// Region is where the HA VPN gateways and the Cloud Router live.
	Region pulumi.StringInput `pulumi:"region"`
	// Network is the VPC's self link or name.
	Network pulumi.StringInput `pulumi:"network"`
	// Asn is the Cloud Router's private ASN (default 65534).
	Asn *int `pulumi:"asn,optional"`
	// KeepaliveInterval is the BGP keepalive in seconds, 20-60 (default 20).
	KeepaliveInterval *int `pulumi:"keepaliveInterval,optional"`
	// AdvertisedIpRanges are advertised to Azure on top of all subnets (CUSTOM advertisement); an entry
	// equal to or inside a VNet prefix is refused (Azure drops it).
	AdvertisedIpRanges []string `pulumi:"advertisedIpRanges,optional"`
	// SubnetRanges are the VPC's subnet ranges, checked against the VNet prefixes (never rendered).
	SubnetRanges pulumi.StringArrayInput `pulumi:"subnetRanges,optional"`
	// Firewall is the ingress rule admitting the Azure ranges into the VPC.
	Firewall *FirewallArgs `pulumi:"firewall,optional"`
	// ExistingRouter names a Cloud Router havpn did not create (in gcp.region, on gcp.network): the link
	// adds its router interfaces and BGP peers to it. Its ASN is looked up and must equal gcp.asn.
	ExistingRouter string `pulumi:"existingRouter,optional"`
	// ExistingGateways are the self links of HA VPN gateways havpn did not create, one per gateway of
	// the topology; the link's tunnels start on them.
	ExistingGateways []string `pulumi:"existingGateways,optional"`
}

// FirewallArgs configures the ingress rule from Azure.
type FirewallArgs struct {
	// Enabled creates the rule (default true): a VPC denies all ingress by default.
	Enabled *bool `pulumi:"enabled,optional"`
	// Allow lists protocols and ports (default: all protocols).
	Allow []FirewallAllowArgs `pulumi:"allow,optional"`
	// TargetTags limits the rule to instances with these network tags.
	TargetTags pulumi.StringArrayInput `pulumi:"targetTags,optional"`
}

// FirewallAllowArgs is one protocol, with optional ports for tcp, udp and sctp.
type FirewallAllowArgs struct {
	Protocol string   `pulumi:"protocol"`
	Ports    []string `pulumi:"ports,optional"`
}

// AzureArgs is the Azure side of the link.
type AzureArgs struct {
	// ResourceGroupName is the gateway's resource group: the GatewaySubnet's. On a hub or an existing
	// gateway it is where the LNGs and connections go (default: the hub's, or the gateway's).
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName,optional"`
	// Location is the Azure region, e.g. japaneast (default on a hub or an existing gateway: the gateway's).
	Location pulumi.StringInput `pulumi:"location,optional"`
	// GatewaySubnetId is the ARM ID of the subnet named GatewaySubnet; only for a gateway the link creates.
	GatewaySubnetId pulumi.StringInput `pulumi:"gatewaySubnetId,optional"`
	// AddressPrefixes are the VNet ranges; the Google firewall admits only these.
	AddressPrefixes pulumi.StringArrayInput `pulumi:"addressPrefixes"`
	// Asn is the Azure gateway's ASN (default 65515).
	Asn *int `pulumi:"asn,optional"`
	// Sku is the gateway SKU (default VpnGw1AZ).
	Sku string `pulumi:"sku,optional"`
	// Generation is the gateway generation, Generation1 or Generation2.
	Generation string `pulumi:"generation,optional"`
	// Zones are the public IPs' zones (default 1, 2, 3 for AZ SKUs).
	Zones []string `pulumi:"zones,optional"`
	// DpdTimeoutSeconds is the dead peer detection timeout, 9-3600 (default 45).
	DpdTimeoutSeconds *int `pulumi:"dpdTimeoutSeconds,optional"`
	// GatewayName fixes the gateway's name (default "<component name>-vgw").
	GatewayName string `pulumi:"gatewayName,optional"`
	// Hub is an AzureVpnHub's `hub` output: the link uses the hub's gateway and one of its slots instead
	// of creating a gateway. Pass the output unchanged (from another stack: a StackReference's value).
	Hub *AzureVpnHubRefArgs `pulumi:"hub,optional"`
	// HubSlot is the hub slot the link takes (its /30s are the slot's).
	HubSlot *int `pulumi:"hubSlot,optional"`
	// HubSpoke names the spoke in the hub's registry; the link takes its slot and must have its ASN.
	HubSpoke string `pulumi:"hubSpoke,optional"`
	// ExistingGateway is an Azure VPN gateway havpn did not create; it is looked up and checked
	// (active-active, BGP, ASN, the link's APIPA addresses) before anything is created.
	ExistingGateway *ExistingGatewayArgs `pulumi:"existingGateway,optional"`
}

// ExistingGatewayArgs describes an Azure VPN gateway havpn did not create.
type ExistingGatewayArgs struct {
	// Id is the gateway's ARM ID.
	Id string `pulumi:"id"`
	// PublicIps are the public addresses of its two instances, in the order of its ipConfigurations.
	PublicIps []string `pulumi:"publicIps"`
	// Asn is the gateway's BGP ASN (default: azure.asn, or Azure's 65515); checked against the gateway.
	Asn *int `pulumi:"asn,optional"`
}

// IpsecPolicyArgs overrides fields of the default policy; empty fields keep the default.
type IpsecPolicyArgs struct {
	IkeEncryption       string `pulumi:"ikeEncryption,optional"`
	IkeIntegrity        string `pulumi:"ikeIntegrity,optional"`
	DhGroup             string `pulumi:"dhGroup,optional"`
	IpsecEncryption     string `pulumi:"ipsecEncryption,optional"`
	IpsecIntegrity      string `pulumi:"ipsecIntegrity,optional"`
	PfsGroup            string `pulumi:"pfsGroup,optional"`
	SaLifeTimeSeconds   *int   `pulumi:"saLifeTimeSeconds,optional"`
	SaDataSizeKilobytes *int   `pulumi:"saDataSizeKilobytes,optional"`
}

// spec resolves the arguments known at construction into the pure core's Spec.
func (a *HaVpnLinkArgs) spec(name string) linkplan.Spec {
	s := linkplan.Spec{
		Name:             name,
		Topology:         a.Topology,
		SharedSecret:     knownString(a.SharedSecret),
		NextSharedSecret: knownOptionalString(a.NextSharedSecret),
		BgpSessionBlock:  a.BgpSessionBlock,
		BgpSessionRanges: a.BgpSessionRanges,
		Gcp: linkplan.GcpSpec{
			Region:             knownString(a.Gcp.Region),
			Network:            knownString(a.Gcp.Network),
			Asn:                toInt64(a.Gcp.Asn),
			KeepaliveInterval:  a.Gcp.KeepaliveInterval,
			AdvertisedIpRanges: a.Gcp.AdvertisedIpRanges,
			SubnetRanges:       knownStrings(a.Gcp.SubnetRanges),
			ExistingRouter:     a.Gcp.ExistingRouter,
			ExistingGateways:   a.Gcp.ExistingGateways,
		},
		Azure: linkplan.AzureSpec{
			ResourceGroupName: knownString(a.Azure.ResourceGroupName),
			Location:          knownString(a.Azure.Location),
			GatewaySubnetId:   knownString(a.Azure.GatewaySubnetId),
			AddressPrefixes:   knownStrings(a.Azure.AddressPrefixes),
			Asn:               toInt64(a.Azure.Asn),
			Sku:               a.Azure.Sku,
			Generation:        a.Azure.Generation,
			Zones:             a.Azure.Zones,
			DpdTimeoutSeconds: a.Azure.DpdTimeoutSeconds,
			GatewayName:       a.Azure.GatewayName,
			Hub:               a.Azure.Hub.spec(),
			HubSlot:           a.Azure.HubSlot,
			HubSpoke:          a.Azure.HubSpoke,
		},
	}
	if project := knownOptionalStringPtr(a.Gcp.Project); project != nil {
		s.Gcp.Project = *project
	} else {
		s.Gcp.ProjectUnknown = true
	}
	if g := a.Azure.ExistingGateway; g != nil {
		s.Azure.ExistingGateway = &linkplan.ExistingGatewaySpec{Id: g.Id, PublicIps: g.PublicIps, Asn: toInt64(g.Asn)}
	}
	if f := a.Gcp.Firewall; f != nil {
		s.Gcp.Firewall.Enabled = f.Enabled
		for _, r := range f.Allow {
			s.Gcp.Firewall.Allow = append(s.Gcp.Firewall.Allow, linkplan.FirewallAllowSpec{Protocol: r.Protocol, Ports: r.Ports})
		}
	}
	if p := a.IpsecPolicy; p != nil {
		s.IpsecPolicy = &linkplan.IpsecPolicySpec{
			IkeEncryption: p.IkeEncryption, IkeIntegrity: p.IkeIntegrity, DhGroup: p.DhGroup,
			IpsecEncryption: p.IpsecEncryption, IpsecIntegrity: p.IpsecIntegrity, PfsGroup: p.PfsGroup,
			SaLifeTimeSeconds: p.SaLifeTimeSeconds, SaDataSizeKilobytes: p.SaDataSizeKilobytes,
		}
	}
	return s
}

// knownString returns the value of a plain input, a pointer to "" for a missing one,
// and nil for an Output whose value is only known later.
func knownString(in pulumi.StringInput) *string {
	switch v := in.(type) {
	case nil:
		empty := ""
		return &empty
	case pulumi.String:
		s := string(v)
		return &s
	default:
		return nil
	}
}

// knownOptionalString returns the value of a plain optional input, and nil for an absent one or an
// Output whose value is only known later.
func knownOptionalString(in pulumi.StringInput) *string {
	if in == nil {
		return nil
	}
	return knownString(in)
}

// knownStrings returns the values of a plain string array, an empty slice for a missing one,
// and nil when any element is an Output.
func knownStrings(in pulumi.StringArrayInput) []string {
	switch v := in.(type) {
	case nil:
		return []string{}
	case pulumi.StringArray:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(pulumi.String)
			if !ok {
				return nil
			}
			out = append(out, string(s))
		}
		return out
	default:
		return nil
	}
}

// knownOptionalStringPtr returns the value of a plain optional string input, a pointer to "" for an
// absent one, and nil for an Output whose value is only known later.
func knownOptionalStringPtr(in pulumi.StringPtrInput) *string {
	empty := ""
	switch v := in.(type) {
	case nil:
		return &empty
	case pulumi.String:
		s := string(v)
		return &s
	case *pulumi.String:
		if v == nil {
			return &empty
		}
		s := string(*v)
		return &s
	default:
		return nil
	}
}

func toInt64(v *int) *int64 {
	if v == nil {
		return nil
	}
	x := int64(*v)
	return &x
}
