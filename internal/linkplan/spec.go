// Package linkplan validates the arguments of an HaVpnLink and computes its plan: gateways,
// interfaces, tunnels, /30s, BGP addresses, ASNs and names, as plain Go values. It imports no
// Pulumi or cloud SDK, so the rendering, the analysis and the reports all read the same plan.
package linkplan

// Topology names how the two clouds are wired.
type Topology string

const (
	// Paired is the field report's design: one HA VPN gateway, 2 tunnels, 2 BGP sessions.
	Paired Topology = "paired"
	// DualGateway adds a second HA VPN gateway: 4 tunnels, 4 BGP sessions.
	DualGateway Topology = "dualGateway"
)

// Topologies lists the accepted topology values, default first.
var Topologies = []Topology{Paired, DualGateway}

// GcpGatewayCount is the number of HA VPN gateways each topology uses.
func (t Topology) GcpGatewayCount() int {
	if t == DualGateway {
		return 2
	}
	return 1
}

// Spec is the link's arguments with every value known at construction resolved.
// A nil pointer on a string field means the value is an Output not known yet (checked later);
// a pointer to "" means the value is missing.
type Spec struct {
	Name         string
	Topology     string
	SharedSecret *string
	// NextSharedSecret starts a staged rotation: the tunnels of rotation stage 1 take their keys from it
	// while the others keep sharedSecret's. nil when not given or not known yet; "" means no rotation.
	NextSharedSecret *string
	BgpSessionBlock  *int
	BgpSessionRanges []string
	Gcp              GcpSpec
	Azure            AzureSpec
	IpsecPolicy      *IpsecPolicySpec
}

// GcpSpec is the Google Cloud side of a Spec.
type GcpSpec struct {
	Region             *string
	Network            *string
	Asn                *int64
	KeepaliveInterval  *int
	AdvertisedIpRanges []string
	// SubnetRanges are the VPC's subnet ranges, checked against the VNet; nil when an Output not known yet.
	SubnetRanges []string
	Firewall     FirewallSpec
}

// FirewallSpec is the ingress rule that admits the Azure ranges into the VPC.
type FirewallSpec struct {
	Enabled *bool
	Allow   []FirewallAllowSpec
}

// FirewallAllowSpec is one protocol with optional ports.
type FirewallAllowSpec struct {
	Protocol string
	Ports    []string
}

// AzureSpec is the Azure side of a Spec.
type AzureSpec struct {
	ResourceGroupName *string
	Location          *string
	GatewaySubnetId   *string
	AddressPrefixes   []string // nil when an Output not known yet
	Asn               *int64
	Sku               string
	Generation        string
	Zones             []string
	DpdTimeoutSeconds *int
	GatewayName       string
}

// IpsecPolicySpec overrides fields of the default IPsec policy; empty fields keep the default.
type IpsecPolicySpec struct {
	IkeEncryption       string
	IkeIntegrity        string
	DhGroup             string
	IpsecEncryption     string
	IpsecIntegrity      string
	PfsGroup            string
	SaLifeTimeSeconds   *int
	SaDataSizeKilobytes *int
}
