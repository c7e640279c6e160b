//go:build e2e

package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/envconfig"
	"github.com/havpn/pulumi-havpn/internal/simrun"
)

// sessionKey is a session without the simulator's generated names, to compare two deployments.
type sessionKey struct {
	Tunnel, AzureInstance string
	GcpBgpIp, AzureBgpIp  string
	Bgp                   string
}

func sessionKeys(r *simrun.SessionReport) []sessionKey {
	var out []sessionKey
	for _, s := range r.Sessions {
		out = append(out, sessionKey{s.LogicalName, s.AzureInstance, s.GcpBgpIp, s.AzureBgpIp, s.Bgp})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GcpBgpIp < out[j].GcpBgpIp })
	return out
}

// TestTypeScriptProgram: the dev environment written in TypeScript (e2e/node/run.ts), through the
// Node Automation API, the TypeScript SDK and pulumi-resource-havpn, gets the same tunnels and the
// same simulated session report as the Go program.
func TestTypeScriptProgram(t *testing.T) {
	ctx := testContext(t)
	goEnv := newEnv(t)
	goStack := goEnv.goStack(ctx, "dev")
	goRes := goEnv.mustUp(ctx, goStack)
	goTunnels, err := json.Marshal(goRes.Outputs["tunnels"].Value)
	require.NoError(t, err)

	e := newEnv(t)
	script := filepath.Join(e.Root, "e2e", "node", "bin", "run.js")
	_, err = os.Stat(script)
	require.NoError(t, err, "build it with `make e2e` (npm ci && tsc in e2e/node)")
	work := filepath.Join(e.Dir, "work-ts")
	require.NoError(t, os.MkdirAll(work, 0o755))
	// --preserve-symlinks: the SDK is linked from sdk/nodejs/bin, and must load the program's own
	// @pulumi/pulumi (one copy of the runtime), not the one installed next to the SDK for tsc.
	cmd := exec.CommandContext(ctx, "node", "--preserve-symlinks", "--preserve-symlinks-main", script, e.Root, work)
	cmd.Env = os.Environ()
	for k, v := range e.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "BACKEND_URL="+e.BackendURL(), "MASTER_SECRET="+masterSecret, "HAVPN_ENV="+devEnvironment(t, e.Root))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node program failed: %v\nengine output (simulated clouds):\n%s", err, stderr.String())
	}
	var result struct {
		Outputs map[string]struct {
			Value  any  `json:"value"`
			Secret bool `json:"secret"`
		} `json:"outputs"`
		PskSha256 string `json:"pskSha256"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &result), stdout.String())
	tsTunnels, err := json.Marshal(result.Outputs["tunnels"].Value)
	require.NoError(t, err)
	assert.JSONEq(t, string(goTunnels), string(tsTunnels), "tunnels from TypeScript and Go")
	assert.True(t, result.Outputs["sharedSecrets"].Secret, "sharedSecrets stays secret through Construct")
	goPsks, err := json.Marshal(goRes.Outputs["sharedSecrets"].Value)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%x", sha256.Sum256(goPsks)), result.PskSha256, "the same derived PSKs from TypeScript and Go")
	assert.Len(t, result.Outputs["gcpGatewayIps"].Value, 2)

	tsReport, goReport := e.sessions(), goEnv.sessions()
	assert.Equal(t, 2, tsReport.Established)
	assert.Zero(t, tsReport.HalfWired)
	assert.Equal(t, sessionKeys(goReport), sessionKeys(tsReport), "simulated session reports of the two programs")

	// The secret never lands in the TypeScript stack's state either.
	require.NoError(t, filepath.Walk(filepath.Join(e.Dir, "backend"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		raw, err := os.ReadFile(p)
		if err == nil {
			assert.False(t, strings.Contains(string(raw), masterSecret), "backend file %s holds the master secret", p)
		}
		return err
	}))
}

// devEnvironment is the dev stack's environment as the Go program resolves it (stack file plus
// defaults), as JSON for the TypeScript program: both deploy the same values.
func devEnvironment(t *testing.T, root string) string {
	t.Helper()
	sf, err := envconfig.ReadStackFile(filepath.Join(root, "stacks"), "dev")
	require.NoError(t, err)
	env, err := envconfig.Load(func(key string) (string, bool) {
		v, ok := sf.Plain[envconfig.Qualify(key)]
		return v, ok
	})
	require.NoError(t, err)
	env.SharedSecret = "" // the TypeScript program takes the master secret from its stack config
	raw, err := json.Marshal(env)
	require.NoError(t, err)
	return string(raw)
}
