package offline

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
)

// WriteText prints the inventory and the link's topology report (wiring and survivability tables).
func WriteText(w io.Writer, r *Result) {
	fmt.Fprintf(w, "havpn offline plan of stack %q (Pulumi mocks: no cloud was contacted, nothing was created)\n\n", r.Stack)
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Resources (%d)\n", len(r.Resources))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\tNAME\tDEPENDS ON")
	for _, e := range r.Resources {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Type, e.Name, strings.Join(e.DependsOn, ", "))
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%s", analysis.TopologyReport(r.Plan))
}
