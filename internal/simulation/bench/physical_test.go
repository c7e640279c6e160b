package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// link is a minimal deployed link: Azure chain rg -> pip -> gateway -> connection, Google chain
// network -> HA gateway -> LNG -> connection.
func link() []Resource {
	return []Resource{
		{ID: "/s/rg", Type: rg, Name: "rg", Outputs: map[string]any{"name": "rg1"}},
		{ID: "/s/rg/pip0", Type: pip, Name: "pip0", Inputs: map[string]any{"resourceGroupName": "rg1"}, Outputs: map[string]any{"ipAddress": "20.0.0.1"}},
		{ID: "/s/rg/vnet", Type: vnet, Name: "vnet", Inputs: map[string]any{"resourceGroupName": "rg1"}, Outputs: map[string]any{"name": "vnet1"}},
		{ID: "/s/rg/vnet/GatewaySubnet", Type: subnet, Name: "gw-subnet", Inputs: map[string]any{"resourceGroupName": "rg1", "virtualNetworkName": "vnet1"}},
		{ID: "/s/rg/vgw", Type: vgw, Name: "vgw", Inputs: map[string]any{"ipConfigurations": []any{
			map[string]any{"publicIPAddress": map[string]any{"id": "/s/rg/pip0"}, "subnet": map[string]any{"id": "/s/rg/vnet/GatewaySubnet"}},
		}}},
		{ID: "projects/p/global/networks/vpc", Type: network, Name: "vpc", Outputs: map[string]any{"selfLink": "https://x/projects/p/global/networks/vpc"}},
		{ID: "projects/p/regions/r/vpnGateways/gw0", Type: haGateway, Name: "gw0", Inputs: map[string]any{"network": "https://x/projects/p/global/networks/vpc"},
			Outputs: map[string]any{"vpnInterfaces": []any{map[string]any{"ipAddress": "35.0.0.1"}}}},
		{ID: "/s/rg/lng0", Type: lng, Name: "lng0", Inputs: map[string]any{"gatewayIpAddress": "35.0.0.1", "resourceGroupName": "rg1"}},
		{ID: "/s/rg/conn0", Type: conn, Name: "conn0", Inputs: map[string]any{
			"virtualNetworkGateway1": map[string]any{"id": "/s/rg/vgw"}, "localNetworkGateway2": map[string]any{"id": "/s/rg/lng0"}}},
	}
}

var seconds = map[string]float64{rg: 10, pip: 10, vnet: 20, subnet: 10, vgw: 2700, network: 20, haGateway: 30, lng: 60, conn: 120}

func TestEdgesFollowThePhysicalTable(t *testing.T) {
	edges, err := Edges(link())
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"/s/rg/pip0", "/s/rg/vnet/GatewaySubnet"}, edges["/s/rg/vgw"])
	assert.ElementsMatch(t, []string{"/s/rg/vgw", "/s/rg/lng0"}, edges["/s/rg/conn0"])
	assert.ElementsMatch(t, []string{"projects/p/regions/r/vpnGateways/gw0", "/s/rg"}, edges["/s/rg/lng0"], "an LNG needs the HA VPN interface that has its IP")
	assert.ElementsMatch(t, []string{"projects/p/global/networks/vpc"}, edges["projects/p/regions/r/vpnGateways/gw0"])
}

func TestLowerBoundIsTheLongestWeightedPath(t *testing.T) {
	bound, path, err := LowerBound(link(), func(typ string) float64 { return seconds[typ] })
	require.NoError(t, err)
	// rg 10 -> vnet 20 -> subnet 10 -> gateway 2700 -> connection 120 beats rg -> pip (10 + 10).
	assert.Equal(t, 2860.0, bound)
	assert.Equal(t, []string{"rg", "vnet", "gw-subnet", "vgw", "conn0"}, path)
}

func TestLowerBoundIgnoresNonPhysicalDependencies(t *testing.T) {
	// A needless reference (say, a tunnel description naming the Azure gateway) is not in the table,
	// so it cannot raise the bound and hide itself. The tunnel weighs 300 s: followed, the reference
	// would end at 2740 + 300 = 3040 s, above the 2860 s connection path.
	rs := append(link(),
		Resource{ID: "ext", Type: extGateway, Name: "ext", Inputs: map[string]any{"interfaces": []any{map[string]any{"ipAddress": "20.0.0.1"}}}},
		Resource{ID: "router", Type: router, Name: "router", Inputs: map[string]any{"network": "https://x/projects/p/global/networks/vpc"}, Outputs: map[string]any{"name": "router1"}},
		Resource{ID: "t0", Type: tunnel, Name: "t0", Inputs: map[string]any{
			"vpnGateway": "projects/p/regions/r/vpnGateways/gw0", "peerExternalGateway": "ext", "router": "router1", "description": "/s/rg/vgw"}})
	edges, err := Edges(rs)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"projects/p/regions/r/vpnGateways/gw0", "ext", "router"}, edges["t0"])
	bound, _, err := LowerBound(rs, func(typ string) float64 { return seconds[typ] + map[string]float64{tunnel: 300}[typ] })
	require.NoError(t, err)
	assert.Equal(t, 2860.0, bound)
}

func TestEdgesRejectDanglingReferences(t *testing.T) {
	rs := link()
	rs[8].Inputs["localNetworkGateway2"] = map[string]any{"id": "/s/rg/missing"}
	_, err := Edges(rs)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "localNetworkGateway2.id")
}

func TestEdgesRejectAMissingPhysicalInput(t *testing.T) {
	rs := link()
	delete(rs[7].Inputs, "gatewayIpAddress") // lng0
	_, err := Edges(rs)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lng0 has no gatewayIpAddress")
}
