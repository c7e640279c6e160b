package simcloud

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInterruptedSessions: a session is down while an update (of a type that interrupts) or a delete
// works on any resource it runs through; resources off the path do not touch it.
func TestInterruptedSessions(t *testing.T) {
	tests := []struct {
		inFlight    map[string]string // logical name -> op
		established int
		interrupted int
	}{
		{nil, 2, 0},
		{map[string]string{"link-vgw": OpUpdate}, 0, 2},
		{map[string]string{"link-router": OpUpdate}, 0, 2},
		{map[string]string{"link-conn0": OpUpdate}, 1, 1},
		{map[string]string{"link-conn0": OpUpdate, "link-conn1": OpUpdate}, 0, 2},
		{map[string]string{"link-lng1": OpUpdate}, 1, 1},
		{map[string]string{"link-t0": OpDelete}, 1, 1},
		{map[string]string{"link-if1": OpDelete}, 1, 1},
		{map[string]string{"link-bgp0": OpUpdate}, 1, 1},
		{map[string]string{"link-pip0": OpDelete}, 1, 1},
		{map[string]string{"link-gw0": OpDelete}, 0, 2},
		{map[string]string{"link-azure-peer": OpUpdate}, 0, 2},
		// Off every session's path.
		{map[string]string{"vpc": OpUpdate, "gateway-subnet": OpUpdate, "rg": OpDelete}, 2, 0},
	}
	for _, tc := range tests {
		w := newWorld(t)
		w.build(pairedSpec())
		for logical, op := range tc.inFlight {
			w.st.InFlight[w.id(logical)] = op
		}
		rep := BuildReport(w.st)
		assert.Equal(t, tc.established, rep.Established, "%v: %+v", tc.inFlight, rep.Sessions)
		assert.Equal(t, tc.interrupted, rep.Interrupted, "%v", tc.inFlight)
		assert.Zero(t, rep.HalfWired, "an interruption is not a wiring fault: %v", tc.inFlight)
		assert.Len(t, rep.EstablishedTunnels(), tc.established)
		for _, s := range rep.Sessions {
			if s.Interrupted {
				assert.Contains(t, s.Reasons[len(s.Reasons)-1], "simulated")
			}
		}
	}
}

func TestMeasureDisruption(t *testing.T) {
	e := func(at int64, phase string, up ...string) TimelineEntry {
		if phase == PhaseStart {
			return TimelineEntry{Phase: phase, StartUnixNano: at, Established: up}
		}
		return TimelineEntry{EndUnixNano: at, Established: up}
	}
	entries := []TimelineEntry{
		e(5, "", "t0", "t1"),    // before the window
		e(10, PhaseStart, "t1"), // t0 interrupted
		e(20, "", "t1"),         // t0's delete completes
		e(30, PhaseStart),       // t1 interrupted too: nothing up
		e(45, "", "t0"),         // the new t0 establishes
		e(60, "", "t0", "t1"),   // all back
		e(90, PhaseStart, "t0"), // after the window
	}
	d := MeasureDisruption(entries, 8, 70, nil)
	assert.Equal(t, Disruption{Before: 2, After: 2, MinEstablished: 0, ZeroNanos: 15}, d)
	// Watching only t0: down from 10 to 45.
	d = MeasureDisruption(entries, 8, 70, Tunnels("t0"))
	assert.Equal(t, Disruption{Before: 1, After: 1, MinEstablished: 0, ZeroNanos: 35}, d)
	// A window that ends while nothing is up counts up to its end.
	d = MeasureDisruption(entries, 0, 40, nil)
	assert.Equal(t, Disruption{Before: 0, After: 0, MinEstablished: 0, ZeroNanos: 5 + 10}, d)
	// No event in the window: the state before it holds throughout.
	d = MeasureDisruption(entries, 61, 80, nil)
	assert.Equal(t, Disruption{Before: 2, After: 2, MinEstablished: 2}, d)

	none, err := ReadTimeline(t.TempDir())
	require.NoError(t, err)
	assert.Empty(t, none)
}
