package provider

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pprovider "github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/component"
	"github.com/havpn/pulumi-havpn/internal/simulation/mockcloud"
)

const hubName = "hub"

// hubInputs are a hub's arguments as a TypeScript or Python program sends them.
func hubInputs() resource.PropertyMap {
	return resource.PropertyMap{
		"resourceGroupName": str("rg"),
		"location":          str("japaneast"),
		"gatewaySubnetId":   str(subnetID),
		"linkSlots":         num(3),
		"slotTopology":      str("paired"),
		"spokes": arr(
			obj(resource.PropertyMap{"name": str("spoke-a"), "slot": num(0), "asn": num(65001)}),
			obj(resource.PropertyMap{"name": str("spoke-b"), "slot": num(2), "asn": num(65001)}),
		),
	}
}

// hubGoArgs are the same arguments for the Go component.
func hubGoArgs() *component.AzureVpnHubArgs {
	return &component.AzureVpnHubArgs{
		ResourceGroupName: pulumi.String("rg"), Location: pulumi.String("japaneast"), GatewaySubnetId: pulumi.String(subnetID),
		LinkSlots: 3, SlotTopology: "paired",
		Spokes: []component.HubSpokeArgs{{Name: "spoke-a", Slot: 0, Asn: 65001}, {Name: "spoke-b", Slot: 2, Asn: 65001}},
	}
}

// hubRefValue is the `hub` output of hubInputs' hub as a spoke stack reads it (plain values).
func hubRefValue(t *testing.T) resource.PropertyValue {
	t.Helper()
	c := constructAs(t, component.HubToken, hubName, hubInputs(), false, nil, nil)
	require.NoError(t, c.err)
	hub := state(t, c)["hub"]
	require.True(t, hub.IsObject(), "hub output: %v", hub)
	return resource.NewObjectProperty(resource.NewPropertyMapFromMap(mockcloud.Revealed(hub.ObjectValue())))
}

// TestConstructHubMatchesGoComponent: the plugin's AzureVpnHub registers what the Go component does,
// returns the same outputs, and logs the registry's shared-ASN warning.
func TestConstructHubMatchesGoComponent(t *testing.T) {
	c := constructAs(t, component.HubToken, hubName, hubInputs(), false, nil, nil)
	require.NoError(t, c.err)

	rec := mockcloud.NewRecorder(project, stack)
	resolved := make(chan map[string]any, 1)
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		hub, err := component.NewAzureVpnHub(ctx, hubName, hubGoArgs())
		if err != nil {
			return err
		}
		pulumi.Map{"hub": hub.Hub, "gatewayId": hub.GatewayId, "gatewayName": hub.GatewayName, "publicIps": hub.PublicIps, "asn": hub.Asn,
			"sku": hub.Sku, "slotTopology": hub.SlotTopology, "slots": hub.Slots, "capacity": hub.Capacity,
		}.ToMapOutput().ApplyT(func(m map[string]any) map[string]any {
			resolved <- asJSON(t, m)
			return m
		})
		return nil
	}, pulumi.WithMocks(project, stack, rec))
	require.NoError(t, err)
	var goOutputs map[string]any
	select {
	case goOutputs = <-resolved:
	case <-time.After(10 * time.Second):
		t.Fatal("the Go hub's outputs never resolved")
	}
	assert.Equal(t, rec.Inventory(), c.rec.Inventory())
	assert.Equal(t, goOutputs, asJSON(t, mockcloud.Revealed(state(t, c))), "every output, value for value")
	var warned []string
	for _, l := range c.rec.Logs() {
		if strings.Contains(l, "share ASN 65001") {
			warned = append(warned, l)
		}
	}
	require.Len(t, warned, 1, "logs: %q", c.rec.Logs())
	assert.True(t, strings.HasPrefix(warned[0], "WARNING: "), warned[0])
	assert.Contains(t, warned[0], "loop prevention")
}

// TestConstructHubOutputsAreTheSchemaTypes: the hub's object outputs carry exactly the schema types'
// properties (hub, slots, capacity), so every SDK reads them.
func TestConstructHubOutputsAreTheSchemaTypes(t *testing.T) {
	spec := loadSchema(t)
	c := constructAs(t, component.HubToken, hubName, hubInputs(), false, nil, nil)
	out := state(t, c)
	keys := func(m resource.PropertyMap) []string {
		var out []string
		for k := range m {
			out = append(out, string(k))
		}
		sort.Strings(out)
		return out
	}
	props := func(token string) []string {
		var out []string
		for k := range spec.Types[token].Properties {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	assert.Equal(t, props("havpn:index:AzureVpnHubRef"), keys(out["hub"].ObjectValue()))
	assert.Equal(t, props("havpn:index:HubCapacity"), keys(out["capacity"].ObjectValue()))
	slots := out["slots"].ArrayValue()
	require.Len(t, slots, 3)
	assert.Equal(t, props("havpn:index:HubSlot"), keys(slots[0].ObjectValue()), "a registered slot has every field")
	assert.Equal(t, props("havpn:index:HubSpoke"), keys(out["hub"].ObjectValue()["spokes"].ArrayValue()[0].ObjectValue()))
}

// TestConstructLinkOnAHubFromAStackReference: a link given the hub's `hub` value (as a spoke stack reads
// it through a StackReference) registers no gateway or public IP and connects to the hub's gateway.
func TestConstructLinkOnAHubFromAStackReference(t *testing.T) {
	hub := hubRefValue(t)
	props := inputs("paired")
	az := props["azure"].ObjectValue()
	delete(az, "resourceGroupName")
	delete(az, "location")
	delete(az, "gatewaySubnetId")
	delete(az, "sku")
	delete(az, "asn")
	delete(props, "bgpSessionBlock") // the SDKs declare no default for it: the slot decides
	az["hub"], az["hubSpoke"] = hub, str("spoke-b")
	props["gcp"].ObjectValue()["asn"] = num(65001)
	c := constructAs(t, component.Token, "spoke-b", props, false, nil, nil)
	require.NoError(t, c.err)
	assert.Empty(t, c.rec.OfType("azure-native:network:VirtualNetworkGateway"))
	assert.Empty(t, c.rec.OfType("azure-native:network:PublicIPAddress"))
	gatewayID := hub.ObjectValue()["gatewayId"].StringValue()
	conn := c.rec.ByName("spoke-b-conn0")
	require.NotNil(t, conn)
	assert.Equal(t, gatewayID, mockcloud.Revealed(conn.Inputs)["virtualNetworkGateway1"].(map[string]any)["id"])
	custom := mockcloud.Revealed(conn.Inputs)["gatewayCustomBgpIpAddresses"].([]any)
	assert.Equal(t, "169.254.21.17", custom[0].(map[string]any)["customBgpIpAddress"], "slot 2, the registry's slot of spoke-b")
	assert.Equal(t, gatewayID+"/ipConfigurations/instance0", custom[0].(map[string]any)["ipConfigurationId"])
	assert.Equal(t, "rg", mockcloud.Revealed(conn.Inputs)["resourceGroupName"], "the hub's resource group")
}

// TestConstructSharesTheProgramRegistry: two links of one program constructed by one plugin process
// see each other: the second on a taken slot is refused, and registers nothing.
func TestConstructSharesTheProgramRegistry(t *testing.T) {
	hub := hubRefValue(t)
	spoke := func() resource.PropertyMap {
		props := inputs("paired")
		az := props["azure"].ObjectValue()
		delete(az, "resourceGroupName")
		delete(az, "location")
		delete(az, "gatewaySubnetId")
		delete(props, "bgpSessionBlock")
		az["hub"], az["hubSlot"] = hub, num(1)
		return props
	}
	rec := mockcloud.NewRecorder(project, stack)
	server, err := mockcloud.Serve(rec)
	require.NoError(t, err)
	t.Cleanup(server.Stop)
	host, err := pprovider.NewHostClient(server.Addr)
	require.NoError(t, err)
	srv, err := newServer(host)
	require.NoError(t, err)
	first := constructAs(t, component.Token, "spoke-x", spoke(), false, nil, srv)
	require.NoError(t, first.err)
	second := constructAs(t, component.Token, "spoke-y", spoke(), false, nil, srv)
	require.Error(t, second.err)
	assert.Contains(t, second.err.Error(), `azure.hubSlot = 1: link "spoke-x" of this program already takes slot 1 of hub "hub"`)
	assert.Empty(t, second.rec.Registrations())
	again := constructAs(t, component.Token, "spoke-x", spoke(), false, nil, srv)
	require.NoError(t, again.err, "the same link constructed again (a second run) does not collide with itself")
	other := constructAs(t, component.Token, "spoke-y", spoke(), false, nil, nil)
	require.NoError(t, other.err, "another plugin process (another deployment) has its own registry")
}

// TestConstructHubRejectsInvalidArguments: every problem at once, nothing registered; a plan-shaping
// hub argument given as a secret or an unknown is refused like a link's.
func TestConstructHubRejectsInvalidArguments(t *testing.T) {
	props := hubInputs()
	props["linkSlots"] = num(8)
	props["spokes"] = arr(obj(resource.PropertyMap{"name": str("a"), "slot": num(0), "asn": num(65515)}))
	c := constructAs(t, component.HubToken, hubName, props, false, nil, nil)
	require.Error(t, c.err)
	for _, want := range []string{"2 invalid argument(s)", "linkSlots = 8: 8 paired slots need 4 tunnels each: 32 S2S tunnels exceed the 30", "spokes[0].asn = 65515"} {
		assert.Contains(t, c.err.Error(), want)
	}
	assert.Empty(t, c.rec.Registrations())

	props = hubInputs()
	props["linkSlots"] = resource.MakeComputed(str(""))
	props["asn"] = resource.NewOutputProperty(resource.Output{Element: num(65010), Known: true, Secret: true})
	c = constructAs(t, component.HubToken, hubName, props, true, nil, nil)
	require.Error(t, c.err)
	assert.Contains(t, c.err.Error(), "linkSlots is not known yet")
	assert.Contains(t, c.err.Error(), "asn is a secret")
	assert.Empty(t, c.rec.Registrations())
}

// TestConstructRefusesKnownSecretOutputs: a plan-shaping value that arrives as a known Output marked
// secret (how the Node and Python SDKs send pulumi.secret(x) once output values are accepted) is
// refused like a plain secret: unwrapping it would drop the flag and print it in plans and reports.
func TestConstructRefusesKnownSecretOutputs(t *testing.T) {
	secretOutput := func(v resource.PropertyValue) resource.PropertyValue {
		return resource.NewOutputProperty(resource.Output{Element: v, Known: true, Secret: true})
	}
	props := inputs("paired")
	props["gcp"].ObjectValue()["asn"] = secretOutput(num(65001))
	props["bgpSessionRanges"] = arr(secretOutput(str("169.254.21.8/30")), str("169.254.22.8/30"))
	c := construct(t, props, false)
	require.Error(t, c.err)
	assert.Contains(t, c.err.Error(), "2 argument(s) cannot be used")
	assert.Contains(t, c.err.Error(), "gcp.asn is a secret; it is a design parameter shown in plans and reports, so pass it as a plain value")
	assert.Contains(t, c.err.Error(), "bgpSessionRanges[0] is a secret")
	assert.NotContains(t, c.err.Error(), "65001")
	assert.Empty(t, c.rec.Registrations())

	// A secret Output on an input argument (a resource reference) is fine and stays secret.
	props = inputs("paired")
	props["azure"].ObjectValue()["location"] = secretOutput(str("japaneast"))
	c = construct(t, props, false)
	require.NoError(t, c.err)
	assert.Contains(t, c.rec.ByName("gcp-azure-lng0").SecretPaths(), "location")
}

// TestConstructLinkOnAnExistingGateway: through the plugin, the lookup goes to the provider (invoke)
// before any child is registered, and its failure is the component's message.
func TestConstructLinkOnAnExistingGateway(t *testing.T) {
	const gw = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworkGateways/corp-vgw"
	props := inputs("paired")
	az := props["azure"].ObjectValue()
	delete(az, "resourceGroupName")
	delete(az, "location")
	delete(az, "gatewaySubnetId")
	delete(az, "sku")
	delete(az, "asn")
	az["existingGateway"] = obj(resource.PropertyMap{"id": str(gw), "publicIps": arr(str("20.1.0.10"), str("20.1.0.11"))})
	lookup := func(active bool) map[string]func(resource.PropertyMap) (resource.PropertyMap, error) {
		return map[string]func(resource.PropertyMap) (resource.PropertyMap, error){
			"azure-native:network:getVirtualNetworkGateway": func(args resource.PropertyMap) (resource.PropertyMap, error) {
				return resource.NewPropertyMapFromMap(map[string]any{
					"id": gw, "name": "corp-vgw", "location": "japaneast", "activeActive": active, "enableBgp": true, "vpnType": "RouteBased",
					"ipConfigurations": []any{map[string]any{"id": gw + "/ipConfigurations/a", "name": "a"}, map[string]any{"id": gw + "/ipConfigurations/b", "name": "b"}},
					"bgpSettings": map[string]any{"asn": 65515, "bgpPeeringAddresses": []any{
						map[string]any{"ipconfigurationId": gw + "/ipConfigurations/a", "customBgpIpAddresses": []any{"169.254.21.1"}},
						map[string]any{"ipconfigurationId": gw + "/ipConfigurations/b", "customBgpIpAddresses": []any{"169.254.22.1"}},
					}},
				}), nil
			},
		}
	}
	c := constructAs(t, component.Token, linkName, props, false, lookup(true), nil)
	require.NoError(t, c.err)
	assert.Empty(t, c.rec.OfType("azure-native:network:VirtualNetworkGateway"))
	conn := mockcloud.Revealed(c.rec.ByName("gcp-azure-conn1").Inputs)
	assert.Equal(t, gw+"/ipConfigurations/b", conn["gatewayCustomBgpIpAddresses"].([]any)[1].(map[string]any)["ipConfigurationId"])
	calls := c.rec.Calls()
	require.Len(t, calls, 1)
	assert.Equal(t, map[string]any{"resourceGroupName": "net-rg", "virtualNetworkGatewayName": "corp-vgw"}, mockcloud.Revealed(calls[0].Args))

	c = constructAs(t, component.Token, linkName, props, false, lookup(false), nil)
	require.Error(t, c.err)
	assert.Contains(t, c.err.Error(), "gateway corp-vgw is not active-active (activeActive false)")
	assert.Equal(t, []string{component.Token}, types(c.rec.Registrations()), "only the component")
}

func types(regs []*mockcloud.Registration) []string {
	var out []string
	for _, r := range regs {
		out = append(out, r.Type)
	}
	return out
}

// TestConstructUnknownType: a type the plugin does not serve is refused by name, before anything runs.
func TestConstructUnknownType(t *testing.T) {
	c := constructAs(t, "havpn:index:Mesh", "x", resource.PropertyMap{}, false, nil, nil)
	require.Error(t, c.err)
	assert.Contains(t, c.err.Error(), `unknown resource type "havpn:index:Mesh"; this plugin serves havpn:index:HaVpnLink and havpn:index:AzureVpnHub`)
	raw, _ := json.Marshal(c.rec.Registrations())
	assert.Equal(t, "null", string(raw))
	_ = context.Background
}
