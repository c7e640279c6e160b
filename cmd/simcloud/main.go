// Command simcloud is a SIMULATED Google Cloud and Azure resource provider for the Pulumi engine. Installed
// as pulumi-resource-gcp it serves the Google side, as pulumi-resource-azure-native the Azure side; both
// share the "cloud" in $SIMCLOUD_STATE_DIR. `simcloud report --state DIR` prints the BGP session report;
// `simcloud fault inject|clear|list` injects live faults into a deployed world; `simcloud serve` serves
// the simulated read APIs `havpn status` calls, on loopback.
// It sends no traffic anywhere but loopback (the engine's gRPC connection).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// bothLabels names the tool where no single cloud is meant.
var bothLabels = simcloud.Google.Label + " / " + simcloud.Azure.Label

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "report":
			os.Exit(report(os.Args[2:], os.Stdout, os.Stderr))
		case "fault":
			os.Exit(fault(os.Args[2:], os.Stdout, os.Stderr))
		case "serve":
			os.Exit(serve(os.Args[2:], os.Stdout, os.Stderr))
		}
	}
	cloud, ok := simcloud.CloudForBinary(os.Args[0])
	if !ok {
		fmt.Fprintf(os.Stderr, "%s: run as %s or %s (a symlink or copy of this binary), or `simcloud report|fault|serve --state DIR`\n",
			bothLabels, simcloud.Google.Binary, simcloud.Azure.Binary)
		os.Exit(2)
	}
	cfg, err := simcloud.ConfigFromEnv()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", cloud.Label, err)
		os.Exit(1)
	}
	err = provider.Main(cloud.Package, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return simcloud.NewServer(cloud, cfg), nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", cloud.Label, err)
		os.Exit(1)
	}
}

// report prints the BGP session report of a state directory as JSON.
func report(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simcloud report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("state", os.Getenv(simcloud.StateDirEnv), "simcloud state directory (default $"+simcloud.StateDirEnv+")")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" {
		fmt.Fprintf(stderr, "%s report: --state DIR is required\n", bothLabels)
		return 2
	}
	rep, err := simcloud.ReadReport(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "%s report: %v\n", bothLabels, err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(stderr, "%s report: %v\n", bothLabels, err)
		return 1
	}
	return 0
}
