// Package statuscmd is `havpn status`: it finds a deployed link in a Pulumi stack (Automation API),
// reads its live state from Google Cloud and Azure (statusclient) and judges it (linkstatus). Check
// is the library entry point for callers that drive a link, such as a staged secret rotation.
package statuscmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud/statusapi"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
	"github.com/havpn/pulumi-havpn/internal/tooling/statusclient"
)

// ExitUsage is the exit status of a usage error (0-3 are verdicts, see linkstatus.Verdict.ExitCode).
const ExitUsage = 4

const usage = `usage: havpn status --stack NAME [--json] [--link NAME] [--cwd DIR] [--timeout D]
                    [--sim DIR] [--gcp-endpoint URL --azure-endpoint URL]

Reads the link's live state from Google Cloud (Compute API) and Azure (Resource Manager) and prints
one row per planned tunnel, the Azure peers that are "Connecting" by design, what one more failure
would cut, a verdict and a diagnosis of known faults.

Exit status: 0 healthy, 1 degraded, 2 down, 3 could not read (the error is printed), 4 usage.

Real clouds: run in the Pulumi project's directory (or --cwd); the stack's backend is the project's
or PULUMI_BACKEND_URL, the pulumi CLI comes from PATH; credentials are Application Default
Credentials (Google) and DefaultAzureCredential (Azure).
SIMULATED clouds: --sim DIR reads the simulated world DIR made by make demo (.demo) or the e2e tests
(run from the repository root; passphrase from PULUMI_CONFIG_PASSPHRASE, default the demo's) and
serves its simulated APIs on loopback; --gcp-endpoint/--azure-endpoint point at loopback APIs
(simcloud serve) instead.
`

// Check reads the link of a stack from both clouds and judges it. link names the HaVpnLink ("" when
// the stack has one). With simulated endpoints the report says so.
func Check(ctx context.Context, st auto.Stack, link string, ep statusclient.Endpoints) (*linkstatus.Report, error) {
	if err := ep.Check(); err != nil {
		return nil, err
	}
	dep, err := st.Export(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading stack %s: %w", st.Name(), err)
	}
	l, err := linkstatus.LinkFromDeployment(dep.Deployment, link)
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", st.Name(), err)
	}
	r := linkstatus.Evaluate(l, statusclient.Read(ctx, l, ep))
	r.Simulated = ep.Simulated()
	return r, nil
}

// Target is where a command finds a deployed link: the stack, the link's name, a Pulumi project
// directory (real clouds) or a SIMULATED world, and endpoints of the read APIs. havpn status and
// havpn rotate share it.
type Target struct {
	Stack, Link, WorkDir, Sim string
	Endpoints                 statusclient.Endpoints
}

// Register adds the target's flags.
func (t *Target) Register(fs *flag.FlagSet) {
	fs.StringVar(&t.Stack, "stack", "", "stack name (or org/project/stack)")
	fs.StringVar(&t.Link, "link", "", "the HaVpnLink's name, when the stack has several")
	fs.StringVar(&t.WorkDir, "cwd", ".", "the Pulumi project's directory (real clouds)")
	fs.StringVar(&t.Sim, "sim", "", "a SIMULATED world directory (.demo, or an e2e world)")
	fs.StringVar(&t.Endpoints.Gcp, "gcp-endpoint", "", "loopback base URL of a simulated Compute API")
	fs.StringVar(&t.Endpoints.Azure, "azure-endpoint", "", "loopback base URL of a simulated Azure Resource Manager")
}

// Problem says what is wrong with the parsed target and arguments, or "".
func (t *Target) Problem(fs *flag.FlagSet) string {
	switch {
	case fs.NArg() > 0:
		return fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case t.Stack == "":
		return "--stack is required"
	}
	if err := t.Endpoints.Check(); err != nil {
		return err.Error()
	}
	return ""
}

// options are the command's flags.
type options struct {
	Target
	asJSON  bool
	timeout time.Duration
}

// Main runs `havpn status` with args (after "status") and returns its exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	o, ok := parse(args, stderr)
	if !ok {
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	r, err := run(ctx, o)
	if err != nil {
		fmt.Fprintf(stderr, "havpn status: could not read: %v\n", err)
		return linkstatus.Unreadable.ExitCode()
	}
	if o.asJSON {
		if err := r.WriteJSON(stdout); err != nil {
			fmt.Fprintf(stderr, "havpn status: %v\n", err)
		}
	} else {
		r.WriteText(stdout, o.Stack)
	}
	return r.ExitCode
}

func parse(args []string, stderr io.Writer) (options, bool) {
	var o options
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	o.Register(fs)
	fs.BoolVar(&o.asJSON, "json", false, "print one JSON object")
	fs.DurationVar(&o.timeout, "timeout", 3*time.Minute, "give up reading after this long")
	if err := fs.Parse(args); err != nil {
		return o, false
	}
	problem := o.Problem(fs)
	if problem == "" && o.timeout <= 0 {
		problem = "--timeout must be positive"
	}
	if problem != "" {
		fmt.Fprintf(stderr, "havpn status: %s\n%s", problem, usage)
		return o, false
	}
	return o, true
}

// run selects the stack (a simulated world's, or the project's) and checks it.
func run(ctx context.Context, o options) (*linkstatus.Report, error) {
	if o.Sim == "" {
		st, err := projectStack(ctx, o.WorkDir, o.Stack)
		if err != nil {
			return nil, err
		}
		return Check(ctx, st, o.Link, o.Endpoints)
	}
	w, err := SimulatedWorld(o.Sim)
	if err != nil {
		return nil, err
	}
	st, err := w.SelectStack(ctx, o.Stack)
	if err != nil {
		return nil, err
	}
	ep, stop, err := SimulatedEndpoints(w.SimState, o.Endpoints)
	if err != nil {
		return nil, err
	}
	defer stop()
	return Check(ctx, st, o.Link, ep)
}

// SimulatedEndpoints are the endpoints to read a SIMULATED world through: ep when it already names
// some, else simcloud's read APIs for the world's state, served on loopback until stop is called.
func SimulatedEndpoints(simState string, ep statusclient.Endpoints) (_ statusclient.Endpoints, stop func(), _ error) {
	if ep.Simulated() {
		return ep, func() {}, nil
	}
	servers, err := statusapi.Start(simState)
	if err != nil {
		return ep, nil, err
	}
	return statusclient.Endpoints{Gcp: servers.GcpURL, Azure: servers.AzureURL}, servers.Close, nil
}

// projectStack selects a stack of the Pulumi project in dir, through the pulumi CLI on PATH.
func projectStack(ctx context.Context, dir, stack string) (auto.Stack, error) {
	ws, err := auto.NewLocalWorkspace(ctx, auto.WorkDir(dir))
	if err != nil {
		return auto.Stack{}, fmt.Errorf("the Pulumi project in %s: %w", dir, err)
	}
	return auto.SelectStack(ctx, stack, ws)
}

// SimulatedWorld opens the simulated world in dir (made by make demo or the e2e tests); the CLI and
// plugins come from the repository's bin/ (the working directory is the repository root).
func SimulatedWorld(dir string) (*simrun.World, error) {
	root, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(abs, "backend")); err != nil {
		return nil, fmt.Errorf("%s is not a simulated world (no backend/): run make demo first", dir)
	}
	passphrase := os.Getenv("PULUMI_CONFIG_PASSPHRASE")
	if passphrase == "" {
		passphrase = simrun.DemoPassphrase
	}
	return simrun.NewWorld(root, abs, passphrase, 0)
}
