//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTypeScriptProgram: the dev environment written in TypeScript (e2e/node/run.ts), through the
// Node Automation API, the TypeScript SDK and pulumi-resource-havpn, gets the same tunnels and the
// same simulated session report as the Go program.
func TestTypeScriptProgram(t *testing.T) {
	ref := goDevReference(t)
	ctx := testContext(t)
	e := newEnv(t)
	script := filepath.Join(e.Root, "e2e", "node", "bin", "run.js")
	_, err := os.Stat(script)
	require.NoError(t, err, "build it with `make e2e` (npm ci && tsc in e2e/node)")
	work := filepath.Join(e.Dir, "work-ts")
	require.NoError(t, os.MkdirAll(work, 0o755))
	var up programUp
	// --preserve-symlinks: the SDK is linked from sdk/nodejs/bin, and must load the program's own
	// @pulumi/pulumi (one copy of the runtime), not the one installed next to the SDK for tsc.
	took := e.runProgram(ctx, &up, "node", "--preserve-symlinks", "--preserve-symlinks-main", script, e.Root, work)
	t.Logf("TypeScript program: node process with one up of the dev environment took %s (simulated clouds, no simulated delays)", took.Round(10*time.Millisecond))
	assertSameAsGo(t, e, ref, up)
	// The secret never lands in the TypeScript stack's state either.
	assertBackendHoldsNoMasterSecret(t, e)
}

// tsHubRun is what e2e/node/hub.ts prints: both stacks' resource changes and outputs.
type tsHubRun struct {
	Hub, Spoke struct {
		Summary map[string]int           `json:"summary"`
		Outputs map[string]programOutput `json:"outputs"`
	}
}

// TestTypeScriptHub (SIMULATED clouds): a hub stack written in TypeScript (an AzureVpnHub from the
// TypeScript SDK) and a spoke stack that reads its `hub` output through a StackReference and passes it
// unchanged to an HaVpnLink on its registered slot: the spoke registers no gateway or public IP, its
// connections use the hub's gateway, and both of its sessions are established.
func TestTypeScriptHub(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	script := filepath.Join(e.Root, "e2e", "node", "bin", "hub.js")
	_, err := os.Stat(script)
	require.NoError(t, err, "build it with `make e2e` (npm ci && tsc in e2e/node)")
	work := filepath.Join(e.Dir, "work-ts-hub")
	require.NoError(t, os.MkdirAll(work, 0o755))
	var run tsHubRun
	took := e.runProgram(ctx, &run, "node", "--preserve-symlinks", "--preserve-symlinks-main", script, e.Root, work)
	t.Logf("TypeScript hub and spoke: node process with both ups took %s (simulated clouds, no simulated delays)", took.Round(10*time.Millisecond))

	hub := run.Hub.Outputs["hub"].Value.(map[string]any)
	assert.Equal(t, "hub", hub["name"])
	assert.Equal(t, 2.0, hub["linkSlots"])
	assert.Equal(t, run.Hub.Outputs["gatewayId"].Value, hub["gatewayId"])
	assert.Equal(t, map[string]any{"tunnelLimit": 30.0, "tunnelsPerSlot": 4.0, "tunnelsReserved": 8.0, "tunnelsLeft": 22.0, "apipaLimit": 32.0, "apipaPerSlot": 2.0,
		"apipaUsed": 4.0, "apipaLeft": 28.0, "slots": 2.0, "slotsRegistered": 1.0, "slotsFree": 1.0, "maxSlots": 7.0, "bgpRouteLimit": 4000.0}, run.Hub.Outputs["capacity"].Value)
	assert.Equal(t, run.Hub.Outputs["gatewayId"].Value, run.Spoke.Outputs["azureGatewayId"].Value, "the spoke's link uses the hub's gateway")
	assert.Equal(t, run.Hub.Outputs["publicIps"].Value, run.Spoke.Outputs["azurePublicIps"].Value)
	assert.True(t, run.Spoke.Outputs["sharedSecrets"].Secret)
	tunnels := run.Spoke.Outputs["tunnels"].Value.([]any)
	require.Len(t, tunnels, 2)
	assert.Equal(t, "169.254.21.8/30", tunnels[0].(map[string]any)["bgpSessionRange"], "slot 1, the registry's slot of spoke-ts")

	report := e.sessions()
	assert.Equal(t, 2, report.Established, "the spoke's two sessions (simulated): %+v", report.Sessions)
	assert.Zero(t, report.HalfWired)
	for _, s := range report.Sessions {
		assert.True(t, strings.HasPrefix(s.AzureInstance, "hub-vgw/"), s.AzureInstance)
	}
	gateways := 0
	for _, r := range e.simResources() {
		if strings.HasPrefix(r, "azure-native:network:VirtualNetworkGateway ") {
			gateways++
		}
	}
	assert.Equal(t, 1, gateways, "only the hub's gateway exists")
	assertBackendHoldsNoMasterSecret(t, e)
}
