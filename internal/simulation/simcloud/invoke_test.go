package simcloud

import (
	"context"
	"slices"
	"sort"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// serverOn is a provider of one cloud whose shared state is the world's.
func serverOn(t *testing.T, w *world, cloud *Cloud) *Server {
	t.Helper()
	dir := t.TempDir()
	store, err := OpenStore(dir)
	require.NoError(t, err)
	require.NoError(t, store.Update(func(st *State) error { *st = *w.st; return nil }))
	return NewServer(cloud, Config{StateDir: dir})
}

func invokeOn(t *testing.T, s *Server, token string, args obj) (obj, error) {
	t.Helper()
	resp, err := s.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: token, Args: toStruct(t, propertyMap(norm(t, args), nil))})
	if err != nil {
		return nil, err
	}
	return plainMap(fromStruct(t, resp.GetReturn())), nil
}

func propertyNames(m obj) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestInvokeGetVirtualNetworkGateway: the lookup returns the deployed gateway in the SDK's result shape:
// only LookupVirtualNetworkGatewayResult's properties, with the read-only BGP fields Azure fills in.
func TestInvokeGetVirtualNetworkGateway(t *testing.T) {
	w := linkWorld(t)
	s := serverOn(t, w, Azure)
	got, err := invokeOn(t, s, fnGetGateway, obj{"resourceGroupName": w.name("rg"), "virtualNetworkGatewayName": testGateway})
	require.NoError(t, err)
	for _, k := range propertyNames(got) {
		assert.True(t, slices.Contains(GatewayLookupKeys, k), "%s is not a property of LookupVirtualNetworkGatewayResult", k)
	}
	assert.Equal(t, w.gatewayID(), got["id"])
	assert.Equal(t, testGateway, got["name"])
	assert.Equal(t, testLocation, got["location"])
	assert.Equal(t, true, got["activeActive"])
	assert.Equal(t, true, got["enableBgp"])
	assert.Equal(t, "RouteBased", got["vpnType"])
	bgp, _ := sub(got, "bgpSettings")
	assert.Equal(t, 65515.0, bgp["asn"])
	peering := objects(bgp, "bgpPeeringAddresses")
	require.Len(t, peering, 2)
	assert.Equal(t, w.ipConfigID(1), peering[1]["ipconfigurationId"])
	assert.Equal(t, []string{"169.254.22.1"}, stringsOf(peering[1], "customBgpIpAddresses"))
	assert.Equal(t, []string{"10.1.255.5"}, stringsOf(peering[1], "defaultBgpIpAddresses"), "read-only, server-populated")
	configs := objects(got, "ipConfigurations")
	require.Len(t, configs, 2)
	assert.Equal(t, w.ipConfigID(0), configs[0]["id"])
	assert.Equal(t, "instance0", configs[0]["name"])

	// The resource group and name compare without case, as ARM names do.
	_, err = invokeOn(t, s, fnGetGateway, obj{"resourceGroupName": w.name("rg"), "virtualNetworkGatewayName": "LINK-VGW"})
	require.NoError(t, err)
}

// TestInvokeLookupFailures: each lookup's failure in the provider's own words, labelled simulated.
func TestInvokeLookupFailures(t *testing.T) {
	w := linkWorld(t)
	azure, google := serverOn(t, w, Azure), serverOn(t, w, Google)
	cases := []struct {
		name  string
		s     *Server
		token string
		args  obj
		code  codes.Code
		msg   string
	}{
		{"gateway not found", azure, fnGetGateway, obj{"resourceGroupName": w.name("rg"), "virtualNetworkGatewayName": "other-vgw"}, codes.NotFound,
			"simcloud (simulated Azure): ResourceNotFound: The Resource 'Microsoft.Network/virtualNetworkGateways/other-vgw' under resource group '" + w.name("rg") + "' was not found."},
		{"resource group not found", azure, fnGetGateway, obj{"resourceGroupName": "nope", "virtualNetworkGatewayName": testGateway}, codes.NotFound,
			"simcloud (simulated Azure): ResourceGroupNotFound: Resource group 'nope' could not be found."},
		{"gateway lookup without a name", azure, fnGetGateway, obj{"resourceGroupName": "rg"}, codes.InvalidArgument, "needs resourceGroupName and virtualNetworkGatewayName"},
		{"router not found", google, fnGetRouter, obj{"name": "other-router", "network": "vpc", "region": testRegion}, codes.NotFound,
			"simcloud (simulated Google Cloud): other-router not found"},
		{"router in another region", google, fnGetRouter, obj{"name": w.name("link-router"), "network": "vpc", "region": "asia-east1"}, codes.NotFound, "not found"},
		{"Azure function asked of Google", google, fnGetGateway, obj{}, codes.Unimplemented, "is not simulated"},
		{"another function", azure, "azure-native:network:getPublicIPAddress", obj{}, codes.Unimplemented, "function azure-native:network:getPublicIPAddress is not simulated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := invokeOn(t, c.s, c.token, c.args)
			require.Error(t, err)
			st, _ := status.FromError(err)
			assert.Equal(t, c.code, st.Code(), err.Error())
			assert.Contains(t, st.Message(), c.msg)
		})
	}
	_, err := invokeOn(t, NewServer(Azure, Config{}), fnGetGateway, obj{})
	require.Error(t, err, "no state directory: no lookup")
}

// TestInvokeGetRouter: the router in the shape of LookupRouterResult: its one bgp block as the list bgps,
// the ID the bare name (the data source's d.SetId(routerName)), the network as a self link; the network
// argument is not compared, as the data source does not compare it.
func TestInvokeGetRouter(t *testing.T) {
	w := linkWorld(t)
	s := serverOn(t, w, Google)
	got, err := invokeOn(t, s, fnGetRouter, obj{"name": w.name("link-router"), "network": "some-other-vpc", "region": testRegion})
	require.NoError(t, err)
	assert.Equal(t, RouterLookupKeys, propertyNames(got))
	assert.Equal(t, w.name("link-router"), got["id"])
	assert.Equal(t, w.out("link-router", "selfLink"), got["selfLink"])
	assert.Equal(t, w.out("vpc", "selfLink"), got["network"])
	assert.Equal(t, defaultSettings.Project, got["project"])
	bgps := objects(got, "bgps")
	require.Len(t, bgps, 1)
	assert.Equal(t, RouterBgpKeys, propertyNames(bgps[0]))
	assert.Equal(t, 65534.0, bgps[0]["asn"])
	assert.Equal(t, 20.0, bgps[0]["keepaliveInterval"])
	assert.Equal(t, "DEFAULT", bgps[0]["advertiseMode"])
}

// TestReadServesGet: reading an HA VPN gateway by its ID (compute.GetHaVpnGateway) returns its outputs,
// the interface addresses included; an unknown ID reads as gone.
func TestReadServesGet(t *testing.T) {
	w := linkWorld(t)
	s := serverOn(t, w, Google)
	urn := "urn:pulumi:dev::havpn::havpn:index:HaVpnLink$" + gcpHaGateway + "::link-gw0"
	resp, err := s.Read(context.Background(), &pulumirpc.ReadRequest{Id: w.id("link-gw0"), Urn: urn})
	require.NoError(t, err)
	assert.Equal(t, w.id("link-gw0"), resp.GetId())
	out := plainMap(fromStruct(t, resp.GetProperties()))
	ifaces := objects(out, "vpnInterfaces")
	require.Len(t, ifaces, 2)
	assert.Equal(t, haInterfaceIp(w.rec["link-gw0"], 1), ifaces[1]["ipAddress"])
	resp, err = s.Read(context.Background(), &pulumirpc.ReadRequest{Id: "projects/p/regions/r/vpnGateways/none", Urn: urn})
	require.NoError(t, err)
	assert.Empty(t, resp.GetId())
}
