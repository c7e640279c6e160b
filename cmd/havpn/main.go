// Command havpn is the project's tool:
//
//	havpn plan --stack NAME [--json] [--set key=value ...]   offline plan under Pulumi mocks
//	havpn plan-diff BASE HEAD [--stack dev,prod]              Markdown diff of the offline plans of two git refs
//	havpn demo                                                pulumi up of the dev stack against SIMULATED clouds
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/havpn/pulumi-havpn/internal/offline"
	"github.com/havpn/pulumi-havpn/internal/simdemo"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "demo" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		root, err := os.Getwd()
		if err == nil {
			err = simdemo.Demo(ctx, root, os.Stdout)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "havpn demo:", err)
			os.Exit(1)
		}
		return
	}
	os.Exit(offline.Main(os.Args[1:], os.Stdout, os.Stderr))
}
