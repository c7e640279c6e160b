// Package rotatecmd is `havpn rotate`: it selects the stack (a project's, or a SIMULATED world's) and
// binds internal/tooling/rotation to it and to `havpn status`'s reader.
package rotatecmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
	"github.com/havpn/pulumi-havpn/internal/example/program"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
	"github.com/havpn/pulumi-havpn/internal/tooling/rotation"
	"github.com/havpn/pulumi-havpn/internal/tooling/statusclient"
	"github.com/havpn/pulumi-havpn/internal/tooling/statuscmd"
)

// Exit statuses of `havpn rotate`.
const (
	ExitRotated = 0
	ExitStopped = 1 // a stage did not converge, or the link was not healthy: the link is up, see the message
	ExitFailed  = 3 // could not read the link or run the engine
	ExitUsage   = 4
)

const usage = `usage: havpn rotate --stack NAME [--new-secret-env VAR] [--timeout D] [--interval D] [--force]
                    [--link NAME] [--cwd DIR] [--sim DIR] [--gcp-endpoint URL --azure-endpoint URL]

Rotates the link's master secret in two stages, each a pulumi up that replaces only the tunnels of one
Azure instance: stage 1 sets havpn:nextSharedSecret, stage 2 moves havpn:sharedSecret to it and removes
havpn:nextSharedSecret. Before stage 1 and after each stage it waits until havpn status says healthy
(--timeout per stage, polling every --interval); if a stage does not converge it stops with the link
up, and running it again resumes at stage 2. The new secret is read from the environment variable
named by --new-secret-env, or generated (32 random bytes); it is never printed.

Exit status: 0 rotated, 1 stopped with the link up (see the message), 3 could not read or run, 4 usage.
Stacks and endpoints are found as havpn status finds them (--cwd for a project, --sim for a SIMULATED world).
`

type options struct {
	statuscmd.Target
	secretEnv         string
	timeout, interval time.Duration
	force             bool
}

// Main runs `havpn rotate` with args (after "rotate") and returns its exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	o, ok := parse(args, stderr)
	if !ok {
		return ExitUsage
	}
	secret := os.Getenv(o.secretEnv)
	if o.secretEnv != "" && secret == "" {
		fmt.Fprintf(stderr, "havpn rotate: --new-secret-env %s: that environment variable is empty or unset. Fix: export %s with the new master secret, or drop --new-secret-env to have one generated\n", o.secretEnv, o.secretEnv)
		return ExitUsage
	}
	if o.secretEnv == "" {
		var err error
		if secret, err = rotation.NewSecret(); err != nil {
			fmt.Fprintf(stderr, "havpn rotate: %v\n", err)
			return ExitFailed
		}
		fmt.Fprintf(stdout, "==> a new master secret was generated (32 random bytes; not shown)\n")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, done, err := newRotation(ctx, o, stdout)
	if err == nil {
		defer done()
		r.Timeout, r.Interval, r.Force = o.timeout, o.interval, o.force
		err = r.Run(ctx, secret)
	}
	switch {
	case err == nil:
		return ExitRotated
	case rotation.IsStopped(err):
		fmt.Fprintf(stderr, "havpn rotate: %v\n", err)
		return ExitStopped
	default:
		fmt.Fprintf(stderr, "havpn rotate: %v\n", err)
		return ExitFailed
	}
}

func parse(args []string, stderr io.Writer) (options, bool) {
	var o options
	fs := flag.NewFlagSet("rotate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	o.Register(fs)
	fs.StringVar(&o.secretEnv, "new-secret-env", "", "environment variable holding the new master secret (default: generate one)")
	fs.DurationVar(&o.timeout, "timeout", 15*time.Minute, "how long each stage may take to become healthy")
	fs.DurationVar(&o.interval, "interval", 15*time.Second, "time between two status reads")
	fs.BoolVar(&o.force, "force", false, "start even when the link is not healthy")
	if err := fs.Parse(args); err != nil {
		return o, false
	}
	problem := o.Problem(fs)
	if problem == "" && (o.timeout <= 0 || o.interval <= 0) {
		problem = "--timeout and --interval must be positive"
	}
	if problem != "" {
		fmt.Fprintf(stderr, "havpn rotate: %s\n%s", problem, usage)
		return o, false
	}
	return o, true
}

// newRotation selects the stack as an inline program of the example environment: the project's, or
// a SIMULATED world's (ForWorld).
func newRotation(ctx context.Context, o options, out io.Writer) (*rotation.Rotation, func(), error) {
	if o.Sim != "" {
		w, err := statuscmd.SimulatedWorld(o.Sim)
		if err != nil {
			return nil, nil, err
		}
		return ForWorld(ctx, w, o.Stack, o.Link, o.Endpoints, out)
	}
	// Select, never create: a mistyped --stack must not leave an empty stack in the backend.
	st, err := auto.SelectStackInlineSource(ctx, o.Stack, envconfig.Namespace, program.Run, auto.WorkDir(o.WorkDir))
	if err != nil {
		return nil, nil, fmt.Errorf("the Pulumi project in %s: %w", o.WorkDir, err)
	}
	return bind(st, o.Link, o.Endpoints, out), func() {}, nil
}

// ForWorld is the rotation of a stack of a SIMULATED world; unless endpoints are given, it serves the
// world's simulated read APIs on loopback until the returned function is called.
func ForWorld(ctx context.Context, w *simrun.World, stack, link string, ep statusclient.Endpoints, out io.Writer) (*rotation.Rotation, func(), error) {
	st, err := w.GoStack(ctx, stack, auto.ConfigMap{})
	if err != nil {
		return nil, nil, err
	}
	ep, done, err := statuscmd.SimulatedEndpoints(w.SimState, ep)
	if err != nil {
		return nil, nil, err
	}
	return bind(st, link, ep, out), done, nil
}

// bind makes the rotation of one stack: its configuration, its up, and its status read through ep.
func bind(st auto.Stack, link string, ep statusclient.Endpoints, out io.Writer) *rotation.Rotation {
	return &rotation.Rotation{
		Stack: &st,
		Up:    func(ctx context.Context) error { _, err := simrun.Up(ctx, st, out); return err },
		Check: func(ctx context.Context) (*linkstatus.Report, error) { return statuscmd.Check(ctx, st, link, ep) },
		Out:   out,
	}
}
