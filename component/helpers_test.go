package component

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/simulation/mockcloud"
)

// Test inputs shared by every test of the package.
const (
	testSecret   = "0123456789abcdef0123456789abcdef"
	testName     = "gcp-azure"
	testRegion   = "asia-northeast1"
	testNetwork  = "projects/p/global/networks/vpc"
	testRG       = "rg"
	testLocation = "japaneast"
	testSubnetID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet"
	testPrefix   = "10.1.0.0/16"
	testProject  = "havpn"
	testStack    = "test"
)

// Resource type tokens as the recorder sees them.
const (
	tHaVpnGateway   = "gcp:compute/haVpnGateway:HaVpnGateway"
	tExternalGw     = "gcp:compute/externalVpnGateway:ExternalVpnGateway"
	tRouter         = "gcp:compute/router:Router"
	tTunnel         = "gcp:compute/vPNTunnel:VPNTunnel"
	tRouterIface    = "gcp:compute/routerInterface:RouterInterface"
	tRouterPeer     = "gcp:compute/routerPeer:RouterPeer"
	tFirewall       = "gcp:compute/firewall:Firewall"
	tPublicIp       = "azure-native:network:PublicIPAddress"
	tVnetGateway    = "azure-native:network:VirtualNetworkGateway"
	tLocalNetworkGw = "azure-native:network:LocalNetworkGateway"
	tConnection     = "azure-native:network:VirtualNetworkGatewayConnection"
)

// ipConfigID is the ID the component must build for the gateway's ipConfiguration of instance n.
func ipConfigID(gateway string, n int) string {
	return fmt.Sprintf("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/%s/ipConfigurations/instance%d", gateway, n)
}

func ptr[T any](v T) *T { return &v }

// validArgs returns arguments that pass validation, for the given topology ("" keeps the default).
func validArgs(topology string) *HaVpnLinkArgs {
	return &HaVpnLinkArgs{
		Topology:     topology,
		SharedSecret: pulumi.String(testSecret),
		Gcp: GcpArgs{
			Region:  pulumi.String(testRegion),
			Network: pulumi.String(testNetwork),
		},
		Azure: AzureArgs{
			ResourceGroupName: pulumi.String(testRG),
			Location:          pulumi.String(testLocation),
			GatewaySubnetId:   pulumi.String(testSubnetID),
			AddressPrefixes:   pulumi.ToStringArray([]string{testPrefix}),
		},
	}
}

// spyMonitor is the Recorder plus the state (inputs and computed outputs) the mock returned for each
// resource, so tests can compare inputs with the addresses the mock assigned.
type spyMonitor struct {
	*mockcloud.Recorder
	mu     sync.Mutex
	states map[string]resource.PropertyMap // by logical name
}

func (s *spyMonitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, state, err := s.Recorder.NewResource(args)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states[args.Name] = state.Copy()
	return id, state, err
}

// rendering is the outcome of one run of the component under mocks.
type rendering struct {
	link *HaVpnLink
	rec  *mockcloud.Recorder
	spy  *spyMonitor
	err  error
}

// render runs NewHaVpnLink under the mocks and returns the component, the recorder and the run's error.
func render(t *testing.T, name string, args *HaVpnLinkArgs) (*HaVpnLink, *mockcloud.Recorder, error) {
	t.Helper()
	r := renderWith(t, name, args, nil)
	return r.link, r.rec, r.err
}

// renderWith is render with a hook that runs inside the program once the component exists (nil when
// construction failed); outputs captured there with await are resolved when renderWith returns, because
// RunErr waits for every outstanding output.
func renderWith(t *testing.T, name string, args *HaVpnLinkArgs, inside func(ctx *pulumi.Context, link *HaVpnLink)) *rendering {
	t.Helper()
	spy := &spyMonitor{Recorder: mockcloud.NewRecorder(testProject, testStack), states: map[string]resource.PropertyMap{}}
	r := &rendering{rec: spy.Recorder, spy: spy}
	r.err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		link, err := NewHaVpnLink(ctx, name, args)
		r.link = link
		if err != nil {
			return err
		}
		if inside != nil {
			inside(ctx, link)
		}
		return nil
	}, pulumi.WithMocks(testProject, testStack, spy))
	return r
}

// mustRender renders valid arguments and fails the test on any error.
func mustRender(t *testing.T, args *HaVpnLinkArgs, inside func(ctx *pulumi.Context, link *HaVpnLink)) *rendering {
	t.Helper()
	r := renderWith(t, testName, args, inside)
	require.NoError(t, r.err)
	require.NotNil(t, r.link)
	return r
}

// awaited holds the value of an Output once the program resolved it.
type awaited[T any] struct {
	value T
	done  chan struct{}
}

// await captures the value of out; call it inside the program (renderWith's hook). The apply may run
// after RunErr returns (an Output made without the context is not waited for), so get waits for it.
func await[T any](out pulumi.Output) *awaited[T] {
	a := &awaited[T]{done: make(chan struct{})}
	out.ApplyT(func(v T) (any, error) {
		a.value = v
		close(a.done)
		return nil, nil
	})
	return a
}

// get returns the captured value, failing when the Output does not resolve within 10 s.
func (a *awaited[T]) get(t *testing.T) T {
	t.Helper()
	select {
	case <-a.done:
		return a.value
	case <-time.After(10 * time.Second):
		require.FailNow(t, "the Output never resolved")
		return a.value
	}
}

// rawMap turns recorded inputs into plain Go values with secrets in plaintext, to compare their values.
func rawMap(m resource.PropertyMap) map[string]any { return mockcloud.Revealed(m) }

// dig follows a path of object keys (string) and array indexes (int) through plain values.
func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for i, step := range path {
		switch s := step.(type) {
		case string:
			m, ok := v.(map[string]any)
			require.Truef(t, ok, "at %v: want an object, got %T %v", path[:i], v, v)
			next, ok := m[s]
			require.Truef(t, ok, "at %v: no key %q in %v", path[:i], s, keys(m))
			v = next
		case int:
			arr, ok := v.([]any)
			require.Truef(t, ok, "at %v: want an array, got %T %v", path[:i], v, v)
			require.Lessf(t, s, len(arr), "at %v: index %d out of %d", path[:i], s, len(arr))
			v = arr[s]
		default:
			t.Fatalf("bad path step %T", step)
		}
	}
	return v
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// reg returns the registration with that logical name and type, failing when missing.
func reg(t *testing.T, rec *mockcloud.Recorder, typ, name string) *mockcloud.Registration {
	t.Helper()
	r := rec.ByName(name)
	require.NotNilf(t, r, "no resource named %q was registered", name)
	require.Equalf(t, typ, r.Type, "type of %q", name)
	return r
}

// input returns an input of a registration as plain values (secrets unwrapped), following path.
func input(t *testing.T, r *mockcloud.Registration, path ...any) any {
	t.Helper()
	return dig(t, rawMap(r.Inputs), path...)
}

// names lists the logical names of registrations.
func names(regs []*mockcloud.Registration) []string {
	out := make([]string, 0, len(regs))
	for _, r := range regs {
		out = append(out, r.Name)
	}
	return out
}

// gcpInterfaceIp is the address the mock assigned to interface i of an HA VPN gateway.
func (r *rendering) gcpInterfaceIp(t *testing.T, gateway string, i int) string {
	t.Helper()
	r.spy.mu.Lock()
	state, ok := r.spy.states[gateway]
	r.spy.mu.Unlock()
	require.Truef(t, ok, "no state for %s", gateway)
	ip, ok := dig(t, rawMap(state), "vpnInterfaces", i, "ipAddress").(string)
	require.True(t, ok)
	require.True(t, strings.HasPrefix(ip, "203.0.113."), ip)
	return ip
}

// publicIp is the address the mock assigned to an Azure public IP.
func (r *rendering) publicIp(t *testing.T, name string) string {
	t.Helper()
	r.spy.mu.Lock()
	state, ok := r.spy.states[name]
	r.spy.mu.Unlock()
	require.Truef(t, ok, "no state for %s", name)
	ip, ok := dig(t, rawMap(state), "ipAddress").(string)
	require.True(t, ok)
	require.True(t, strings.HasPrefix(ip, "198.51.100."), ip)
	return ip
}

// mockAddresses maps every address the mock assigned to a stable placeholder naming its resource.
func (r *rendering) mockAddresses(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	add := func(ip, placeholder string) {
		prev, dup := out[ip]
		require.Falsef(t, dup, "the mock gave %s to both %s and %s", ip, prev, placeholder)
		out[ip] = placeholder
	}
	for _, g := range r.rec.OfType(tHaVpnGateway) {
		for i := 0; i < 2; i++ {
			add(r.gcpInterfaceIp(t, g.Name, i), fmt.Sprintf("mock-ip:%s/if%d", g.Name, i))
		}
	}
	for _, p := range r.rec.OfType(tPublicIp) {
		add(r.publicIp(t, p.Name), "mock-ip:"+p.Name)
	}
	return out
}

// state returns an output of a resource as the mock answered it (e.g. "id", "name").
func (r *rendering) state(t *testing.T, name, key string) string {
	t.Helper()
	r.spy.mu.Lock()
	st, ok := r.spy.states[name]
	r.spy.mu.Unlock()
	require.Truef(t, ok, "no state for %s", name)
	v, ok := dig(t, rawMap(st), key).(string)
	require.Truef(t, ok, "%s.%s is not a string", name, key)
	require.NotEmpty(t, v)
	return v
}

// wantTunnel is one tunnel as the tests expect it with the default block 0: its resources' names, its
// wiring (interface I of each HA VPN gateway reaches Azure instance I) and its BGP addressing
// (Azure = first host, Google = second host of the /30).
type wantTunnel struct {
	tunnel, iface, peer, lng, conn  string
	gateway                         string // the HA VPN gateway the tunnel starts on
	gcpGateway, gcpIface, azureInst int
	rng, azureIp, gcpIp             string
}

// wantTunnels lists the tunnels of a topology with bgpSessionBlock 0, written out by hand.
func wantTunnels(topology string) []wantTunnel {
	addressing := [][3]string{
		{"169.254.21.0/30", "169.254.21.1", "169.254.21.2"},
		{"169.254.22.0/30", "169.254.22.1", "169.254.22.2"},
		{"169.254.21.4/30", "169.254.21.5", "169.254.21.6"},
		{"169.254.22.4/30", "169.254.22.5", "169.254.22.6"},
	}
	n := 2
	if topology == "dualGateway" {
		n = 4
	}
	var out []wantTunnel
	for k := 0; k < n; k++ {
		out = append(out, wantTunnel{
			tunnel:     fmt.Sprintf("%s-t%d", testName, k),
			iface:      fmt.Sprintf("%s-if%d", testName, k),
			peer:       fmt.Sprintf("%s-bgp%d", testName, k),
			lng:        fmt.Sprintf("%s-lng%d", testName, k),
			conn:       fmt.Sprintf("%s-conn%d", testName, k),
			gateway:    fmt.Sprintf("%s-gw%d", testName, k/2),
			gcpGateway: k / 2,
			gcpIface:   k % 2,
			azureInst:  k % 2,
			rng:        addressing[k][0],
			azureIp:    addressing[k][1],
			gcpIp:      addressing[k][2],
		})
	}
	return out
}

// topologies are the two accepted topologies.
var topologies = []string{"paired", "dualGateway"}

// id is the ID the mock gave a resource.
func (r *rendering) id(t *testing.T, name string) string {
	t.Helper()
	g := r.rec.ByName(name)
	require.NotNilf(t, g, "no resource named %q", name)
	require.NotEmptyf(t, g.ID, "%s has no ID", name)
	return g.ID
}

// toStringArray is pulumi.ToStringArray for a few literals.
func toStringArray(ss ...string) pulumi.StringArray { return pulumi.ToStringArray(ss) }

// resourceKey names an input of a property map.
func resourceKey(s string) resource.PropertyKey { return resource.PropertyKey(s) }
