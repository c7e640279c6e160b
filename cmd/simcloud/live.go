package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud/statusapi"
)

const faultUsage = `usage: simcloud fault inject --state DIR KIND TARGET
       simcloud fault clear  --state DIR [KIND [TARGET]]
       simcloud fault list   --state DIR

Injects a live fault into a deployed SIMULATED world (or clears it): the session report, the simulated
read APIs (havpn status) and the end-to-end tests read the same records in DIR/state.json.
`

// fault runs `simcloud fault inject|clear|list`.
func fault(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, faultUsage+kindList())
		return 2
	}
	verb := args[0]
	fs := flag.NewFlagSet("simcloud fault "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("state", os.Getenv(simcloud.StateDirEnv), "simcloud state directory (default $"+simcloud.StateDirEnv+")")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *dir == "" {
		fmt.Fprintf(stderr, "%s fault: --state DIR is required\n", bothLabels)
		return 2
	}
	if _, err := os.Stat(filepath.Join(*dir, simcloud.StateFile)); err != nil {
		fmt.Fprintf(stderr, "%s fault: no simulated world in %s: %v\n", bothLabels, *dir, err)
		return 1
	}
	store := &simcloud.Store{Dir: *dir}
	rest := fs.Args()
	switch {
	case verb == "inject" && len(rest) == 2:
		if err := store.InjectFault(simcloud.LiveFault{Kind: rest[0], Target: rest[1]}); err != nil {
			fmt.Fprintf(stderr, "%s fault inject: %v\n", bothLabels, err)
			return 1
		}
		fmt.Fprintf(stdout, "injected %s on %s (simulated)\n", rest[0], rest[1])
	case verb == "clear" && len(rest) <= 2:
		kind, target := at(rest, 0), at(rest, 1)
		n, err := store.ClearFaults(kind, target)
		if err != nil {
			fmt.Fprintf(stderr, "%s fault clear: %v\n", bothLabels, err)
			return 1
		}
		fmt.Fprintf(stdout, "cleared %d live fault(s) (simulated)\n", n)
	case verb == "list" && len(rest) == 0:
		faults, err := store.Faults()
		if err != nil {
			fmt.Fprintf(stderr, "%s fault list: %v\n", bothLabels, err)
			return 1
		}
		for _, f := range faults { // one "kind target" per line, for scripts; stderr says what they are
			fmt.Fprintf(stdout, "%s %s\n", f.Kind, f.Target)
		}
		fmt.Fprintf(stderr, "%d live fault(s) injected in the simulated clouds (simcloud)\n", len(faults))
	default:
		fmt.Fprint(stderr, faultUsage+kindList())
		return 2
	}
	return 0
}

func at(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

func kindList() string {
	var b strings.Builder
	b.WriteString("\nKinds:\n")
	for _, k := range simcloud.FaultKindNames() {
		fmt.Fprintf(&b, "  %-20s %s; TARGET: %s\n", k, simcloud.LiveFaultKinds[k].Effect, simcloud.LiveFaultKinds[k].Target)
	}
	return b.String()
}

// serve runs `simcloud serve --state DIR`: the simulated read APIs of havpn status, on loopback,
// until interrupted.
func serve(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simcloud serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("state", os.Getenv(simcloud.StateDirEnv), "simcloud state directory (default $"+simcloud.StateDirEnv+")")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *dir == "" {
		fmt.Fprintf(stderr, "usage: simcloud serve --state DIR\n")
		return 2
	}
	servers, err := statusapi.Start(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "%s serve: %v\n", bothLabels, err)
		return 1
	}
	defer servers.Close()
	fmt.Fprintf(stdout, "SIMULATED read APIs of %s (loopback only; Ctrl-C stops):\n  --gcp-endpoint %s --azure-endpoint %s\n", *dir, servers.GcpURL, servers.AzureURL)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done()
	return 0
}
