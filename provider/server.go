package provider

import (
	"context"
	"fmt"

	pprovider "github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// server is the plugin's gRPC provider: a component provider whose Construct first prepares the
// inputs (see prepareInputs) so nested unknowns, secrets and Outputs reach the component intact.
type server struct {
	pulumirpc.UnimplementedResourceProviderServer
	host *pprovider.HostClient
}

func newServer(host *pprovider.HostClient) (pulumirpc.ResourceProviderServer, error) {
	return &server{host: host}, nil
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

// Construct builds an HaVpnLink.
func (s *server) Construct(ctx context.Context, req *pulumirpc.ConstructRequest) (*pulumirpc.ConstructResponse, error) {
	prepared, err := prepareRequest(req)
	if err != nil {
		return nil, err
	}
	return pprovider.Construct(ctx, prepared, s.host.EngineConn(), Construct)
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
