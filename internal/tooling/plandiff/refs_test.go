package plandiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exitErr stands for a program that ran and exited non-zero.
type exitErr int

func (e exitErr) Error() string { return fmt.Sprintf("exit status %d", int(e)) }
func (e exitErr) ExitCode() int { return int(e) }

const (
	baseSHA = "1111111111111111111111111111111111111111"
	headSHA = "2222222222222222222222222222222222222222"
	oldSHA  = "3333333333333333333333333333333333333333"
)

// fakeRepo stubs git and go. Refs "base", "head" (and "HEAD"), "old" resolve; "old" has no cmd/havpn.
// A worktree of a commit plans with plans[commit][stack] (a fixture name) or fails with
// failures[commit][stack] (stderr). Every call is recorded.
type fakeRepo struct {
	t        *testing.T
	mu       sync.Mutex
	calls    []string
	trees    map[string]string // worktree path -> commit
	plans    map[string]map[string]string
	failures map[string]map[string]string
	goErr    error // returned by every `go run` when set
	addErr   error // returned by `git worktree add` when set
	onGo     func()
}

func newFakeRepo(t *testing.T) *fakeRepo {
	return &fakeRepo{t: t, trees: map[string]string{},
		plans:    map[string]map[string]string{baseSHA: {"dev": "dev", "prod": "prod"}, headSHA: {"dev": "dev-block2", "prod": "prod-sku"}},
		failures: map[string]map[string]string{}}
}

func (f *fakeRepo) run(ctx context.Context, dir, name string, args ...string) ([]byte, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name+" "+strings.Join(args, " "))
	switch {
	case name == "git" && args[0] == "rev-parse":
		switch strings.TrimSuffix(args[len(args)-1], "^{commit}") {
		case "base":
			return []byte(baseSHA + "\n"), nil, nil
		case "head", "HEAD":
			return []byte(headSHA + "\n"), nil, nil
		case "old":
			return []byte(oldSHA + "\n"), nil, nil
		}
		return nil, []byte("fatal: Needed a single revision\n"), exitErr(128)
	case name == "git" && args[0] == "cat-file":
		if strings.HasPrefix(args[2], oldSHA) {
			return nil, []byte("fatal: path 'cmd/havpn' does not exist in '" + oldSHA + "'\n"), exitErr(128)
		}
		return nil, nil, nil
	case name == "git" && args[0] == "worktree" && args[1] == "add":
		if f.addErr != nil {
			return nil, []byte("fatal: cannot add\n"), f.addErr
		}
		path, commit := args[3], args[4]
		require.NoError(f.t, os.MkdirAll(path, 0o755))
		f.trees[path] = commit
		return nil, nil, nil
	case name == "git" && args[0] == "worktree" && args[1] == "remove":
		require.NoError(f.t, ctx.Err(), "cleanup must not use a cancelled context")
		delete(f.trees, args[3])
		return nil, nil, os.RemoveAll(args[3])
	case name == "git" && args[0] == "worktree" && args[1] == "prune":
		return nil, nil, nil
	case name == "go":
		if f.onGo != nil {
			f.onGo()
		}
		if f.goErr != nil {
			return nil, nil, f.goErr
		}
		commit, ok := f.trees[dir]
		if !ok {
			commit = "worktree:" + dir
		}
		stack := args[4]
		if msg, ok := f.failures[commit][stack]; ok {
			return nil, []byte(msg + "\nexit status 1\n"), exitErr(1)
		}
		fixture, ok := f.plans[commit][stack]
		if !ok {
			return nil, []byte("havpn plan: stack \"" + stack + "\" is invalid:\nstack \"" + stack + "\": open stacks/Pulumi." + stack + ".yaml: no such file or directory\nexit status 2\n"), exitErr(1)
		}
		b, err := os.ReadFile(filepath.Join("testdata", fixture+".json"))
		require.NoError(f.t, err)
		return b, nil, nil
	}
	f.t.Fatalf("unexpected command in %s: %s %v", dir, name, args)
	return nil, nil, nil
}

func (f *fakeRepo) count(prefix string) int {
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func runCLI(t *testing.T, f *fakeRepo, args ...string) (int, string, string, string) {
	t.Helper()
	tmp := t.TempDir()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, &out, &errOut, Worktrees{Run: f.run, TempDir: tmp})
	return code, out.String(), errOut.String(), tmp
}

func assertCleanedUp(t *testing.T, f *fakeRepo, tmp string) {
	t.Helper()
	assert.Empty(t, f.trees, "every worktree is removed")
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, entries, "no temporary directory is left")
	assert.Equal(t, f.count("git worktree add"), f.count("git worktree remove"))
}

func TestRefsTwoStacks(t *testing.T) {
	f := newFakeRepo(t)
	code, out, stderr, tmp := runCLI(t, f, "base", "head")
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(out, Marker+"\n## havpn plan diff: `base (111111111111)` → `head (222222222222)`"), out)
	assert.Contains(t, out, "### havpn plan `dev`: 0 to add, 0 to remove, 9 to change")
	assert.Contains(t, out, "### havpn plan `prod`: 0 to add, 0 to remove, 2 to change")
	assert.Less(t, strings.Index(out, "`dev`"), strings.Index(out, "`prod`"))
	assert.Equal(t, 2, f.count("git worktree add --detach"))
	assert.Equal(t, 4, f.count("go run ./cmd/havpn plan --stack"))
	assert.Contains(t, f.calls, "go run ./cmd/havpn plan --stack prod --json")
	assertCleanedUp(t, f, tmp)
}

func TestRefsHeadDefaultsToHEADAndStackFlagAnywhere(t *testing.T) {
	f := newFakeRepo(t)
	code, out, stderr, tmp := runCLI(t, f, "--stack", "prod", "base")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, f.calls, "git rev-parse --verify --quiet HEAD^{commit}")
	assert.Contains(t, out, "→ `HEAD (222222222222)`")
	assert.Contains(t, out, "`prod`: 0 to add, 0 to remove, 2 to change")
	assert.NotContains(t, out, "`dev`")
	assertCleanedUp(t, f, tmp)

	f = newFakeRepo(t)
	code, out, _, _ = runCLI(t, f, "base", "base", "--stack", "dev")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "No changes")
}

func TestRefsInvalidConfigIsReportedNotFatal(t *testing.T) {
	f := newFakeRepo(t)
	msg := "havpn plan: stack \"dev\" is invalid:\nhavpn: 1 invalid argument(s):\n  - gcp.asn = 65515: Azure refuses this ASN"
	f.failures[headSHA] = map[string]string{"dev": msg}
	code, out, stderr, tmp := runCLI(t, f, "base", "head")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "### havpn plan `dev`: not compared, the plan failed")
	assert.Contains(t, out, "The base plan succeeded.")
	assert.Contains(t, out, "The head plan failed:\n\n```text\n"+msg+"\n```")
	assert.NotContains(t, out, "exit status 1", "go run's own exit line is dropped")
	assert.Contains(t, out, "`prod`: 0 to add, 0 to remove, 2 to change", "the other stack is still compared")
	assertCleanedUp(t, f, tmp)
}

func TestRefsWithoutPlanCommand(t *testing.T) {
	f := newFakeRepo(t)
	code, out, stderr, tmp := runCLI(t, f, "old", "head", "--stack", "dev")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "The base plan failed")
	assert.Contains(t, out, "old (333333333333) has no cmd/havpn: the plan command does not exist at this commit")
	assert.Equal(t, 1, f.count("git worktree add"), "no worktree for a commit without the plan command")
	assertCleanedUp(t, f, tmp)
}

func TestRefsErrors(t *testing.T) {
	t.Run("unknown ref", func(t *testing.T) {
		f := newFakeRepo(t)
		code, out, stderr, tmp := runCLI(t, f, "nope", "head")
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Contains(t, stderr, `"nope" is not a commit`)
		assert.Zero(t, f.count("git worktree add"))
		assertCleanedUp(t, f, tmp)
	})
	t.Run("go cannot run: worktree still removed", func(t *testing.T) {
		f := newFakeRepo(t)
		f.goErr = &exec.Error{Name: "go", Err: exec.ErrNotFound}
		code, out, stderr, tmp := runCLI(t, f, "base", "head")
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Contains(t, stderr, "go run ./cmd/havpn")
		assert.Equal(t, 1, f.count("git worktree add"))
		assertCleanedUp(t, f, tmp)
	})
	t.Run("worktree add fails", func(t *testing.T) {
		f := newFakeRepo(t)
		f.addErr = exitErr(128)
		code, _, stderr, tmp := runCLI(t, f, "base", "head")
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr, "git worktree add base (111111111111)")
		assert.Zero(t, f.count("go "))
		entries, _ := os.ReadDir(tmp)
		assert.Empty(t, entries)
	})
	t.Run("git missing", func(t *testing.T) {
		run := func(ctx context.Context, dir, name string, args ...string) ([]byte, []byte, error) {
			return nil, nil, &exec.Error{Name: name, Err: exec.ErrNotFound}
		}
		var out, errOut bytes.Buffer
		code := Run(context.Background(), []string{"base", "head"}, &out, &errOut, Worktrees{Run: run, TempDir: t.TempDir()})
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut.String(), "git rev-parse base")
	})
	t.Run("interrupted: worktree removed with a live context", func(t *testing.T) {
		f := newFakeRepo(t)
		ctx, cancel := context.WithCancel(context.Background())
		f.onGo = cancel
		tmp := t.TempDir()
		var out, errOut bytes.Buffer
		code := Run(ctx, []string{"base", "head"}, &out, &errOut, Worktrees{Run: f.run, TempDir: tmp})
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut.String(), "interrupted")
		assertCleanedUp(t, f, tmp)
	})
}

func TestWorkingTreeRef(t *testing.T) {
	repo := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(repo, "cmd", "havpn"), 0o755))
	f := newFakeRepo(t)
	f.plans["worktree:"+repo] = map[string]string{"dev": "dev-keepalive30"}
	tmp := t.TempDir()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), []string{"base", ".", "--stack", "dev", "--repo", repo}, &out, &errOut, Worktrees{Run: f.run, TempDir: tmp})
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "→ `working tree`")
	assert.Contains(t, out.String(), "| `bgp.keepaliveInterval` | `20` | `30` |")
	assert.Equal(t, 1, f.count("git worktree add"), "only the base needs a worktree")
	assertCleanedUp(t, f, tmp)

	empty := t.TempDir()
	res, err := Worktrees{Repo: empty, Run: f.run}.Plan(context.Background(), WorkingTree, []string{"dev"})
	require.NoError(t, err)
	assert.Contains(t, res.Errors["dev"], "the working tree has no cmd/havpn")
}

func TestJSONMode(t *testing.T) {
	f := newFakeRepo(t)
	code, out, stderr, _ := runCLI(t, f, "--base-json", "testdata/dev.json", "--head-json", "testdata/dev-keepalive30.json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "### havpn plan `dev`: 0 to add, 0 to remove, 1 to change")
	assert.Empty(t, f.calls, "no git, no go")

	code, out, _, _ = runCLI(t, f, "--base-json", "testdata/prod.json", "--head-json", "testdata/prod.json", "--stack", "staging")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "### havpn plan `staging`: 0 to add, 0 to remove, 0 to change")

	code, _, stderr, _ = runCLI(t, f, "--base-json", "testdata/missing.json", "--head-json", "testdata/dev.json")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "missing.json")

	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("havpn plan: stack \"dev\" is invalid"), 0o644))
	code, _, stderr, _ = runCLI(t, f, "--base-json", "testdata/dev.json", "--head-json", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "not a havpn plan JSON document")
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"a", "b", "c"},
		{"--base-json", "testdata/dev.json"},
		{"--head-json", "testdata/dev.json"},
		{"base", "--base-json", "testdata/dev.json", "--head-json", "testdata/dev.json"},
		{"--base-json", "testdata/dev.json", "--head-json", "testdata/dev.json", "--stack", "dev,prod"},
		{"base", "head", "--stack", ""},
		{"base", "head", "--stack", "../x"},
		{"base", "head", "--stack", "-x"},
		{"base", "head", "--nope"},
		{"base", "-"},
	} {
		f := newFakeRepo(t)
		code, out, stderr, _ := runCLI(t, f, args...)
		assert.Equal(t, 2, code, "%q", args)
		assert.Empty(t, out)
		assert.Contains(t, stderr, "usage: havpn plan-diff", "%q", args)
		assert.Empty(t, f.calls, "%q", args)
	}
}

// The worktree logic against real git (go stubbed): a commit with cmd/havpn and one without, the
// worktrees gone afterwards.
func TestRealGitWorktrees(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	repo := t.TempDir()
	gitRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
		return strings.TrimSpace(string(out))
	}
	gitRun("init", "-q")
	require.NoError(t, os.WriteFile(filepath.Join(repo, "README"), []byte("x"), 0o644))
	gitRun("add", ".")
	gitRun("commit", "-q", "-m", "no plan command")
	first := gitRun("rev-parse", "HEAD")
	require.NoError(t, os.MkdirAll(filepath.Join(repo, "cmd", "havpn"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(repo, "cmd", "havpn", "main.go"), []byte("package main\n"), 0o644))
	gitRun("add", ".")
	gitRun("commit", "-q", "-m", "plan command")

	var goDirs []string
	run := func(ctx context.Context, dir, name string, args ...string) ([]byte, []byte, error) {
		if name != "go" {
			return ExecCommand(ctx, dir, name, args...)
		}
		goDirs = append(goDirs, dir)
		if _, err := os.Stat(filepath.Join(dir, "cmd", "havpn", "main.go")); err != nil {
			return nil, []byte("stat ./cmd/havpn: directory not found"), exitErr(1)
		}
		b, err := os.ReadFile(filepath.Join("testdata", "dev.json"))
		return b, nil, err
	}
	tmp := t.TempDir()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), []string{first, "HEAD", "--stack", "dev", "--repo", repo}, &out, &errOut, Worktrees{Run: run, TempDir: tmp})
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "has no cmd/havpn")
	require.Len(t, goDirs, 1, "only HEAD is planned")
	assert.True(t, strings.HasPrefix(goDirs[0], tmp), goDirs[0])
	_, err := os.Stat(goDirs[0])
	assert.True(t, errors.Is(err, os.ErrNotExist), "the worktree directory is removed")
	assert.NotContains(t, gitRun("worktree", "list"), tmp, "git no longer lists the worktree")
	entries, _ := os.ReadDir(tmp)
	assert.Empty(t, entries)
}

func TestRefLabel(t *testing.T) {
	assert.Equal(t, "origin/main (111111111111)", RefPlans{Ref: "origin/main", Commit: baseSHA}.Label())
	assert.Equal(t, "111111111111", RefPlans{Ref: "1111111", Commit: baseSHA}.Label())
	assert.Equal(t, "111111111111", RefPlans{Ref: baseSHA, Commit: baseSHA}.Label())
	assert.Equal(t, "working tree", RefPlans{Ref: WorkingTree}.Label())
}
