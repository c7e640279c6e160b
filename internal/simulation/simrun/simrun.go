// Package simrun runs Pulumi programs with the real Pulumi engine, offline, against the SIMULATED
// clouds (simcloud): the CLI and plugins from bin/, inline Automation API programs, a file:// backend
// per world or a shared one (shared.go: several projects' stacks in one simulated cloud, in parallel).
// The end-to-end tests, `havpn demo` and `havpn bench` share it.
package simrun

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
	"github.com/havpn/pulumi-havpn/internal/example/program"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// Binaries are what bin/ must hold: the CLI, the simulated providers and the havpn plugin.
var Binaries = []string{"pulumi", "pulumi-resource-gcp", "pulumi-resource-azure-native", "pulumi-resource-havpn"}

// World is one simulated cloud with its state backend: Pulumi home and simulator state under Dir; the
// backend under Dir too (file://) or shared (NewWorldOn).
type World struct {
	Root     string // repository checkout, with bin/ and stacks/
	Dir      string
	SimState string
	Env      map[string]string
	Backend  Backend
}

// NewWorld prepares dir (kept between runs when it already exists) and the environment the CLI and
// the plugins run with, with a file:// backend in dir. timeScale is simcloud's real seconds per
// simulated second (0: no delays).
func NewWorld(root, dir, passphrase string, timeScale float64) (*World, error) {
	return NewWorldOn(root, dir, passphrase, timeScale, Backend{URL: "file://" + filepath.Join(dir, "backend")})
}

// NewWorldOn is NewWorld with the state in the given backend (e.g. Azurite's azblob://): every stack
// of the world, whatever its project, keeps its state there.
func NewWorldOn(root, dir, passphrase string, timeScale float64, backend Backend) (*World, error) {
	for _, bin := range Binaries {
		if _, err := os.Stat(filepath.Join(root, "bin", bin)); err != nil {
			return nil, fmt.Errorf("bin/%s is missing (build it with make e2e or make demo): %w", bin, err)
		}
	}
	w := &World{Root: root, Dir: dir, SimState: filepath.Join(dir, "simcloud"), Backend: backend}
	dirs := []string{w.SimState, filepath.Join(dir, "home")}
	if local, ok := strings.CutPrefix(backend.URL, "file://"); ok {
		dirs = append(dirs, local)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	w.Env = map[string]string{
		"PATH":                     filepath.Join(root, "bin") + string(os.PathListSeparator) + os.Getenv("PATH"),
		"PULUMI_HOME":              filepath.Join(dir, "home"),
		"PULUMI_CONFIG_PASSPHRASE": passphrase,
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK":    "true",
		simcloud.StateDirEnv:                          w.SimState,
		simcloud.TimeScaleEnv:                         fmt.Sprint(timeScale),
	}
	maps.Copy(w.Env, backend.Env)
	return w, nil
}

// BackendURL is the world's state backend.
func (w *World) BackendURL() string { return w.Backend.URL }

// GoStack selects or creates a stack of the example program with the given configuration. The inline
// program's project carries the repository's Pulumi.yaml declaration (name, description, config), so
// the engine checks every key it is given against the same declaration as a real `pulumi up`.
func (w *World) GoStack(ctx context.Context, stackName string, cfg auto.ConfigMap) (auto.Stack, error) {
	return w.GoStackProgram(ctx, stackName, program.Run, cfg)
}

// GoStackProgram is GoStack with another program of the same project (the example moved onto a hub,
// program.RunOnHub): same project, same stack, so the engine compares it with the deployed stack.
func (w *World) GoStackProgram(ctx context.Context, stackName string, prog pulumi.RunFunc, cfg auto.ConfigMap) (auto.Stack, error) {
	proj, err := ExampleProject(w.Root)
	if err != nil {
		return auto.Stack{}, err
	}
	st, err := w.upsert(ctx, StackSpec{Project: proj, Stack: stackName, Program: prog})
	if err != nil {
		return auto.Stack{}, err
	}
	return st, SetConfig(ctx, st, cfg)
}

// ExampleProject is the repository's Pulumi.yaml (name, description, config declaration).
func ExampleProject(root string) (workspace.Project, error) {
	declared, err := workspace.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	if err != nil {
		return workspace.Project{}, err
	}
	return workspace.Project{Name: declared.Name, Description: declared.Description, Config: declared.Config}, nil
}

// SetConfig checks configuration against the declaration (envconfig.Check: what the CLI checks, plus
// undeclared keys, which an inline program cannot list itself) and sets it on the stack. A value of a
// list or object key is JSON text and is stored as a list or object, as `pulumi config set --path`
// would; other values as text.
func SetConfig(ctx context.Context, st auto.Stack, cfg auto.ConfigMap) error {
	values := map[string]any{}
	var secret []string
	for k, v := range cfg {
		values[k] = envconfig.SetValue(k, v.Value)
		if v.Secret {
			secret = append(secret, k)
		}
	}
	if problems := envconfig.Check(values, secret); len(problems) > 0 {
		return &envconfig.Error{Problems: problems}
	}
	return setConfigJSON(ctx, st, cfg, func(k, _ string) any { return values[k] })
}

// setConfigJSON sets every key at once (`pulumi config set-all --json`), a list or object value of
// structure stored structured, any other as text.
func setConfigJSON(ctx context.Context, st auto.Stack, cfg auto.ConfigMap, structure func(key, value string) any) error {
	type configJSON struct {
		Value       string `json:"value"`
		ObjectValue any    `json:"objectValue,omitempty"`
		Secret      bool   `json:"secret"`
	}
	out := map[string]configJSON{}
	for k, v := range cfg {
		c := configJSON{Value: v.Value, Secret: v.Secret}
		switch structured := structure(k, v.Value).(type) {
		case []any, map[string]any:
			c.ObjectValue = structured
		}
		out[k] = c
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return st.SetAllConfigJson(ctx, string(raw), nil)
}

// StackConfig reads stacks/Pulumi.<stack>.yaml and adds the master secret, as `pulumi config set
// --secret` would, when the stack's role reads one (a hub's does not). Encrypted values in the file
// belong to the real stack's secrets provider and are left out: the simulated world has its own
// passphrase and its own master secret. Lists and objects are JSON text (SetConfig stores them
// structured).
func StackConfig(root, stackName, masterSecret string) (auto.ConfigMap, error) {
	sf, err := envconfig.ReadStackFile(filepath.Join(root, "stacks"), stackName)
	if err != nil {
		return nil, err
	}
	cfg := auto.ConfigMap{}
	for k, v := range sf.Plain {
		cfg[k] = auto.ConfigValue{Value: v}
	}
	if secret, _ := envconfig.Declared("sharedSecret"); secret.ReadBy(sf.Role()) {
		cfg[secret.Qualified()] = auto.ConfigValue{Value: masterSecret, Secret: true}
	}
	return cfg, nil
}

// Up runs `pulumi up`, streaming the engine's output to progress (which may be io.Discard), with any
// further options (optup.SuppressOutputs, ...).
func Up(ctx context.Context, st auto.Stack, progress io.Writer, opts ...optup.Option) (auto.UpResult, error) {
	return st.Up(ctx, append(opts, optup.ProgressStreams(progress), optup.ErrorProgressStreams(progress))...)
}

// Preview runs `pulumi preview --diff` and returns, per resource URN, the planned operation.
func Preview(ctx context.Context, st auto.Stack, progress io.Writer) (map[string]string, error) {
	steps := recordSteps()
	_, err := st.Preview(ctx, optpreview.EventStreams(steps.events), optpreview.ProgressStreams(progress), optpreview.ErrorProgressStreams(progress), optpreview.Diff())
	if err != nil {
		return nil, err
	}
	return steps.wait(), nil
}

// stepRecorder collects, per resource URN, the step the engine takes, from its event stream.
type stepRecorder struct {
	events chan events.EngineEvent
	done   chan struct{}
	steps  map[string]string
}

func recordSteps() *stepRecorder {
	r := &stepRecorder{events: make(chan events.EngineEvent), done: make(chan struct{}), steps: map[string]string{}}
	go func() {
		defer close(r.done)
		for ev := range r.events {
			if ev.ResourcePreEvent != nil {
				m := ev.ResourcePreEvent.Metadata
				// A replacement shows as several steps on one URN: once one is seen, it names the URN's step.
				if OpClass(r.steps[m.URN]) != "replace" {
					r.steps[m.URN] = string(m.Op)
				}
			}
		}
	}()
	return r
}

// wait returns the steps once the stream is closed. Call it only after a successful run: a run refused
// before the engine starts (e.g. configuration the declaration refuses) never opens the stream, so it
// is never closed.
func (r *stepRecorder) wait() map[string]string {
	<-r.done
	return r.steps
}

// Destroy runs `pulumi destroy`.
func Destroy(ctx context.Context, st auto.Stack, progress io.Writer) error {
	_, err := st.Destroy(ctx, optdestroy.ProgressStreams(progress), optdestroy.ErrorProgressStreams(progress))
	return err
}

// SessionReport is simcloud's independent account of which BGP sessions would establish (simulated).
type SessionReport = simcloud.Report

// Sessions is the simulator's session report of the world's current state.
func (w *World) Sessions() (*SessionReport, error) {
	r, err := simcloud.ReadReport(w.SimState)
	if err != nil {
		return nil, err
	}
	if !r.Simulated {
		return nil, fmt.Errorf("simcloud's report does not say it is simulated")
	}
	return r, nil
}

// Records lists the simulator's resources, sorted by ID (none before the first create).
func (w *World) Records() ([]*simcloud.Record, error) {
	if _, err := os.Stat(filepath.Join(w.SimState, simcloud.StateFile)); os.IsNotExist(err) {
		return nil, nil
	}
	var out []*simcloud.Record
	err := (&simcloud.Store{Dir: w.SimState}).View(func(st *simcloud.State) error {
		for _, r := range st.Resources {
			out = append(out, r)
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// SimResources lists the simulator's resources as "type id" lines, sorted.
func (w *World) SimResources() ([]string, error) {
	records, err := w.Records()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range records {
		out = append(out, r.Type+" "+r.ID)
	}
	sort.Strings(out)
	return out, nil
}

// StateResources counts the stack's resources by type, from the exported deployment.
func StateResources(ctx context.Context, st auto.Stack) (map[string]int, error) {
	dep, err := st.Export(ctx)
	if err != nil {
		return nil, err
	}
	var d struct {
		Resources []struct {
			Type string `json:"type"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(dep.Deployment, &d); err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, r := range d.Resources {
		counts[r.Type]++
	}
	return counts, nil
}
