package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pprovider "github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/havpn/pulumi-havpn/component"
)

// server is the plugin's gRPC provider: a component provider whose Construct first prepares the
// inputs (see prepareInputs) so nested unknowns, secrets and Outputs reach the component intact.
type server struct {
	pulumirpc.UnimplementedResourceProviderServer
	host *pprovider.HostClient
	// registry is shared by every Construct of this plugin process (one deployment), so the links of a
	// TypeScript or Python program are checked against each other as a Go program's are.
	registry *component.ProgramRegistry
}

func newServer(host *pprovider.HostClient) (pulumirpc.ResourceProviderServer, error) {
	return &server{host: host, registry: component.NewProgramRegistry()}, nil
}

// GetPluginInfo reports the plugin's version.
func (s *server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// GetSchema serves schema.json, byte for byte.
func (s *server) GetSchema(_ context.Context, req *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	if v := req.GetVersion(); v != 0 {
		return nil, fmt.Errorf("unsupported schema version %d", v)
	}
	return &pulumirpc.GetSchemaResponse{Schema: string(Schema)}, nil
}

// Configure accepts secrets, resources and output values, so nested Outputs keep their dependencies.
func (s *server) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true, AcceptOutputs: true}, nil
}

// Construct builds an HaVpnLink or an AzureVpnHub.
func (s *server) Construct(ctx context.Context, req *pulumirpc.ConstructRequest) (*pulumirpc.ConstructResponse, error) {
	prepared, err := prepareRequest(req)
	if err != nil {
		return nil, err
	}
	return pprovider.Construct(ctx, prepared, s.host.EngineConn(), func(pctx *pulumi.Context, typ, name string, inputs pprovider.ConstructInputs, options pulumi.ResourceOption) (*pprovider.ConstructResult, error) {
		component.UseProgramRegistry(pctx, s.registry)
		return Construct(pctx, typ, name, inputs, options)
	})
}

// Cancel has nothing to stop: Construct registers resources and returns.
func (s *server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Attach connects to an engine when the plugin was started separately (debugging).
func (s *server) Attach(_ context.Context, req *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	host, err := pprovider.NewHostClient(req.GetAddress())
	if err != nil {
		return nil, err
	}
	s.host = host
	return &emptypb.Empty{}, nil
}

// GetMapping has no mappings to offer.
func (s *server) GetMapping(context.Context, *pulumirpc.GetMappingRequest) (*pulumirpc.GetMappingResponse, error) {
	return &pulumirpc.GetMappingResponse{}, nil
}
