//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/component"
	"github.com/havpn/pulumi-havpn/internal/example/program"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
)

const (
	hubProject   = "havpn-hub-e2e"
	spokeProject = "havpn-spoke-e2e"
	e2eRegion    = "asia-northeast1"
	e2eVnet      = "10.1.0.0/16"
	hubSlots     = 4
)

// vpc registers a VPC with one subnet; name doubles as its logical name prefix.
func vpc(ctx *pulumi.Context, name, cidr string) (*compute.Network, error) {
	n, err := compute.NewNetwork(ctx, name, &compute.NetworkArgs{AutoCreateSubnetworks: pulumi.Bool(false), RoutingMode: pulumi.String("GLOBAL")})
	if err != nil {
		return nil, err
	}
	_, err = compute.NewSubnetwork(ctx, name+"-subnet", &compute.SubnetworkArgs{Region: pulumi.String(e2eRegion), Network: n.ID(), IpCidrRange: pulumi.String(cidr)})
	return n, err
}

// spoke is the link of a spoke VPC on the hub, as a spoke team writes it.
func spoke(asn int, network pulumi.StringInput) *component.HaVpnLinkArgs {
	return &component.HaVpnLinkArgs{
		SharedSecret: pulumi.String(masterSecret),
		Gcp:          component.GcpArgs{Region: pulumi.String(e2eRegion), Network: network, Asn: &asn},
		Azure:        component.AzureArgs{AddressPrefixes: pulumi.ToStringArray([]string{e2eVnet})},
	}
}

// hubProgram is the hub team's stack: the Azure network, an AzureVpnHub of 4 paired slots with two
// registered spokes, and those two spokes' links in the same program; plus, in a third VPC, a Cloud
// Router and an HA VPN gateway that another stack uses as existing Google resources.
func hubProgram(ctx *pulumi.Context) error {
	rg, err := resources.NewResourceGroup(ctx, "rg", &resources.ResourceGroupArgs{Location: pulumi.String("japaneast")})
	if err != nil {
		return err
	}
	vnet, err := network.NewVirtualNetwork(ctx, "vnet", &network.VirtualNetworkArgs{ResourceGroupName: rg.Name, Location: rg.Location,
		AddressSpace: &network.AddressSpaceArgs{AddressPrefixes: pulumi.ToStringArray([]string{e2eVnet})}}, pulumi.IgnoreChanges([]string{"subnets"}))
	if err != nil {
		return err
	}
	subnet, err := network.NewSubnet(ctx, "gateway-subnet", &network.SubnetArgs{SubnetName: pulumi.String("GatewaySubnet"),
		ResourceGroupName: rg.Name, VirtualNetworkName: vnet.Name, AddressPrefix: pulumi.String("10.1.255.0/27")})
	if err != nil {
		return err
	}
	hub, err := component.NewAzureVpnHub(ctx, "hub", &component.AzureVpnHubArgs{
		ResourceGroupName: rg.Name, Location: pulumi.String("japaneast"), GatewaySubnetId: subnet.ID().ToStringOutput(),
		LinkSlots: hubSlots, Spokes: []component.HubSpokeArgs{{Name: "spoke-a", Slot: 0, Asn: 65001}, {Name: "spoke-b", Slot: 1, Asn: 65002}},
	})
	if err != nil {
		return err
	}
	for i, name := range []string{"spoke-a", "spoke-b"} {
		net, err := vpc(ctx, "vpc-"+name, fmt.Sprintf("172.%d.0.0/24", 16+i))
		if err != nil {
			return err
		}
		args := spoke(65001+i, net.SelfLink)
		args.Azure.Hub, args.Azure.HubSpoke = hub.Ref(), name
		if _, err := component.NewHaVpnLink(ctx, name, args); err != nil {
			return err
		}
	}
	corp, err := vpc(ctx, "vpc-corp", "172.18.0.0/24")
	if err != nil {
		return err
	}
	router, err := compute.NewRouter(ctx, "corp-router", &compute.RouterArgs{Name: pulumi.String("corp-router"), Region: pulumi.String(e2eRegion),
		Network: corp.SelfLink, Bgp: &compute.RouterBgpArgs{Asn: pulumi.Int(65003), AdvertiseMode: pulumi.String("DEFAULT")}})
	if err != nil {
		return err
	}
	gw, err := compute.NewHaVpnGateway(ctx, "corp-gw", &compute.HaVpnGatewayArgs{Name: pulumi.String("corp-gw"), Region: pulumi.String(e2eRegion),
		Network: corp.SelfLink, StackType: pulumi.String("IPV4_ONLY")})
	if err != nil {
		return err
	}
	ctx.Export("hub", hub.Hub)
	ctx.Export("capacity", hub.Capacity)
	ctx.Export("corpNetwork", corp.SelfLink)
	ctx.Export("corpRouter", router.Name)
	ctx.Export("corpGateway", gw.SelfLink)
	return nil
}

// spokeProgram is another team's stack: it reads the hub's stack and adds spoke-c on slot 2 of the hub
// (the `hub` value passed on unchanged) with the existing Cloud Router and HA VPN gateway, and spoke-d on
// the hub's gateway taken as an existing gateway (block 3), in a VPC of its own. Block badBlock != 0 adds
// a spoke-e on an existing gateway that does not carry that block's addresses.
func spokeProgram(badBlock int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		ref, err := pulumi.NewStackReference(ctx, simrun.StackRef(hubProject, "hub"), nil)
		if err != nil {
			return err
		}
		value := func(name string) (any, error) {
			d, err := ref.GetOutputDetails(name)
			if err != nil || d.Value == nil {
				return nil, fmt.Errorf("hub stack output %s: %v (%v)", name, d, err)
			}
			return d.Value, nil
		}
		hubValue, err := value("hub")
		if err != nil {
			return err
		}
		hub, err := component.HubRefFromValue(hubValue)
		if err != nil {
			return err
		}
		var plain [3]string
		for i, name := range []string{"corpNetwork", "corpRouter", "corpGateway"} {
			v, err := value(name)
			if err != nil {
				return err
			}
			plain[i] = v.(string)
		}
		if badBlock == 0 {
			c := spoke(65003, pulumi.String(plain[0]))
			c.Azure.Hub, c.Azure.HubSlot = hub, ptr(2)
			c.Gcp.ExistingRouter, c.Gcp.ExistingGateways = plain[1], []string{plain[2]}
			if _, err := component.NewHaVpnLink(ctx, "spoke-c", c); err != nil {
				return err
			}
		}
		h := hubValue.(map[string]any)
		existing := &component.ExistingGatewayArgs{Id: h["gatewayId"].(string), PublicIps: stringList(h["publicIps"])}
		blocks := map[string]int{"spoke-d": 3}
		if badBlock != 0 {
			blocks = map[string]int{"spoke-e": badBlock}
		}
		for name, block := range blocks {
			net, err := vpc(ctx, "vpc-"+name, "172.19.0.0/24")
			if err != nil {
				return err
			}
			d := spoke(65004, net.SelfLink)
			d.BgpSessionBlock, d.Azure.ExistingGateway = ptr(block), existing
			if _, err := component.NewHaVpnLink(ctx, name, d); err != nil {
				return err
			}
		}
		return nil
	}
}

func stringList(v any) []string {
	var out []string
	for _, e := range v.([]any) {
		out = append(out, e.(string))
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// TestHubAndSpokes (SIMULATED clouds): a hub with two links in one Go program establishes all four
// sessions; another stack reads the hub through a StackReference and adds a link on a hub slot with an
// existing Cloud Router and HA VPN gateway, and one on the hub's gateway taken as an existing gateway:
// every session is established, and the hub's gateway is never updated. A link on an existing gateway
// that lacks its APIPA addresses fails before anything is created, with the change to make.
func TestHubAndSpokes(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	hubStack, err := e.Stack(ctx, simrun.StackSpec{Project: workspace.Project{Name: hubProject}, Stack: "hub", Program: hubProgram})
	require.NoError(t, err)
	started := time.Now()
	res := e.mustUp(ctx, hubStack)
	t.Logf("hub stack with two links: up took %s (simulated clouds, no simulated delays)", time.Since(started).Round(10*time.Millisecond))
	report := e.sessions()
	assert.Equal(t, 4, report.Established, "two links x 2 sessions (simulated): %+v", report.Sessions)
	assert.Zero(t, report.HalfWired)
	assert.Equal(t, 4, report.AzureConnecting, "each active-active connection's other instance (expected)")
	assert.Equal(t, []string{"hub-vgw/instance0", "hub-vgw/instance1"}, azureInstances(report), "one gateway serves both links")
	capacity := res.Outputs["capacity"].Value.(map[string]any)
	assert.Equal(t, map[string]any{"tunnelLimit": 30.0, "tunnelsPerSlot": 4.0, "tunnelsReserved": 16.0, "tunnelsLeft": 14.0, "apipaLimit": 32.0, "apipaPerSlot": 2.0,
		"apipaUsed": 8.0, "apipaLeft": 24.0, "slots": 4.0, "slotsRegistered": 2.0, "slotsFree": 2.0, "maxSlots": 7.0, "bgpRouteLimit": 4000.0}, capacity)
	hubDone := time.Now()

	spokeStack, err := e.Stack(ctx, simrun.StackSpec{Project: workspace.Project{Name: spokeProject}, Stack: "spokes", Program: spokeProgram(0)})
	require.NoError(t, err)
	e.mustUp(ctx, spokeStack)
	report = e.sessions()
	assert.Equal(t, 8, report.Established, "four links x 2 sessions (simulated): %+v", report.Sessions)
	assert.Zero(t, report.HalfWired)
	counts := stateResources(t, ctx, spokeStack)
	for _, typ := range []string{"azure-native:network:VirtualNetworkGateway", "azure-native:network:PublicIPAddress"} {
		assert.Zero(t, counts[typ], "the spoke stack owns no %s", typ)
	}
	assert.Equal(t, 1, counts["gcp:compute/router:Router"], "spoke-d's own: spoke-c uses the existing corp-router")
	assert.Equal(t, 2, counts["gcp:compute/haVpnGateway:HaVpnGateway"], "spoke-d's own and the one spoke-c reads (external): %v", counts)
	assert.Equal(t, 4, counts["azure-native:network:VirtualNetworkGatewayConnection"])
	entries, err := simcloud.ReadTimeline(e.SimState)
	require.NoError(t, err)
	for _, en := range entries {
		if en.At() > hubDone.UnixNano() && en.Type == "azure-native:network:VirtualNetworkGateway" {
			t.Errorf("the hub's gateway was touched by a spoke: %s %s", en.Op, en.Name)
		}
	}
	for urn, op := range e.preview(ctx, hubStack) {
		assert.Equal(t, "same", op, "the hub stack after the spokes: %s", urn)
	}

	bad, err := e.Stack(ctx, simrun.StackSpec{Project: workspace.Project{Name: spokeProject}, Stack: "bad", Program: spokeProgram(9)})
	require.NoError(t, err)
	var out bytes.Buffer
	_, err = simrun.Preview(ctx, bad, &out)
	require.Error(t, err)
	for _, want := range []string{"does not carry the link's APIPA address(es) 169.254.21.73", "customBgpIpAddresses to", "on gateway hub-vgw"} {
		assert.Contains(t, out.String(), want)
	}
	e.destroy(ctx, spokeStack)
	e.destroy(ctx, hubStack)
	assert.Empty(t, e.simResources(), "the spokes go first, then the hub: nothing left (simulated)")
}

func azureInstances(r *simrun.SessionReport) []string {
	set := map[string]bool{}
	for _, s := range r.Sessions {
		set[s.AzureInstance] = true
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

func sortStrings(ss []string) {
	for i := range ss {
		for j := i + 1; j < len(ss); j++ {
			if ss[j] < ss[i] {
				ss[i], ss[j] = ss[j], ss[i]
			}
		}
	}
}

// TestMigrateSingleLinkToHub (SIMULATED clouds): the dev stack deployed as a single link, then the same
// program with its gateway taken over by a one-slot hub (program.RunOnHub): the preview replaces and
// deletes nothing (the gateway and public IPs move by alias), the up keeps every session established
// throughout, and one gateway with the same ID remains. Growing the hub to 4 slots afterwards is an
// update of the gateway's APIPA list, not a replacement.
func TestMigrateSingleLinkToHub(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	cfg := stackConfig(t, e.Root, "dev")
	st, err := e.GoStack(ctx, "dev", cfg)
	require.NoError(t, err)
	e.mustUp(ctx, st)
	require.Equal(t, 2, e.sessions().Established)
	gatewaysBefore := gatewayIDs(t, e)
	require.Len(t, gatewaysBefore, 1)

	st, err = e.GoStackProgram(ctx, "dev", program.RunOnHub(1), cfg)
	require.NoError(t, err)
	ops := e.preview(ctx, st)
	created := 0
	for urn, op := range ops {
		switch {
		case strings.HasSuffix(urn, "havpn:index:AzureVpnHub::hub"):
			assert.Equal(t, "create", op, "the hub component is new")
			created++
		default:
			assert.Equal(t, "same", op, "moving onto the hub changes nothing else: %s", urn)
		}
	}
	assert.Equal(t, 1, created)
	for _, name := range []string{"hub-vgw", "hub-pip0", "hub-pip1"} {
		assert.Truef(t, hasURN(ops, "havpn:index:AzureVpnHub$", name), "%s is the hub's now: %v", name, keys(ops))
	}

	start := time.Now()
	_, upOps, err := simrun.UpWithOps(ctx, st, &bytes.Buffer{})
	require.NoError(t, err)
	end := time.Now()
	for urn, op := range upOps {
		assert.NotContains(t, []string{"replace", "delete", "update"}, simrun.OpClass(op), urn)
	}
	entries, err := simcloud.ReadTimeline(e.SimState)
	require.NoError(t, err)
	d := simcloud.MeasureDisruption(entries, start.UnixNano(), end.UnixNano(), nil)
	assert.Equal(t, 2, d.MinEstablished, "every session stays up during the move (simulated): %+v", d)
	assert.Equal(t, 2, e.sessions().Established)
	assert.Equal(t, gatewaysBefore, gatewayIDs(t, e), "the same gateway, not a new one")
	for urn, op := range e.preview(ctx, st) {
		assert.Equal(t, "same", op, "a preview right after the move: %s", urn)
	}

	st, err = e.GoStackProgram(ctx, "dev", program.RunOnHub(4), cfg)
	require.NoError(t, err)
	for urn, op := range e.preview(ctx, st) {
		want := "same"
		if strings.HasSuffix(urn, "::hub-vgw") {
			want = "update" // the APIPA list of three more slots, once
		}
		assert.Equal(t, want, op, "growing the hub: %s", urn)
	}
}

func gatewayIDs(t *testing.T, e *env) []string {
	t.Helper()
	var out []string
	for _, r := range e.simResources() {
		if strings.HasPrefix(r, "azure-native:network:VirtualNetworkGateway ") {
			out = append(out, r)
		}
	}
	return out
}

func hasURN(ops map[string]string, parentType, name string) bool {
	for urn := range ops {
		if strings.Contains(urn, parentType) && strings.HasSuffix(urn, "::"+name) {
			return true
		}
	}
	return false
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}
