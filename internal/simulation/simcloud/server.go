// Package simcloud is a SIMULATED Google Cloud and Azure resource provider for the Pulumi engine: it stands
// in for pulumi-resource-gcp and pulumi-resource-azure-native so `up/preview/destroy` run offline. It
// keeps its "cloud" in a state directory shared by both plugin processes, enforces the cloud rules the
// real APIs enforce (citing their sources), simulates provisioning times and injected faults, and
// reports which tunnels and BGP sessions the deployed resources would bring up. It talks to no cloud.
package simcloud

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil/rpcerror"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// Server implements the Pulumi resource provider protocol for one simulated cloud.
type Server struct {
	pulumirpc.UnimplementedResourceProviderServer

	cloud    *Cloud
	cfg      Config
	store    *Store
	storeErr error
	clock    *Clock

	mu  sync.RWMutex
	set Settings
}

// NewServer returns the provider of one cloud; resource operations fail when the state directory is not set.
func NewServer(cloud *Cloud, cfg Config) *Server {
	s := &Server{cloud: cloud, cfg: cfg, clock: NewClock(cfg.TimeScale), set: defaultSettings}
	s.store, s.storeErr = OpenStore(cfg.StateDir)
	return s
}

// errorf returns a gRPC error labelled with the simulated cloud.
func (s *Server) errorf(code codes.Code, format string, args ...any) error {
	return status.Errorf(code, "%s: %s", s.cloud.Label, fmt.Sprintf(format, args...))
}

// labelled returns err as a gRPC error that names the simulated cloud (errors of the rules already do).
func (s *Server) labelled(err error) error {
	if err == nil {
		return nil
	}
	if st, ok := status.FromError(err); ok && strings.Contains(st.Message(), s.cloud.Label) {
		return err
	}
	return s.errorf(codes.Internal, "%v", err)
}

// settings returns the provider configuration.
func (s *Server) settings() Settings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.set
}

// requireStore refuses resource operations without SIMCLOUD_STATE_DIR.
func (s *Server) requireStore() error {
	if s.store == nil {
		return s.errorf(codes.FailedPrecondition, "refusing resource operations: %v (set %s to a directory shared by both simulated providers)", s.storeErr, StateDirEnv)
	}
	return nil
}

// kindOf returns the simulated type a URN names.
func (s *Server) kindOf(urn string) (*Kind, error) {
	k, err := KindOf(s.cloud, string(resource.URN(urn).Type()))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return k, nil
}

var marshalOpts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, SkipNulls: true}

func unmarshal(st *structpb.Struct) (resource.PropertyMap, error) {
	if st == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(st, marshalOpts)
}

func marshal(pm resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(pm, marshalOpts)
}

// GetPluginInfo reports the version of the plugin simcloud stands in for.
func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: s.cloud.Version}, nil
}

// Handshake accepts secrets and resource references.
func (s *Server) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

// GetSchema returns a minimal schema: simcloud generates no SDKs.
func (s *Server) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":%q,"version":%q}`, s.cloud.Package, s.cloud.Version)}, nil
}

// CheckConfig accepts any provider configuration.
func (s *Server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// DiffConfig never asks to replace the provider.
func (s *Server) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

// Configure reads gcp:project/gcp:region or azure-native:subscriptionId.
func (s *Server) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	args, err := unmarshal(req.GetArgs())
	if err != nil {
		return nil, s.errorf(codes.InvalidArgument, "configuration: %v", err)
	}
	plain := plainMap(args)
	pick := func(key, def string) string {
		for _, k := range []string{s.cloud.Package + ":config:" + key, s.cloud.Package + ":" + key} {
			if v := req.GetVariables()[k]; v != "" {
				return v
			}
		}
		return strOr(plain, key, def)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cloud == Google {
		s.set.Project, s.set.Region = pick("project", defaultSettings.Project), pick("region", defaultSettings.Region)
	} else {
		s.set.Subscription = pick("subscriptionId", defaultSettings.Subscription)
	}
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, AcceptResources: true, SupportsPreview: true}, nil
}

// Check autonames the resource and returns every rule violation as a failure.
func (s *Server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	k, err := s.kindOf(req.GetUrn())
	if err != nil {
		return nil, s.labelled(err)
	}
	if err := s.requireStore(); err != nil {
		return nil, s.labelled(err)
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, s.errorf(codes.InvalidArgument, "inputs: %v", err)
	}
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, s.errorf(codes.InvalidArgument, "old inputs: %v", err)
	}
	in := plainMap(news)
	autoname(k, resource.URN(req.GetUrn()).Name(), plainMap(olds), in, req.GetRandomSeed())
	for _, key := range []string{k.NameKey, defaultsKey} {
		if v, ok := in[key]; ok && news[resource.PropertyKey(key)].IsNull() {
			news[resource.PropertyKey(key)] = propertyValue(v)
		}
	}
	// Check sees only the resource's own inputs: a preview checks every resource before any change is
	// made, so rules that read other resources (an interface's range, a gateway's APIPA addresses)
	// would judge the new inputs against old neighbours. Create and Update run every rule, strictly.
	failures := newChecker(k, s.settings(), in, newState(), false).run(false)
	inputs, err := marshal(news)
	if err != nil {
		return nil, s.labelled(err)
	}
	resp := &pulumirpc.CheckResponse{Inputs: inputs}
	for _, f := range failures {
		resp.Failures = append(resp.Failures, &pulumirpc.CheckFailure{Property: f.Property, Reason: f.Reason})
	}
	return resp, nil
}

// Diff compares the new checked inputs with the old inputs.
func (s *Server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	k, err := s.kindOf(req.GetUrn())
	if err != nil {
		return nil, s.labelled(err)
	}
	oldStruct, onlyNewKeys := req.GetOldInputs(), false
	if oldStruct == nil {
		oldStruct, onlyNewKeys = req.GetOlds(), true
	}
	olds, err := unmarshal(oldStruct)
	if err != nil {
		return nil, s.errorf(codes.InvalidArgument, "old inputs: %v", err)
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, s.errorf(codes.InvalidArgument, "new inputs: %v", err)
	}
	return diffInputs(k, plainMap(olds), plainMap(news), req.GetIgnoreChanges(), onlyNewKeys), nil
}

// validate runs the rules strictly (referenced resources must exist), plus the create-time rules on a create.
func (s *Server) validate(k *Kind, st *State, in obj, op string) error {
	failures := newChecker(k, s.settings(), in, st, true).run(op == OpCreate)
	if len(failures) == 0 {
		return nil
	}
	var reasons []string
	for _, f := range failures {
		reasons = append(reasons, strings.TrimPrefix(f.Reason, s.cloud.Label+": "))
	}
	return s.errorf(codes.FailedPrecondition, "%s of %s %q refused: %s", op, k.Token, strOr(in, k.NameKey, ""), strings.Join(reasons, "; "))
}

// attempt counts one attempt in the shared state and returns the injected fault, if this attempt is one.
func (s *Server) attempt(op string, k *Kind) error {
	var fault error
	err := s.store.Update(func(st *State) error {
		n, faulted := s.cfg.Faults.Attempt(st, op, k.Token)
		switch {
		case faulted && op == OpCreatePartial:
			fault = s.errorf(codes.Unavailable, "injected fault: create #%d of %s: created, but it failed to initialise", n, k.Token)
		case faulted:
			fault = s.errorf(codes.Unavailable, "injected fault: %s #%d of %s failed", op, n, k.Token)
		}
		return nil
	})
	if err != nil {
		return s.errorf(codes.Internal, "state: %v", err)
	}
	return fault
}

// commit records a completed operation: the resource is no longer in flight; the timeline line and
// the session report.
func (s *Server) commit(st *State, op string, k *Kind, id, urn string, start time.Time) error {
	delete(st.InFlight, id)
	rep := BuildReport(st)
	err := s.store.appendTimeline(TimelineEntry{
		Op: op, Type: k.Token, Name: resource.URN(urn).Name(), URN: urn,
		StartUnixNano: start.UnixNano(), EndUnixNano: time.Now().UnixNano(), SimulatedSeconds: simulatedSeconds(k, op),
		Established: rep.EstablishedTunnels(),
	})
	if err != nil {
		return err
	}
	return s.store.writeSessions(rep)
}

// begin marks a resource in flight when an operation on it interrupts the sessions through it (every
// delete; an update where cloudrules.UpdateDisruption says so), and records the interruption. The
// returned function clears the mark when the operation fails before its commit.
func (s *Server) begin(op string, k *Kind, id, urn string, start time.Time) (abort func(), err error) {
	if op == OpUpdate && !cloudrules.UpdateDisrupts(k.Token).Disrupts {
		return func() {}, nil
	}
	err = s.store.Update(func(st *State) error {
		if st.Get(id) == nil {
			return nil
		}
		st.InFlight[id] = op
		rep := BuildReport(st)
		err := s.store.appendTimeline(TimelineEntry{
			Op: op, Phase: PhaseStart, Type: k.Token, Name: resource.URN(urn).Name(), URN: urn,
			StartUnixNano: start.UnixNano(), SimulatedSeconds: simulatedSeconds(k, op), Established: rep.EstablishedTunnels(),
		})
		if err != nil {
			return err
		}
		return s.store.writeSessions(rep)
	})
	abort = func() {
		_ = s.store.Update(func(st *State) error {
			if st.InFlight[id] != op {
				return errSkipSave
			}
			delete(st.InFlight, id)
			return s.store.writeSessions(BuildReport(st))
		})
	}
	return abort, err
}

// previewOutputs are the inputs plus the computed outputs: unknown, or the old ones in an update preview.
func previewOutputs(k *Kind, props, olds resource.PropertyMap) resource.PropertyMap {
	out := props.Copy()
	delete(out, defaultsKey)
	computed := append([]string{"id"}, k.Computed...)
	if k.Cloud == Google {
		computed = append(computed, "selfLink")
	} else {
		computed = append(computed, "type", "provisioningState")
		out["name"] = props[resource.PropertyKey(k.NameKey)]
	}
	for _, key := range computed {
		pk := resource.PropertyKey(key)
		if v, ok := olds[pk]; ok {
			out[pk] = v
		} else if _, isInput := props[pk]; !isInput {
			out[pk] = resource.MakeComputed(resource.NewProperty(""))
		}
	}
	return out
}

// Create provisions a resource in the simulated cloud (after the simulated delay); in preview it only
// returns the inputs with unknown computed outputs.
func (s *Server) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	k, err := s.kindOf(req.GetUrn())
	if err != nil {
		return nil, s.labelled(err)
	}
	props, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, s.errorf(codes.InvalidArgument, "inputs: %v", err)
	}
	if req.GetPreview() {
		out, err := marshal(previewOutputs(k, props, nil))
		return &pulumirpc.CreateResponse{Properties: out}, s.labelled(err)
	}
	if err := s.requireStore(); err != nil {
		return nil, s.labelled(err)
	}
	in, set := plainMap(props), s.settings()
	id, ok := k.ID(set, in)
	if !ok || isUnknown(in) {
		return nil, s.errorf(codes.InvalidArgument, "create of %s: inputs are not all known", k.Token)
	}
	start := time.Now()
	if err := s.attempt(OpCreate, k); err != nil {
		return nil, s.labelled(err)
	}
	halfFailed := s.attempt(OpCreatePartial, k)
	check := func(st *State) error {
		if st.Get(id) != nil {
			return s.errorf(codes.AlreadyExists, "%s %s already exists; delete it or import it", k.Token, id)
		}
		return s.validate(k, st, in, OpCreate)
	}
	if err := s.store.View(check); err != nil {
		return nil, s.labelled(err)
	}
	if err := s.clock.Sleep(ctx, simulatedSeconds(k, OpCreate)); err != nil {
		return nil, s.errorf(codes.Canceled, "create of %s %s: %v", k.Token, id, err)
	}
	rec := &Record{ID: id, Type: k.Token, URN: req.GetUrn(), Name: resource.URN(req.GetUrn()).Name(), Inputs: in, InputSecrets: secretKeysOf(props)}
	rec.OutputSecrets = outputSecrets(k, rec.InputSecrets)
	err = s.store.Update(func(st *State) error {
		if err := check(st); err != nil {
			return err
		}
		rec.Outputs = buildOutputs(k, set, st, in, id, nil)
		st.Put(rec)
		return s.commit(st, OpCreate, k, rec.ID, req.GetUrn(), start)
	})
	if err != nil {
		return nil, s.labelled(err)
	}
	out, err := marshal(propertyMap(rec.Outputs, rec.OutputSecrets))
	if err == nil && halfFailed != nil {
		return nil, initFailed(halfFailed, id, out, req.GetProperties())
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: out}, s.labelled(err)
}

// initFailed reports a resource that exists but failed to initialise: the engine keeps its ID and
// outputs in the state, marked with the reason, and updates it on the next `up`.
func initFailed(reason error, id string, outputs, inputs *structpb.Struct) error {
	st := status.Convert(reason)
	err := rpcerror.New(st.Code(), st.Message())
	return rpcerror.WithDetails(err, &pulumirpc.ErrorResourceInitFailed{
		Id: id, Properties: outputs, Inputs: inputs, Reasons: []string{st.Message()},
	})
}

// Read returns the resource as the simulated cloud holds it, or an empty ID when it is gone.
func (s *Server) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	if _, err := s.kindOf(req.GetUrn()); err != nil {
		return nil, s.labelled(err)
	}
	if err := s.requireStore(); err != nil {
		return nil, s.labelled(err)
	}
	var rec *Record
	if err := s.store.View(func(st *State) error { rec = st.Get(req.GetId()); return nil }); err != nil {
		return nil, s.errorf(codes.Internal, "state: %v", err)
	}
	if rec == nil {
		return &pulumirpc.ReadResponse{}, nil
	}
	props, err := marshal(propertyMap(rec.Outputs, rec.OutputSecrets))
	if err != nil {
		return nil, s.labelled(err)
	}
	inputs, err := marshal(propertyMap(rec.Inputs, rec.InputSecrets))
	return &pulumirpc.ReadResponse{Id: rec.ID, Properties: props, Inputs: inputs}, s.labelled(err)
}

// Update changes a resource in place (after the simulated delay), as the API would: a change it refuses
// fails, a value it ignores stays (apiUpdate); in preview it returns the new inputs with the old computed outputs.
func (s *Server) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	k, err := s.kindOf(req.GetUrn())
	if err != nil {
		return nil, s.labelled(err)
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, s.errorf(codes.InvalidArgument, "inputs: %v", err)
	}
	if req.GetPreview() {
		olds, err := unmarshal(req.GetOlds())
		if err != nil {
			return nil, s.errorf(codes.InvalidArgument, "old outputs: %v", err)
		}
		out, err := marshal(previewOutputs(k, news, olds))
		return &pulumirpc.UpdateResponse{Properties: out}, s.labelled(err)
	}
	if err := s.requireStore(); err != nil {
		return nil, s.labelled(err)
	}
	in, set := plainMap(news), s.settings()
	start := time.Now()
	if err := s.attempt(OpUpdate, k); err != nil {
		return nil, s.labelled(err)
	}
	// applied is what the API makes of the request: it refuses some changes and ignores others.
	var applied obj
	check := func(st *State) error {
		prev := st.Get(req.GetId())
		if prev == nil {
			return s.errorf(codes.NotFound, "%s %s does not exist", k.Token, req.GetId())
		}
		var err error
		if applied, err = s.apiUpdate(k, prev, in); err != nil {
			return err
		}
		return s.validate(k, st, applied, OpUpdate)
	}
	if err := s.store.View(check); err != nil {
		return nil, s.labelled(err)
	}
	abort, err := s.begin(OpUpdate, k, req.GetId(), req.GetUrn(), start)
	if err != nil {
		return nil, s.errorf(codes.Internal, "state: %v", err)
	}
	if err := s.clock.Sleep(ctx, simulatedSeconds(k, OpUpdate)); err != nil {
		abort()
		return nil, s.errorf(codes.Canceled, "update of %s %s: %v", k.Token, req.GetId(), err)
	}
	var rec *Record
	err = s.store.Update(func(st *State) error {
		if err := check(st); err != nil {
			return err
		}
		prev := st.Get(req.GetId())
		rec = &Record{ID: prev.ID, Type: k.Token, URN: req.GetUrn(), Name: resource.URN(req.GetUrn()).Name(), Inputs: applied, InputSecrets: secretKeysOf(news)}
		rec.OutputSecrets = outputSecrets(k, rec.InputSecrets)
		rec.Outputs = buildOutputs(k, set, st, applied, prev.ID, prev)
		st.Put(rec)
		return s.commit(st, OpUpdate, k, rec.ID, req.GetUrn(), start)
	})
	if err != nil {
		abort()
		return nil, s.labelled(err)
	}
	out, err := marshal(propertyMap(rec.Outputs, rec.OutputSecrets))
	return &pulumirpc.UpdateResponse{Properties: out}, s.labelled(err)
}

// Delete removes a resource (after the simulated delay), unless something still uses it.
func (s *Server) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	k, err := s.kindOf(req.GetUrn())
	if err != nil {
		return nil, s.labelled(err)
	}
	if err := s.requireStore(); err != nil {
		return nil, s.labelled(err)
	}
	start := time.Now()
	if err := s.attempt(OpDelete, k); err != nil {
		return nil, s.labelled(err)
	}
	guard := func(st *State) error {
		if rec := st.Get(req.GetId()); rec != nil && k.DeleteGuard != nil {
			if why := k.DeleteGuard(st, rec); why != "" {
				return s.errorf(codes.FailedPrecondition, "cannot delete %s %s: %s", k.Token, rec.Physical(), why)
			}
		}
		return nil
	}
	if err := s.store.View(guard); err != nil {
		return nil, s.labelled(err)
	}
	abort, err := s.begin(OpDelete, k, req.GetId(), req.GetUrn(), start)
	if err != nil {
		return nil, s.errorf(codes.Internal, "state: %v", err)
	}
	if err := s.clock.Sleep(ctx, simulatedSeconds(k, OpDelete)); err != nil {
		abort()
		return nil, s.errorf(codes.Canceled, "delete of %s %s: %v", k.Token, req.GetId(), err)
	}
	err = s.store.Update(func(st *State) error {
		if err := guard(st); err != nil {
			return err
		}
		if st.Get(req.GetId()) == nil {
			return nil
		}
		id := st.Get(req.GetId()).ID
		st.Remove(id)
		return s.commit(st, OpDelete, k, id, req.GetUrn(), start)
	})
	if err != nil {
		abort()
		return nil, s.labelled(err)
	}
	return &emptypb.Empty{}, nil
}

// Cancel ends every pending simulated delay.
func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	s.clock.Cancel()
	return &emptypb.Empty{}, nil
}

// Invoke answers the provider functions havpn calls (getVirtualNetworkGateway, getRouter) from the
// simulated cloud's shared state, in the providers' own result shapes (invoke.go).
func (s *Server) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	if err := s.requireStore(); err != nil {
		return nil, s.labelled(err)
	}
	args, err := unmarshal(req.GetArgs())
	if err != nil {
		return nil, s.errorf(codes.InvalidArgument, "arguments of %s: %v", req.GetTok(), err)
	}
	out, err := s.invoke(req.GetTok(), plainMap(args))
	if err != nil {
		return nil, err
	}
	ret, err := marshal(propertyMap(out, nil))
	return &pulumirpc.InvokeResponse{Return: ret}, s.labelled(err)
}

// Call: simcloud simulates no resource methods.
func (s *Server) Call(_ context.Context, req *pulumirpc.CallRequest) (*pulumirpc.CallResponse, error) {
	return nil, s.errorf(codes.Unimplemented, "method %s is not simulated", req.GetTok())
}

// Construct: simcloud has no component resources.
func (s *Server) Construct(_ context.Context, req *pulumirpc.ConstructRequest) (*pulumirpc.ConstructResponse, error) {
	return nil, s.errorf(codes.Unimplemented, "component %s is not simulated", req.GetType())
}

// Parameterize: simcloud is not parameterizable.
func (s *Server) Parameterize(context.Context, *pulumirpc.ParameterizeRequest) (*pulumirpc.ParameterizeResponse, error) {
	return nil, s.errorf(codes.Unimplemented, "parameterization is not simulated")
}

// Attach: simcloud is always started by the engine.
func (s *Server) Attach(context.Context, *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	return nil, s.errorf(codes.Unimplemented, "attaching to a running provider is not simulated")
}

// List: simcloud does not list cloud resources.
func (s *Server) List(*pulumirpc.ListRequest, grpc.ServerStreamingServer[pulumirpc.ListResponse]) error {
	return s.errorf(codes.Unimplemented, "listing resources is not simulated")
}

// GetMapping: simcloud maps no other tool's resources.
func (s *Server) GetMapping(context.Context, *pulumirpc.GetMappingRequest) (*pulumirpc.GetMappingResponse, error) {
	return &pulumirpc.GetMappingResponse{}, nil
}

// GetMappings: simcloud maps no other tool's resources.
func (s *Server) GetMappings(context.Context, *pulumirpc.GetMappingsRequest) (*pulumirpc.GetMappingsResponse, error) {
	return &pulumirpc.GetMappingsResponse{}, nil
}
