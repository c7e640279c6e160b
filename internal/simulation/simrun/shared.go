package simrun

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// Backend is where a world's Pulumi state lives: a URL `pulumi login` accepts and what the CLI needs
// in its environment to reach it (for Azurite: internal/simulation/azurite's BackendURL and Env).
type Backend struct {
	URL string
	Env map[string]string
}

// StackSpec is one stack of an inline program: what `pulumi up` in a project directory would run.
type StackSpec struct {
	// Project names the project (and may carry a config declaration the engine then checks); the
	// runtime and the backend are the world's.
	Project workspace.Project
	Stack   string
	Program pulumi.RunFunc
	// Config is set on the stack; a value that is a JSON list or object is stored structured, as
	// `pulumi config set --path` would (SetConfig does this for the example program, with its checks).
	Config auto.ConfigMap
	// Operator is who runs it: each operator has a workspace directory of their own, as two
	// teammates' machines would ("" is the default operator).
	Operator string
}

// Stack selects or creates the stack of spec in the world's backend and sets its configuration.
func (w *World) Stack(ctx context.Context, spec StackSpec) (auto.Stack, error) {
	st, err := w.upsert(ctx, spec)
	if err != nil {
		return auto.Stack{}, err
	}
	if len(spec.Config) == 0 {
		return st, nil
	}
	return st, setConfigJSON(ctx, st, spec.Config, func(_, v string) any {
		var structured any
		if t := strings.TrimSpace(v); strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{") {
			if json.Unmarshal([]byte(t), &structured) == nil {
				return structured
			}
		}
		return v
	})
}

// upsert selects or creates the stack of an inline program, in a workspace directory of its own.
func (w *World) upsert(ctx context.Context, spec StackSpec) (auto.Stack, error) {
	if spec.Project.Name == "" || spec.Stack == "" || spec.Program == nil {
		return auto.Stack{}, fmt.Errorf("a stack needs a project name, a stack name and a program")
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: w.Root, SkipVersionCheck: true})
	if err != nil {
		return auto.Stack{}, err
	}
	proj := spec.Project
	proj.Runtime = workspace.NewProjectRuntimeInfo("go", nil)
	proj.Backend = &workspace.ProjectBackend{URL: w.BackendURL()}
	work := filepath.Join(w.Dir, workDirName(spec))
	if err := os.MkdirAll(work, 0o755); err != nil {
		return auto.Stack{}, err
	}
	return auto.UpsertStackInlineSource(ctx, spec.Stack, proj.Name.String(), spec.Program,
		auto.Project(proj), auto.WorkDir(work), auto.EnvVars(w.Env), auto.Pulumi(cmd),
		auto.PulumiHome(w.Env["PULUMI_HOME"]), auto.SecretsProvider("passphrase"))
}

// workDirName is work-<stack> for the example project (as before shared backends), otherwise
// work-<project>-<stack>; an operator adds -<operator>.
func workDirName(spec StackSpec) string {
	name := "work-" + spec.Stack
	if spec.Project.Name.String() != envconfig.Namespace {
		name = "work-" + spec.Project.Name.String() + "-" + spec.Stack
	}
	if spec.Operator != "" {
		name += "-" + spec.Operator
	}
	return name
}

// StackRef is the name another project's program gives pulumi.NewStackReference for a stack of a DIY
// backend (file://, azblob://, ...): "organization/<project>/<stack>". A shorter name ("<stack>",
// "organization/<stack>") resolves to the reading program's own project (pulumi/pulumi v3.274.1,
// pkg/backend/diy/store.go:138-199, projectReferenceStore.ParseReference; the organization must be
// the literal "organization").
func StackRef(project, stack string) string { return "organization/" + project + "/" + stack }

// CheckpointKey is where a DIY backend keeps a stack's state, relative to the backend's root (the
// blob container): .pulumi/stacks/<project>/<stack>.json (v3.274.1, pkg/backend/diy/store.go:122-126,
// project-scoped layout of a new backend, meta.go:85-102; uncompressed unless PULUMI_DIY_BACKEND_GZIP).
func CheckpointKey(project, stack string) string {
	return ".pulumi/stacks/" + project + "/" + stack + ".json"
}

// LockKeyPrefix is where a DIY backend puts a stack's lock files while an update, refresh, destroy or
// import runs: .pulumi/locks/organization/<project>/<stack>/<backend instance uuid>.json (v3.274.1,
// pkg/backend/diy/lock.go:166-178).
func LockKeyPrefix(project, stack string) string {
	return ".pulumi/locks/" + StackRef(project, stack) + "/"
}

// LockedMessage starts the DIY backend's refusal of an operation on a locked stack (v3.274.1,
// pkg/backend/diy/lock.go:87).
const LockedMessage = "the stack is currently locked by"

// IsLocked tells whether an operation failed because another process held the stack's lock.
func IsLocked(err error) bool { return err != nil && strings.Contains(err.Error(), LockedMessage) }

// UpOutcome is what one stack's `up` of a parallel run did.
type UpOutcome struct {
	Project, Stack string
	Outputs        auto.OutputMap
	Summary        auto.UpdateSummary
	Start, End     time.Time
	Err            error
	// Engine is the engine's output of the run (progress, diagnostics, errors).
	Engine string
}

// Wall is the real time the `up` took.
func (o UpOutcome) Wall() time.Duration { return o.End.Sub(o.Start) }

// UpAll runs `pulumi up` of every stack at once (each in its own CLI process) and returns their
// outcomes in the order given. opts go to every run: no event stream (one channel per run).
func UpAll(ctx context.Context, stacks []auto.Stack, opts ...optup.Option) []UpOutcome {
	out := make([]UpOutcome, len(stacks))
	var wg sync.WaitGroup
	for i, st := range stacks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = upOne(ctx, st, opts...)
		}()
	}
	wg.Wait()
	return out
}

func upOne(ctx context.Context, st auto.Stack, opts ...optup.Option) UpOutcome {
	var engine lockedBuffer
	o := UpOutcome{Stack: st.Name(), Start: time.Now()}
	if p, err := st.Workspace().ProjectSettings(ctx); err == nil {
		o.Project = p.Name.String()
	}
	res, err := st.Up(ctx, append(opts, optup.ProgressStreams(&engine), optup.ErrorProgressStreams(&engine))...)
	o.End, o.Err, o.Engine = time.Now(), err, engine.String()
	o.Outputs, o.Summary = res.Outputs, res.Summary
	return o
}

// lockedBuffer is one run's engine output, written by the progress and error streams at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Timeline is simcloud's timeline of the whole world (every stack's operations, in order).
func (w *World) Timeline() ([]simcloud.TimelineEntry, error) {
	return simcloud.ReadTimeline(w.SimState)
}
