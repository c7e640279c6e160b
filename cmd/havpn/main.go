// Command havpn is the project's tool:
//
//	havpn plan --stack NAME [--json] [--set key=value ...]   offline plan under Pulumi mocks
//	havpn plan-diff BASE HEAD [--stack dev,prod]              Markdown diff of the offline plans of two git refs
//	havpn demo                                                pulumi up of the dev stack against SIMULATED clouds
//	havpn bench [--scale S]                                   deployment time vs the physical lower bound (SIMULATED)
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"

	"github.com/havpn/pulumi-havpn/internal/offline"
	"github.com/havpn/pulumi-havpn/internal/simdemo"
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "demo" || os.Args[1] == "bench") {
		if err := simulated(os.Args[1], os.Args[2:]); err != nil {
			fmt.Fprintf(os.Stderr, "havpn %s: %v\n", os.Args[1], err)
			os.Exit(1)
		}
		return
	}
	os.Exit(offline.Main(os.Args[1:], os.Stdout, os.Stderr))
}

// simulated runs the commands that drive the real engine against the simulated clouds, from the repository root.
func simulated(cmd string, args []string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if cmd == "demo" {
		return simdemo.Demo(ctx, root, os.Stdout)
	}
	scale := 0.02
	if len(args) == 2 && args[0] == "--scale" {
		if scale, err = strconv.ParseFloat(args[1], 64); err != nil || scale <= 0 {
			return fmt.Errorf("--scale %q: want a positive number", args[1])
		}
	}
	return simdemo.Bench(ctx, root, scale, os.Stdout)
}
