package mockcloud

import (
	"context"
	"net"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

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
	root string
}

// Serve starts a server on a loopback port.
func Serve(rec *Recorder) (*Server, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Recorder: rec, Addr: lis.Addr().String(), grpc: grpc.NewServer()}
	pulumirpc.RegisterResourceMonitorServer(s.grpc, s)
	pulumirpc.RegisterEngineServer(s.grpc, s)
	go func() { _ = s.grpc.Serve(lis) }()
	return s, nil
}

// Stop shuts the server down.
func (s *Server) Stop() { s.grpc.Stop() }

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

// RegisterResourceOutputs accepts a component's outputs; Construct returns them to the caller anyway.
func (s *Server) RegisterResourceOutputs(context.Context, *pulumirpc.RegisterResourceOutputsRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// SignalAndWaitForShutdown has nothing to wait for.
func (s *Server) SignalAndWaitForShutdown(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Log records the program's messages in the Recorder (Logs).
func (s *Server) Log(_ context.Context, in *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	s.Recorder.log(in.GetSeverity().String() + ": " + in.GetMessage())
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

// Invoke answers a provider function call from the Recorder's Functions.
func (s *Server) Invoke(_ context.Context, in *pulumirpc.ResourceInvokeRequest) (*pulumirpc.ResourceInvokeResponse, error) {
	args, err := plugin.UnmarshalProperties(in.GetArgs(), marshalOpts)
	if err != nil {
		return nil, err
	}
	result, err := s.Recorder.Call(pulumi.MockCallArgs{Token: in.GetTok(), Args: args, Provider: in.GetProvider()})
	if err != nil {
		return nil, err
	}
	ret, err := plugin.MarshalProperties(result, marshalOpts)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ResourceInvokeResponse{Return: ret}, nil
}

// ReadResource records a read of an existing resource and answers with the recorder's outputs.
func (s *Server) ReadResource(_ context.Context, in *pulumirpc.ReadResourceRequest) (*pulumirpc.ReadResourceResponse, error) {
	props, err := plugin.UnmarshalProperties(in.GetProperties(), marshalOpts)
	if err != nil {
		return nil, err
	}
	_, state, err := s.Recorder.NewResource(pulumi.MockResourceArgs{
		TypeToken: in.GetType(), Name: in.GetName(), Inputs: props, ID: in.GetId(), ReadRPC: in,
	})
	if err != nil {
		return nil, err
	}
	obj, err := plugin.MarshalProperties(state, marshalOpts)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResourceResponse{
		Urn: urn(s.Recorder.Project, s.Recorder.Stack, in.GetParent(), in.GetType(), in.GetName()), Properties: obj,
	}, nil
}
