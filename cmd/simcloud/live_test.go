package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// deployedWorld copies the e2e tests' recorded dev world into a state directory.
func deployedWorld(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "internal", "simulation", "simcloud", "statusapi", "testdata", "world-paired.json"))
	require.NoError(t, err)
	var w struct {
		State json.RawMessage `json:"state"`
	}
	require.NoError(t, json.Unmarshal(raw, &w))
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, simcloud.StateFile), w.State, 0o644))
	return dir
}

func TestFaultCommand(t *testing.T) {
	dir := deployedWorld(t)
	run := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		code := fault(args, &out, &errs)
		return code, out.String(), errs.String()
	}
	code, _, errs := run()
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "azure-instance-down")
	code, _, errs = run("inject", "--state", "", "tunnel-down", "gcp-azure-t0")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--state DIR is required")
	code, _, errs = run("inject", "--state", t.TempDir(), "tunnel-down", "gcp-azure-t0")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "no simulated world")

	code, out, errs := run("inject", "--state", dir, "tunnel-down", "gcp-azure-t0")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "injected tunnel-down on gcp-azure-t0 (simulated)")
	code, _, errs = run("inject", "--state", dir, "tunnel-down", "gcp-azure-t7")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, `target "gcp-azure-t7" is not deployed`)
	_, out, _ = run("list", "--state", dir)
	assert.Equal(t, "tunnel-down gcp-azure-t0\n", out)
	rep, err := simcloud.ReadReport(dir)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Established, "the session report reads the fault")

	code, out, _ = run("clear", "--state", dir)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "cleared 1 live fault(s)")
	_, out, _ = run("list", "--state", dir)
	assert.Empty(t, out)
	rep, err = simcloud.ReadReport(dir)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Established)
}
