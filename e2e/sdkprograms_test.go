//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
)

// The TypeScript and Python programs (e2e/node, e2e/python) deploy the dev stack's environment through
// their SDKs and the plugin; they must get what the Go program gets.

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

// goDevRun is what main.go's program deploys for the dev stack (simulated): the reference.
type goDevRun struct {
	tunnels   string // JSON
	pskSha256 string // of the sharedSecrets output's JSON, keys sorted
	sessions  []sessionKey
}

// goDev is computed once per test binary: the language tests run one after another and compare with it.
var goDev *goDevRun

func goDevReference(t *testing.T) *goDevRun {
	t.Helper()
	if goDev != nil {
		return goDev
	}
	ctx := testContext(t)
	e := newEnv(t)
	st := e.goStack(ctx, "dev")
	started := time.Now()
	res := e.mustUp(ctx, st)
	t.Logf("Go program: up of the dev stack took %s (simulated clouds, no simulated delays)", time.Since(started).Round(10*time.Millisecond))
	tunnels, err := json.Marshal(res.Outputs["tunnels"].Value)
	require.NoError(t, err)
	psks, err := json.Marshal(res.Outputs["sharedSecrets"].Value)
	require.NoError(t, err)
	report := e.sessions()
	require.Equal(t, 2, report.Established, "the Go reference run")
	goDev = &goDevRun{tunnels: string(tunnels), pskSha256: fmt.Sprintf("%x", sha256.Sum256(psks)), sessions: sessionKeys(report)}
	return goDev
}

// programOutput is one stack output as the programs print it (secrets masked).
type programOutput struct {
	Value  any  `json:"value"`
	Secret bool `json:"secret"`
}

// programUp is what the programs print for one `up`.
type programUp struct {
	Summary   map[string]int           `json:"summary"`
	Outputs   map[string]programOutput `json:"outputs"`
	PskSha256 string                   `json:"pskSha256"`
}

// runProgram runs an SDK program in the world e with the world's environment, the backend, the master
// secret and the dev stack's resolved environment, and decodes the JSON it prints into out.
func (e *env) runProgram(ctx context.Context, out any, argv ...string) time.Duration {
	e.t.Helper()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = e.programEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	started := time.Now()
	if err := cmd.Run(); err != nil {
		e.t.Fatalf("%s failed: %v\nengine output (simulated clouds):\n%s%s", strings.Join(argv, " "), err, stdout.String(), stderr.String())
	}
	took := time.Since(started)
	if out != nil {
		require.NoError(e.t, json.Unmarshal(stdout.Bytes(), out), stdout.String())
	}
	return took
}

// programEnv is the environment of a program run in the world e: the world's variables (PATH with
// bin/ first, Pulumi home, passphrase, simcloud's state), the backend, the master secret, the
// repository and the dev stack's resolved environment.
func (e *env) programEnv() []string {
	env := os.Environ()
	for k, v := range e.Env {
		env = append(env, k+"="+v)
	}
	return append(env, "BACKEND_URL="+e.BackendURL(), "MASTER_SECRET="+masterSecret,
		"HAVPN_ROOT="+e.Root, "HAVPN_ENV="+devEnvironment(e.t, e.Root))
}

// assertSameAsGo: the program's up gave the Go program's tunnels and derived PSKs (by digest), kept
// them secret, and simcloud reports the same sessions as for the Go program.
func assertSameAsGo(t *testing.T, e *env, ref *goDevRun, up programUp) {
	t.Helper()
	tunnels, err := json.Marshal(up.Outputs["tunnels"].Value)
	require.NoError(t, err)
	assert.JSONEq(t, ref.tunnels, string(tunnels), "tunnels of this program and the Go program")
	assert.True(t, up.Outputs["sharedSecrets"].Secret, "sharedSecrets stays secret through Construct")
	assert.Equal(t, ref.pskSha256, up.PskSha256, "the same derived PSKs as the Go program")
	assert.Len(t, up.Outputs["gcpGatewayIps"].Value, 2)

	report := e.sessions()
	assert.Equal(t, 2, report.Established)
	assert.Zero(t, report.HalfWired)
	assert.Equal(t, ref.sessions, sessionKeys(report), "simulated session reports of this program and the Go program")
}

// assertBackendHoldsNoMasterSecret: the master secret is in no file of the world's backend.
func assertBackendHoldsNoMasterSecret(t *testing.T, e *env) {
	t.Helper()
	files := 0
	require.NoError(t, filepath.Walk(filepath.Join(e.Dir, "backend"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		files++
		raw, err := os.ReadFile(p)
		if err == nil {
			assert.False(t, strings.Contains(string(raw), masterSecret), "backend file %s holds the master secret", p)
		}
		return err
	}))
	assert.NotZero(t, files, "the backend holds the stack")
}

// devEnvironment is the dev stack's environment as the Go program resolves it (stack file plus
// defaults), as JSON for the TypeScript and Python programs: all deploy the same values.
func devEnvironment(t *testing.T, root string) string {
	t.Helper()
	sf, err := envconfig.ReadStackFile(filepath.Join(root, "stacks"), "dev")
	require.NoError(t, err)
	env, err := envconfig.Load(func(key string) (string, bool) {
		if key == "sharedSecret" { // encrypted in a stack, so not among the plain values; a link needs one
			return masterSecret, true
		}
		v, ok := sf.Plain[envconfig.Qualify(key)]
		return v, ok
	})
	require.NoError(t, err)
	env.SharedSecret = "" // the programs take the master secret from their stack config
	raw, err := json.Marshal(env)
	require.NoError(t, err)
	return string(raw)
}
