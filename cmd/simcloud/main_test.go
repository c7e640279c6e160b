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

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errs bytes.Buffer
	assert.Equal(t, 1, report([]string{"--state", dir}, &out, &errs), "no state yet")
	assert.Contains(t, errs.String(), "simcloud (simulated Google Cloud)")

	require.NoError(t, os.WriteFile(filepath.Join(dir, simcloud.StateFile), []byte(`{"resources":{}}`), 0o644))
	out.Reset()
	errs.Reset()
	require.Equal(t, 0, report([]string{"--state", dir}, &out, &errs), errs.String())
	var rep simcloud.Report
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	assert.True(t, rep.Simulated)
	assert.Equal(t, simcloud.ReportNote, rep.Note)

	errs.Reset()
	t.Setenv(simcloud.StateDirEnv, "")
	assert.Equal(t, 2, report(nil, &out, &errs))
	assert.Contains(t, errs.String(), "--state DIR is required")
}
