// Command havpn is the example environment's Pulumi program: a Google VPC and an Azure VNet joined by
// one HaVpnLink. Stack settings live in stacks/Pulumi.<stack>.yaml.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/example/program"
)

func main() {
	pulumi.Run(program.Run)
}
