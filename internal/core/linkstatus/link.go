// Package linkstatus judges a deployed link from what the two clouds report: one row per planned
// tunnel, the Azure BGP peers that stay "Connecting" by design, which single failure would now cut
// the link, a verdict with its exit code, and a plain diagnosis of known faults citing the docs it
// rests on. It reads only plain values (the link's outputs and the APIs' answers in their own JSON
// shapes); it imports no Pulumi or cloud SDK, so `havpn status` and a staged rotation can both call it.
package linkstatus

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// Link is a deployed HaVpnLink as its outputs describe it: where its resources live and its tunnels.
type Link struct {
	Name           string          `json:"name"`
	GcpProject     string          `json:"gcpProject"`
	GcpRegion      string          `json:"gcpRegion"`
	GcpRouter      string          `json:"gcpRouterName"`
	AzureGatewayID string          `json:"azureGatewayId"`
	AzurePublicIps []string        `json:"azurePublicIps"` // Azure instance 0, then 1
	Tunnels        []PlannedTunnel `json:"tunnels"`
}

// PlannedTunnel is one row of the link's `tunnels` output with the cloud names of its two ends.
type PlannedTunnel struct {
	Name              string `json:"name"`
	GcpGateway        int    `json:"gcpGateway"`
	GcpInterface      int    `json:"gcpInterface"`
	AzureInstance     int    `json:"azureInstance"`
	BgpSessionRange   string `json:"bgpSessionRange"`
	GcpBgpIp          string `json:"gcpBgpIp"`
	AzureBgpIp        string `json:"azureBgpIp"`
	GcpTunnelName     string `json:"gcpTunnelName"`     // the VPN tunnel's name in Google Cloud (auto-named)
	AzureConnectionID string `json:"azureConnectionId"` // the connection's ARM ID
}

// GcpDomain is the failure domain of the tunnel's Google interface, e.g. gcp-gw0-if1.
func (t PlannedTunnel) GcpDomain() string {
	return linkplan.GcpInterface{Gateway: t.GcpGateway, Interface: t.GcpInterface}.FailureDomain()
}

// AzureDomain is the failure domain of the Azure instance the tunnel ends on, e.g. azure-inst1.
func (t PlannedTunnel) AzureDomain() string { return linkplan.AzureFailureDomain(t.AzureInstance) }

// Topology names the link's topology from its gateway count.
func (l *Link) Topology() linkplan.Topology {
	if l.plan(l.Tunnels).Topology.GcpGatewayCount() == 2 {
		return linkplan.DualGateway
	}
	return linkplan.Paired
}

// Check reports every field the status needs that is missing or malformed, at once.
func (l *Link) Check() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for field, v := range map[string]string{"gcpProject": l.GcpProject, "gcpRegion": l.GcpRegion, "gcpRouterName": l.GcpRouter} {
		if v == "" {
			bad("%s is empty", field)
		}
	}
	if _, err := ParseArmID(l.AzureGatewayID); err != nil {
		bad("azureGatewayId: %v", err)
	}
	if len(l.AzurePublicIps) != linkplan.AzureInstanceCount {
		bad("azurePublicIps lists %d addresses, want %d", len(l.AzurePublicIps), linkplan.AzureInstanceCount)
	}
	if len(l.Tunnels) == 0 {
		bad("the link has no tunnels")
	}
	for _, t := range l.Tunnels {
		for _, ip := range []string{t.GcpBgpIp, t.AzureBgpIp} {
			if _, err := netip.ParseAddr(ip); err != nil {
				bad("tunnel %s: BGP address %q is not an address", t.Name, ip)
			}
		}
		if t.AzureInstance < 0 || t.AzureInstance >= linkplan.AzureInstanceCount {
			bad("tunnel %s: Azure instance %d does not exist", t.Name, t.AzureInstance)
		}
		if t.GcpTunnelName == "" {
			bad("tunnel %s: no Google tunnel name (output gcpTunnelNames)", t.Name)
		}
		if _, err := ParseArmID(t.AzureConnectionID); err != nil {
			bad("tunnel %s: azureConnectionIds: %v", t.Name, err)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("link %q: %s", l.Name, strings.Join(problems, "; "))
	}
	return nil
}

// plan is the part of the link's plan the survivability analysis reads (internal/core/analysis): its
// failure domains and, for the given tunnels, which Google interface and Azure instance each uses.
func (l *Link) plan(tunnels []PlannedTunnel) *linkplan.Plan {
	p := &linkplan.Plan{Name: l.Name, Topology: linkplan.Paired}
	var gateways []int
	for _, t := range l.Tunnels {
		if !slices.Contains(gateways, t.GcpGateway) {
			gateways = append(gateways, t.GcpGateway)
		}
	}
	slices.Sort(gateways)
	if len(gateways) == linkplan.DualGateway.GcpGatewayCount() {
		p.Topology = linkplan.DualGateway
	}
	for _, g := range gateways {
		p.Gcp.Gateways = append(p.Gcp.Gateways, linkplan.GcpGateway{Index: g})
	}
	for n := 0; n < linkplan.AzureInstanceCount; n++ {
		p.Azure.Instances = append(p.Azure.Instances, linkplan.AzureInstance{Index: n})
	}
	for _, t := range tunnels {
		p.Tunnels = append(p.Tunnels, linkplan.Tunnel{
			Name:          t.Name,
			GcpInterface:  linkplan.GcpInterface{Gateway: t.GcpGateway, Interface: t.GcpInterface},
			AzureInstance: t.AzureInstance,
		})
	}
	return p
}

// ArmID is a parsed Microsoft.Network resource ID.
type ArmID struct {
	Subscription  string
	ResourceGroup string
	Collection    string // e.g. virtualNetworkGateways, connections
	Name          string
}

// armIDPattern is /subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/COLLECTION/NAME.
// Source: Azure Resource Manager resource ID format.
var armIDPattern = regexp.MustCompile(`(?i)^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.Network/([^/]+)/([^/]+)$`)

// ParseArmID parses the ARM ID of a top-level Microsoft.Network resource.
func ParseArmID(id string) (ArmID, error) {
	m := armIDPattern.FindStringSubmatch(id)
	if m == nil {
		return ArmID{}, fmt.Errorf("%q is not the ARM ID of a Microsoft.Network resource", id)
	}
	return ArmID{Subscription: m[1], ResourceGroup: m[2], Collection: m[3], Name: m[4]}, nil
}
