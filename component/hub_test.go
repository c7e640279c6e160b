package component

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/hubplan"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
	"github.com/havpn/pulumi-havpn/internal/simulation/mockcloud"
)

const (
	tHub       = "havpn:index:AzureVpnHub"
	hubName    = "hub"
	hubGateway = "hub-vgw"
)

// hubArgs is a valid hub of n slots of a topology.
func hubArgs(n int, topology string) *AzureVpnHubArgs {
	return &AzureVpnHubArgs{
		ResourceGroupName: pulumi.String(testRG), Location: pulumi.String(testLocation), GatewaySubnetId: pulumi.String(testSubnetID),
		LinkSlots: n, SlotTopology: topology,
	}
}

// spokeArgs is validArgs on a hub slot: no gateway, GatewaySubnet, resource group or location of its own.
func spokeArgs(topology string, hub *AzureVpnHubRefArgs, slot int) *HaVpnLinkArgs {
	a := validArgs(topology)
	a.Azure.ResourceGroupName, a.Azure.Location, a.Azure.GatewaySubnetId = nil, nil, nil
	a.Azure.Hub, a.Azure.HubSlot = hub, ptr(slot)
	return a
}

// runProgram runs fn under the mocks, with provider functions answered by functions, and returns what
// it registered and fn's error.
func runProgram(t *testing.T, functions map[string]func(resource.PropertyMap) (resource.PropertyMap, error), fn func(ctx *pulumi.Context) error) *rendering {
	t.Helper()
	spy := &spyMonitor{Recorder: mockcloud.NewRecorder(testProject, testStack), states: map[string]resource.PropertyMap{}}
	spy.Functions = functions
	r := &rendering{rec: spy.Recorder, spy: spy}
	r.err = pulumi.RunErr(fn, pulumi.WithMocks(testProject, testStack, spy))
	return r
}

// hubWithSpokes renders a hub of n slots and one link per given slot ("spoke-<slot>"), in one program.
func hubWithSpokes(t *testing.T, topology string, n int, slots ...int) (*rendering, *AzureVpnHub, []*HaVpnLink) {
	t.Helper()
	var hub *AzureVpnHub
	var links []*HaVpnLink
	r := runProgram(t, nil, func(ctx *pulumi.Context) error {
		var err error
		if hub, err = NewAzureVpnHub(ctx, hubName, hubArgs(n, topology)); err != nil {
			return err
		}
		for _, s := range slots {
			args := spokeArgs(topology, hub.Ref(), s)
			args.Gcp.Asn = ptr(65001 + s)
			link, err := NewHaVpnLink(ctx, fmt.Sprint("spoke-", s), args)
			if err != nil {
				return err
			}
			links = append(links, link)
		}
		return nil
	})
	require.NoError(t, r.err)
	return r, hub, links
}

// TestHubGatewayCarriesEverySlot: the hub registers two Standard static public IPs and one active-active
// BGP gateway whose instances carry every slot's APIPA addresses, on the gateway's own ipConfiguration IDs.
func TestHubGatewayCarriesEverySlot(t *testing.T) {
	for _, tc := range []struct {
		topology string
		n        int
		inst0    []string
		inst1    []string
	}{
		{"paired", 3, []string{"169.254.21.1", "169.254.21.9", "169.254.21.17"}, []string{"169.254.22.1", "169.254.22.9", "169.254.22.17"}},
		{"dualGateway", 2, []string{"169.254.21.1", "169.254.21.5", "169.254.21.9", "169.254.21.13"}, []string{"169.254.22.1", "169.254.22.5", "169.254.22.9", "169.254.22.13"}},
	} {
		t.Run(tc.topology, func(t *testing.T) {
			r := runProgram(t, nil, func(ctx *pulumi.Context) error {
				_, err := NewAzureVpnHub(ctx, hubName, hubArgs(tc.n, tc.topology))
				return err
			})
			require.NoError(t, r.err)
			assert.ElementsMatch(t, []string{hubName, "hub-pip0", "hub-pip1", hubGateway}, names(r.rec.Registrations()))
			gw := reg(t, r.rec, tVnetGateway, hubGateway)
			assert.Equal(t, hubGateway, input(t, gw, "virtualNetworkGatewayName"))
			assert.Equal(t, true, input(t, gw, "activeActive"))
			assert.Equal(t, true, input(t, gw, "enableBgp"))
			assert.Equal(t, 65515.0, input(t, gw, "bgpSettings", "asn"))
			assert.Equal(t, "VpnGw1AZ", input(t, gw, "sku", "name"))
			for n, want := range [][]string{tc.inst0, tc.inst1} {
				assert.Equal(t, ipConfigID(hubGateway, n), input(t, gw, "bgpSettings", "bgpPeeringAddresses", n, "ipconfigurationId"))
				assert.Equal(t, toAny(want), input(t, gw, "bgpSettings", "bgpPeeringAddresses", n, "customBgpIpAddresses"), "instance %d carries every slot's address", n)
				assert.Equal(t, r.id(t, fmt.Sprint("hub-pip", n)), input(t, gw, "ipConfigurations", n, "publicIPAddress", "id"))
				pip := reg(t, r.rec, tPublicIp, fmt.Sprint("hub-pip", n))
				assert.Equal(t, "Standard", input(t, pip, "sku", "name"))
				assert.Equal(t, "Static", input(t, pip, "publicIPAllocationMethod"))
				assert.Equal(t, []any{"1", "2", "3"}, input(t, pip, "zones"))
			}
			assert.True(t, gw.DeleteBeforeReplace, "the gateway's name is fixed")
			assert.True(t, gw.DependsOn(reg(t, r.rec, tPublicIp, "hub-pip0").URN))
			for _, g := range r.rec.Registrations() {
				assert.Empty(t, g.SecretPaths(), "a hub holds no secret: %s", g.Name)
				if g.Type != tHub {
					assert.Equal(t, r.rec.ByName(hubName).URN, g.Parent, "%s is the hub's child", g.Name)
				}
			}
		})
	}
}

// TestHubOutputs: the `hub` object, slots and capacity the hub reports, by hand.
func TestHubOutputs(t *testing.T) {
	var hubOut, capacity *awaited[map[string]any]
	var slots *awaited[[]map[string]any]
	var ips *awaited[[]string]
	var id *awaited[string]
	var asn *awaited[int]
	args := hubArgs(4, "paired")
	args.Spokes = []HubSpokeArgs{{Name: "spoke-a", Slot: 2, Asn: 65001}}
	r := runProgram(t, nil, func(ctx *pulumi.Context) error {
		hub, err := NewAzureVpnHub(ctx, hubName, args)
		if err != nil {
			return err
		}
		hubOut, capacity = await[map[string]any](hub.Hub), await[map[string]any](hub.Capacity)
		slots, ips, id, asn = await[[]map[string]any](hub.Slots), await[[]string](hub.PublicIps), await[string](hub.GatewayId), await[int](hub.Asn)
		return nil
	})
	require.NoError(t, r.err)
	gatewayID := r.id(t, hubGateway)
	pips := []string{r.publicIp(t, "hub-pip0"), r.publicIp(t, "hub-pip1")}
	assert.Equal(t, gatewayID, id.get(t))
	assert.Equal(t, pips, ips.get(t))
	assert.Equal(t, 65515, asn.get(t))
	h := viaJSON(t, hubOut.get(t)).(map[string]any)
	assert.Equal(t, hubName, h["name"])
	assert.Equal(t, gatewayID, h["gatewayId"])
	assert.Equal(t, hubGateway, h["gatewayName"])
	assert.Equal(t, testRG, h["resourceGroupName"])
	assert.Equal(t, testLocation, h["location"])
	assert.Equal(t, toAny(pips), h["publicIps"])
	assert.Equal(t, []any{ipConfigID(hubGateway, 0), ipConfigID(hubGateway, 1)}, h["ipConfigurationIds"])
	assert.Equal(t, 65515.0, h["asn"])
	assert.Equal(t, "VpnGw1AZ", h["sku"])
	assert.Equal(t, "paired", h["slotTopology"])
	assert.Equal(t, 4.0, h["linkSlots"])
	assert.Equal(t, []any{map[string]any{"name": "spoke-a", "slot": 2.0, "asn": 65001.0}}, h["spokes"])
	got := viaJSON(t, slots.get(t)).([]any)
	require.Len(t, got, 4)
	assert.Equal(t, map[string]any{
		"index": 2.0, "bgpSessionRanges": []any{"169.254.21.16/30", "169.254.22.16/30"},
		"azureBgpIps": []any{"169.254.21.17", "169.254.22.17"}, "gcpBgpIps": []any{"169.254.21.18", "169.254.22.18"},
		"azureInstances": []any{0.0, 1.0}, "spoke": "spoke-a",
	}, got[2])
	assert.NotContains(t, got[1], "spoke", "a free slot names no spoke")
	assert.Equal(t, h["slots"], got, "the hub object lists the same slots")
	assert.Equal(t, map[string]any{
		"tunnelLimit": 30.0, "tunnelsPerSlot": 4.0, "tunnelsReserved": 16.0, "tunnelsLeft": 14.0,
		"apipaLimit": 32.0, "apipaPerSlot": 2.0, "apipaUsed": 8.0, "apipaLeft": 24.0,
		"slots": 4.0, "slotsRegistered": 1.0, "slotsFree": 3.0, "maxSlots": 7.0, "bgpRouteLimit": 4000.0,
	}, viaJSON(t, capacity.get(t)))
}

// viaJSON normalises a value through JSON (numbers become float64), as a StackReference reads it.
func viaJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// TestInvalidHubRegistersNothing: every problem at once, and not even the component is registered.
func TestInvalidHubRegistersNothing(t *testing.T) {
	args := hubArgs(8, "paired") // 32 tunnels > 30 on VpnGw1AZ
	args.Asn = ptr(65517)
	args.Spokes = []HubSpokeArgs{{Name: "a", Slot: 9, Asn: 65001}}
	r := runProgram(t, nil, func(ctx *pulumi.Context) error {
		_, err := NewAzureVpnHub(ctx, hubName, args)
		return err
	})
	var problems linkplan.Problems
	require.True(t, errors.As(r.err, &problems), "%v", r.err)
	assert.Equal(t, []string{"asn", "linkSlots", "spokes[0].slot"}, problems.Fields())
	assert.Contains(t, r.err.Error(), "32 S2S tunnels exceed the 30 a VpnGw1AZ gateway carries")
	assert.Empty(t, r.rec.Registrations())
	var same linkplan.Problems
	require.True(t, errors.As(ValidateAzureVpnHub(hubName, args), &same))
	assert.Equal(t, problems, same, "the same refusal without a program")
	assert.NoError(t, ValidateAzureVpnHub(hubName, hubArgs(7, "paired")))
}

// TestLinksOnAHub: a link on a hub slot registers no gateway and no public IP; its connections use the
// hub's gateway and ipConfigurations with the slot's APIPA addresses, its Google side the hub's public IPs.
func TestLinksOnAHub(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r, _, links := hubWithSpokes(t, topo, 3, 0, 2)
			assert.Len(t, r.rec.OfType(tVnetGateway), 1, "only the hub's gateway")
			assert.Len(t, r.rec.OfType(tPublicIp), 2, "only the hub's public IPs")
			gatewayID := r.id(t, hubGateway)
			pips := []string{r.publicIp(t, "hub-pip0"), r.publicIp(t, "hub-pip1")}
			for i, slot := range []int{0, 2} {
				link := fmt.Sprint("spoke-", slot)
				plan := links[i].Plan
				require.Equal(t, linkplan.HubGateway, plan.Azure.Source)
				ext := reg(t, r.rec, tExternalGw, link+"-azure-peer")
				assert.Equal(t, pips[0], input(t, ext, "interfaces", 0, "ipAddress"))
				assert.Equal(t, pips[1], input(t, ext, "interfaces", 1, "ipAddress"))
				for _, tun := range plan.Tunnels {
					conn := reg(t, r.rec, tConnection, tun.ConnectionName)
					assert.Equal(t, gatewayID, input(t, conn, "virtualNetworkGateway1", "id"))
					assert.Equal(t, testRG, input(t, conn, "resourceGroupName"), "the hub's resource group by default")
					assert.Equal(t, testLocation, input(t, conn, "location"))
					for n, ip := range tun.ConnectionBgpIps {
						assert.Equal(t, ipConfigID(hubGateway, n), input(t, conn, "gatewayCustomBgpIpAddresses", n, "ipConfigurationId"))
						assert.Equal(t, ip.String(), input(t, conn, "gatewayCustomBgpIpAddresses", n, "customBgpIpAddress"))
					}
					want := linkplan.BlockRanges(linkplan.Topology(topo), slot)[tun.Index]
					assert.Equal(t, want, tun.Session.Range, "slot %d is block %d", slot, slot)
					assert.Equal(t, want.Addr().Next().String(), input(t, conn, "gatewayCustomBgpIpAddresses", tun.AzureInstance, "customBgpIpAddress"))
					lng := reg(t, r.rec, tLocalNetworkGw, tun.LocalNetworkGatewayName)
					assert.Equal(t, tun.Session.GcpIp.String(), input(t, lng, "bgpSettings", "bgpPeeringAddress"))
					assert.Equal(t, float64(65001+slot), input(t, lng, "bgpSettings", "asn"))
					peer := reg(t, r.rec, tRouterPeer, tun.BgpPeerName)
					assert.Equal(t, 65515.0, input(t, peer, "peerAsn"), "the hub's ASN")
				}
				// Nothing of the link is a gateway or a public IP.
				linkURN := r.rec.ByName(link).URN
				for _, g := range r.rec.Registrations() {
					if g.Parent == linkURN {
						assert.NotContains(t, []string{tVnetGateway, tPublicIp}, g.Type, g.Name)
					}
				}
			}
		})
	}
}

// TestLinkOnAHubWaitsOnlyWhereItMust: in one program, no Google resource and no LNG of a link waits for
// the hub's gateway (45 minutes or more); the external gateway waits for the hub's public IPs, and the
// connections for the gateway.
func TestLinkOnAHubWaitsOnlyWhereItMust(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r, _, links := hubWithSpokes(t, topo, 2, 1)
			for _, g := range r.rec.Registrations() {
				if strings.HasPrefix(g.Type, "gcp:") || g.Type == tLocalNetworkGw {
					assert.NotContains(t, closure(t, r.rec, g), hubGateway, "%s waits for the hub's gateway", g.Name)
				}
			}
			ext := reg(t, r.rec, tExternalGw, "spoke-1-azure-peer")
			assert.Equal(t, []string{"hub-pip0", "hub-pip1"}, sortedKeys(closure(t, r.rec, ext)))
			for _, tun := range links[0].Plan.Tunnels {
				assert.True(t, reg(t, r.rec, tConnection, tun.ConnectionName).DependsOn(r.rec.ByName(hubGateway).URN), tun.ConnectionName)
			}
		})
	}
}

// TestSecondLinkOnATakenSlotRegistersNothing: the per-program registry refuses a second link on a slot,
// before it registers anything, and warns when links of one hub share an ASN.
func TestSecondLinkOnATakenSlotRegistersNothing(t *testing.T) {
	var first, third *HaVpnLink
	var second error
	r := runProgram(t, nil, func(ctx *pulumi.Context) error {
		hub, err := NewAzureVpnHub(ctx, hubName, hubArgs(3, "paired"))
		if err != nil {
			return err
		}
		if first, err = NewHaVpnLink(ctx, "spoke-a", spokeArgs("paired", hub.Ref(), 1)); err != nil {
			return err
		}
		_, second = NewHaVpnLink(ctx, "spoke-b", spokeArgs("paired", hub.Ref(), 1))
		third, err = NewHaVpnLink(ctx, "spoke-c", spokeArgs("paired", hub.Ref(), 2))
		return err
	})
	require.NoError(t, r.err)
	var problems linkplan.Problems
	require.True(t, errors.As(second, &problems), "%v", second)
	assert.Equal(t, []string{"azure.hubSlot"}, problems.Fields())
	assert.Contains(t, second.Error(), `link "spoke-a" of this program already takes slot 1 of hub "hub"`)
	for _, g := range r.rec.Registrations() {
		assert.False(t, strings.HasPrefix(g.Name, "spoke-b"), "%s registered for the refused link", g.Name)
	}
	assert.Empty(t, first.Warnings)
	require.Len(t, third.Warnings, 1, "spoke-a and spoke-c share the default ASN")
	assert.Contains(t, third.Warnings[0], `spokes ["spoke-a" "spoke-c"] of hub "hub" share ASN 65534`)
	assert.Contains(t, third.Warnings[0], "loop prevention")
}

// TestHubRefFromValue: the `hub` output's value, as a spoke stack reads it, is the argument the hub's own
// program passes (hub.Ref), plan-shaping parts and resource references alike.
func TestHubRefFromValue(t *testing.T) {
	var value *awaited[map[string]any]
	var hub *AzureVpnHub
	args := hubArgs(3, "dualGateway")
	args.Spokes = []HubSpokeArgs{{Name: "spoke-x", Slot: 1, Asn: 65010}}
	r := runProgram(t, nil, func(ctx *pulumi.Context) error {
		var err error
		hub, err = NewAzureVpnHub(ctx, hubName, args)
		if err == nil {
			value = await[map[string]any](hub.Hub)
		}
		return err
	})
	require.NoError(t, r.err)
	ref, err := HubRefFromValue(value.get(t))
	require.NoError(t, err)
	assert.Equal(t, hub.Ref().spec(), withoutIps(ref.spec(), hub.Ref().spec().PublicIps), "plan-shaping parts")
	// ...and equal to the pure core's hub reference, the one FuzzHub puts every slot's link on.
	plan, err := hubplan.Build(args.spec(hubName))
	require.NoError(t, err)
	assert.Equal(t, plan.Ref(ref.spec().PublicIps), ref.spec(), "the hub output as a link reads it = hubplan.Plan.Ref")
	assert.Equal(t, pulumi.String(r.id(t, hubGateway)), ref.GatewayId)
	assert.Equal(t, pulumi.ToStringArray([]string{r.publicIp(t, "hub-pip0"), r.publicIp(t, "hub-pip1")}), ref.PublicIps)
	assert.Equal(t, pulumi.ToStringArray([]string{ipConfigID(hubGateway, 0), ipConfigID(hubGateway, 1)}), ref.IpConfigurationIds)
	assert.Equal(t, []int{0, 1, 0, 1}, ref.Slots[1].AzureInstances)
	assert.Equal(t, "spoke-x", ref.Slots[1].Spoke)

	// A spoke built from it, in its own program: the registry's slot and ASN.
	spoke := validArgs("dualGateway")
	spoke.Azure.ResourceGroupName, spoke.Azure.GatewaySubnetId, spoke.Azure.Location = nil, nil, nil
	spoke.Azure.Hub, spoke.Azure.HubSpoke, spoke.Gcp.Asn = ref, "spoke-x", ptr(65010)
	rs := runProgram(t, nil, func(ctx *pulumi.Context) error {
		_, err := NewHaVpnLink(ctx, "spoke-x", spoke)
		return err
	})
	require.NoError(t, rs.err)
	conn := reg(t, rs.rec, tConnection, "spoke-x-conn0")
	assert.Equal(t, r.id(t, hubGateway), input(t, conn, "virtualNetworkGateway1", "id"))
	assert.Equal(t, "169.254.21.9", input(t, conn, "gatewayCustomBgpIpAddresses", 0, "customBgpIpAddress"), "slot 1 of dualGateway slots")

	for _, bad := range []any{map[string]any{"name": "x"}, "not an object", map[string]any{"name": "h", "gatewayId": "g", "asn": "not a number"}} {
		_, err := HubRefFromValue(bad)
		assert.Error(t, err, "%v", bad)
	}
}

func withoutIps(s *linkplan.HubRefSpec, ips []string) *linkplan.HubRefSpec {
	c := *s
	c.PublicIps = ips
	return &c
}

// TestHubAdoptsALinksGateway: with adoptGatewayFrom, the hub's public IPs and gateway carry aliases to
// the names they had as children of the top-level link, so a preview moves them instead of replacing them.
func TestHubAdoptsALinksGateway(t *testing.T) {
	args := hubArgs(1, "paired")
	args.AdoptGatewayFrom, args.GatewayName = testName, "gcp-azure-vgw"
	r := runProgram(t, nil, func(ctx *pulumi.Context) error {
		_, err := NewAzureVpnHub(ctx, hubName, args)
		return err
	})
	require.NoError(t, r.err)
	linkURN := "urn:pulumi:" + testStack + "::" + testProject + "::havpn:index:HaVpnLink::" + testName
	for name, old := range map[string]string{"hub-pip0": "gcp-azure-pip0", "hub-pip1": "gcp-azure-pip1", hubGateway: "gcp-azure-vgw"} {
		g := r.rec.ByName(name)
		require.NotNil(t, g, name)
		assert.Equal(t, []string{"name=" + old + " parent=" + linkURN}, g.Aliases, name)
	}
	assert.Equal(t, "gcp-azure-vgw", input(t, reg(t, r.rec, tVnetGateway, hubGateway), "virtualNetworkGatewayName"))
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// TestRegisteringASpokeChangesNoHubResource: the spoke registry shapes only the hub's outputs and the
// checks, never its gateway or public IPs, so registering a spoke on the hub stack updates nothing in
// Azure. Raising linkSlots does change the gateway (its APIPA list), and nothing else.
func TestRegisteringASpokeChangesNoHubResource(t *testing.T) {
	render := func(args *AzureVpnHubArgs) map[string]map[string]any {
		r := runProgram(t, nil, func(ctx *pulumi.Context) error {
			_, err := NewAzureVpnHub(ctx, hubName, args)
			return err
		})
		require.NoError(t, r.err)
		out := map[string]map[string]any{}
		for _, e := range r.rec.Inventory() {
			out[e.Name] = e.Inputs
		}
		return out
	}
	before := render(hubArgs(4, "paired"))
	withSpokes := hubArgs(4, "paired")
	withSpokes.Spokes = []HubSpokeArgs{{Name: "spoke-a", Slot: 0, Asn: 65001}, {Name: "spoke-b", Slot: 3, Asn: 65002}}
	assert.Equal(t, before, render(withSpokes), "the same inputs for every hub resource")
	grown := render(hubArgs(5, "paired"))
	for name, inputs := range before {
		if name == hubGateway {
			assert.NotEqual(t, inputs, grown[name], "a fifth slot adds its addresses to the gateway")
		} else {
			assert.Equal(t, inputs, grown[name], name)
		}
	}
}
