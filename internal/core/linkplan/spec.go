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
	// Project is the Google project ("" for the provider's default); ProjectUnknown says it is an
	// Output not known yet.
	Project        string
	ProjectUnknown bool
	// ExistingRouter names a Cloud Router havpn did not create; the link adds its interfaces and BGP
	// peers to it instead of creating a router. "" creates one.
	ExistingRouter string
	// ExistingGateways are self links of HA VPN gateways havpn did not create, one per gateway of the
	// topology, used instead of creating them. Empty creates them.
	ExistingGateways []string
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
	// Hub is the AzureVpnHub whose gateway the link uses instead of creating one; nil creates one.
	Hub *HubRefSpec
	// HubSlot is the hub's slot the link takes; HubSpoke names the spoke whose slot the hub's
	// registry records. At least one is needed on a hub; both must agree when both are given.
	HubSlot  *int
	HubSpoke string
	// ExistingGateway is a gateway havpn did not create, used instead of creating one.
	ExistingGateway *ExistingGatewaySpec
}

// HubRefSpec is the plan-shaping part of an AzureVpnHub's `hub` output, as a link receives it.
type HubRefSpec struct {
	Name         string
	GatewayName  string
	Asn          int64
	Sku          string
	SlotTopology string
	LinkSlots    int
	Slots        []HubSlotSpec
	Spokes       []SpokeSpec
	// PublicIps are the gateway instances' public addresses; nil while an Output not known yet.
	PublicIps []string
}

// HubSlotSpec is one slot of a hub: its index and the /30s of its tunnels, in tunnel order.
type HubSlotSpec struct {
	Index            int
	BgpSessionRanges []string
}

// SpokeSpec is one entry of a hub's spoke registry: which spoke (a link, usually in its own stack)
// takes which slot, and the ASN of its Cloud Router.
type SpokeSpec struct {
	Name string
	Slot int
	Asn  int64
}

// ExistingGatewaySpec is an Azure VPN gateway havpn did not create.
type ExistingGatewaySpec struct {
	// Id is the gateway's ARM ID.
	Id string
	// PublicIps are its two instances' public addresses, in the order of its ipConfigurations.
	PublicIps []string
	// Asn is the ASN the gateway is expected to have; nil: azure.asn, or Azure's default.
	Asn *int64
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
