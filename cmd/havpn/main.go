// Command havpn is the project's tool. `havpn plan --stack NAME` runs the example program under Pulumi
// mocks with that stack's configuration and prints the resources, the wiring and the survivability.
package main

import (
	"os"

	"github.com/havpn/pulumi-havpn/internal/offline"
)

func main() {
	os.Exit(offline.Main(os.Args[1:], os.Stdout, os.Stderr))
}
