package simdemo

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"github.com/havpn/pulumi-havpn/internal/simulation/bench"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
)

const (
	benchPassphrase = "havpn-bench-simulated"
	benchSecret     = "havpn-bench-master-secret-simulated-only"
)

// StackResult is the measurement of one stack's first `up`.
type StackResult struct {
	Stack      string
	UpWall     time.Duration // wall time of `pulumi up`
	LowerBound float64       // simulated seconds: longest physically necessary path
	Path       []string      // that path, by logical name
	Resources  int           // cloud resources deployed
}

// Ratio is the up time over the lower bound, both in simulated seconds.
func (r StackResult) Ratio(scale float64) float64 {
	return r.UpWall.Seconds() / scale / r.LowerBound
}

// BenchStacks are what `havpn bench` measures by default: the dev and prod links, and a hub with 8
// spokes (Hub8).
var BenchStacks = []string{"dev", "prod", Hub8}

// Bench deploys each of stacks (BenchStacks' names) into a fresh simulated world, measures, applies the
// day-2 changes to dev, and prints the figures; the last lines are `critical-path-ratio: <stack> <ratio>`.
func Bench(ctx context.Context, root string, scale float64, stacks []string, out io.Writer) error {
	fmt.Fprintf(out, "havpn bench: real Pulumi engine against SIMULATED clouds (simcloud), time scale %g (1 simulated minute = %.2f s)\n", scale, 60*scale)
	var results []StackResult
	var day2 []simrun.Day2Result
	for _, stack := range stacks {
		var r StackResult
		var d []simrun.Day2Result
		var err error
		switch stack {
		case Hub8:
			r, err = benchHub(ctx, root, Hub8Spokes, scale, out)
		case "dev", "prod":
			r, d, err = benchStack(ctx, root, stack, scale, out)
		default:
			err = fmt.Errorf("no bench for %q (have %s)", stack, strings.Join(BenchStacks, ", "))
		}
		if err != nil {
			return err
		}
		results = append(results, r)
		day2 = append(day2, d...)
	}
	if len(day2) > 0 {
		fmt.Fprintf(out, "\nDay-2 changes on dev, one after another (SIMULATED: time of each `up`, BGP sessions during it):\n")
	}
	for _, d := range day2 {
		fmt.Fprintf(out, "  %-68s %6.1f simulated min (%s wall)  min sessions %d/%d, %4.0f simulated s with none, %d/%d after\n",
			d.Change, d.Wall.Seconds()/scale/60, d.Wall.Round(time.Millisecond), d.Disruption.MinEstablished, d.SessionsTotal,
			d.OutageSeconds(scale), d.SessionsAfter, d.SessionsTotal)
	}
	fmt.Fprintf(out, "\n")
	for _, r := range results {
		fmt.Fprintf(out, "%s: %d resources, up %.1f simulated min (%s wall), lower bound %.1f simulated min via %s\n",
			r.Stack, r.Resources, r.UpWall.Seconds()/scale/60, r.UpWall.Round(time.Millisecond), r.LowerBound/60, strings.Join(r.Path, " -> "))
	}
	for _, r := range results {
		fmt.Fprintf(out, "critical-path-ratio: %s %.3f\n", r.Stack, r.Ratio(scale))
	}
	return nil
}

func benchStack(ctx context.Context, root, stack string, scale float64, out io.Writer) (StackResult, []simrun.Day2Result, error) {
	dir, err := os.MkdirTemp("", "havpn-bench-"+stack+"-")
	if err != nil {
		return StackResult{}, nil, err
	}
	defer os.RemoveAll(dir)
	w, err := simrun.NewWorld(root, dir, benchPassphrase, scale)
	if err != nil {
		return StackResult{}, nil, err
	}
	cfg, err := simrun.StackConfig(root, stack, benchSecret)
	if err != nil {
		return StackResult{}, nil, err
	}
	st, err := w.GoStack(ctx, stack, cfg)
	if err != nil {
		return StackResult{}, nil, err
	}
	fmt.Fprintf(out, "  %s: pulumi up (simulated clouds) ...\n", stack)
	result, err := measureUp(ctx, w, st)
	if err != nil {
		return StackResult{}, nil, err
	}
	if stack != "dev" {
		return result, nil, nil
	}
	var day2 []simrun.Day2Result
	for _, change := range simrun.Day2Sequence(stack, benchSecret) {
		fmt.Fprintf(out, "  dev: day-2 change %q (simulated clouds) ...\n", change.Name)
		d, err := w.ApplyDay2(ctx, st, change, io.Discard)
		if err != nil {
			return StackResult{}, nil, err
		}
		day2 = append(day2, d)
	}
	return result, day2, nil
}

// measureUp runs the first `up` of a stack and computes the physical lower bound of what it deployed.
func measureUp(ctx context.Context, w *simrun.World, st auto.Stack, opts ...optup.Option) (StackResult, error) {
	wall, err := timedUp(ctx, st, opts...)
	if err != nil {
		return StackResult{}, err
	}
	resources, err := deployed(w)
	if err != nil {
		return StackResult{}, err
	}
	seconds, err := createSeconds(resources)
	if err != nil {
		return StackResult{}, err
	}
	bound, path, err := bench.LowerBound(resources, seconds)
	if err != nil {
		return StackResult{}, err
	}
	return StackResult{Stack: st.Name(), UpWall: wall, LowerBound: bound, Path: path, Resources: len(resources)}, nil
}

func timedUp(ctx context.Context, st auto.Stack, opts ...optup.Option) (time.Duration, error) {
	var log strings.Builder
	start := time.Now()
	_, err := simrun.Up(ctx, st, &log, opts...)
	if err != nil {
		return 0, fmt.Errorf("pulumi up (simulated clouds) failed: %w\n%s", err, log.String())
	}
	return time.Since(start), nil
}

// createSeconds is simcloud's simulated create time of a type; a type it does not time is an error
// rather than a silent zero that would lower the bound.
func createSeconds(resources []bench.Resource) (func(string) float64, error) {
	for _, r := range resources {
		if _, ok := simcloud.SimulatedSeconds(r.Type, "create"); !ok {
			return nil, fmt.Errorf("simcloud has no create time for %s (%s)", r.Type, r.Name)
		}
	}
	return func(typ string) float64 {
		s, _ := simcloud.SimulatedSeconds(typ, "create")
		return s
	}, nil
}

// deployed is the world's simulated resources as the bound reads them.
func deployed(w *simrun.World) ([]bench.Resource, error) {
	records, err := w.Records()
	if err != nil {
		return nil, err
	}
	out := make([]bench.Resource, 0, len(records))
	for _, r := range records {
		out = append(out, bench.Resource{ID: r.ID, Type: r.Type, Name: r.Name, Inputs: r.Inputs, Outputs: r.Outputs})
	}
	return out, nil
}
