package provider

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pprovider "github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/havpn/pulumi-havpn/component"
	"github.com/havpn/pulumi-havpn/internal/simulation/mockcloud"
)

const (
	project  = "havpn"
	stack    = "test"
	linkName = "gcp-azure"
	secret   = "construct-master-secret-0123456789"
	subnetID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet"
	// vpcURN stands for a VPC created by the calling program, in another language.
	vpcURN = "urn:pulumi:test::havpn::gcp:compute/network:Network::vpc"
)

var (
	str     = resource.NewStringProperty
	num     = resource.NewNumberProperty
	obj     = resource.NewObjectProperty
	arr     = func(vs ...resource.PropertyValue) resource.PropertyValue { return resource.NewArrayProperty(vs) }
	secret_ = func(v resource.PropertyValue) resource.PropertyValue { return resource.MakeSecret(v) }
)

// inputs are the arguments as a TypeScript or Python program sends them, before any override.
func inputs(topology string) resource.PropertyMap {
	return resource.PropertyMap{
		"topology":        str(topology),
		"sharedSecret":    secret_(str(secret)),
		"bgpSessionBlock": num(0),
		"gcp": obj(resource.PropertyMap{
			"region":            str("asia-northeast1"),
			"network":           str("projects/p/global/networks/vpc"),
			"asn":               num(65534),
			"keepaliveInterval": num(20),
		}),
		"azure": obj(resource.PropertyMap{
			"resourceGroupName": str("rg"),
			"location":          str("japaneast"),
			"gatewaySubnetId":   str(subnetID),
			"addressPrefixes":   arr(str("10.1.0.0/16")),
			"asn":               num(65515),
			"sku":               str("VpnGw1AZ"),
			"dpdTimeoutSeconds": num(45),
		}),
	}
}

// goArgs are the same arguments for the Go component.
func goArgs(topology string) *component.HaVpnLinkArgs {
	block, gcpAsn, keepalive, azureAsn, dpd := 0, 65534, 20, 65515, 45
	return &component.HaVpnLinkArgs{
		Topology: topology, SharedSecret: pulumi.String(secret), BgpSessionBlock: &block,
		Gcp: component.GcpArgs{Region: pulumi.String("asia-northeast1"), Network: pulumi.String("projects/p/global/networks/vpc"), Asn: &gcpAsn, KeepaliveInterval: &keepalive},
		Azure: component.AzureArgs{ResourceGroupName: pulumi.String("rg"), Location: pulumi.String("japaneast"), GatewaySubnetId: pulumi.String(subnetID),
			AddressPrefixes: pulumi.ToStringArray([]string{"10.1.0.0/16"}), Asn: &azureAsn, Sku: "VpnGw1AZ", DpdTimeoutSeconds: &dpd},
	}
}

// construction is one Construct call as the engine would make it, against a loopback mock monitor.
type construction struct {
	resp   *pulumirpc.ConstructResponse
	err    error
	rec    *mockcloud.Recorder
	server *mockcloud.Server
}

func construct(t *testing.T, props resource.PropertyMap, dryRun bool) *construction {
	t.Helper()
	return constructAs(t, component.Token, linkName, props, dryRun, nil, nil)
}

// constructAs is one Construct call of a component type; functions answer the provider lookups the
// component makes, and srv (nil: a new plugin) lets several calls share one plugin process.
func constructAs(t *testing.T, typ, name string, props resource.PropertyMap, dryRun bool,
	functions map[string]func(resource.PropertyMap) (resource.PropertyMap, error), srv pulumirpc.ResourceProviderServer) *construction {
	t.Helper()
	rec := mockcloud.NewRecorder(project, stack)
	rec.Functions = functions
	server, err := mockcloud.Serve(rec)
	require.NoError(t, err)
	t.Cleanup(server.Stop)
	wire, err := plugin.MarshalProperties(props, wireOptions)
	require.NoError(t, err)
	req := &pulumirpc.ConstructRequest{
		Project: project, Stack: stack, DryRun: dryRun, MonitorEndpoint: server.Addr,
		Type: typ, Name: name, Inputs: wire,
		AcceptsOutputValues: true,
	}
	resp, err := func() (resp *pulumirpc.ConstructResponse, err error) {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Construct panicked: %v", r)
			}
		}()
		s := srv
		if s == nil {
			host, err := pprovider.NewHostClient(server.Addr)
			require.NoError(t, err)
			if s, err = newServer(host); err != nil {
				return nil, err
			}
		}
		return s.Construct(context.Background(), req)
	}()
	return &construction{resp: resp, err: err, rec: rec, server: server}
}

// inProcess renders the same link with the Go component under Pulumi's own mocks and returns the
// recorder and the component's outputs (plain JSON values, secrets revealed).
func inProcess(t *testing.T, args *component.HaVpnLinkArgs) (*mockcloud.Recorder, map[string]any) {
	t.Helper()
	rec := mockcloud.NewRecorder(project, stack)
	resolved := make(chan map[string]any, 1)
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		link, err := component.NewHaVpnLink(ctx, linkName, args)
		if err != nil {
			return err
		}
		pulumi.Map{
			"tunnels": link.Tunnels, "gcpGatewayIps": link.GcpGatewayIps, "azurePublicIps": link.AzurePublicIps,
			"azureGatewayId": link.AzureGatewayId, "gcpRouterName": link.GcpRouterName,
			"sharedSecrets": link.SharedSecrets, "topologyReport": link.TopologyReport,
			"gcpProject": link.GcpProject, "gcpRegion": link.GcpRegion,
			"gcpTunnelNames": link.GcpTunnelNames, "azureConnectionIds": link.AzureConnectionIds,
		}.ToMapOutput().ApplyT(func(m map[string]any) map[string]any {
			resolved <- asJSON(t, m)
			return m
		})
		return nil
	}, pulumi.WithMocks(project, stack, rec))
	require.NoError(t, err)
	// The apply may finish after RunErr returns: outputs made without the context are not waited for.
	select {
	case outputs := <-resolved:
		return rec, outputs
	case <-time.After(10 * time.Second):
		require.FailNow(t, "the Go component's outputs never resolved")
		return rec, nil
	}
}

// asJSON normalises a value through JSON, so Go ints and wire numbers compare equal.
func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func state(t *testing.T, c *construction) resource.PropertyMap {
	t.Helper()
	require.NoError(t, c.err)
	m, err := plugin.UnmarshalProperties(c.resp.GetState(), wireOptions)
	require.NoError(t, err)
	return m
}

// TestConstructMatchesGoComponent: the plugin registers the same children with the same inputs, and
// returns the same outputs, as the Go component given the same arguments.
func TestConstructMatchesGoComponent(t *testing.T) {
	for _, topology := range []string{"paired", "dualGateway"} {
		t.Run(topology, func(t *testing.T) {
			c := construct(t, inputs(topology), false)
			require.NoError(t, c.err)
			goRec, goOutputs := inProcess(t, goArgs(topology))
			assert.Equal(t, goRec.Inventory(), c.rec.Inventory())

			out := state(t, c)
			require.NotNil(t, goOutputs, "the Go component's outputs resolved")
			assert.Equal(t, goOutputs, asJSON(t, mockcloud.Revealed(out)), "every output, value for value")
			tunnels := out["tunnels"].ArrayValue()
			require.Len(t, tunnels, map[string]int{"paired": 2, "dualGateway": 4}[topology])
			var keys []string
			for k := range tunnels[0].ObjectValue() {
				keys = append(keys, string(k))
			}
			assert.ElementsMatch(t, loadSchema(t).Types["havpn:index:Tunnel"].Required, keys, "tunnel rows carry the schema's Tunnel fields")
			first := tunnels[0].ObjectValue()
			assert.Equal(t, "gcp-azure-t0", first["name"].StringValue())
			assert.Equal(t, "169.254.21.0/30", first["bgpSessionRange"].StringValue())
			assert.Equal(t, "169.254.21.2", first["gcpBgpIp"].StringValue())
			assert.Equal(t, "169.254.21.1", first["azureBgpIp"].StringValue())
			assert.Len(t, out["gcpGatewayIps"].ArrayValue(), len(tunnels))
			assert.Len(t, out["azurePublicIps"].ArrayValue(), 2)
			assert.Contains(t, out["topologyReport"].StringValue(), "Survivability")
			assert.True(t, out["sharedSecrets"].ContainsSecrets(), "sharedSecrets must stay secret across Construct")
			assert.NotContains(t, out["topologyReport"].StringValue(), secret)
		})
	}
}

// TestConstructKeepsNestedOutputDependencies: an Output nested in gcp carries the caller's resource as a dependency.
func TestConstructKeepsNestedOutputDependencies(t *testing.T) {
	props := inputs("paired")
	gcp := props["gcp"].ObjectValue()
	gcp["network"] = resource.NewOutputProperty(resource.Output{Element: str("projects/p/global/networks/vpc"), Known: true, Dependencies: []resource.URN{vpcURN}})
	c := construct(t, props, false)
	require.NoError(t, c.err)
	for _, typ := range []string{"gcp:compute/haVpnGateway:HaVpnGateway", "gcp:compute/router:Router", "gcp:compute/firewall:Firewall"} {
		regs := c.rec.OfType(typ)
		require.NotEmpty(t, regs, typ)
		for _, r := range regs {
			assert.True(t, r.DependsOn(vpcURN), "%s %s must depend on the caller's VPC", typ, r.Name)
		}
	}
}

// TestConstructPreviewWithUnknownNestedInputs: during preview, nested values of resources not yet
// created are unknown; Construct still registers every child, with those inputs unknown.
func TestConstructPreviewWithUnknownNestedInputs(t *testing.T) {
	props := inputs("dualGateway")
	props["gcp"].ObjectValue()["network"] = resource.MakeComputed(str(""))
	props["azure"].ObjectValue()["gatewaySubnetId"] = resource.MakeComputed(str(""))
	props["azure"].ObjectValue()["addressPrefixes"] = resource.MakeComputed(str(""))
	c := construct(t, props, true)
	require.NoError(t, c.err)
	inv := c.rec.Inventory()
	assert.Len(t, inv, 28+1)
	gw := c.rec.ByName("gcp-azure-gw0")
	require.NotNil(t, gw)
	assert.True(t, gw.Inputs["network"].IsComputed(), "network stays unknown: %v", gw.Inputs["network"])
	vgw := c.rec.ByName("gcp-azure-vgw")
	require.NotNil(t, vgw)
	peering := vgw.Inputs["bgpSettings"].ObjectValue()["bgpPeeringAddresses"].ArrayValue()
	require.Len(t, peering, 2)
	assert.True(t, peering[0].ObjectValue()["ipconfigurationId"].IsComputed(), "ipConfiguration IDs wait for the subnet ID")
	assert.Equal(t, []resource.PropertyValue{str("169.254.21.1"), str("169.254.21.5")},
		peering[0].ObjectValue()["customBgpIpAddresses"].ArrayValue(), "the plan is known even when references are not")
}

// TestConstructKeepsNestedSecrets: a secret nested in azure stays secret in every child that uses it,
// and every derived PSK is secret.
func TestConstructKeepsNestedSecrets(t *testing.T) {
	props := inputs("paired")
	props["azure"].ObjectValue()["resourceGroupName"] = secret_(str("rg"))
	c := construct(t, props, false)
	require.NoError(t, c.err)
	azure := 0
	for _, r := range c.rec.Registrations() {
		if !strings.HasPrefix(r.Type, "azure-native:") {
			continue
		}
		azure++
		assert.Contains(t, r.SecretPaths(), "resourceGroupName", "%s %s", r.Type, r.Name)
	}
	assert.Equal(t, 2+1+2+2, azure, "public IPs, gateway, LNGs, connections")
	tunnels := c.rec.OfType("gcp:compute/vPNTunnel:VPNTunnel")
	require.Len(t, tunnels, 2)
	for _, r := range tunnels {
		assert.Contains(t, r.SecretPaths(), "sharedSecret", r.Name)
	}
	connections := c.rec.OfType("azure-native:network:VirtualNetworkGatewayConnection")
	require.Len(t, connections, 2)
	for _, r := range connections {
		assert.Contains(t, r.SecretPaths(), "sharedKey", r.Name)
	}
}

// TestConstructRejectsInvalidArguments: validation problems come back as one clear error, and nothing is registered.
func TestConstructRejectsInvalidArguments(t *testing.T) {
	props := inputs("mesh")
	props["gcp"].ObjectValue()["asn"] = num(65515)
	props["azure"].ObjectValue()["sku"] = str("VpnGw1")
	c := construct(t, props, false)
	require.Error(t, c.err)
	msg := c.err.Error()
	for _, want := range []string{"3 invalid argument(s)", `topology = "mesh"`, "gcp.asn = 65515", `azure.sku = "VpnGw1"`, "use VpnGw1AZ"} {
		assert.Contains(t, msg, want)
	}
	assert.Empty(t, c.rec.Registrations())
}

// TestConstructChecksGoogleRangesAgainstTheVNet: gcp.subnetRanges and gcp.advertisedIpRanges from
// another language are checked against azure.addressPrefixes: plain values before any registration, a
// value arriving as an Output when it resolves (the Azure gateway waits on that check), and an
// unknown one during preview is simply not checked yet.
func TestConstructChecksGoogleRangesAgainstTheVNet(t *testing.T) {
	props := inputs("paired")
	props["gcp"].ObjectValue()["subnetRanges"] = arr(str("172.16.0.0/24"), str("10.1.3.0/24"))
	props["gcp"].ObjectValue()["advertisedIpRanges"] = arr(str("10.1.0.0/16"))
	c := construct(t, props, false)
	require.Error(t, c.err)
	for _, want := range []string{"2 invalid argument(s)", `gcp.advertisedIpRanges[0] = "10.1.0.0/16": it lies inside azure.addressPrefixes[0] 10.1.0.0/16`,
		`gcp.subnetRanges[1] = "10.1.3.0/24": it overlaps azure.addressPrefixes[0] 10.1.0.0/16`} {
		assert.Contains(t, c.err.Error(), want)
	}
	assert.Empty(t, c.rec.Registrations())

	props = inputs("paired")
	props["gcp"].ObjectValue()["subnetRanges"] = resource.NewOutputProperty(resource.Output{Element: arr(str("10.0.0.0/8")), Known: true, Dependencies: []resource.URN{vpcURN}})
	c = construct(t, props, false)
	require.Error(t, c.err)
	assert.Contains(t, c.err.Error(), `gcp.subnetRanges[0] = "10.0.0.0/8": it overlaps azure.addressPrefixes[0] 10.1.0.0/16: Google drops the route to the VNet prefix 10.1.0.0/16`)
	assert.Empty(t, c.rec.OfType("azure-native:network:VirtualNetworkGateway"), "the gateway waits on the check")

	props = inputs("paired")
	props["gcp"].ObjectValue()["subnetRanges"] = resource.MakeComputed(str(""))
	c = construct(t, props, true)
	require.NoError(t, c.err)
	assert.NotNil(t, c.rec.ByName("gcp-azure-vgw"))

	props = inputs("paired")
	props["gcp"].ObjectValue()["subnetRanges"] = arr(str("172.16.0.0/24"))
	c = construct(t, props, false)
	require.NoError(t, c.err, "disjoint ranges are accepted")
}

// TestConstructRejectsShortSecret: a secret arrives as a secret Output, so it is checked when it
// resolves; the message never echoes it, and nothing that would carry it (or the 45-minute Azure
// gateway) is registered. (Resources that do not need it may or may not be registered by then.)
func TestConstructRejectsShortSecret(t *testing.T) {
	props := inputs("paired")
	props["sharedSecret"] = secret_(str("tiny"))
	c := construct(t, props, false)
	require.Error(t, c.err)
	assert.Contains(t, c.err.Error(), "sharedSecret")
	assert.NotContains(t, c.err.Error(), "tiny")
	for _, typ := range []string{"azure-native:network:VirtualNetworkGateway", "gcp:compute/vPNTunnel:VPNTunnel", "azure-native:network:VirtualNetworkGatewayConnection"} {
		assert.Empty(t, c.rec.OfType(typ), "%s waits on the secret's check", typ)
	}
}

// TestConstructRejectsWrongTypes: a wrongly typed argument is an error, not a panic.
func TestConstructRejectsWrongTypes(t *testing.T) {
	props := inputs("paired")
	props["gcp"].ObjectValue()["asn"] = str("sixty-five thousand")
	props["azure"].ObjectValue()["dpdTimeoutSeconds"] = num(45.5)
	props["topology"] = num(2)
	c := construct(t, props, false)
	require.Error(t, c.err)
	for _, want := range []string{`gcp.asn = "sixty-five thousand": want a whole number`, "azure.dpdTimeoutSeconds = 45.5: want a whole number", "topology = 2: want a string"} {
		assert.Contains(t, c.err.Error(), want)
	}
	assert.Empty(t, c.rec.Registrations())

	c = construct(t, inputs("paired"), false)
	require.NoError(t, c.err)
}

// TestConstructNeedsKnownDesignParameters: a plan-shaping value given as an unknown Output, a secret
// or an Output of another resource is refused with a message naming it.
func TestConstructNeedsKnownDesignParameters(t *testing.T) {
	props := inputs("paired")
	props["gcp"].ObjectValue()["asn"] = resource.MakeComputed(str(""))
	props["azure"].ObjectValue()["sku"] = secret_(str("VpnGw1AZ"))
	c := construct(t, props, true)
	require.Error(t, c.err)
	assert.Contains(t, c.err.Error(), "gcp.asn is not known yet")
	assert.Contains(t, c.err.Error(), "azure.sku is a secret")
	assert.Empty(t, c.rec.Registrations())

	// A known value taken from another resource (an Output with a dependency, as Python can pass it):
	// unwrapping would drop the dependency, so it is refused by name too.
	props = inputs("paired")
	props["gcp"].ObjectValue()["asn"] = resource.NewOutputProperty(resource.Output{Element: num(65534), Known: true, Dependencies: []resource.URN{vpcURN}})
	c = construct(t, props, false)
	require.Error(t, c.err)
	assert.Contains(t, c.err.Error(), `gcp.asn comes from gcp:compute/network:Network "vpc" (an Output); it shapes the link's plan, so pass a plain value`)
	assert.Empty(t, c.rec.Registrations())

	// A known value wrapped in an Output with no dependency is simply used.
	props = inputs("paired")
	props["bgpSessionBlock"] = resource.NewOutputProperty(resource.Output{Element: num(2), Known: true})
	c = construct(t, props, false)
	require.NoError(t, c.err)
	assert.Equal(t, "169.254.21.18/30", c.rec.ByName("gcp-azure-if0").Inputs["ipRange"].StringValue())
}

// TestGetSchemaServesTheFile: the engine gets schema.json byte for byte.
func TestGetSchemaServesTheFile(t *testing.T) {
	s, err := newServer(nil)
	require.NoError(t, err)
	resp, err := s.GetSchema(context.Background(), &pulumirpc.GetSchemaRequest{})
	require.NoError(t, err)
	root, err := os.ReadFile("../schema.json")
	require.NoError(t, err)
	assert.Equal(t, string(root), resp.GetSchema())
}

// TestPluginVersionIsTheSdksVersion: the generated SDKs ask the engine for the plugin version they
// were generated with; the plugin reports the schema's version, which is that one.
func TestPluginVersionIsTheSdksVersion(t *testing.T) {
	s, err := newServer(nil)
	require.NoError(t, err)
	info, err := s.GetPluginInfo(context.Background(), &emptypb.Empty{})
	require.NoError(t, err)
	require.NotEmpty(t, info.GetVersion())
	raw, err := os.ReadFile("../sdk/nodejs/package.json")
	require.NoError(t, err)
	var pkg struct {
		Version string `json:"version"`
		Pulumi  struct {
			Version string `json:"version"`
		} `json:"pulumi"`
	}
	require.NoError(t, json.Unmarshal(raw, &pkg))
	assert.Equal(t, pkg.Version, info.GetVersion(), "sdk/nodejs package version")
	assert.Equal(t, pkg.Pulumi.Version, info.GetVersion(), "sdk/nodejs plugin version")
	py, err := os.ReadFile("../sdk/python/pyproject.toml")
	require.NoError(t, err)
	assert.Contains(t, string(py), `version = "`+info.GetVersion()+`"`, "sdk/python version")
}
