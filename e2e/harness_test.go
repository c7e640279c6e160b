//go:build e2e

// Package e2e runs the real Pulumi engine offline: the CLI built from the module proxy, inline
// Automation API programs, a file:// backend (or a shared one in the Azurite emulator, shared_test.go),
// and simcloud standing in for the Google Cloud and Azure providers. Everything here runs against
// SIMULATED clouds. Run with `make e2e`.
package e2e

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
)

const (
	passphrase = "e2e-passphrase-simulated"
	// masterSecret is the stacks' sharedSecret in these tests; it must never appear in plaintext in state.
	masterSecret = "e2e-master-secret-simulated-0123456789"
)

// env is one isolated simulated world for one test.
type env struct {
	*simrun.World
	t *testing.T
}

func newEnv(t *testing.T) *env { return newScaledEnv(t, 0) }

// newScaledEnv is a world whose simulated operations take their simulated time, scaled (real seconds
// per simulated second).
func newScaledEnv(t *testing.T, timeScale float64) *env {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	w, err := simrun.NewWorld(root, t.TempDir(), passphrase, timeScale)
	require.NoError(t, err)
	return &env{World: w, t: t}
}

// goStack creates the stack of main.go's program with the committed stack configuration.
func (e *env) goStack(ctx context.Context, stackName string) auto.Stack {
	e.t.Helper()
	st, err := e.GoStack(ctx, stackName, stackConfig(e.t, e.Root, stackName))
	require.NoError(e.t, err)
	return st
}

func stackConfig(t *testing.T, root, stackName string) auto.ConfigMap {
	t.Helper()
	cfg, err := simrun.StackConfig(root, stackName, masterSecret)
	require.NoError(t, err)
	return cfg
}

// up runs `pulumi up`; on failure the engine's own diagnostics are printed.
func (e *env) up(ctx context.Context, st auto.Stack) (auto.UpResult, error) {
	var out bytes.Buffer
	res, err := simrun.Up(ctx, st, &out)
	if err != nil {
		e.t.Logf("pulumi up of %s failed; engine output (simulated clouds):\n%s", st.Name(), out.String())
	}
	return res, err
}

func (e *env) mustUp(ctx context.Context, st auto.Stack) auto.UpResult {
	e.t.Helper()
	res, err := e.up(ctx, st)
	require.NoError(e.t, err)
	return res
}

// preview returns, per resource URN, the operation the engine plans.
func (e *env) preview(ctx context.Context, st auto.Stack) map[string]string {
	e.t.Helper()
	var out bytes.Buffer
	ops, err := simrun.Preview(ctx, st, &out)
	if err != nil {
		e.t.Logf("pulumi preview failed; engine output (simulated clouds):\n%s", out.String())
	}
	require.NoError(e.t, err)
	require.NotEmpty(e.t, ops, "the preview reported no resource steps")
	return ops
}

func (e *env) destroy(ctx context.Context, st auto.Stack) {
	e.t.Helper()
	var out bytes.Buffer
	if err := simrun.Destroy(ctx, st, &out); err != nil {
		e.t.Logf("pulumi destroy failed; engine output (simulated clouds):\n%s", out.String())
		require.NoError(e.t, err)
	}
}

func (e *env) sessions() *simrun.SessionReport {
	e.t.Helper()
	r, err := e.Sessions()
	require.NoError(e.t, err)
	return r
}

func (e *env) simResources() []string {
	e.t.Helper()
	r, err := e.SimResources()
	require.NoError(e.t, err)
	return r
}

func stateResources(t *testing.T, ctx context.Context, st auto.Stack) map[string]int {
	t.Helper()
	counts, err := simrun.StateResources(ctx, st)
	require.NoError(t, err)
	return counts
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
