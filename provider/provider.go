// Package provider is the havpn plugin: it serves havpn:index:HaVpnLink and havpn:index:AzureVpnHub to
// every Pulumi language through Construct, reusing the component package, and serves schema.json as its schema.
package provider

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pprovider "github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"

	"github.com/havpn/pulumi-havpn/component"
)

// Name is the package name; the plugin binary is pulumi-resource-havpn.
const Name = "havpn"

// Schema is the package contract, a byte-for-byte copy of the repository's schema.json
// (`make schema` copies it; a test fails when the two differ).
//
//go:embed schema.json
var Schema []byte

// Version is the schema's version: the SDKs generated from schema.json ask the engine for this
// plugin version, so the plugin reports the same one.
var Version = schemaVersion(Schema)

func schemaVersion(schema []byte) string {
	var s struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(schema, &s); err != nil || s.Version == "" {
		panic(fmt.Sprintf("provider/schema.json has no version (%v)", err))
	}
	return s.Version
}

// Serve runs the plugin's gRPC server until the engine stops it.
func Serve() error {
	return pprovider.Main(Name, newServer)
}

// unknownType is the error for a type token the plugin does not serve.
func unknownType(typ string) error {
	return fmt.Errorf("havpn: unknown resource type %q; this plugin serves %s and %s", typ, component.Token, component.HubToken)
}

// Construct builds one component for the engine. Nested inputs arrive as known values, unknowns
// (during preview), secrets, or Outputs carrying dependencies; CopyTo keeps each of them as such.
func Construct(ctx *pulumi.Context, typ, name string, inputs pprovider.ConstructInputs, options pulumi.ResourceOption) (*pprovider.ConstructResult, error) {
	switch typ {
	case component.Token:
		args := &component.HaVpnLinkArgs{}
		if err := inputs.CopyTo(args); err != nil {
			return nil, fmt.Errorf("havpn: reading the arguments of %s %q: %w", typ, name, err)
		}
		link, err := component.NewHaVpnLink(ctx, name, args, options)
		if err != nil {
			return nil, err
		}
		return pprovider.NewConstructResult(link)
	case component.HubToken:
		args := &component.AzureVpnHubArgs{}
		if err := inputs.CopyTo(args); err != nil {
			return nil, fmt.Errorf("havpn: reading the arguments of %s %q: %w", typ, name, err)
		}
		hub, err := component.NewAzureVpnHub(ctx, name, args, options)
		if err != nil {
			return nil, err
		}
		return pprovider.NewConstructResult(hub)
	}
	return nil, unknownType(typ)
}
