package simcloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// Files in the state directory shared by the two plugin processes.
const (
	StateFile    = "state.json"
	LockFile     = "state.lock"
	TimelineFile = "timeline.jsonl"
	SessionsFile = "sessions.json"
)

// StateDirEnv names the shared state directory; resource operations refuse to run without it.
const StateDirEnv = "SIMCLOUD_STATE_DIR"

// Record is one simulated resource as the simulated cloud holds it.
type Record struct {
	ID            string   `json:"id"`
	Type          string   `json:"type"`
	URN           string   `json:"urn"`
	Name          string   `json:"name"` // logical name, from the URN
	Inputs        obj      `json:"inputs"`
	Outputs       obj      `json:"outputs"`
	InputSecrets  []string `json:"inputSecrets,omitempty"`
	OutputSecrets []string `json:"outputSecrets,omitempty"`
}

// Physical is the resource's name in its cloud.
func (r *Record) Physical() string { return strOr(r.Outputs, "name", r.Name) }

// State is the whole simulated "cloud" of both providers.
type State struct {
	Simulated bool               `json:"simulated"`
	Resources map[string]*Record `json:"resources"` // by ID
	Counters  map[string]int     `json:"faultCounters"`
	// InFlight holds the resources an update or delete is working on, by ID: while there, the BGP
	// sessions through them are interrupted (cloudrules.UpdateDisruption says which updates do).
	InFlight map[string]string `json:"inFlight,omitempty"`
	// LiveFaults are failures injected into the deployed world (livefaults.go).
	LiveFaults []LiveFault `json:"liveFaults,omitempty"`
}

func newState() *State {
	return &State{Simulated: true, Resources: map[string]*Record{}, Counters: map[string]int{}, InFlight: map[string]string{}}
}

// Get returns the record with that ID; Azure IDs compare case-insensitively.
func (st *State) Get(id string) *Record {
	if r, ok := st.Resources[id]; ok {
		return r
	}
	for k, r := range st.Resources {
		if strings.EqualFold(k, id) {
			return r
		}
	}
	return nil
}

// Put stores a record under its ID.
func (st *State) Put(r *Record) { st.Resources[r.ID] = r }

// Remove deletes a record.
func (st *State) Remove(id string) {
	if r := st.Get(id); r != nil {
		delete(st.Resources, r.ID)
	}
}

// OfType lists the records of one type token, sorted by ID.
func (st *State) OfType(token string) []*Record {
	var out []*Record
	for _, r := range st.Resources {
		if r.Type == token {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Store is the state directory, guarded by an exclusive flock on state.lock for every read-modify-write.
type Store struct{ Dir string }

// OpenStore creates the state directory when missing.
func OpenStore(dir string) (*Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("%s is not set", StateDirEnv)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Store{Dir: dir}, nil
}

func (s *Store) path(name string) string { return filepath.Join(s.Dir, name) }

// lock takes a flock on state.lock; the returned function releases it.
func (s *Store) lock(how int) (func(), error) {
	f, err := os.OpenFile(s.path(LockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// Update runs fn on the state under the exclusive lock and saves the state when fn succeeds.
func (s *Store) Update(fn func(*State) error) error {
	unlock, err := s.lock(syscall.LOCK_EX)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := s.load()
	if err != nil {
		return err
	}
	if err := fn(st); err != nil {
		if errors.Is(err, errSkipSave) {
			return nil
		}
		return err
	}
	return s.save(st)
}

// errSkipSave, returned by an Update function, leaves the state as it was without an error.
var errSkipSave = errors.New("nothing to save")

// View runs fn on a snapshot of the state under a shared lock.
func (s *Store) View(fn func(*State) error) error {
	unlock, err := s.lock(syscall.LOCK_SH)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := s.load()
	if err != nil {
		return err
	}
	return fn(st)
}

func (s *Store) load() (*State, error) {
	b, err := os.ReadFile(s.path(StateFile))
	if errors.Is(err, os.ErrNotExist) {
		return newState(), nil
	}
	if err != nil {
		return nil, err
	}
	st := newState()
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("%s: %w", s.path(StateFile), err)
	}
	if st.Resources == nil {
		st.Resources = map[string]*Record{}
	}
	if st.Counters == nil {
		st.Counters = map[string]int{}
	}
	if st.InFlight == nil {
		st.InFlight = map[string]string{}
	}
	return st, nil
}

func (s *Store) save(st *State) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(s.path(StateFile), b)
}

// writeAtomic replaces a file through a temporary file and a rename.
func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// appendTimeline appends one JSON line to timeline.jsonl (call under the exclusive lock).
func (s *Store) appendTimeline(e TimelineEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(s.path(TimelineFile), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write(append(b, '\n'))
	return err
}

// writeSessions writes sessions.json (call under the exclusive lock).
func (s *Store) writeSessions(rep *Report) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(s.path(SessionsFile), append(b, '\n'))
}

// ReadReport computes the session report of a state directory.
func ReadReport(dir string) (*Report, error) {
	if _, err := os.Stat(filepath.Join(dir, StateFile)); err != nil {
		return nil, err
	}
	s := &Store{Dir: dir}
	var rep *Report
	err := s.View(func(st *State) error {
		rep = BuildReport(st)
		return nil
	})
	return rep, err
}
