package simcloud

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// ReadTimeline reads timeline.jsonl of a state directory (none before the first operation).
func ReadTimeline(dir string) ([]TimelineEntry, error) {
	f, err := os.Open(filepath.Join(dir, TimelineFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []TimelineEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		var e TimelineEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s: %w", TimelineFile, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// Disruption is what a window of the timeline did to a set of BGP sessions (SIMULATED).
type Disruption struct {
	// Before and After count the watched sessions established when the window opens and closes.
	Before, After int
	// MinEstablished is the fewest watched sessions established at any moment of the window.
	MinEstablished int
	// ZeroNanos is how long, in real time, no watched session was established during the window.
	ZeroNanos int64
}

// MeasureDisruption replays the timeline between from and to (Unix nanoseconds) and counts, at every
// event, the established sessions that watch selects (every tunnel when watch is nil). The lines are
// in the order the simulated clouds wrote them, under their shared lock.
func MeasureDisruption(entries []TimelineEntry, from, to int64, watch func(tunnel string) bool) Disruption {
	count := func(e TimelineEntry) int {
		n := 0
		for _, t := range e.Established {
			if watch == nil || watch(t) {
				n++
			}
		}
		return n
	}
	current, at := 0, from
	for _, e := range entries {
		if e.At() < from {
			current = count(e)
		}
	}
	d := Disruption{Before: current, MinEstablished: current}
	for _, e := range entries {
		t := e.At()
		if t < from || t > to {
			continue
		}
		if current == 0 {
			d.ZeroNanos += t - at
		}
		current, at = count(e), t
		d.MinEstablished = min(d.MinEstablished, current)
	}
	if current == 0 {
		d.ZeroNanos += to - at
	}
	d.After = current
	return d
}

// Tunnels selects the named tunnels, for MeasureDisruption.
func Tunnels(names ...string) func(string) bool {
	return func(t string) bool { return slices.Contains(names, t) }
}
