// Command havpn is the project's tool; see usage below.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/simulation/simdemo"
	"github.com/havpn/pulumi-havpn/internal/tooling/offline"
	"github.com/havpn/pulumi-havpn/internal/tooling/plandiff"
	"github.com/havpn/pulumi-havpn/internal/tooling/rotatecmd"
	"github.com/havpn/pulumi-havpn/internal/tooling/statuscmd"
)

const usage = `usage: havpn COMMAND [flags]

  plan --stack NAME [--json] [--set key=value ...]  offline plan under Pulumi mocks (no cloud)
  plan-diff BASE [HEAD] [--stack dev,prod]          Markdown diff of the offline plans of two git refs
  demo                                              pulumi up of the dev stack against SIMULATED clouds
  demo-hub                                          team stacks (hub, spokes a-c at once, then spoke-d added) on
                                                    Azurite, against SIMULATED clouds
  bench [--scale S] [--stacks dev,prod,hub8]        deployment time vs the physical lower bound (SIMULATED)
  status --stack NAME [--json] [--sim DIR]          live state of a deployed link from both clouds' APIs
                                                    (exit 0 healthy, 1 degraded, 2 down, 3 could not read)
  rotate --stack NAME [--sim DIR] [--new-secret-env V]  staged rotation of the master secret, waiting for a
                                                    healthy status after each stage (exit 0 rotated, 1 stopped
                                                    with the link up, 3 could not run)

demo, demo-hub and bench run from the repository root and need bin/ (make demo, make demo-hub and
make bench build it; demo-hub also tools/azurite).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "plan":
		return offline.Main(args, stdout, stderr)
	case "plan-diff":
		return plandiff.Main(args[1:], stdout, stderr)
	case "status":
		return statuscmd.Main(args[1:], stdout, stderr)
	case "rotate":
		return rotatecmd.Main(args[1:], stdout, stderr)
	case "demo", "demo-hub", "bench":
		return simulated(args[0], args[1:], stdout, stderr)
	}
	fmt.Fprint(stderr, usage)
	return 2
}

// simulated runs the commands that drive the real engine against the simulated clouds, from the
// repository root.
func simulated(cmd string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	scale := 0.0
	stacks := strings.Join(simdemo.BenchStacks, ",")
	if cmd == "bench" {
		fs.Float64Var(&scale, "scale", 0.02, "real seconds per simulated second")
		fs.StringVar(&stacks, "stacks", stacks, "comma-separated benches: "+strings.Join(simdemo.BenchStacks, ", "))
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || cmd == "bench" && scale <= 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root, err := os.Getwd()
	if err == nil {
		switch cmd {
		case "demo":
			err = simdemo.Demo(ctx, root, stdout)
		case "demo-hub":
			err = simdemo.DemoHub(ctx, root, stdout)
		default:
			err = simdemo.Bench(ctx, root, scale, strings.Split(stacks, ","), stdout)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "havpn %s: %v\n", cmd, err)
		return 1
	}
	return 0
}
