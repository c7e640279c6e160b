package linkstatus

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outputsOf is the HaVpnLink's outputs as the engine stores them for a recorded link.
func outputsOf(l Link) map[string]any {
	var tunnels []map[string]any
	names, ids := map[string]string{}, map[string]string{}
	for _, t := range l.Tunnels {
		tunnels = append(tunnels, map[string]any{
			"name": t.Name, "gcpGateway": t.GcpGateway, "gcpInterface": t.GcpInterface, "azureInstance": t.AzureInstance,
			"bgpSessionRange": t.BgpSessionRange, "gcpBgpIp": t.GcpBgpIp, "azureBgpIp": t.AzureBgpIp,
		})
		names[t.Name], ids[t.Name] = t.GcpTunnelName, t.AzureConnectionID
	}
	return map[string]any{
		"tunnels": tunnels, "azurePublicIps": l.AzurePublicIps, "azureGatewayId": l.AzureGatewayID, "gcpRouterName": l.GcpRouter,
		"gcpProject": l.GcpProject, "gcpRegion": l.GcpRegion, "gcpTunnelNames": names, "azureConnectionIds": ids,
		"gcpGatewayIps": []string{"34.1.1.1", "35.1.1.1"}, "topologyReport": "...",
		"sharedSecrets": map[string]any{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"},
	}
}

func deploymentOf(t *testing.T, links map[string]map[string]any) []byte {
	t.Helper()
	resources := []map[string]any{
		{"urn": "urn:pulumi:dev::havpn::pulumi:pulumi:Stack::havpn-dev", "type": "pulumi:pulumi:Stack", "outputs": map[string]any{}},
	}
	for name, outputs := range links {
		resources = append(resources, map[string]any{
			"urn": "urn:pulumi:dev::havpn::" + ComponentType + "::" + name, "type": ComponentType, "outputs": outputs,
		})
	}
	b, err := json.Marshal(map[string]any{"manifest": map[string]any{}, "resources": resources})
	require.NoError(t, err)
	return b
}

func TestLinkFromDeployment(t *testing.T) {
	want := load(t, "dualGateway-healthy").Link
	got, err := LinkFromDeployment(deploymentOf(t, map[string]map[string]any{"gcp-azure": outputsOf(want)}), "")
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, "dualGateway", string(got.Topology()))

	other := outputsOf(load(t, "paired-healthy").Link)
	two := deploymentOf(t, map[string]map[string]any{"gcp-azure": outputsOf(want), "second": other})
	_, err = LinkFromDeployment(two, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the stack has 2 links (gcp-azure, second): choose one with --link")
	second, err := LinkFromDeployment(two, "second")
	require.NoError(t, err)
	assert.Equal(t, "second", second.Name)
	assert.Len(t, second.Tunnels, 2)
	_, err = LinkFromDeployment(two, "third")
	assert.ErrorContains(t, err, `no link named "third"; it has gcp-azure, second`)

	_, err = LinkFromDeployment(deploymentOf(t, nil), "")
	assert.ErrorContains(t, err, "the stack has no havpn:index:HaVpnLink resource")

	old := outputsOf(want)
	delete(old, "gcpTunnelNames")
	delete(old, "gcpProject")
	_, err = LinkFromDeployment(deploymentOf(t, map[string]map[string]any{"gcp-azure": old}), "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "gcpProject is empty")
	assert.Contains(t, err.Error(), "tunnel gcp-azure-t0: no Google tunnel name (output gcpTunnelNames)")
	assert.Contains(t, err.Error(), "needs one `pulumi up`")
}

func TestLinkCheck(t *testing.T) {
	l := load(t, "paired-healthy").Link
	l.AzureGatewayID = "/subscriptions/s/resourceGroups/rg/vgw"
	l.Tunnels[1].AzureInstance = 2
	l.Tunnels[0].GcpBgpIp = "not-an-ip"
	err := l.Check()
	require.Error(t, err)
	for _, want := range []string{
		"azureGatewayId: \"/subscriptions/s/resourceGroups/rg/vgw\" is not the ARM ID",
		"tunnel gcp-azure-t1: Azure instance 2 does not exist",
		`tunnel gcp-azure-t0: BGP address "not-an-ip" is not an address`,
	} {
		assert.Contains(t, err.Error(), want)
	}
}

// TestPure: the status logic imports no Pulumi SDK and no cloud client, so a rotation or a monitor
// can use it without linking them, and its tests build in seconds.
func TestPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	require.NoError(t, err)
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/pulumi/", "google.golang.org/", "github.com/Azure/", "/internal/tooling/statusclient", "/internal/simulation/simcloud"} {
			assert.NotContains(t, dep, banned)
		}
	}
}
