package simcloud

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// serve starts a provider on a loopback listener and returns a client to it.
func serve(t *testing.T, srv *Server) pulumirpc.ResourceProviderClient {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	g := grpc.NewServer()
	pulumirpc.RegisterResourceProviderServer(g, srv)
	go func() { _ = g.Serve(lis) }()
	t.Cleanup(g.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return pulumirpc.NewResourceProviderClient(conn)
}

func toStruct(t *testing.T, pm resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := marshal(pm)
	require.NoError(t, err)
	return s
}

func fromStruct(t *testing.T, s *structpb.Struct) resource.PropertyMap {
	t.Helper()
	pm, err := unmarshal(s)
	require.NoError(t, err)
	return pm
}

func props(m map[string]any) resource.PropertyMap { return resource.NewPropertyMapFromMap(m) }

// session drives one provider over gRPC.
type session struct {
	t   *testing.T
	c   pulumirpc.ResourceProviderClient
	ctx context.Context
}

func urnOf(token, name string) string {
	return "urn:pulumi:dev::havpn::havpn:index:HaVpnLink$" + token + "::" + name
}

// create checks then creates a resource and returns its ID and outputs.
func (s *session) create(token, name string, news resource.PropertyMap) (string, resource.PropertyMap, resource.PropertyMap) {
	s.t.Helper()
	urn := urnOf(token, name)
	chk, err := s.c.Check(s.ctx, &pulumirpc.CheckRequest{Urn: urn, News: toStruct(s.t, news), RandomSeed: []byte(name)})
	require.NoError(s.t, err)
	require.Empty(s.t, chk.Failures, "%s", name)
	resp, err := s.c.Create(s.ctx, &pulumirpc.CreateRequest{Urn: urn, Properties: chk.Inputs})
	require.NoError(s.t, err)
	return resp.Id, fromStruct(s.t, resp.Properties), fromStruct(s.t, chk.Inputs)
}

func readLines(t *testing.T, path string) []TimelineEntry {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []TimelineEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e TimelineEntry
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e))
		out = append(out, e)
	}
	return out
}

func TestGoogleProviderOverGrpc(t *testing.T) {
	dir := t.TempDir()
	s := &session{t: t, c: serve(t, NewServer(Google, Config{StateDir: dir})), ctx: context.Background()}
	ctx, c := s.ctx, s.c

	info, err := c.GetPluginInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, "7.38.0", info.Version)
	_, err = c.Configure(ctx, &pulumirpc.ConfigureRequest{Variables: map[string]string{"gcp:config:project": "proj-x", "gcp:config:region": "europe-west1"}})
	require.NoError(t, err)

	// Preview: inputs plus unknown computed outputs, nothing written.
	netIn := props(map[string]any{"autoCreateSubnetworks": false, "routingMode": "GLOBAL"})
	netIn["description"] = resource.MakeSecret(resource.NewProperty("private note"))
	chk, err := c.Check(ctx, &pulumirpc.CheckRequest{Urn: urnOf(gcpNetwork, "vpc"), News: toStruct(t, netIn), RandomSeed: []byte("x")})
	require.NoError(t, err)
	prev, err := c.Create(ctx, &pulumirpc.CreateRequest{Urn: urnOf(gcpNetwork, "vpc"), Properties: chk.Inputs, Preview: true})
	require.NoError(t, err)
	assert.Empty(t, prev.Id)
	prevOut := fromStruct(t, prev.Properties)
	assert.True(t, prevOut["selfLink"].IsComputed())
	assert.Regexp(t, `^vpc-[0-9a-f]{7}$`, prevOut["name"].StringValue())
	assert.NoFileExists(t, filepath.Join(dir, TimelineFile))
	assert.NoFileExists(t, filepath.Join(dir, SessionsFile))
	assert.NoFileExists(t, filepath.Join(dir, StateFile))

	netID, netOut, netInputs := s.create(gcpNetwork, "vpc", netIn)
	assert.Regexp(t, `^projects/proj-x/global/networks/vpc-[0-9a-f]{7}$`, netID)
	assert.Equal(t, cloudrules.GcpSelfLink(netID), netOut["selfLink"].StringValue())
	assert.True(t, netOut["description"].IsSecret(), "secret input stays secret")
	assert.Equal(t, netInputs["name"], netOut["name"])

	_, gwOut, _ := s.create(gcpHaGateway, "link-gw0", props(map[string]any{"region": "europe-west1", "network": netOut["selfLink"].StringValue(), "stackType": "IPV4_ONLY"}))
	ifaces := gwOut["vpnInterfaces"].ArrayValue()
	require.Len(t, ifaces, 2)
	ip0, ip1 := ifaces[0].ObjectValue()["ipAddress"].StringValue(), ifaces[1].ObjectValue()["ipAddress"].StringValue()
	assert.True(t, strings.HasPrefix(ip0, "34.") && strings.HasPrefix(ip1, "35."), "%s %s", ip0, ip1)

	extID, _, _ := s.create(gcpExternalGateway, "link-azure-peer", props(map[string]any{"redundancyType": "TWO_IPS_REDUNDANCY",
		"interfaces": []any{map[string]any{"id": 0, "ipAddress": "20.1.1.1"}, map[string]any{"id": 1, "ipAddress": "20.1.1.2"}}}))
	routerID, routerOut, routerInputs := s.create(gcpRouter, "link-router", props(map[string]any{"region": "europe-west1", "network": netID,
		"bgp": map[string]any{"asn": 65534, "keepaliveInterval": 20}}))
	assert.Equal(t, "europe-west1", routerOut["region"].StringValue())

	// A rule violation comes back as a labelled CheckFailure.
	bad, err := c.Check(ctx, &pulumirpc.CheckRequest{Urn: urnOf(gcpRouter, "bad"), News: toStruct(t, props(map[string]any{"network": netID, "bgp": map[string]any{"asn": 100}}))})
	require.NoError(t, err)
	require.Len(t, bad.Failures, 1)
	assert.Equal(t, "bgp.asn", bad.Failures[0].Property)
	assert.Contains(t, bad.Failures[0].Reason, "simcloud (simulated Google Cloud): ")

	tunIn := props(map[string]any{"region": "europe-west1", "vpnGateway": gwOut["id"].StringValue(), "vpnGatewayInterface": 0,
		"peerExternalGateway": extID, "peerExternalGatewayInterface": 0, "router": routerID, "ikeVersion": 2})
	tunIn["sharedSecret"] = resource.MakeSecret(resource.NewProperty("s3cret-s3cret-s3cret"))
	tunID, tunOut, tunInputs := s.create(gcpTunnel, "link-t0", tunIn)
	assert.True(t, tunOut["sharedSecret"].IsSecret())
	assert.True(t, tunOut["sharedSecretHash"].IsSecret(), "derived from a secret")
	assert.Equal(t, "20.1.1.1", tunOut["peerIp"].StringValue())
	assert.Contains(t, tunOut["detailedStatus"].StringValue(), "simcloud (simulated Google Cloud)")

	read, err := c.Read(ctx, &pulumirpc.ReadRequest{Id: tunID, Urn: urnOf(gcpTunnel, "link-t0")})
	require.NoError(t, err)
	assert.Equal(t, tunID, read.Id)
	assert.True(t, fromStruct(t, read.Properties)["sharedSecret"].IsSecret())
	assert.True(t, fromStruct(t, read.Inputs)["sharedSecret"].IsSecret())

	// Diff: secrets compare by plaintext; a new secret replaces the tunnel.
	same := tunInputs.Copy()
	same["sharedSecret"] = resource.NewProperty("s3cret-s3cret-s3cret")
	d, err := c.Diff(ctx, &pulumirpc.DiffRequest{Id: tunID, Urn: urnOf(gcpTunnel, "link-t0"), OldInputs: toStruct(t, tunInputs), Olds: toStruct(t, tunOut), News: toStruct(t, same)})
	require.NoError(t, err)
	assert.Equal(t, pulumirpc.DiffResponse_DIFF_NONE, d.Changes)
	changed := tunInputs.Copy()
	changed["sharedSecret"] = resource.MakeSecret(resource.NewProperty("another-secret-value"))
	d, err = c.Diff(ctx, &pulumirpc.DiffRequest{Id: tunID, Urn: urnOf(gcpTunnel, "link-t0"), OldInputs: toStruct(t, tunInputs), Olds: toStruct(t, tunOut), News: toStruct(t, changed)})
	require.NoError(t, err)
	assert.Equal(t, []string{"sharedSecret"}, d.Replaces)

	// Update in place, with a preview first.
	newRouter := routerInputs.Copy()
	newRouter["bgp"] = resource.NewProperty(props(map[string]any{"asn": 65534, "keepaliveInterval": 30}))
	up, err := c.Update(ctx, &pulumirpc.UpdateRequest{Id: routerID, Urn: urnOf(gcpRouter, "link-router"), Olds: toStruct(t, routerOut), News: toStruct(t, newRouter), Preview: true})
	require.NoError(t, err)
	assert.Equal(t, routerID, fromStruct(t, up.Properties)["id"].StringValue())
	up, err = c.Update(ctx, &pulumirpc.UpdateRequest{Id: routerID, Urn: urnOf(gcpRouter, "link-router"), Olds: toStruct(t, routerOut), News: toStruct(t, newRouter)})
	require.NoError(t, err)
	assert.Equal(t, 30.0, fromStruct(t, up.Properties)["bgp"].ObjectValue()["keepaliveInterval"].NumberValue())

	// A tunnel a router interface uses cannot be deleted.
	ifID, _, _ := s.create(gcpRouterInterface, "link-if0", props(map[string]any{"name": "link-if0", "region": "europe-west1",
		"router": routerOut["name"].StringValue(), "ipRange": "169.254.21.2/30", "vpnTunnel": tunOut["name"].StringValue()}))
	_, err = c.Delete(ctx, &pulumirpc.DeleteRequest{Id: tunID, Urn: urnOf(gcpTunnel, "link-t0")})
	require.Error(t, err)
	assert.Equal(t, codes.FailedPrecondition, status.Code(err))
	assert.Contains(t, status.Convert(err).Message(), "simcloud (simulated Google Cloud): cannot delete")
	assert.Contains(t, status.Convert(err).Message(), "still used by router interface link-if0")
	_, err = c.Delete(ctx, &pulumirpc.DeleteRequest{Id: ifID, Urn: urnOf(gcpRouterInterface, "link-if0")})
	require.NoError(t, err)
	_, err = c.Delete(ctx, &pulumirpc.DeleteRequest{Id: tunID, Urn: urnOf(gcpTunnel, "link-t0")})
	require.NoError(t, err)
	gone, err := c.Read(ctx, &pulumirpc.ReadRequest{Id: tunID, Urn: urnOf(gcpTunnel, "link-t0")})
	require.NoError(t, err)
	assert.Empty(t, gone.Id)

	// The store, the timeline and the session report.
	var st State
	b, err := os.ReadFile(filepath.Join(dir, StateFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &st))
	assert.Len(t, st.Resources, 4, "network, HA gateway, external gateway, router")
	assert.Equal(t, "link-router", st.Resources[routerID].Name)
	assert.Equal(t, 30.0, st.Resources[routerID].Inputs["bgp"].(map[string]any)["keepaliveInterval"])
	assert.Equal(t, []string{"description"}, st.Resources[netID].InputSecrets)

	lines := readLines(t, filepath.Join(dir, TimelineFile))
	var ops []string
	for _, l := range lines {
		if l.Phase == PhaseStart {
			ops = append(ops, "start "+l.Op+" "+l.Name)
			assert.Zero(t, l.EndUnixNano)
		} else {
			ops = append(ops, l.Op+" "+l.Name)
			assert.LessOrEqual(t, l.StartUnixNano, l.EndUnixNano)
		}
		assert.Equal(t, urnOf(l.Type, l.Name), l.URN)
		assert.Equal(t, simulatedSeconds(kinds[l.Type], l.Op), l.SimulatedSeconds)
	}
	// Updates and deletes of resources on a session's path write a start line too (they interrupt it).
	assert.Equal(t, []string{"create vpc", "create link-gw0", "create link-azure-peer", "create link-router", "create link-t0",
		"start update link-router", "update link-router", "create link-if0", "start delete link-if0", "delete link-if0",
		"start delete link-t0", "delete link-t0"}, ops)
	assert.Empty(t, st.InFlight, "no operation is in flight once each has completed")

	rep, err := ReadReport(dir)
	require.NoError(t, err)
	assert.True(t, rep.Simulated)
	assert.Empty(t, rep.Sessions, "the tunnel is gone")
	assert.FileExists(t, filepath.Join(dir, SessionsFile))
}

func TestAzureProviderOverGrpc(t *testing.T) {
	dir := t.TempDir()
	s := &session{t: t, c: serve(t, NewServer(Azure, Config{StateDir: dir})), ctx: context.Background()}
	info, err := s.c.GetPluginInfo(s.ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, "2.90.0", info.Version)
	args := toStruct(t, props(map[string]any{"subscriptionId": "11111111-2222-3333-4444-555555555555"}))
	_, err = s.c.Configure(s.ctx, &pulumirpc.ConfigureRequest{Args: args})
	require.NoError(t, err)

	rgID, rgOut, _ := s.create(azureResourceGroup, "rg", props(map[string]any{"location": "westeurope"}))
	assert.Regexp(t, `^/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg[0-9a-f]{8}$`, rgID)
	rg := rgOut["name"].StringValue()
	pipID, pipOut, _ := s.create(azurePublicIp, "pip0", props(map[string]any{"resourceGroupName": rg, "sku": map[string]any{"name": "Standard"},
		"publicIPAllocationMethod": "Static"}))
	assert.Contains(t, pipID, "/providers/Microsoft.Network/publicIPAddresses/pip0")
	assert.Regexp(t, `^(20|40)\.\d+\.\d+\.\d+$`, pipOut["ipAddress"].StringValue())
	assert.Equal(t, "westeurope", pipOut["location"].StringValue(), "location from the resource group")

	// A create that breaks a rule at Create time fails with a labelled error.
	_, err = s.c.Create(s.ctx, &pulumirpc.CreateRequest{Urn: urnOf(azureVnet, "vnet"), Properties: toStruct(t, props(map[string]any{
		"resourceGroupName": "missing-rg", "virtualNetworkName": "vnet", "addressSpace": map[string]any{"addressPrefixes": []any{"10.0.0.0/16"}}}))})
	require.Error(t, err)
	assert.Contains(t, status.Convert(err).Message(), "simcloud (simulated Azure): create of azure-native:network:VirtualNetwork \"vnet\" refused: resource group \"missing-rg\" does not exist")

	// The same ID cannot be created twice.
	_, err = s.c.Create(s.ctx, &pulumirpc.CreateRequest{Urn: urnOf(azurePublicIp, "pip0"), Properties: toStruct(t, props(map[string]any{
		"resourceGroupName": rg, "publicIpAddressName": pipOut["name"].StringValue(), "sku": map[string]any{"name": "Standard"}}))})
	assert.Equal(t, codes.AlreadyExists, status.Code(err))
}

func TestResourceOperationsNeedTheStateDir(t *testing.T) {
	c := serve(t, NewServer(Google, Config{}))
	_, err := c.Check(context.Background(), &pulumirpc.CheckRequest{Urn: urnOf(gcpNetwork, "vpc"), News: toStruct(t, props(map[string]any{}))})
	require.Error(t, err)
	assert.Contains(t, status.Convert(err).Message(), "simcloud (simulated Google Cloud): refusing resource operations")
	assert.Contains(t, status.Convert(err).Message(), StateDirEnv)
	_, err = c.Check(context.Background(), &pulumirpc.CheckRequest{Urn: urnOf("azure-native:network:Subnet", "s"), News: toStruct(t, props(map[string]any{}))})
	assert.Contains(t, status.Convert(err).Message(), "simcloud (simulated Google Cloud): resource type azure-native:network:Subnet is not simulated")
}

func TestCloudForBinary(t *testing.T) {
	c, ok := CloudForBinary("/work/main/bin/pulumi-resource-gcp")
	assert.True(t, ok)
	assert.Equal(t, Google, c)
	c, ok = CloudForBinary("pulumi-resource-azure-native")
	assert.True(t, ok)
	assert.Equal(t, Azure, c)
	_, ok = CloudForBinary("simcloud")
	assert.False(t, ok)
}

// TestCreatePartialFault: the resource exists in the simulated cloud, and the error carries its ID
// and outputs as an initialisation failure, so the engine keeps it in the state (no duplicate later).
func TestCreatePartialFault(t *testing.T) {
	dir := t.TempDir()
	faults, err := ParseFaults("create-partial:" + gcpNetwork + ":1")
	require.NoError(t, err)
	c := serve(t, NewServer(Google, Config{StateDir: dir, Faults: faults}))
	ctx := context.Background()
	_, err = c.Configure(ctx, &pulumirpc.ConfigureRequest{Variables: map[string]string{"gcp:config:project": "proj-x"}})
	require.NoError(t, err)
	in := props(map[string]any{"autoCreateSubnetworks": false, "name": "vpc"})
	_, err = c.Create(ctx, &pulumirpc.CreateRequest{Urn: urnOf(gcpNetwork, "vpc"), Properties: toStruct(t, in)})
	require.Error(t, err)
	st := status.Convert(err)
	assert.Contains(t, st.Message(), "injected fault: create #1 of "+gcpNetwork+": created, but it failed to initialise")
	var initErr *pulumirpc.ErrorResourceInitFailed
	for _, d := range st.Details() {
		if e, ok := d.(*pulumirpc.ErrorResourceInitFailed); ok {
			initErr = e
		}
	}
	require.NotNil(t, initErr, "details: %v", st.Details())
	assert.Equal(t, "projects/proj-x/global/networks/vpc", initErr.GetId())
	assert.Equal(t, "vpc", fromStruct(t, initErr.GetProperties())["name"].StringValue())
	store, err := OpenStore(dir)
	require.NoError(t, err)
	require.NoError(t, store.View(func(st *State) error {
		assert.NotNil(t, st.Get(initErr.GetId()), "the resource exists in the simulated cloud")
		return nil
	}))
	// The next create of the type is not faulted.
	_, err = c.Create(ctx, &pulumirpc.CreateRequest{Urn: urnOf(gcpNetwork, "vpc2"), Properties: toStruct(t, props(map[string]any{"autoCreateSubnetworks": false, "name": "vpc2"}))})
	require.NoError(t, err)
}
