//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

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
