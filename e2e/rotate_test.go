//go:build e2e

package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/tooling/rotatecmd"
	"github.com/havpn/pulumi-havpn/internal/tooling/rotation"
	"github.com/havpn/pulumi-havpn/internal/tooling/statusclient"
)

const rotatedSecret = "e2e-rotated-master-secret-simulated-9876543210"

// TestRotate: `havpn rotate` on a deployed dev stack (simulated clouds): both stages, each followed by
// a healthy status; at least one BGP session established at every moment of simcloud's timeline; the
// stack ends with the new secret and nothing staged, and every tunnel's key derives from it.
func TestRotate(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	st := e.goStack(ctx, "dev")
	e.mustUp(ctx, st)
	// An empty --new-secret-env variable is a usage error, not a silently generated secret.
	out, errOut, code := e.havpn(t, "rotate", "--stack", "dev", "--sim", e.Dir, "--new-secret-env", "HAVPN_E2E_UNSET_SECRET")
	require.Equal(t, rotatecmd.ExitUsage, code, "%s\n%s", out, errOut)
	assert.Contains(t, errOut, "HAVPN_E2E_UNSET_SECRET: that environment variable is empty or unset")

	start := time.Now()
	t.Setenv("HAVPN_E2E_NEW_SECRET", rotatedSecret)
	out, errOut, code = e.havpn(t, "rotate", "--stack", "dev", "--sim", e.Dir, "--new-secret-env", "HAVPN_E2E_NEW_SECRET", "--interval", "200ms", "--timeout", "1m")
	require.Equal(t, rotatecmd.ExitRotated, code, "%s\n%s", out, errOut)
	for _, step := range []string{"==> stage 1", "==> stage 2", "==> rotated"} {
		assert.Contains(t, out, step)
	}
	assert.NotContains(t, out+errOut, rotatedSecret, "the new secret is never printed")

	entries, err := e.Timeline()
	require.NoError(t, err)
	d := simcloud.MeasureDisruption(entries, start.UnixNano(), time.Now().UnixNano(), nil)
	assert.GreaterOrEqual(t, d.MinEstablished, 1, "a BGP session stays established throughout the rotation (simulated)")
	assert.Equal(t, 2, d.After)
	replaced := map[string]int{}
	for _, en := range entries {
		if en.At() >= start.UnixNano() && en.Op == simcloud.OpDelete && en.Phase == "" {
			replaced[en.Name]++
		}
	}
	assert.Equal(t, map[string]int{"gcp-azure-t0": 1, "gcp-azure-t1": 1, "gcp-azure-conn0": 1, "gcp-azure-conn1": 1,
		"gcp-azure-if0": 1, "gcp-azure-if1": 1, "gcp-azure-bgp0": 1, "gcp-azure-bgp1": 1}, replaced, "each tunnel's resources replaced exactly once")

	cfg, err := st.GetAllConfig(ctx)
	require.NoError(t, err)
	assert.Equal(t, rotatedSecret, cfg["havpn:sharedSecret"].Value)
	assert.Empty(t, cfg["havpn:nextSharedSecret"].Value, "nothing staged (the declared default is empty)")
	outputs, err := st.Outputs(ctx)
	require.NoError(t, err)
	psks := outputs["sharedSecrets"].Value.(map[string]any)
	for _, name := range []string{"gcp-azure-t0", "gcp-azure-t1"} {
		assert.Equal(t, linkplan.DerivePSK(rotatedSecret, name), psks[name], name)
	}
	assert.Equal(t, 2, e.sessions().Established)
}

// TestRotateStopsSafely: a fault that appears between the stages (a PSK mismatch on the tunnel stage 2
// would replace) stops the rotation before stage 2, with the link up and the rotation staged; once the
// fault is cleared, `havpn rotate` resumes at stage 2 and ends healthy.
func TestRotateStopsSafely(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	st := e.goStack(ctx, "dev")
	e.mustUp(ctx, st)
	var log strings.Builder
	r, done, err := rotatecmd.ForWorld(ctx, e.World, "dev", "", statusclient.Endpoints{}, &log)
	require.NoError(t, err)
	defer done()
	r.Timeout, r.Interval = 2*time.Second, 200*time.Millisecond
	store := &simcloud.Store{Dir: e.SimState}
	r.Between = func(context.Context) error {
		return store.InjectFault(simcloud.LiveFault{Kind: "psk-mismatch", Target: "gcp-azure-t1"})
	}
	err = r.Run(ctx, rotatedSecret)
	require.True(t, rotation.IsStopped(err), "%v\n%s", err, log.String())
	assert.Contains(t, err.Error(), "before stage 2")
	assert.Contains(t, err.Error(), "1/2 sessions still carry it")
	assert.Equal(t, 1, e.sessions().Established, "the link stays up on the stage-1 tunnel (simulated)")
	cfg, err := st.GetAllConfig(ctx)
	require.NoError(t, err)
	assert.Equal(t, rotatedSecret, cfg["havpn:nextSharedSecret"].Value, "stage 1 stays staged")
	assert.Equal(t, masterSecret, cfg["havpn:sharedSecret"].Value, "stage 2 was not applied")

	// Stopped again while the fault is there: resuming refuses an unhealthy link.
	_, errOut, code := e.havpn(t, "rotate", "--stack", "dev", "--sim", e.Dir, "--interval", "200ms", "--timeout", "5s")
	assert.Equal(t, rotatecmd.ExitStopped, code, errOut)
	assert.Contains(t, errOut, "not healthy")

	_, err = store.ClearFaults("", "")
	require.NoError(t, err)
	out, errOut, code := e.havpn(t, "rotate", "--stack", "dev", "--sim", e.Dir, "--interval", "200ms", "--timeout", "1m")
	require.Equal(t, rotatecmd.ExitRotated, code, "%s\n%s", out, errOut)
	assert.Contains(t, out, "resuming at stage 2")
	cfg, err = st.GetAllConfig(ctx)
	require.NoError(t, err)
	assert.Equal(t, auto.ConfigValue{Value: rotatedSecret, Secret: true}, cfg["havpn:sharedSecret"])
	assert.Equal(t, 2, e.sessions().Established)
}
