//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
)

// wantPerStack is what each committed stack deploys (simulated).
var wantPerStack = map[string]struct {
	established, azureConnecting, tunnels int
}{
	"dev":  {established: 2, azureConnecting: 2, tunnels: 2},
	"prod": {established: 4, azureConnecting: 4, tunnels: 4},
}

// TestStacksUpPreviewDestroy: up each stack, check the simulator's session report, that a second
// preview is a no-op, that no key is stored in plaintext, then destroy and check nothing is left.
func TestStacksUpPreviewDestroy(t *testing.T) {
	for _, stackName := range []string{"dev", "prod"} {
		t.Run(stackName, func(t *testing.T) {
			ctx := testContext(t)
			e := newEnv(t)
			st := e.goStack(ctx, stackName)
			res := e.mustUp(ctx, st)
			want := wantPerStack[stackName]

			report := e.sessions()
			assert.Equal(t, want.established, report.Established, "established BGP sessions (simulated): %+v", report.Sessions)
			assert.Zero(t, report.HalfWired, "half-wired tunnels (simulated)")
			assert.Equal(t, want.azureConnecting, report.AzureConnecting, "Azure instances that try an LNG no Google tunnel accepts")
			tunnels, ok := res.Outputs["tunnels"].Value.([]any)
			require.True(t, ok, "tunnels output: %v", res.Outputs["tunnels"])
			assert.Len(t, tunnels, want.tunnels)

			ops := e.preview(ctx, st)
			for urn, op := range ops {
				assert.Equal(t, "same", op, "a preview right after up must change nothing: %s", urn)
			}

			assertNoPlaintextSecrets(t, e, st, res)

			e.destroy(ctx, st)
			counts := stateResources(t, ctx, st)
			assert.Empty(t, counts, "state after destroy")
			assert.Empty(t, e.simResources(), "simulator after destroy")
		})
	}
}

// assertNoPlaintextSecrets: neither the master secret nor any derived PSK is in the state or the
// non-secret outputs; the backend files are checked raw.
func assertNoPlaintextSecrets(t *testing.T, e *env, st auto.Stack, res auto.UpResult) {
	t.Helper()
	secrets := res.Outputs["sharedSecrets"]
	require.True(t, secrets.Secret, "the sharedSecrets output is secret")
	psks, ok := secrets.Value.(map[string]any)
	require.True(t, ok, "sharedSecrets: %T", secrets.Value)
	needles := []string{masterSecret}
	for _, v := range psks {
		needles = append(needles, v.(string))
	}
	require.Len(t, needles, 1+wantPerStack[st.Name()].tunnels)
	for name, out := range res.Outputs {
		if !out.Secret {
			for _, n := range needles {
				assert.False(t, strings.Contains(fmt.Sprint(out.Value), n), "output %s holds a secret in plaintext", name)
			}
		}
	}
	var files []string
	require.NoError(t, filepath.Walk(filepath.Join(e.Dir, "backend"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return err
	}))
	require.NotEmpty(t, files)
	// The state as stored: `stack export` through the Automation API decrypts secrets, so read the files.
	stored := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		if strings.Contains(string(raw), `"ciphertext"`) {
			stored++
		}
		for _, n := range needles {
			assert.False(t, strings.Contains(string(raw), n), "backend file %s holds a secret in plaintext", f)
		}
	}
	assert.NotZero(t, stored, "the stack's state file stores its secrets as ciphertext")
}

// TestFaultRecovery: the Azure gateway's create fails once, either before anything exists or after
// the gateway was created (an initialisation failure); up fails with the simulator's error, and the
// next up converges with no duplicate resource.
func TestFaultRecovery(t *testing.T) {
	const gateway = "azure-native:network:VirtualNetworkGateway"
	for _, tc := range []struct {
		fault, message       string
		gatewaysAfterFailure int // in the simulated cloud and in the state
	}{
		{"create:" + gateway + ":1", "injected fault: create #1 of " + gateway + " failed", 0},
		{"create-partial:" + gateway + ":1", "created, but it failed to initialise", 1},
	} {
		t.Run(strings.SplitN(tc.fault, ":", 2)[0], func(t *testing.T) {
			ctx := testContext(t)
			e := newEnv(t)
			e.Env[simcloud.FaultsEnv] = tc.fault
			st := e.goStack(ctx, "dev")
			_, err := e.up(ctx, st)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.message)
			assert.Equal(t, tc.gatewaysAfterFailure, stateResources(t, ctx, st)[gateway], "gateways in the state after the failed up")
			assert.Equal(t, tc.gatewaysAfterFailure, countPrefix(e.simResources(), gateway+" "), "gateways in the simulated cloud after the failed up")

			e.mustUp(ctx, st)
			counts := stateResources(t, ctx, st)
			assert.Equal(t, 1, counts[gateway])
			assert.Equal(t, 2, counts["gcp:compute/vPNTunnel:VPNTunnel"])
			assert.Equal(t, 2, counts["azure-native:network:VirtualNetworkGatewayConnection"])
			custom := 0
			for typ, n := range counts {
				if !strings.HasPrefix(typ, "pulumi:") && typ != "havpn:index:HaVpnLink" {
					custom += n
				}
			}
			assert.Len(t, e.simResources(), custom, "every simulated resource is in the state once")
			assert.Equal(t, 2, e.sessions().Established)
			for urn, op := range e.preview(ctx, st) {
				assert.Equal(t, "same", op, urn)
			}
		})
	}
}

// TestSecretRotationReachesAzure: a new master secret replaces the Google tunnels (sharedSecret is
// ForceNew) and the Azure connections, old first (replaceOnChanges: a connection PUT keeps the old key,
// which simcloud models), so every session is established again (simulated).
func TestSecretRotationReachesAzure(t *testing.T) {
	const connection = "azure-native:network:VirtualNetworkGatewayConnection"
	ctx := testContext(t)
	e := newEnv(t)
	st := e.goStack(ctx, "dev")
	e.mustUp(ctx, st)
	require.Equal(t, 2, e.sessions().Established)
	require.NoError(t, st.SetConfig(ctx, "havpn:sharedSecret", auto.ConfigValue{Value: masterSecret + "-rotated", Secret: true}))
	replaced := 0
	for urn, op := range e.preview(ctx, st) {
		if strings.Contains(urn, connection) {
			assert.Equal(t, "replace", simrun.OpClass(op), "%s: a connection PUT would keep the old key", urn)
			replaced++
		}
	}
	assert.Equal(t, 2, replaced)
	e.mustUp(ctx, st)
	report := e.sessions()
	assert.Equal(t, 2, report.Established, "every session is established again with the new keys (simulated): %+v", report.Sessions)
	assert.Zero(t, report.HalfWired)
	assert.Equal(t, 2, stateResources(t, ctx, st)[connection], "the old connections are gone")
}

func countPrefix(lines []string, prefix string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}
