package plandiff

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"

	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

// Usage is the plan-diff command's usage text.
const Usage = `usage: havpn plan-diff BASE [HEAD] [--stack dev,prod] [--repo DIR]
       havpn plan-diff --base-json FILE --head-json FILE [--stack NAME]

  plan-diff  compare the offline plans (Pulumi mocks, no cloud) of two git refs and print a Markdown
             pull-request comment per stack: resources added/removed, and each changed resource
             marked update or replace as the pinned providers decide (with the source, and what a
             replacement drags along), updates the cloud's API refuses, a Disruption section (the
             tunnels down while the change is applied and the BGP sessions that stay up), wiring and
             survivability changes, warnings.
             Each ref is checked out in a temporary git worktree (removed afterwards) and planned with
             'go run ./cmd/havpn plan --stack S --json'. HEAD defaults to HEAD; '.' plans the working
             tree as it is. With --base-json/--head-json, two saved 'havpn plan --json' outputs are
             compared instead. Exit status: 0 rendered (a plan failing at a ref is reported in the
             Markdown), 1 git/go/file error, 2 usage.
`

// maxDocument keeps the document under GitHub's 65536-character comment limit.
const maxDocument = 60000

// Section is one stack's part of the document.
type Section struct {
	Stack  string
	Report Report
}

// Document renders the whole comment: the marker, a heading naming both sides, and each stack.
func Document(base, head string, sections []Section) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n## havpn plan diff: %s → %s\n\n", Marker, code(base), code(head))
	b.WriteString("What the example program registers at each ref, run under Pulumi mocks: nothing was read from or created in Google Cloud or Azure.\n\n")
	for _, s := range sections {
		b.WriteString(Markdown(s.Stack, s.Report))
		b.WriteString("\n")
	}
	out := b.String()
	if len(out) > maxDocument {
		cut := strings.LastIndex(out[:maxDocument], "\n")
		out = out[:cut+1] + "\n… (truncated: run `go run ./cmd/havpn plan-diff` locally for the whole diff)\n"
	}
	return out
}

// Main runs `havpn plan-diff ARGS` and returns its exit status. Ctrl-C cancels the plans and still
// removes the temporary worktrees.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, stdout, stderr, Worktrees{})
}

var stackName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// Run is Main with the context and the worktree runner given (its Repo is set from --repo).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, w Worktrees) int {
	fs := flag.NewFlagSet("plan-diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, Usage) }
	stacksFlag := fs.String("stack", "dev,prod", "comma-separated stacks to plan at both refs")
	baseJSON := fs.String("base-json", "", "saved `havpn plan --json` output of the base")
	headJSON := fs.String("head-json", "", "saved `havpn plan --json` output of the head")
	repo := fs.String("repo", ".", "the git repository")
	var refs []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		refs, args = append(refs, fs.Arg(0)), fs.Args()[1:]
	}
	usage := func(msg string) int {
		fmt.Fprintf(stderr, "havpn plan-diff: %s\n%s", msg, Usage)
		return 2
	}
	stackSet := false
	fs.Visit(func(f *flag.Flag) { stackSet = stackSet || f.Name == "stack" })
	var stacks []string
	for _, s := range strings.Split(*stacksFlag, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !stackName.MatchString(s) {
			return usage(fmt.Sprintf("invalid stack name %q", s))
		}
		if !contains(stacks, s) {
			stacks = append(stacks, s)
		}
	}
	if len(stacks) == 0 {
		return usage("--stack names no stack")
	}

	if *baseJSON != "" || *headJSON != "" {
		switch {
		case *baseJSON == "" || *headJSON == "":
			return usage("--base-json and --head-json go together")
		case len(refs) > 0:
			return usage("give either two git refs or --base-json/--head-json, not both")
		case stackSet && len(stacks) > 1:
			return usage("--stack names one stack with --base-json/--head-json")
		}
		base, err := readPlan(*baseJSON)
		if err != nil {
			fmt.Fprintf(stderr, "havpn plan-diff: %v\n", err)
			return 1
		}
		head, err := readPlan(*headJSON)
		if err != nil {
			fmt.Fprintf(stderr, "havpn plan-diff: %v\n", err)
			return 1
		}
		stack := head.Stack
		if stackSet {
			stack = stacks[0]
		} else if stack == "" {
			stack = base.Stack
		}
		fmt.Fprint(stdout, Document(*baseJSON, *headJSON, []Section{{Stack: stack, Report: Diff(base, head)}}))
		return 0
	}

	switch len(refs) {
	case 1:
		refs = append(refs, "HEAD")
	case 2:
	default:
		return usage("want BASE [HEAD] git refs, or --base-json and --head-json")
	}
	for _, r := range refs {
		if r == "" || strings.HasPrefix(r, "-") {
			return usage(fmt.Sprintf("invalid git ref %q", r))
		}
	}
	w.Repo = *repo
	var sides [2]RefPlans
	for i, ref := range refs {
		p, err := w.Plan(ctx, ref, stacks)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				err = errors.New("interrupted")
			}
			fmt.Fprintf(stderr, "havpn plan-diff: %v\n", err)
			return 1
		}
		sides[i] = p
	}
	sections := make([]Section, 0, len(stacks))
	for _, s := range stacks {
		b, be := sides[0].Outcome(s)
		h, he := sides[1].Outcome(s)
		r := Failed(be, he)
		if be == "" && he == "" {
			r = Diff(b, h)
		}
		sections = append(sections, Section{Stack: s, Report: r})
	}
	fmt.Fprint(stdout, Document(sides[0].Label(), sides[1].Label(), sections))
	return 0
}

func readPlan(path string) (plandoc.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return plandoc.Document{}, err
	}
	defer f.Close()
	p, err := plandoc.Decode(f)
	if err != nil {
		return plandoc.Document{}, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
