package analysis

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// TunnelRow is one tunnel as the `tunnels` output and the plan command's JSON show it.
type TunnelRow struct {
	Name            string `json:"name"`
	GcpGateway      int    `json:"gcpGateway"`
	GcpInterface    int    `json:"gcpInterface"`
	AzureInstance   int    `json:"azureInstance"`
	BgpSessionRange string `json:"bgpSessionRange"`
	GcpBgpIp        string `json:"gcpBgpIp"`
	AzureBgpIp      string `json:"azureBgpIp"`
}

// TunnelRows lists the plan's tunnels as rows.
func TunnelRows(p *linkplan.Plan) []TunnelRow {
	rows := make([]TunnelRow, 0, len(p.Tunnels))
	for _, t := range p.Tunnels {
		rows = append(rows, TunnelRow{
			Name:            t.Name,
			GcpGateway:      t.GcpInterface.Gateway,
			GcpInterface:    t.GcpInterface.Interface,
			AzureInstance:   t.AzureInstance,
			BgpSessionRange: t.Session.Range.String(),
			GcpBgpIp:        t.Session.GcpIp.String(),
			AzureBgpIp:      t.Session.AzureIp.String(),
		})
	}
	return rows
}

// WiringTable renders the tunnels: Google gateway/interface, Azure instance, /30, both BGP IPs and ASNs.
func WiringTable(p *linkplan.Plan) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "TUNNEL\tGCP GATEWAY\tGCP IF\tAZURE INSTANCE\t/30\tGCP BGP IP\tAZURE BGP IP\tGCP ASN\tAZURE ASN")
	for _, t := range p.Tunnels {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%d\t%d\n", t.Name, p.Gcp.Gateways[t.GcpInterface.Gateway].Name,
			t.GcpInterface.Interface, t.AzureInstance, t.Session.Range, t.Session.GcpIp, t.Session.AzureIp, t.Session.GcpAsn, t.Session.AzureAsn)
	}
	w.Flush()
	return b.String()
}

// SurvivabilityTable renders how many BGP sessions stay up for each failure case.
func SurvivabilityTable(p *linkplan.Plan, cases []FailureCase) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "FAILED\tBGP SESSIONS UP\tVERDICT")
	for _, c := range cases {
		fmt.Fprintf(w, "%s\t%d/%d\t%s\n", strings.Join(c.Failed, " + "), c.BgpSessionsUp, len(p.Tunnels), Verdict(c.BgpSessionsUp, len(p.Tunnels)))
	}
	w.Flush()
	return b.String()
}

// Verdict names a failure case's outcome: ok, degraded or LINK DOWN.
func Verdict(up, total int) string {
	switch {
	case up == 0:
		return "LINK DOWN"
	case up < total:
		return "degraded"
	}
	return "ok"
}

// TopologyReport is the `topologyReport` output: the wiring table and the survivability table.
func TopologyReport(p *linkplan.Plan) string {
	cases := Survivability(p)
	return fmt.Sprintf("havpn link %q, topology %s: %d tunnels, %d BGP sessions\n\nWiring\n%s\nSurvivability (BGP sessions up per failure)\n%s",
		p.Name, p.Topology, len(p.Tunnels), len(p.Tunnels), WiringTable(p), SurvivabilityTable(p, cases))
}
