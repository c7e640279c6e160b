package cloudrules

// UpdateDisruption says, per resource type, whether an in-place update takes down the tunnels and BGP
// sessions the resource carries for the update's duration, and why. Where the vendor docs do not say
// that an update keeps traffic flowing, havpn assumes it does not (the less convenient behaviour).
// `havpn plan-diff` reads it for its Disruption section.
var UpdateDisruption = map[string]Disruption{
	TokenAzureGateway:    {true, "assumed: the Azure docs do not say an in-place gateway update keeps its tunnels up; updates take tens of minutes"},
	TokenAzureConnection: {true, "assumed: the Azure docs do not say a connection update keeps its tunnel up"},
	TokenLocalGateway:    {true, "Azure docs vpn-gateway-modify-local-network-gateway-portal: changing IP or BGP settings \"may cause tunnel disconnects and downtime\""},
	TokenPublicIp:        {true, "assumed: the Azure docs do not say a public IP update keeps the gateway instance reachable"},
	TokenRouter:          {true, "assumed: the Google docs do not say a Cloud Router BGP update keeps its sessions up"},
	TokenRouterPeer:      {true, "assumed: a BGP peer whose addresses or ASN change re-establishes its session"},
	TokenVpnTunnel:       {true, "assumed: the Google docs do not say a tunnel update keeps it up (only labels update in place)"},
	TokenHaVpnGateway:    {true, "assumed: every input is ForceNew, an update does not happen"},
	TokenExternalGateway: {true, "assumed: only labels update in place"},
	TokenRouterInterface: {true, "assumed: every input is ForceNew, an update does not happen"},
}

// Disruption is whether an update disrupts, and the source or assumption behind it.
type Disruption struct {
	Disrupts bool
	Source   string
}

// UpdateDisrupts tells whether an in-place update of a resource of this type takes its tunnels down; a
// type not listed is assumed to (the less convenient behaviour).
func UpdateDisrupts(token string) Disruption {
	if d, ok := UpdateDisruption[token]; ok {
		return d
	}
	return Disruption{true, "assumed: no source says an update of this type keeps tunnels up"}
}
