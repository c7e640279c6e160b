package cloudrules

import (
	"fmt"
	"strings"
)

// S2STunnels is how many site-to-site tunnels an Azure VPN gateway of this SKU carries (AzureSkus; 0
// for a SKU havpn does not create).
func S2STunnels(sku string) int { return AzureSkus[sku].S2STunnels }

// TunnelsPerConnection is what one connection of an active-active gateway counts against the tunnel
// budget: it brings up one tunnel from each instance.
// Source: Azure VPN Gateway FAQ and about-active-active gateways ("both instances establish S2S VPN tunnels").
const TunnelsPerConnection = 2

// MaxCustomApipaAddresses is how many custom APIPA BGP addresses a gateway carries, both instances together.
// Source: Azure networking limits, VPN Gateway section (custom APIPA BGP addresses: 32); per gateway is our
// reading (issue 14 says to assume it).
const MaxCustomApipaAddresses = 32

// MaxGatewayBgpRoutes is the aggregate number of BGP routes an Azure VPN gateway learns before it drops
// the session. Source: Azure networking limits, VPN Gateway section (aggregate BGP routes 4,000).
const MaxGatewayBgpRoutes = 4000

// MaxCloudRouterBgpPeers is how many BGP peers one Cloud Router takes.
// Source: Google Cloud Router "Quotas and limits" (BGP peers per Cloud Router: 128).
const MaxCloudRouterBgpPeers = 128

// MaxCloudRoutersPerRegion is how many Cloud Routers one VPC network has in one region.
// Source: Google Cloud Router "Quotas and limits" (Cloud Routers per region per VPC network: 5).
const MaxCloudRoutersPerRegion = 5

// Limit is one capacity limit as README's table shows it: what, how much, its source and how havpn checks it.
type Limit struct {
	What   string
	Value  string
	Source string
	Check  string
}

// Limits is the capacity table of a hub and of links sharing a gateway or a Cloud Router, in the order
// README shows it (`go test ./internal/core/cloudrules -update` rewrites README's table from it).
var Limits = []Limit{
	{"S2S tunnels per Azure VPN gateway", fmt.Sprintf("VpnGw1AZ-VpnGw3AZ %d, VpnGw4AZ-VpnGw5AZ %d", S2STunnels("VpnGw1AZ"), S2STunnels("VpnGw4AZ")),
		"Azure \"About gateway SKUs\"",
		"hub: linkSlots x tunnels per slot must fit the SKU's budget"},
	{"Tunnels per active-active connection", fmt.Sprint(TunnelsPerConnection),
		"Azure VPN Gateway FAQ; about-active-active gateways",
		"a paired slot counts 2 connections = 4 tunnels, a dualGateway slot 8"},
	{"Custom APIPA BGP addresses per gateway", fmt.Sprint(MaxCustomApipaAddresses),
		"Azure networking limits (VPN Gateway); per gateway is our reading",
		"hub: linkSlots x addresses per slot (2 paired, 4 dualGateway)"},
	{"Aggregate BGP routes per gateway", fmt.Sprint(MaxGatewayBgpRoutes),
		"Azure networking limits (VPN Gateway): the session drops above it",
		"not checked (route counts are not known before deployment); shown in the hub's capacity"},
	{"BGP peers per Cloud Router", fmt.Sprint(MaxCloudRouterBgpPeers),
		"Google Cloud Router quotas and limits",
		"links of one program on one gcp.existingRouter"},
	{"Cloud Routers per region per VPC network", fmt.Sprint(MaxCloudRoutersPerRegion),
		"Google Cloud Router quotas and limits",
		"links of one program that create their own router on one known gcp.network and region"},
}

// LimitsMarkdown renders Limits as README's Markdown table.
func LimitsMarkdown() string {
	var b strings.Builder
	b.WriteString("| limit | value | source | what havpn checks |\n|---|---|---|---|\n")
	for _, l := range Limits {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", l.What, l.Value, l.Source, l.Check)
	}
	return b.String()
}

// TunnelBudgetProblem says why n tunnels do not fit a gateway of this SKU, or "" when they do.
func TunnelBudgetProblem(sku string, n int) string {
	limit := S2STunnels(sku)
	if limit == 0 || n <= limit {
		return ""
	}
	return fmt.Sprintf("%d S2S tunnels exceed the %d a %s gateway carries (Azure \"About gateway SKUs\"; an active-active connection counts %d)", n, limit, sku, TunnelsPerConnection)
}

// ApipaBudgetProblem says why n custom APIPA addresses do not fit one gateway, or "" when they do.
func ApipaBudgetProblem(n int) string {
	if n <= MaxCustomApipaAddresses {
		return ""
	}
	return fmt.Sprintf("%d custom APIPA BGP addresses exceed the %d one gateway carries (Azure networking limits)", n, MaxCustomApipaAddresses)
}

// RouterPeerBudgetProblem says why n BGP peers do not fit one Cloud Router, or "" when they do.
func RouterPeerBudgetProblem(n int) string {
	if n <= MaxCloudRouterBgpPeers {
		return ""
	}
	return fmt.Sprintf("%d BGP peers exceed the %d one Cloud Router takes (Cloud Router quotas and limits)", n, MaxCloudRouterBgpPeers)
}

// RoutersPerRegionProblem says why n Cloud Routers do not fit one region of one VPC network, or "".
func RoutersPerRegionProblem(n int) string {
	if n <= MaxCloudRoutersPerRegion {
		return ""
	}
	return fmt.Sprintf("%d Cloud Routers exceed the %d one VPC network has per region (Cloud Router quotas and limits)", n, MaxCloudRoutersPerRegion)
}
