// Package simdemo holds the commands that drive the real Pulumi engine against the SIMULATED clouds:
// `havpn demo` (a first run of the dev stack, printing the outputs, the link's tables and the
// simulator's session report) and `havpn bench` (deployment time against the physical lower bound).
package simdemo

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
	"github.com/havpn/pulumi-havpn/internal/tooling/stackoutputs"
)

const (
	demoPassphrase = simrun.DemoPassphrase
	// demoSecret is the demo's master secret: the demo deploys nothing real.
	demoSecret = "havpn-demo-master-secret-simulated-only"
	// demoTimeScale compresses the simulated provisioning times (Azure gateway 45 min -> 1.35 s).
	demoTimeScale = 0.0005
)

// Demo runs `pulumi up` of the dev stack in root/.demo and prints what it built.
func Demo(ctx context.Context, root string, out io.Writer) error {
	dir := filepath.Join(root, ".demo")
	fmt.Fprintf(out, "\n==> havpn demo: pulumi up of the dev stack against SIMULATED clouds (simcloud)\n")
	fmt.Fprintf(out, "    No cloud account is used; the resources exist only in %s.\n", filepath.Join(dir, "simcloud"))
	fmt.Fprintf(out, "    Simulated provisioning times are compressed %gx (Azure gateway: 45 min -> %.2f s).\n\n", 1/demoTimeScale, 45*60*demoTimeScale)
	w, err := simrun.NewWorld(root, dir, demoPassphrase, demoTimeScale)
	if err != nil {
		return err
	}
	cfg, err := simrun.StackConfig(root, "dev", demoSecret)
	if err != nil {
		return err
	}
	st, err := w.GoStack(ctx, "dev", cfg)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := simrun.Up(ctx, st, out)
	if err != nil {
		return fmt.Errorf("pulumi up (simulated clouds) failed: %w", err)
	}
	fmt.Fprintf(out, "\n==> pulumi up finished in %s (wall time, simulated clouds)\n", time.Since(start).Round(time.Millisecond))

	fmt.Fprintf(out, "\n==> Stack outputs (simulated)\n")
	outputs := map[string]stackoutputs.Value{}
	for k, v := range res.Outputs {
		outputs[k] = stackoutputs.Value{Value: v.Value, Secret: v.Secret}
	}
	stackoutputs.Write(out, outputs, "topologyReport")
	if r, ok := res.Outputs["topologyReport"].Value.(string); ok {
		fmt.Fprintf(out, "\n==> Wiring and survivability (the link's own plan; SIMULATED deployment)\n%s", r)
	}
	report, err := w.Sessions()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n==> BGP session report from the SIMULATED clouds (simcloud; independent of the package's analysis)\n")
	writeSessions(out, report)
	if err := demoStatus(ctx, w, st, out); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nRun it again: the builds and the backend in .demo are reused, so it finishes in seconds.\n")
	return nil
}

func writeSessions(out io.Writer, r *simrun.SessionReport) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TUNNEL\tAZURE INSTANCE\tGCP BGP IP\tAZURE BGP IP\tIPSEC\tBGP\tWHY")
	for _, s := range r.Sessions {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.LogicalName, s.AzureInstance, s.GcpBgpIp, s.AzureBgpIp, s.Ipsec, s.Bgp, strings.Join(s.Reasons, "; "))
	}
	tw.Flush()
	fmt.Fprintf(out, "established: %d, half-wired: %d, Azure \"Connecting\" (expected, one per instance that no Google tunnel accepts): %d\n",
		r.Established, r.HalfWired, r.AzureConnecting)
}
