//go:build e2e

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pythonStack is what e2e/python/run.py prints for one stack.
type pythonStack struct {
	Up          programUp `json:"up"`
	UpSeconds   float64   `json:"upSeconds"`
	Rerun       programUp `json:"rerun"`
	LeftInState []string  `json:"leftInState"`
}

// python is the interpreter of the pinned environment (make pyenv); HAVPN_PYTHON overrides it.
func python(t *testing.T, root string) string {
	t.Helper()
	py := os.Getenv("HAVPN_PYTHON")
	if py == "" {
		py = filepath.Join(root, ".venv", "bin", "python")
	}
	_, err := os.Stat(py)
	require.NoError(t, err, "create the Python environment with `make pyenv` (or `make e2e`)")
	return py
}

// runPython runs e2e/python/run.py <program> <phase> in the world e.
func (e *env) runPython(program, phase string) map[string]pythonStack {
	e.t.Helper()
	out := map[string]pythonStack{}
	took := e.runProgram(testContext(e.t), &out, python(e.t, e.Root), filepath.Join(e.Root, "e2e", "python", "run.py"),
		program, phase, filepath.Join(e.Dir, "work-py"))
	e.t.Logf("Python program %s: %s took %s in all (python process, simulated clouds, no simulated delays)", program, phase, took.Round(10*time.Millisecond))
	return out
}

// assertUnchangedRerun: the second up of the same program changed nothing and gave the same tunnels.
func assertUnchangedRerun(t *testing.T, s pythonStack) {
	t.Helper()
	require.NotEmpty(t, s.Rerun.Summary)
	for op := range s.Rerun.Summary {
		assert.Equal(t, "same", op, "a second up must change nothing: %v", s.Rerun.Summary)
	}
	assert.Equal(t, s.Up.Summary["create"], s.Rerun.Summary["same"], "every resource the first up created is kept")
	assert.Equal(t, s.Up.Outputs["tunnels"], s.Rerun.Outputs["tunnels"])
}

// assertDestroyedAll: destroy left nothing in any stack's state, nor in the simulated clouds.
func assertDestroyedAll(t *testing.T, e *env, stacks map[string]pythonStack) {
	t.Helper()
	require.NotEmpty(t, stacks)
	for name, s := range stacks {
		assert.Empty(t, s.LeftInState, "state of %s after destroy", name)
	}
	assert.Empty(t, e.simResources(), "simulator after destroy")
}

// TestPythonProgram: the dev environment written in Python (e2e/python/devenv.py), through the Python
// Automation API as an inline program, the Python SDK installed from sdk/python and
// pulumi-resource-havpn, gets the same tunnels, derived PSKs and simulated session report as the Go
// program (and so as the TypeScript program, which TestTypeScriptProgram holds to the same run); a
// second up changes nothing; destroy leaves nothing.
func TestPythonProgram(t *testing.T) {
	ref := goDevReference(t)
	e := newEnv(t)
	up := e.runPython("dev", "up")["havpn-py"]
	t.Logf("Python program: first up of the dev environment took %.2fs (simulated clouds, no simulated delays)", up.UpSeconds)
	assert.Equal(t, map[string]int{"create": 25}, up.Up.Summary, "stack, 6 network resources, the link and its 17 resources")
	assertSameAsGo(t, e, ref, up.Up)
	assertUnchangedRerun(t, up)
	assertBackendHoldsNoMasterSecret(t, e)

	assertDestroyedAll(t, e, e.runPython("dev", "destroy"))
}

// TestPythonExample: examples/python/__main__.py runs as an inline program against an infrastructure
// stack read through its StackReference: dualGateway, 4 tunnels in BGP block 1, all 4 sessions
// established in the simulated clouds; a second up changes nothing; destroy leaves nothing.
func TestPythonExample(t *testing.T) {
	e := newEnv(t)
	stacks := e.runPython("example", "up")
	example, infra := stacks["havpn-example-python"], stacks["havpn-py-infra"]
	require.NotEmpty(t, infra.Up.Outputs["gatewaySubnetId"].Value, "the infrastructure stack's outputs")
	t.Logf("Python example: first up took %.2fs (simulated clouds, no simulated delays)", example.UpSeconds)
	assertUnchangedRerun(t, infra)
	assertUnchangedRerun(t, example)

	tunnels, ok := example.Up.Outputs["tunnels"].Value.([]any)
	require.True(t, ok, "tunnels: %v", example.Up.Outputs["tunnels"])
	require.Len(t, tunnels, 4, "dualGateway")
	var fromOutputs []string
	for _, tun := range tunnels {
		fromOutputs = append(fromOutputs, tun.(map[string]any)["gcpBgpIp"].(string))
	}
	// Block 1: the /30s 169.254.2{1,2}.{8,12}/30, Google on the second host.
	assert.ElementsMatch(t, []string{"169.254.21.10", "169.254.22.10", "169.254.21.14", "169.254.22.14"}, fromOutputs)
	assert.True(t, example.Up.Outputs["sharedSecrets"].Secret)

	report := e.sessions()
	assert.Equal(t, 4, report.Established, "established BGP sessions (simulated): %+v", report.Sessions)
	assert.Zero(t, report.HalfWired)
	var fromSimulator []string
	for _, s := range sessionKeys(report) {
		fromSimulator = append(fromSimulator, s.GcpBgpIp)
	}
	assert.ElementsMatch(t, fromOutputs, fromSimulator, "the simulator's sessions are the tunnels the example reports")
	assertBackendHoldsNoMasterSecret(t, e)

	assertDestroyedAll(t, e, e.runPython("example", "destroy"))
}

// pytestSummary is pytest's closing line, e.g. "4 passed, 18 deselected in 8.22s".
var pytestSummary = regexp.MustCompile(`(?m)^=* ?(\d+) passed(.*) in [\d.]+s`)

// TestPythonSDK runs the engine tests of the Python SDK (e2e/python/test_engine.py, pytest) in a
// simulated world: plan-shaping values given as Outputs or secrets, and invalid arguments, surface as
// Python exceptions carrying the plugin's messages, every problem listed; nothing of the link is created.
func TestPythonSDK(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(e.Root, "e2e", "python")
	cmd := exec.CommandContext(testContext(t), python(t, e.Root), "-m", "pytest", "-m", "engine", "-v", dir)
	cmd.Dir = dir
	cmd.Env = e.programEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	t.Logf("pytest (simulated clouds):\n%s", out.String())
	require.NoError(t, err)
	m := pytestSummary.FindStringSubmatch(out.String())
	require.NotNil(t, m, "pytest's summary line")
	passed, _ := strconv.Atoi(m[1])
	assert.GreaterOrEqual(t, passed, 4, "engine tests that ran")
	assert.NotRegexp(t, `skipped|xfail|error`, m[2], "every engine test runs and passes")
}
