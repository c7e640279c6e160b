package simcloud

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Environment variables of the timing and fault contract.
const (
	TimeScaleEnv = "SIMCLOUD_TIME_SCALE"
	FaultsEnv    = "SIMCLOUD_FAULTS"
)

// Operations that take simulated time, count towards faults and are written to the timeline.
const (
	OpCreate = "create"
	OpUpdate = "update"
	OpDelete = "delete"
)

// OpCreatePartial names a fault in which the Nth create of a type succeeds in the simulated cloud but
// reports a failed initialisation (the resource exists; the engine records it with an init error and
// updates it on the next `up`), as a cloud does when a long create half-fails.
const OpCreatePartial = "create-partial"

// gatewayUpdateSeconds is the simulated time of an Azure VPN gateway update.
// Source: Azure VPN gateway docs (updates take tens of minutes).
const gatewayUpdateSeconds = 20 * 60

// simulatedSeconds is how long an operation takes in the simulated cloud: deletes and updates take
// as long as creates, except a VPN gateway update.
func simulatedSeconds(k *Kind, op string) float64 {
	if op == OpUpdate && k.Token == azureGateway {
		return gatewayUpdateSeconds
	}
	return k.Seconds
}

// Clock sleeps simulated durations scaled to real time; scale 0 means no delay.
type Clock struct {
	Scale  float64
	cancel chan struct{}
}

// NewClock returns a clock with a time scale.
func NewClock(scale float64) *Clock { return &Clock{Scale: scale, cancel: make(chan struct{})} }

// ParseTimeScale reads SIMCLOUD_TIME_SCALE (empty = 0).
func ParseTimeScale(s string) (float64, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("%s=%q is not a non-negative number", TimeScaleEnv, s)
	}
	return f, nil
}

// Sleep waits simulated seconds × scale, or until the request or the provider is cancelled.
func (c *Clock) Sleep(ctx context.Context, simulated float64) error {
	d := time.Duration(simulated * c.Scale * float64(time.Second))
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.cancel:
		return fmt.Errorf("operation cancelled")
	}
}

// Cancel ends every pending sleep.
func (c *Clock) Cancel() {
	select {
	case <-c.cancel:
	default:
		close(c.cancel)
	}
}

// TimelineEntry is one line of timeline.jsonl: a completed create, update or delete, or (Phase
// "start") the start of an update or delete that interrupts the sessions through its resource. Each
// line carries the BGP sessions established once the event happened.
type TimelineEntry struct {
	Op               string  `json:"op"`
	Phase            string  `json:"phase,omitempty"`
	Type             string  `json:"type"`
	Name             string  `json:"name"`
	URN              string  `json:"urn"`
	StartUnixNano    int64   `json:"startUnixNano"`
	EndUnixNano      int64   `json:"endUnixNano,omitempty"`
	SimulatedSeconds float64 `json:"simulatedSeconds"`
	// Established lists the Google tunnels whose BGP session is established after this event.
	Established []string `json:"established"`
}

// PhaseStart marks the timeline line written when an interrupting update or delete begins.
const PhaseStart = "start"

// At is when the entry's event happened: the start of an operation, or its end.
func (e TimelineEntry) At() int64 {
	if e.Phase == PhaseStart {
		return e.StartUnixNano
	}
	return e.EndUnixNano
}

// Fault makes the Nth attempt of one operation on one type fail.
type Fault struct {
	Op   string
	Type string
	N    int
}

// Faults is the parsed SIMCLOUD_FAULTS list.
type Faults []Fault

// ParseFaults reads "op:type:N,...": op is before the first colon, N after the last, the type token
// (which contains colons itself) in between.
func ParseFaults(s string) (Faults, error) {
	var out Faults
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		first, last := strings.Index(item, ":"), strings.LastIndex(item, ":")
		if first < 0 || last <= first {
			return nil, fmt.Errorf("%s: %q is not op:type:N", FaultsEnv, item)
		}
		f := Fault{Op: item[:first], Type: item[first+1 : last]}
		n, err := strconv.Atoi(item[last+1:])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s: %q: N must be a positive integer", FaultsEnv, item)
		}
		f.N = n
		if f.Op != OpCreate && f.Op != OpUpdate && f.Op != OpDelete && f.Op != OpCreatePartial {
			return nil, fmt.Errorf("%s: %q: op must be create, update, delete or create-partial", FaultsEnv, item)
		}
		if f.Type == "" {
			return nil, fmt.Errorf("%s: %q: missing type token", FaultsEnv, item)
		}
		out = append(out, f)
	}
	return out, nil
}

// counterKey names the attempt counter of one operation on one type in state.json.
func counterKey(op, token string) string { return op + ":" + token }

// Attempt counts one attempt of op on a type in the shared state and reports whether it is a
// faulted attempt; counts survive across processes and runs.
func (fs Faults) Attempt(st *State, op, token string) (n int, faulted bool) {
	st.Counters[counterKey(op, token)]++
	n = st.Counters[counterKey(op, token)]
	for _, f := range fs {
		if f.Op == op && f.Type == token && f.N == n {
			return n, true
		}
	}
	return n, false
}

// Config is the whole environment contract of one plugin process.
type Config struct {
	StateDir  string
	TimeScale float64
	Faults    Faults
}

// ConfigFromEnv reads SIMCLOUD_STATE_DIR, SIMCLOUD_TIME_SCALE and SIMCLOUD_FAULTS.
func ConfigFromEnv() (Config, error) {
	scale, err := ParseTimeScale(os.Getenv(TimeScaleEnv))
	if err != nil {
		return Config{}, err
	}
	faults, err := ParseFaults(os.Getenv(FaultsEnv))
	if err != nil {
		return Config{}, err
	}
	return Config{StateDir: os.Getenv(StateDirEnv), TimeScale: scale, Faults: faults}, nil
}

// SimulatedSeconds is how long an operation on a resource type takes in the simulated cloud, for tools
// that reason about deployment time (the benchmark's lower bound).
func SimulatedSeconds(token, op string) (float64, bool) {
	k, ok := kinds[token]
	if !ok {
		return 0, false
	}
	return simulatedSeconds(k, op), true
}
