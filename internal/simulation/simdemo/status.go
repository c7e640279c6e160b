package simdemo

import (
	"context"
	"fmt"
	"io"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
	"github.com/havpn/pulumi-havpn/internal/tooling/statusclient"
	"github.com/havpn/pulumi-havpn/internal/tooling/statuscmd"
)

// demoStatus runs `havpn status` of the deployed stack against the simulated read APIs, served in
// process on loopback, and fails unless the link is healthy (or live faults were injected by hand).
func demoStatus(ctx context.Context, w *simrun.World, st auto.Stack, out io.Writer) error {
	fmt.Fprintf(out, "\n==> havpn status --stack %s (SIMULATED: simcloud serves the Google and Azure read APIs on loopback)\n", st.Name())
	ep, stop, err := statuscmd.SimulatedEndpoints(w.SimState, statusclient.Endpoints{})
	if err != nil {
		return err
	}
	defer stop()
	r, err := statuscmd.Check(ctx, st, "", ep)
	if err != nil {
		return fmt.Errorf("havpn status (simulated clouds): %w", err)
	}
	r.WriteText(out, st.Name())
	faults, err := (&simcloud.Store{Dir: w.SimState}).Faults()
	if err != nil {
		return err
	}
	switch {
	case len(faults) > 0:
		fmt.Fprintf(out, "\n%d live fault(s) are injected in the simulated clouds of %s (bin/simcloud fault list --state %s; clear them with fault clear).\n", len(faults), w.SimState, w.SimState)
	case r.Verdict != linkstatus.Healthy:
		return fmt.Errorf("havpn status of the %s stack is %s (exit %d), not healthy (simulated clouds)", st.Name(), r.Verdict, r.ExitCode)
	}
	fmt.Fprintf(out, "\nAgain, by hand: bin/havpn status --stack %s --sim .demo [--json]   (exit 0 healthy, 1 degraded, 2 down, 3 could not read)\n", st.Name())
	return nil
}
