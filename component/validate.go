package component

import (
	"github.com/havpn/pulumi-havpn/internal/core/hubplan"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// ValidateHaVpnLink checks a link's arguments as NewHaVpnLink does before it registers anything (an
// argument given as an Output counts as known later, as it does there), with the same messages, and
// registers nothing. A program calls it before it registers the resources whose Outputs it will pass to
// the link (a VPC, a resource group), so that bad arguments create nothing at all. The checks against
// the program's other links (ProgramRegistry) and the lookups of existing resources stay in NewHaVpnLink.
func ValidateHaVpnLink(name string, args *HaVpnLinkArgs) error {
	if args == nil {
		args = &HaVpnLinkArgs{}
	}
	_, err := linkplan.Build(args.spec(name))
	return err
}

// ValidateAzureVpnHub is ValidateHaVpnLink for a hub: NewAzureVpnHub's checks, nothing registered.
func ValidateAzureVpnHub(name string, args *AzureVpnHubArgs) error {
	if args == nil {
		args = &AzureVpnHubArgs{}
	}
	_, err := hubplan.Build(args.spec(name))
	return err
}
