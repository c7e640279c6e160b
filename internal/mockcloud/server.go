package mockcloud

import (
	"context"
	"net"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Server is a loopback gRPC resource monitor and engine backed by a Recorder: it lets a provider's
// Construct run in-process, as the engine would call it, with no cloud and no Pulumi CLI.
type Server struct {
	pulumirpc.UnimplementedResourceMonitorServer
	pulumirpc.UnimplementedEngineServer

	Recorder *Recorder
	Addr     string // 127.0.0.1:port

	grpc *grpc.Server
	mu   sync.Mutex
	outs map[string]resource.PropertyMap // RegisterResourceOutputs by URN
	logs []string
	root string
}

// Serve starts a server on a loopback port.
func Serve(rec *Recorder) (*Server, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Recorder: rec, Addr: lis.Addr().String(), grpc: grpc.NewServer(), outs: map[string]resource.PropertyMap{}}
	pulumirpc.RegisterResourceMonitorServer(s.grpc, s)
	pulumirpc.RegisterEngineServer(s.grpc, s)
	go func() { _ = s.grpc.Serve(lis) }()
	return s, nil
}

// Dial returns a client connection to the server, for use as the engine connection.
func (s *Server) Dial() (*grpc.ClientConn, error) {
	return grpc.NewClient(s.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
}

// Stop shuts the server down.
func (s *Server) Stop() { s.grpc.Stop() }

// Outputs returns what a resource registered as its outputs (components do).
func (s *Server) Outputs(urn string) resource.PropertyMap {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.outs[urn]
}

// Logs returns the messages the program logged.
func (s *Server) Logs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.logs...)
}

var marshalOpts = plugin.MarshalOptions{KeepSecrets: true, KeepResources: true, KeepUnknowns: true}

// SupportsFeature answers like Pulumi's own mock monitor: everything but output values.
func (s *Server) SupportsFeature(_ context.Context, in *pulumirpc.SupportsFeatureRequest) (*pulumirpc.SupportsFeatureResponse, error) {
	return &pulumirpc.SupportsFeatureResponse{HasSupport: in.GetId() != "outputValues"}, nil
}

// RegisterResource records the resource and answers with the recorder's computed outputs.
func (s *Server) RegisterResource(_ context.Context, in *pulumirpc.RegisterResourceRequest) (*pulumirpc.RegisterResourceResponse, error) {
	inputs, err := plugin.UnmarshalProperties(in.GetObject(), marshalOpts)
	if err != nil {
		return nil, err
	}
	id, state, err := s.Recorder.NewResource(pulumi.MockResourceArgs{
		TypeToken: in.GetType(), Name: in.GetName(), Inputs: inputs, Custom: in.GetCustom(), RegisterRPC: in,
	})
	if err != nil {
		return nil, err
	}
	obj, err := plugin.MarshalProperties(state, marshalOpts)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.RegisterResourceResponse{
		Urn: urn(s.Recorder.Project, s.Recorder.Stack, in.GetParent(), in.GetType(), in.GetName()), Id: id, Object: obj,
	}, nil
}

// RegisterResourceOutputs keeps a component's outputs.
func (s *Server) RegisterResourceOutputs(_ context.Context, in *pulumirpc.RegisterResourceOutputsRequest) (*emptypb.Empty, error) {
	outs, err := plugin.UnmarshalProperties(in.GetOutputs(), marshalOpts)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.outs[in.GetUrn()] = outs
	s.mu.Unlock()
	return &emptypb.Empty{}, nil
}

// SignalAndWaitForShutdown has nothing to wait for.
func (s *Server) SignalAndWaitForShutdown(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Log keeps the program's messages.
func (s *Server) Log(_ context.Context, in *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	s.mu.Lock()
	s.logs = append(s.logs, in.GetSeverity().String()+": "+in.GetMessage())
	s.mu.Unlock()
	return &emptypb.Empty{}, nil
}

// GetRootResource returns the root resource's URN.
func (s *Server) GetRootResource(context.Context, *pulumirpc.GetRootResourceRequest) (*pulumirpc.GetRootResourceResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &pulumirpc.GetRootResourceResponse{Urn: s.root}, nil
}

// SetRootResource sets the root resource's URN.
func (s *Server) SetRootResource(_ context.Context, in *pulumirpc.SetRootResourceRequest) (*pulumirpc.SetRootResourceResponse, error) {
	s.mu.Lock()
	s.root = in.GetUrn()
	s.mu.Unlock()
	return &pulumirpc.SetRootResourceResponse{}, nil
}
