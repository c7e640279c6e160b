package linkstatus

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// SimulatedBanner heads every report whose answers came from simcloud.
const SimulatedBanner = "SIMULATED clouds (simcloud): these answers come from the simulator on loopback, not from Google Cloud or Azure"

// WriteJSON writes the report as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report as tables: tunnels, by-design Connecting peers, survivability, diagnoses.
func (r *Report) WriteText(w io.Writer, stack string) {
	if r.Simulated {
		fmt.Fprintf(w, "%s\n", SimulatedBanner)
	}
	fmt.Fprintf(w, "havpn status: link %q of stack %s (%s, %d tunnels)\n", r.Link, stack, r.Topology, r.Planned)
	fmt.Fprintf(w, "Verdict: %s (exit %d): %d of %d planned BGP sessions established\n\n", strings.ToUpper(string(r.Verdict)), r.ExitCode, r.Established, r.Planned)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TUNNEL\tGCP IF\tAZURE INST\tGOOGLE TUNNEL\tCLOUD ROUTER BGP\tLEARNED\tAZURE CONNECTION\tAZURE BGP\tSESSION")
	for _, t := range r.Tunnels {
		session := "down"
		if t.Established {
			session = "established"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", t.Name, t.GcpInterface, t.AzureInstance, t.GcpTunnelStatus,
			routerBgp(t), t.LearnedRoutes, t.AzureConnectionStatus, t.AzureBgpState, session)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nGoogle tunnels:")
	for _, t := range r.Tunnels {
		fmt.Fprintf(w, "  %s = %s: %s\n", t.Name, orDash(t.GcpTunnel), orDash(t.GcpTunnelDetail))
	}

	fmt.Fprintf(w, "\nAzure peers \"Connecting\" by design (%d; not faults: %s):\n", len(r.ByDesign), ByDesignNote)
	writePeers(w, r.ByDesign)
	if len(r.OtherPeers) > 0 {
		fmt.Fprintf(w, "\nOther BGP peers of the Azure gateway (not this link's planned sessions):\n")
		writePeers(w, r.OtherPeers)
	}
	fmt.Fprintf(w, "\nSurvivability now: %s\n", r.Survivability.Summary)

	if len(r.ReadErrors) > 0 {
		fmt.Fprintf(w, "\nCould not read:\n")
		for _, e := range r.ReadErrors {
			fmt.Fprintf(w, "  - %s: %s\n", e.Call, e.Error)
		}
	}
	if len(r.Diagnoses) == 0 {
		fmt.Fprintf(w, "\nDiagnoses: none\n")
		return
	}
	fmt.Fprintf(w, "\nDiagnoses:\n")
	for _, d := range r.Diagnoses {
		about := d.Tunnel
		if about == "" {
			about = "link"
		}
		fmt.Fprintf(w, "  - %s: %s\n    cause: %s\n    fix: %s\n", about, d.Finding, d.Cause, d.Fix)
		for _, s := range d.Sources {
			fmt.Fprintf(w, "    source: %s\n", s)
		}
	}
}

func writePeers(w io.Writer, peers []AzurePeer) {
	if len(peers) == 0 {
		fmt.Fprintln(w, "  none")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  AZURE INST\tLOCAL ADDRESS\tNEIGHBOR (CLOUD ROUTER)\tPLANNED ON\tSTATE")
	for _, p := range peers {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", orDash(p.AzureInstance), p.LocalAddress, p.Neighbor, orDash(p.Tunnel), p.State)
	}
	tw.Flush()
}

// routerBgp shows the Cloud Router's view of a session: "UP Established".
func routerBgp(t TunnelStatus) string {
	if t.CloudRouterState == "" {
		return t.CloudRouterStatus
	}
	return t.CloudRouterStatus + " " + t.CloudRouterState
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
