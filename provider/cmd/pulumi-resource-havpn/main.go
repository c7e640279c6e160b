// Command pulumi-resource-havpn is the havpn Pulumi plugin.
package main

import (
	"fmt"
	"os"

	"github.com/havpn/pulumi-havpn/provider"
)

func main() {
	if err := provider.Serve(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-havpn: %v\n", err)
		os.Exit(1)
	}
}
