package rotation

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
)

// fakeStack is a stack's configuration in memory, with a log of what the rotation did.
type fakeStack struct {
	cfg auto.ConfigMap
	log *[]string
}

func (f *fakeStack) GetAllConfig(context.Context) (auto.ConfigMap, error) { return f.cfg, nil }
func (f *fakeStack) SetConfig(_ context.Context, k string, v auto.ConfigValue) error {
	*f.log = append(*f.log, "set "+k)
	f.cfg[k] = v
	return nil
}
func (f *fakeStack) RemoveConfig(_ context.Context, k string) error {
	*f.log = append(*f.log, "rm "+k)
	delete(f.cfg, k)
	return nil
}

func report(v linkstatus.Verdict, up int) *linkstatus.Report {
	return &linkstatus.Report{Verdict: v, Established: up, Planned: 2}
}

// world scripts the link's status: each check pops the next verdict (the last one repeats).
type world struct {
	log     []string
	stack   *fakeStack
	reports []*linkstatus.Report
}

func newWorld(cfg auto.ConfigMap, reports ...*linkstatus.Report) *world {
	w := &world{reports: reports}
	w.stack = &fakeStack{cfg: cfg, log: &w.log}
	return w
}

func (w *world) rotation() *Rotation {
	var out strings.Builder
	return &Rotation{
		Stack: w.stack,
		Up:    func(context.Context) error { w.log = append(w.log, "up"); return nil },
		Check: func(context.Context) (*linkstatus.Report, error) {
			w.log = append(w.log, "check")
			r := w.reports[0]
			if len(w.reports) > 1 {
				w.reports = w.reports[1:]
			}
			return r, nil
		},
		Out: &out, Timeout: 50 * time.Millisecond, Interval: 10 * time.Millisecond,
	}
}

func healthy() *linkstatus.Report { return report(linkstatus.Healthy, 2) }

func TestRotationStagesInOrder(t *testing.T) {
	w := newWorld(auto.ConfigMap{sharedSecretKey: {Value: "old-secret-of-16+", Secret: true}}, healthy())
	require.NoError(t, w.rotation().Run(context.Background(), "new-secret-of-16+"))
	assert.Equal(t, []string{"check", "set havpn:nextSharedSecret", "up", "check", "set havpn:sharedSecret", "rm havpn:nextSharedSecret", "up", "check"}, w.log)
	assert.Equal(t, auto.ConfigMap{sharedSecretKey: {Value: "new-secret-of-16+", Secret: true}}, w.stack.cfg, "ends with the new secret and nothing staged")
}

// A stage that never becomes healthy stops the rotation there, with the link still up and the stack
// resumable; the second stage is never applied.
func TestRotationStopsWhenAStageDoesNotConverge(t *testing.T) {
	w := newWorld(auto.ConfigMap{}, healthy(), report(linkstatus.Degraded, 1))
	err := w.rotation().Run(context.Background(), "new-secret-of-16+")
	var stopped *StoppedError
	require.ErrorAs(t, err, &stopped)
	assert.True(t, IsStopped(err))
	assert.Contains(t, stopped.Stage, "after stage 1")
	assert.Contains(t, err.Error(), "1/2 sessions still carry it")
	assert.NotContains(t, w.log, "set havpn:sharedSecret")
	assert.Equal(t, "new-secret-of-16+", w.stack.cfg[nextSharedSecretKey].Value, "stage 1 stays staged, to resume")
}

// A fault between the stages (the hook) stops the rotation before stage 2.
func TestRotationStopsOnAFaultBetweenStages(t *testing.T) {
	w := newWorld(auto.ConfigMap{}, healthy())
	r := w.rotation()
	r.Between = func(context.Context) error {
		w.reports = []*linkstatus.Report{report(linkstatus.Degraded, 1)}
		return nil
	}
	err := r.Run(context.Background(), "new-secret-of-16+")
	require.True(t, IsStopped(err), "%v", err)
	assert.Contains(t, err.Error(), "before stage 2")
	assert.NotContains(t, w.log, "rm havpn:nextSharedSecret")
	assert.Equal(t, 1, strings.Count(strings.Join(w.log, ","), "up"), "only stage 1 was applied")
}

// Starting on a link that is not healthy is refused (a stage could take it down), unless forced.
func TestRotationRefusesAnUnhealthyLink(t *testing.T) {
	w := newWorld(auto.ConfigMap{}, report(linkstatus.Degraded, 1))
	err := w.rotation().Run(context.Background(), "new-secret-of-16+")
	require.True(t, IsStopped(err))
	assert.Contains(t, err.Error(), "before stage 1")
	assert.Equal(t, []string{"check"}, w.log, "nothing is changed")

	w = newWorld(auto.ConfigMap{}, report(linkstatus.Degraded, 1), healthy())
	r := w.rotation()
	r.Force = true
	require.NoError(t, r.Run(context.Background(), "new-secret-of-16+"))
}

// A stack with nextSharedSecret already set (a rotation stopped after stage 1) resumes at stage 2 with
// the staged value.
func TestRotationResumesAtStage2(t *testing.T) {
	w := newWorld(auto.ConfigMap{nextSharedSecretKey: {Value: "staged-secret-16+", Secret: true}}, healthy())
	require.NoError(t, w.rotation().Run(context.Background(), "ignored-new-secret"))
	assert.Equal(t, []string{"check", "set havpn:sharedSecret", "rm havpn:nextSharedSecret", "up", "check"}, w.log)
	assert.Equal(t, "staged-secret-16+", w.stack.cfg[sharedSecretKey].Value)
}

func TestRotationReportsAFailedUp(t *testing.T) {
	w := newWorld(auto.ConfigMap{}, healthy())
	r := w.rotation()
	r.Up = func(context.Context) error { return errors.New("engine failed") }
	err := r.Run(context.Background(), "new-secret-of-16+")
	require.Error(t, err)
	assert.False(t, IsStopped(err))
	assert.Contains(t, err.Error(), "engine failed")
}

// A status that cannot be read stops the rotation as a failure (exit 3), not as "stopped with the link
// up", and --force does not override it: nobody would see the link during a stage.
func TestRotationRefusesAnUnreadableLink(t *testing.T) {
	unreadable := &linkstatus.Report{Verdict: linkstatus.Unreadable, Planned: 2,
		ReadErrors: []linkstatus.ReadError{{Call: "compute.vpnTunnels.get gcp-azure-t0", Error: "googleapi: Error 403: forbidden"}}}
	for _, force := range []bool{false, true} {
		w := newWorld(auto.ConfigMap{}, unreadable)
		r := w.rotation()
		r.Force = force
		err := r.Run(context.Background(), "new-secret-of-16+")
		require.Error(t, err, "force %v", force)
		assert.False(t, IsStopped(err), "force %v: a failure, not a stop with the link up", force)
		assert.Contains(t, err.Error(), "compute.vpnTunnels.get gcp-azure-t0: googleapi: Error 403: forbidden")
		assert.Equal(t, []string{"check"}, w.log, "force %v: nothing is changed", force)
	}
	// Unreadable after stage 1: a failure too, with stage 1 left staged for a rerun.
	w := newWorld(auto.ConfigMap{}, healthy(), unreadable)
	err := w.rotation().Run(context.Background(), "new-secret-of-16+")
	require.Error(t, err)
	assert.False(t, IsStopped(err))
	assert.Contains(t, err.Error(), "after stage 1")
	assert.Equal(t, "new-secret-of-16+", w.stack.cfg[nextSharedSecretKey].Value)
}

// A new secret the link would refuse, or the current one, is refused before anything is read or changed.
func TestRotationRefusesABadNewSecret(t *testing.T) {
	for name, secret := range map[string]string{"empty": "", "short": "too-short", "current": "old-secret-of-16+"} {
		w := newWorld(auto.ConfigMap{sharedSecretKey: {Value: "old-secret-of-16+", Secret: true}}, healthy())
		err := w.rotation().Run(context.Background(), secret)
		require.Error(t, err, name)
		assert.False(t, IsStopped(err), name)
		assert.Empty(t, w.log, "%s: nothing is read or changed", name)
	}
}

func TestNewSecret(t *testing.T) {
	a, err := NewSecret()
	require.NoError(t, err)
	b, _ := NewSecret()
	assert.Len(t, a, 44)
	assert.NotEqual(t, a, b)
}
