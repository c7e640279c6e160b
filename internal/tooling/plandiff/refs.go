package plandiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

// CommandFunc runs a program in a directory and returns what it wrote. err has an ExitCode() int
// method (*exec.ExitError does) when the program ran and exited non-zero; any other error means it
// could not be run. Tests stub it.
type CommandFunc func(ctx context.Context, dir, name string, args ...string) (stdout, stderr []byte, err error)

// ExecCommand is the real CommandFunc.
func ExecCommand(ctx context.Context, dir, name string, args ...string) ([]byte, []byte, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.Bytes(), errOut.Bytes(), err
}

// WorkingTree, given as a ref, plans the repository directory as it is (uncommitted changes included)
// instead of a commit.
const WorkingTree = "."

// Worktrees produces the offline plans of git refs: each ref is checked out with
// `git worktree add --detach` in a temporary directory, planned there with
// `go run ./cmd/havpn plan --stack S --json`, and the worktree is removed afterwards, even on error.
type Worktrees struct {
	Repo    string      // the repository directory (any directory inside it)
	Run     CommandFunc // nil: ExecCommand
	TempDir string      // parent of the temporary worktrees; "": os.TempDir()
}

// RefPlans is what planning one ref gave: per stack, a plan or the reason there is none.
type RefPlans struct {
	Ref    string // as given
	Commit string // resolved commit; "" for WorkingTree
	Plans  map[string]plandoc.Document
	Errors map[string]string // stack -> why the plan failed at this ref (invalid configuration, no cmd/havpn, build failure)
}

// Label names the ref for a reader: "origin/main (1a2b3c4d5e6f)", "1a2b3c4d5e6f", "working tree".
func (p RefPlans) Label() string {
	if p.Ref == WorkingTree {
		return "working tree"
	}
	if p.Commit == "" {
		return p.Ref
	}
	short := p.Commit[:min(12, len(p.Commit))]
	if strings.HasPrefix(p.Commit, p.Ref) { // the ref is an abbreviated commit already
		return short
	}
	return p.Ref + " (" + short + ")"
}

// Outcome returns the plan of a stack, or the error message that replaces it.
func (p RefPlans) Outcome(stack string) (plandoc.Document, string) {
	if e, ok := p.Errors[stack]; ok {
		return plandoc.Document{}, e
	}
	return p.Plans[stack], ""
}

func (w Worktrees) run() CommandFunc {
	if w.Run != nil {
		return w.Run
	}
	return ExecCommand
}

// Plan plans every stack at ref. It returns an error only when git or go cannot be run or the ref
// does not name a commit; a plan that fails at the ref (invalid configuration, no cmd/havpn, a
// build failure) is recorded in RefPlans.Errors.
func (w Worktrees) Plan(ctx context.Context, ref string, stacks []string) (res RefPlans, err error) {
	res = RefPlans{Ref: ref, Plans: map[string]plandoc.Document{}, Errors: map[string]string{}}
	if ref == WorkingTree {
		if _, statErr := os.Stat(filepath.Join(w.Repo, "cmd", "havpn")); statErr != nil {
			w.failAll(&res, stacks, fmt.Sprintf("the working tree has no cmd/havpn: %v", statErr))
			return res, nil
		}
		return res, w.planStacks(ctx, w.Repo, stacks, &res)
	}
	if ref == "" || strings.HasPrefix(ref, "-") {
		return res, fmt.Errorf("invalid git ref %q", ref)
	}
	out, errOut, err := w.run()(ctx, w.Repo, "git", "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil {
		if isExit(err) {
			return res, fmt.Errorf("%q is not a commit in %s: %s", ref, w.Repo, firstLine(errOut, "unknown revision"))
		}
		return res, fmt.Errorf("git rev-parse %s: %w", ref, err)
	}
	res.Commit = strings.TrimSpace(string(out))
	if !commitID.MatchString(res.Commit) {
		return res, fmt.Errorf("git rev-parse %s: unexpected output %q", ref, res.Commit)
	}
	if _, _, err := w.run()(ctx, w.Repo, "git", "cat-file", "-e", res.Commit+":cmd/havpn"); err != nil {
		if !isExit(err) {
			return res, fmt.Errorf("git cat-file: %w", err)
		}
		w.failAll(&res, stacks, fmt.Sprintf("%s has no cmd/havpn: the plan command does not exist at this commit", res.Label()))
		return res, nil
	}

	parent, err := os.MkdirTemp(w.TempDir, "havpn-plan-diff-")
	if err != nil {
		return res, err
	}
	tree := filepath.Join(parent, "tree")
	defer func() {
		// Clean up even when the context is cancelled (Ctrl-C) or planning failed.
		cleanup := context.WithoutCancel(ctx)
		_, errOut, rmErr := w.run()(cleanup, w.Repo, "git", "worktree", "remove", "--force", tree)
		if rmErr != nil {
			_, _, _ = w.run()(cleanup, w.Repo, "git", "worktree", "prune")
		}
		if e := os.RemoveAll(parent); e != nil && err == nil {
			err = fmt.Errorf("removing the temporary worktree %s: %w", parent, e)
		}
		if rmErr != nil && err == nil && !isExit(rmErr) {
			err = fmt.Errorf("git worktree remove %s: %w (%s)", tree, rmErr, firstLine(errOut, ""))
		}
	}()
	if _, errOut, err := w.run()(ctx, w.Repo, "git", "worktree", "add", "--detach", tree, res.Commit); err != nil {
		return res, fmt.Errorf("git worktree add %s: %w: %s", res.Label(), err, firstLine(errOut, ""))
	}
	return res, w.planStacks(ctx, tree, stacks, &res)
}

func (w Worktrees) failAll(res *RefPlans, stacks []string, msg string) {
	for _, s := range stacks {
		res.Errors[s] = msg
	}
}

func (w Worktrees) planStacks(ctx context.Context, dir string, stacks []string, res *RefPlans) error {
	for _, stack := range stacks {
		out, errOut, err := w.run()(ctx, dir, "go", "run", "./cmd/havpn", "plan", "--stack", stack, "--json")
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if err != nil {
			if !isExit(err) {
				return fmt.Errorf("go run ./cmd/havpn: %w", err)
			}
			res.Errors[stack] = cleanStderr(errOut, err)
			continue
		}
		p, err := plandoc.Decode(bytes.NewReader(out))
		if err != nil {
			res.Errors[stack] = fmt.Sprintf("havpn plan --stack %s --json at %s: %v", stack, res.Label(), err)
			continue
		}
		res.Plans[stack] = p
	}
	return nil
}

var (
	commitID   = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)
	exitStatus = regexp.MustCompile(`(?m)^exit status \d+\s*\z`)
)

// cleanStderr returns what a failed `go run` printed, without go run's own "exit status N" line.
func cleanStderr(stderr []byte, err error) string {
	s := strings.TrimSpace(exitStatus.ReplaceAllString(string(stderr), ""))
	if s == "" {
		return err.Error()
	}
	return s
}

// isExit tells whether err says the program ran and exited non-zero (*exec.ExitError, or a test's stub).
func isExit(err error) bool {
	var exitErr interface{ ExitCode() int }
	return errors.As(err, &exitErr)
}

func firstLine(b []byte, def string) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return def
	}
	return s
}
