//go:build e2e

package e2e

import (
	"io"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
)

// TestExplicitApipaLayoutUp: issue 11's layout, both /30s in 169.254.21.0/24 (so Azure instance 1
// carries 169.254.21.13), set as a stack list, deploys and establishes both sessions (simulated).
func TestExplicitApipaLayoutUp(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	cfg := stackConfig(t, e.Root, "dev")
	cfg["havpn:bgpSessionRanges"] = auto.ConfigValue{Value: `["169.254.21.8/30","169.254.21.12/30"]`}
	st, err := e.GoStack(ctx, "dev", cfg)
	require.NoError(t, err)
	stored, err := st.GetConfig(ctx, "havpn:bgpSessionRanges")
	require.NoError(t, err)
	assert.JSONEq(t, `["169.254.21.8/30","169.254.21.12/30"]`, stored.Value, "stored as a list, as the declaration wants")

	res := e.mustUp(ctx, st)
	report := e.sessions()
	assert.Equal(t, 2, report.Established, "established BGP sessions (simulated): %+v", report.Sessions)
	assert.Zero(t, report.HalfWired)
	require.Len(t, report.Sessions, 2)
	for k, want := range []struct{ azure, gcp, instance string }{
		{"169.254.21.9", "169.254.21.10", "gcp-azure-vgw/instance0"},
		{"169.254.21.13", "169.254.21.14", "gcp-azure-vgw/instance1"},
	} {
		s := report.Sessions[k]
		assert.Equal(t, []string{want.azure, want.gcp, want.instance}, []string{s.AzureBgpIp, s.GcpBgpIp, s.AzureInstance}, "%s", s.Tunnel)
	}
	tunnels, ok := res.Outputs["tunnels"].Value.([]any)
	require.True(t, ok)
	assert.Equal(t, "169.254.21.12/30", tunnels[1].(map[string]any)["bgpSessionRange"])
}

// TestEngineChecksTheDeclaration: the engine checks the stack's configuration against the project's
// declaration (the repository's Pulumi.yaml, which simrun passes to the inline program), with the
// CLI's own messages, before the program runs; SetConfig refuses the same values, and an undeclared
// key, first.
func TestEngineChecksTheDeclaration(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	st := e.goStack(ctx, "dev")

	err := simrun.SetConfig(ctx, st, auto.ConfigMap{"havpn:gcpAsnn": {Value: "100"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Did you mean havpn:gcpAsn?")
	err = simrun.SetConfig(ctx, st, auto.ConfigMap{"havpn:bgpSessionRanges": {Value: "169.254.21.8/30"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "must be of type array<string>")

	for key, want := range map[string]string{
		"havpn:gcpAsn":           "Stack 'dev' with configuration key 'gcpAsn' must be of type 'integer'",
		"havpn:bgpSessionRanges": "Stack 'dev' with configuration key 'bgpSessionRanges' must be of type 'array<string>'",
	} {
		// Past SetConfig's check, straight to the stack file: the engine refuses it itself.
		require.NoError(t, st.SetConfig(ctx, key, auto.ConfigValue{Value: "not-" + key}))
		_, err := simrun.Preview(ctx, st, io.Discard)
		require.Error(t, err, key)
		assert.Contains(t, err.Error(), want)
		require.NoError(t, st.RemoveConfig(ctx, key))
	}
	// The pinned CLI lets an undeclared key of the project's namespace through (the reason SetConfig,
	// havpn plan and the program refuse it themselves); the inline program cannot list its keys.
	require.NoError(t, st.SetConfig(ctx, "havpn:gcpAsnn", auto.ConfigValue{Value: "100"}))
	_, err = simrun.Preview(ctx, st, io.Discard)
	require.NoError(t, err, "if the CLI now refuses undeclared keys, drop havpn's own check of them")
	require.NoError(t, st.RemoveConfig(ctx, "havpn:gcpAsnn"))

	// sharedSecret is optional in the declaration (a hub stack has none), so the program itself refuses
	// a link stack without it, and one in plain text: the engine tells the program which keys the stack
	// holds encrypted.
	require.NoError(t, st.RemoveConfig(ctx, "havpn:sharedSecret"))
	_, err = simrun.Preview(ctx, st, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "havpn:sharedSecret is not set: a link stack needs it")
	require.NoError(t, st.SetConfig(ctx, "havpn:sharedSecret", auto.ConfigValue{Value: masterSecret}))
	_, err = simrun.Preview(ctx, st, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "havpn:sharedSecret must be encrypted: it is a secret. Fix: pulumi config set --secret havpn:sharedSecret <value>.")
	assert.NotContains(t, err.Error(), masterSecret)
	require.NoError(t, st.SetConfig(ctx, "havpn:sharedSecret", auto.ConfigValue{Value: masterSecret, Secret: true}))
	_, err = simrun.Preview(ctx, st, io.Discard)
	require.NoError(t, err, "encrypted, the same secret passes")
}
