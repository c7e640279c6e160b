package cloudrules

// UpdateDisruption says whether an in-place update of a resource interrupts the IPsec tunnels and BGP
// sessions that run through it, for the update's duration, and where that comes from. Where the
// vendors' docs are silent the less convenient behaviour is assumed: the update interrupts.
type UpdateDisruption struct {
	Interrupts bool
	Source     string
}

// docsSilent is the source of every assumed interruption.
const docsSilent = "docs silent on whether an in-place update interrupts traffic: assumed for the update's duration"

// UpdateDisruptions lists, per resource type on a BGP session's path, what an in-place update does to
// the sessions through it. Types off the path (VPC, subnets, firewall, resource group, VNet) never
// interrupt a session. Replacements and deletes always interrupt (the resource is gone meanwhile).
var UpdateDisruptions = map[string]UpdateDisruption{
	// Azure: "Local network gateway IP and BGP settings can be edited in place, but may cause tunnel
	// disconnects and downtime" (Azure docs vpn-gateway-modify-local-network-gateway-portal).
	"azure-native:network:LocalNetworkGateway": {true, "Azure docs vpn-gateway-modify-local-network-gateway-portal (\"may cause tunnel disconnects and downtime\")"},
	// Azure docs gateway-sku-resize and bgp-howto say nothing of traffic during a gateway update (an
	// APIPA list change, a SKU resize), which takes tens of minutes (about-gateway-skus).
	"azure-native:network:VirtualNetworkGateway": {true, docsSilent + " (Azure gateway-sku-resize, bgp-howto)"},
	// Azure ipsec-ike-policy-howto: "the policy will be enforced in about a minute", no word on the tunnel.
	"azure-native:network:VirtualNetworkGatewayConnection": {true, docsSilent + " (Azure ipsec-ike-policy-howto)"},
	"azure-native:network:PublicIPAddress":                 {true, docsSilent},
	// Google: BGP hold time is negotiated when a session opens (Cloud Router docs, managing BGP timers),
	// so a new keepalive takes effect through a new session; nothing is said of advertisement changes.
	"gcp:compute/router:Router":                         {true, docsSilent + " (Cloud Router docs, managing BGP timers)"},
	"gcp:compute/routerPeer:RouterPeer":                 {true, docsSilent},
	"gcp:compute/routerInterface:RouterInterface":       {true, docsSilent},
	"gcp:compute/vPNTunnel:VPNTunnel":                   {true, docsSilent},
	"gcp:compute/haVpnGateway:HaVpnGateway":             {true, docsSilent},
	"gcp:compute/externalVpnGateway:ExternalVpnGateway": {true, docsSilent},
}

// UpdateInterrupts reports whether an in-place update of a resource of this type interrupts the sessions
// through it.
func UpdateInterrupts(token string) bool { return UpdateDisruptions[token].Interrupts }
