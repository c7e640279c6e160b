//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud/statusapi"
	"github.com/havpn/pulumi-havpn/internal/tooling/statusclient"
	"github.com/havpn/pulumi-havpn/internal/tooling/statuscmd"
)

// faultCase is one live fault injected into the deployed dev stack (paired: t0 on gcp-gw0-if0 and
// azure-inst0, t1 on gcp-gw0-if1 and azure-inst1) and what `havpn status` must say about it.
type faultCase struct {
	kind, target string
	verdict      linkstatus.Verdict
	down         []string          // planned tunnels not established
	google       map[string]string // tunnel -> Google tunnel status
	diagnosis    string            // one diagnosis's cause contains this
	cutBy        []string          // single failures that would now cut the link
}

var devFaults = []faultCase{
	{"tunnel-down", "gcp-azure-t1", linkstatus.Degraded, []string{"gcp-azure-t1"},
		map[string]string{"gcp-azure-t0": "ESTABLISHED", "gcp-azure-t1": "NO_INCOMING_PACKETS"}, "IPsec is not up", []string{"gcp-gw0-if0", "azure-inst0"}},
	{"psk-mismatch", "gcp-azure-t0", linkstatus.Degraded, []string{"gcp-azure-t0"},
		map[string]string{"gcp-azure-t0": "AUTHORIZATION_ERROR", "gcp-azure-t1": "ESTABLISHED"}, "pre-shared key mismatch", []string{"gcp-gw0-if1", "azure-inst1"}},
	{"phase2-mismatch", "gcp-azure-t0", linkstatus.Degraded, []string{"gcp-azure-t0"},
		map[string]string{"gcp-azure-t0": "NEGOTIATION_FAILURE"}, "phase 2 without PFS", []string{"gcp-gw0-if1", "azure-inst1"}},
	{"bgp-down", "gcp-azure-t1", linkstatus.Degraded, []string{"gcp-azure-t1"},
		map[string]string{"gcp-azure-t1": "ESTABLISHED"}, "BGP down with the tunnel up", []string{"gcp-gw0-if0", "azure-inst0"}},
	{"bgp-down", "all", linkstatus.Down, []string{"gcp-azure-t0", "gcp-azure-t1"},
		map[string]string{"gcp-azure-t0": "ESTABLISHED", "gcp-azure-t1": "ESTABLISHED"}, "the Cloud Router is not opening the sessions", []string{}},
	{"azure-instance-down", "instance1", linkstatus.Degraded, []string{"gcp-azure-t1"},
		map[string]string{"gcp-azure-t1": "NO_INCOMING_PACKETS"}, "the gateway instance is down", []string{"gcp-gw0-if0", "azure-inst0"}},
}

// TestStatus: `havpn status` of a deployed dev stack through the simulated read APIs: healthy after
// up; each injected live fault gives its verdict, exit code, Google status and diagnosis, and the
// session report agrees; clearing it returns to healthy. Faults go in and out through the
// `simcloud fault` command, status runs as the `havpn status` command (and once as the library).
func TestStatus(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	st := e.goStack(ctx, "dev")
	e.mustUp(ctx, st)

	lib := e.checkLibrary(ctx, st)
	assert.Equal(t, linkstatus.Healthy, lib.Verdict, "library: %+v", lib)
	assert.True(t, lib.Simulated)
	healthy := e.status(t, "dev", 0)
	assert.Equal(t, lib.Tunnels, healthy.Tunnels, "the command and the library read the same")
	assertHealthy(t, healthy, 2)
	e.recordWorld(t, ctx, st, "paired")

	for _, fc := range devFaults {
		t.Run(fc.kind+"/"+fc.target, func(t *testing.T) {
			e.simcloud(t, "fault", "inject", "--state", e.SimState, fc.kind, fc.target)
			r := e.status(t, "dev", fc.verdict.ExitCode())
			assert.Equal(t, fc.verdict, r.Verdict)
			var down []string
			for _, row := range r.Tunnels {
				if !row.Established {
					down = append(down, row.Name)
				}
				if want, ok := fc.google[row.Name]; ok {
					assert.Equal(t, want, row.GcpTunnelStatus, row.Name)
				}
			}
			assert.Equal(t, fc.down, down, "sessions down")
			assert.Equal(t, fc.cutBy, r.Survivability.CutBy, r.Survivability.Summary)
			assert.True(t, hasCause(r, fc.diagnosis), "no diagnosis says %q: %+v", fc.diagnosis, r.Diagnoses)
			for _, d := range r.Diagnoses {
				assert.NotEmpty(t, d.Sources, "every diagnosis cites its sources: %+v", d)
			}
			assert.Equal(t, 2-len(fc.down), e.sessions().Established, "the session report reads the same fault records")

			e.simcloud(t, "fault", "clear", "--state", e.SimState)
			assertHealthy(t, e.status(t, "dev", 0), 2)
		})
	}
}

// TestStatusDualGateway: the prod stack (dualGateway) is healthy with four Azure peers Connecting by
// design; with one Azure instance down it is degraded and only the other instance's loss would cut it.
func TestStatusDualGateway(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	st := e.goStack(ctx, "prod")
	e.mustUp(ctx, st)
	assertHealthy(t, e.status(t, "prod", 0), 4)
	e.recordWorld(t, ctx, st, "dualGateway")

	e.simcloud(t, "fault", "inject", "--state", e.SimState, "azure-instance-down", "instance0")
	r := e.status(t, "prod", linkstatus.Degraded.ExitCode())
	assert.Equal(t, 2, r.Established)
	assert.Equal(t, []string{"azure-inst1"}, r.Survivability.CutBy)
	assert.Len(t, r.ByDesign, 2, "instance 0 is down: only instance 1's by-design attempts remain")
	e.simcloud(t, "fault", "clear", "--state", e.SimState, "azure-instance-down")
	assertHealthy(t, e.status(t, "prod", 0), 4)
}

// TestStatusCannotRead: a stack that does not exist, and simulated APIs that are gone, give exit 3.
func TestStatusCannotRead(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	st := e.goStack(ctx, "dev")
	e.mustUp(ctx, st)
	out, errOut, code := e.havpn(t, "status", "--stack", "nosuchstack", "--sim", e.Dir)
	assert.Equal(t, 3, code, "stdout %s stderr %s", out, errOut)
	assert.Contains(t, errOut, "could not read")

	servers, err := statusapi.Start(e.SimState)
	require.NoError(t, err)
	gcp := servers.GcpURL
	servers.Close() // the Google API is gone: every Google read fails
	other, err := statusapi.Start(e.SimState)
	require.NoError(t, err)
	defer other.Close()
	r, err := statuscmd.Check(ctx, st, "", statusclient.Endpoints{Gcp: gcp, Azure: other.AzureURL})
	require.NoError(t, err)
	assert.Equal(t, linkstatus.Unreadable, r.Verdict)
	assert.Equal(t, 3, r.ExitCode)
	require.NotEmpty(t, r.ReadErrors)
	assert.Contains(t, r.ReadErrors[0].Call, "compute.vpnTunnels.get")
	assert.Contains(t, r.ReadErrors[0].Error, "connection refused")

	_, errOut, code = e.havpn(t, "status", "--stack", "dev", "--sim", e.Dir, "--gcp-endpoint", "http://10.0.0.1:80/", "--azure-endpoint", other.AzureURL)
	assert.Equal(t, statuscmd.ExitUsage, code)
	assert.Contains(t, errOut, "only loopback endpoints")
}

// TestStatusFromAProject: the real-world way to find the stack: the Pulumi project in --cwd, the
// backend from PULUMI_BACKEND_URL, the CLI from PATH; only the API endpoints are simulated.
func TestStatusFromAProject(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	st := e.goStack(ctx, "dev")
	e.mustUp(ctx, st)
	project := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte("name: havpn\nruntime: go\n"), 0o644))
	servers, err := statusapi.Start(e.SimState)
	require.NoError(t, err)
	defer servers.Close()
	cmd := exec.Command(filepath.Join(e.Root, "bin", "havpn"), "status", "--stack", "dev", "--cwd", project, "--json",
		"--gcp-endpoint", servers.GcpURL, "--azure-endpoint", servers.AzureURL)
	cmd.Env = append(os.Environ(), "PATH="+e.Env["PATH"], "PULUMI_HOME="+e.Env["PULUMI_HOME"], "PULUMI_BACKEND_URL="+e.BackendURL(),
		"PULUMI_CONFIG_PASSPHRASE="+passphrase, "PULUMI_SKIP_UPDATE_CHECK=true")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	require.NoError(t, cmd.Run(), "stderr: %s", errOut.String())
	var r linkstatus.Report
	require.NoError(t, json.Unmarshal(out.Bytes(), &r), out.String())
	assert.True(t, r.Simulated, "simulated endpoints: the report says so")
	assertHealthy(t, &r, 2)
}

func assertHealthy(t *testing.T, r *linkstatus.Report, sessions int) {
	t.Helper()
	assert.Equal(t, linkstatus.Healthy, r.Verdict, "%+v", r)
	assert.Equal(t, sessions, r.Established)
	assert.Len(t, r.ByDesign, sessions, "one by-design Connecting peer per session (the other instance)")
	for _, p := range r.ByDesign {
		assert.Equal(t, "Connecting", p.State)
	}
	assert.Empty(t, r.Diagnoses)
	assert.Empty(t, r.Survivability.CutBy)
}

func hasCause(r *linkstatus.Report, s string) bool {
	for _, d := range r.Diagnoses {
		if strings.Contains(d.Cause, s) {
			return true
		}
	}
	return false
}

// status runs `havpn status --json` on the world and checks its exit code.
func (e *env) status(t *testing.T, stack string, wantExit int) *linkstatus.Report {
	t.Helper()
	out, errOut, code := e.havpn(t, "status", "--stack", stack, "--sim", e.Dir, "--json")
	require.Equal(t, wantExit, code, "exit code; stderr: %s\nstdout: %s", errOut, out)
	var r linkstatus.Report
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	require.True(t, r.Simulated, "a report from simcloud says it is simulated")
	return &r
}

// checkLibrary runs statuscmd.Check, the entry point a rotation would use, on simulated APIs.
func (e *env) checkLibrary(ctx context.Context, st auto.Stack) *linkstatus.Report {
	e.t.Helper()
	servers, err := statusapi.Start(e.SimState)
	require.NoError(e.t, err)
	defer servers.Close()
	r, err := statuscmd.Check(ctx, st, "", statusclient.Endpoints{Gcp: servers.GcpURL, Azure: servers.AzureURL})
	require.NoError(e.t, err)
	return r
}

func (e *env) havpn(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return e.run(t, filepath.Join(e.Root, "bin", "havpn"), args...)
}

func (e *env) simcloud(t *testing.T, args ...string) {
	t.Helper()
	out, errOut, code := e.run(t, filepath.Join(e.Root, "bin", "simcloud"), args...)
	require.Equal(t, 0, code, "simcloud %v: %s %s", args, out, errOut)
}

// run runs a command from the repository root with the world's passphrase.
func (e *env) run(t *testing.T, bin string, args ...string) (string, string, int) {
	t.Helper()
	_, err := os.Stat(bin)
	require.NoError(t, err, "build it with `make e2e`")
	cmd := exec.Command(bin, args...)
	cmd.Dir = e.Root
	cmd.Env = append(os.Environ(), "PULUMI_CONFIG_PASSPHRASE="+passphrase)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	require.NoError(t, err)
	return out.String(), errOut.String(), 0
}

// pskPattern finds the derived pre-shared keys (64 hex digits) in the simulator's state.
var pskPattern = regexp.MustCompile(`"(sharedSecret|sharedKey)": "[0-9a-f]{64}"`)

// recordWorld writes, with -update, the deployed world the statusapi and statusclient tests read: the
// link as its outputs describe it and the simulator's state with every pre-shared key redacted.
func (e *env) recordWorld(t *testing.T, ctx context.Context, st auto.Stack, topology string) {
	t.Helper()
	if !*update {
		return
	}
	dep, err := st.Export(ctx)
	require.NoError(t, err)
	link, err := linkstatus.LinkFromDeployment(dep.Deployment, "")
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join(e.SimState, simcloud.StateFile))
	require.NoError(t, err)
	redacted := pskPattern.ReplaceAllString(string(raw), `"$1": "redacted-by-the-e2e-test"`)
	require.NotContains(t, redacted, masterSecret)
	world := map[string]any{"link": link, "state": json.RawMessage(redacted)}
	b, err := json.MarshalIndent(world, "", "  ")
	require.NoError(t, err)
	dir := filepath.Join(e.Root, "internal", "simulation", "simcloud", "statusapi", "testdata")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "world-"+topology+".json"), append(b, '\n'), 0o644))
}
