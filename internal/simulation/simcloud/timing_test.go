package simcloud

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestParseFaults(t *testing.T) {
	fs, err := ParseFaults("create:azure-native:network:VirtualNetworkGateway:1, delete:gcp:compute/vPNTunnel:VPNTunnel:2,,update:azure-native:network:VirtualNetworkGatewayConnection:3,create-partial:gcp:compute/router:Router:2")
	require.NoError(t, err)
	assert.Equal(t, Faults{
		{Op: "create", Type: "azure-native:network:VirtualNetworkGateway", N: 1},
		{Op: "delete", Type: "gcp:compute/vPNTunnel:VPNTunnel", N: 2},
		{Op: "update", Type: "azure-native:network:VirtualNetworkGatewayConnection", N: 3},
		{Op: "create-partial", Type: "gcp:compute/router:Router", N: 2},
	}, fs)
	empty, err := ParseFaults("")
	require.NoError(t, err)
	assert.Empty(t, empty)
	for _, bad := range []string{"create", "create:1", "create::1", "boom:gcp:compute/network:Network:1", "create:gcp:compute/network:Network:0", "create:gcp:compute/network:Network:x"} {
		_, err := ParseFaults(bad)
		assert.Error(t, err, bad)
	}
}

// Two plugin processes share the counters: the Nth attempt is counted across store handles.
func TestFaultsCountAcrossStoreHandles(t *testing.T) {
	dir := t.TempDir()
	faults, err := ParseFaults("create:azure-native:network:VirtualNetworkGateway:1,create:azure-native:network:VirtualNetworkGateway:3")
	require.NoError(t, err)
	a := NewServer(Azure, Config{StateDir: dir, Faults: faults})
	b := NewServer(Azure, Config{StateDir: dir, Faults: faults})
	k := kinds[azureGateway]
	err = a.attempt(OpCreate, k)
	require.Error(t, err)
	assert.Equal(t, codes.Unavailable, status.Code(err))
	assert.Equal(t, "simcloud (simulated Azure): injected fault: create #1 of azure-native:network:VirtualNetworkGateway failed", status.Convert(err).Message())
	assert.NoError(t, b.attempt(OpCreate, k), "the 2nd create (next `up`, other process) succeeds")
	assert.Error(t, b.attempt(OpCreate, k), "the 3rd fails again")
	assert.NoError(t, a.attempt(OpCreate, k))
	assert.NoError(t, a.attempt(OpDelete, k), "other operations count separately")
	store, err := OpenStore(dir)
	require.NoError(t, err)
	require.NoError(t, store.View(func(st *State) error {
		assert.Equal(t, 4, st.Counters["create:azure-native:network:VirtualNetworkGateway"])
		assert.Equal(t, 1, st.Counters["delete:azure-native:network:VirtualNetworkGateway"])
		return nil
	}))
}

// The exclusive flock serialises read-modify-write across handles (as across processes).
func TestStoreUpdatesAreSerialised(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := OpenStore(dir)
			require.NoError(t, err)
			for j := 0; j < 10; j++ {
				require.NoError(t, s.Update(func(st *State) error { st.Counters["n"]++; return nil }))
			}
		}()
	}
	wg.Wait()
	s, _ := OpenStore(dir)
	require.NoError(t, s.View(func(st *State) error { assert.Equal(t, 80, st.Counters["n"]); return nil }))
}

func TestTimeScaleAndSimulatedDurations(t *testing.T) {
	scale, err := ParseTimeScale("")
	require.NoError(t, err)
	assert.Zero(t, scale)
	scale, err = ParseTimeScale("0.001")
	require.NoError(t, err)
	assert.Equal(t, 0.001, scale)
	_, err = ParseTimeScale("-1")
	assert.Error(t, err)

	assert.Equal(t, 2700.0, simulatedSeconds(kinds[azureGateway], OpCreate))
	assert.Equal(t, 1200.0, simulatedSeconds(kinds[azureGateway], OpUpdate))
	assert.Equal(t, 2700.0, simulatedSeconds(kinds[azureGateway], OpDelete))
	assert.Equal(t, 120.0, simulatedSeconds(kinds[azureConnection], OpUpdate))
	assert.Equal(t, 30.0, simulatedSeconds(kinds[gcpTunnel], OpCreate))
	// The relative provisioning times, type by type; a type added without one fails here.
	createTimes := map[string]float64{
		azureGateway: 45 * 60, azureConnection: 2 * 60, azureLng: 60, azurePublicIp: 10,
		gcpHaGateway: 30, gcpExternalGateway: 10, gcpRouter: 20, gcpTunnel: 30,
		gcpRouterInterface: 15, gcpRouterPeer: 15, gcpFirewall: 10,
		gcpNetwork: 20, azureVnet: 20, gcpSubnetwork: 10, azureSubnet: 10,
		azureResourceGroup: 10, // not in the list; as quick as a subnet
	}
	assert.Len(t, kinds, len(createTimes))
	for token, want := range createTimes {
		got, ok := SimulatedSeconds(token, OpCreate)
		assert.True(t, ok, token)
		assert.Equal(t, want, got, token)
	}

	start := time.Now()
	require.NoError(t, NewClock(0.001).Sleep(context.Background(), 50)) // 50 ms
	assert.GreaterOrEqual(t, time.Since(start), 45*time.Millisecond)
	c := NewClock(1)
	go func() { time.Sleep(10 * time.Millisecond); c.Cancel() }()
	assert.Error(t, c.Sleep(context.Background(), 60), "Cancel ends the sleep")
}

func TestAutonaming(t *testing.T) {
	gcpName := regexp.MustCompile(`^link-t0-[0-9a-f]{7}$`)
	azName := regexp.MustCompile(`^link-lng0[0-9a-f]{8}$`)

	in := obj{}
	autoname(kinds[gcpTunnel], "link-t0", nil, in, nil)
	assert.Regexp(t, gcpName, in["name"])
	assert.Equal(t, []any{"name"}, in[defaultsKey])

	again := obj{}
	autoname(kinds[gcpTunnel], "link-t0", in, again, nil)
	assert.Equal(t, in["name"], again["name"], "stable: the old name is kept")

	seeded1, seeded2 := obj{}, obj{}
	autoname(kinds[azureLng], "link-lng0", nil, seeded1, []byte("seed"))
	autoname(kinds[azureLng], "link-lng0", nil, seeded2, []byte("seed"))
	assert.Regexp(t, azName, seeded1["localNetworkGatewayName"])
	assert.Equal(t, seeded1, seeded2, "the engine's random seed makes names reproducible")

	explicit := obj{"virtualNetworkGatewayName": "link-vgw"}
	autoname(kinds[azureGateway], "link-vgw", nil, explicit, nil)
	assert.Equal(t, obj{"virtualNetworkGatewayName": "link-vgw"}, explicit, "a given name is not touched")

	for token, k := range map[string]string{azureResourceGroup: "resourceGroupName", azureVnet: "virtualNetworkName", azureSubnet: "subnetName",
		azurePublicIp: "publicIpAddressName", azureConnection: "virtualNetworkGatewayConnectionName", azureGateway: "virtualNetworkGatewayName"} {
		in := obj{}
		autoname(kinds[token], "x", nil, in, nil)
		assert.Regexp(t, `^x[0-9a-f]{8}$`, in[k], fmt.Sprint(token))
	}
}
