package simdemo

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
	"github.com/havpn/pulumi-havpn/internal/example/program"
	"github.com/havpn/pulumi-havpn/internal/simulation/azurite"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
	"github.com/havpn/pulumi-havpn/internal/tooling/statusclient"
	"github.com/havpn/pulumi-havpn/internal/tooling/statuscmd"
)

// The team stacks of the hub demo (stacks/Pulumi.<name>.yaml): the hub, the three spokes it registers,
// and the spoke the demo adds.
const (
	HubStack   = "hub"
	AddedSpoke = "spoke-d"
)

// FirstSpokes are the spokes the committed hub registry lists.
var FirstSpokes = []string{"spoke-a", "spoke-b", "spoke-c"}

// SpokeSecret is a spoke's master secret in the simulated worlds of the demo and the tests: each spoke
// has its own, as each team would.
func SpokeSecret(base, spoke string) string { return base + "-" + spoke }

// AddedSpokeEntry is the registry entry the demo adds for spoke-d: the next slot, and the ASN its stack
// file gives its Cloud Router.
func AddedSpokeEntry(root string, hubCfg auto.ConfigMap) (envconfig.HubSpoke, error) {
	spokes, err := simrun.Spokes(hubCfg)
	if err != nil {
		return envconfig.HubSpoke{}, err
	}
	sf, err := envconfig.ReadStackFile(filepath.Join(root, "stacks"), AddedSpoke)
	if err != nil {
		return envconfig.HubSpoke{}, err
	}
	var asn int
	if _, err := fmt.Sscan(sf.Plain[envconfig.Qualify("gcpAsn")], &asn); err != nil {
		return envconfig.HubSpoke{}, fmt.Errorf("stacks/Pulumi.%s.yaml: havpn:gcpAsn: %w", AddedSpoke, err)
	}
	slot := 0
	for _, s := range spokes {
		slot = max(slot, s.Slot+1)
	}
	return envconfig.HubSpoke{Name: AddedSpoke, Slot: slot, Asn: asn}, nil
}

// DemoHub runs team stacks against the SIMULATED clouds with their state in Azurite under
// root/.demo-hub, started clean: the hub, then spoke-a, -b and -c at once, then spoke-d added (the
// hub's registry first, then the spoke). It shows from simcloud's timeline that the hub's gateway was
// never touched after the hub's first up and that no other spoke's BGP session dropped while spoke-d
// came up, and ends with the session report and havpn status of every spoke.
func DemoHub(ctx context.Context, root string, out io.Writer) error {
	dir := filepath.Join(root, ".demo-hub")
	// Every run starts clean: the demo's story is adding a spoke, which a second run could not show.
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	fmt.Fprintf(out, "\n==> havpn demo-hub: team stacks against SIMULATED clouds (simcloud), state in Azure Blob Storage emulated by Azurite\n")
	fmt.Fprintf(out, "    No cloud account is used; the resources exist only in %s.\n", filepath.Join(dir, "simcloud"))
	fmt.Fprintf(out, "    Simulated provisioning times are compressed %gx (Azure gateway: 45 min -> %.2f s).\n", 1/demoTimeScale, 45*60*demoTimeScale)
	az, err := azurite.Start(ctx, azurite.Options{Root: root, DataDir: filepath.Join(dir, "azurite")})
	if err != nil {
		return fmt.Errorf("starting Azurite (make azurite installs it): %w", err)
	}
	defer az.Stop()
	fmt.Fprintf(out, "    State backend: %s (Azurite on loopback, data in %s; one stack per team, each with its own lock).\n",
		az.BackendURL(), filepath.Join(dir, "azurite"))
	w, err := simrun.NewWorldOn(root, dir, demoPassphrase, demoTimeScale, simrun.Backend{URL: az.BackendURL(), Env: az.Env()})
	if err != nil {
		return err
	}
	d := &hubDemo{root: root, w: w, out: out, stacks: map[string]auto.Stack{}}
	steps := []func(context.Context) error{d.upHub, d.upFirstSpokes, d.registerSpoke, d.upAddedSpoke, d.report}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "\nEverything above ran against SIMULATED clouds. The state stays in %s (Azurite is stopped); each run of make demo-hub starts clean.\n",
		filepath.Join(dir, "azurite"))
	return nil
}

// hubDemo carries the demo's world and what its steps measured.
type hubDemo struct {
	root    string
	w       *simrun.World
	out     io.Writer
	stacks  map[string]auto.Stack
	hubCfg  auto.ConfigMap
	hubDone int64 // Unix nanoseconds: end of the hub's first up
	watched []string
	window  [2]int64 // spoke-d's up
}

func (d *hubDemo) stack(ctx context.Context, name string) (auto.Stack, error) {
	cfg, err := simrun.StackConfig(d.root, name, SpokeSecret(demoSecret, name))
	if err != nil {
		return auto.Stack{}, err
	}
	if name == HubStack {
		d.hubCfg = cfg
	}
	st, err := d.w.GoStack(ctx, name, cfg)
	d.stacks[name] = st
	return st, err
}

func (d *hubDemo) upHub(ctx context.Context) error {
	hub, err := d.stack(ctx, HubStack)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "\n==> 1. pulumi up -s hub (SIMULATED clouds): the VNet and an AzureVpnHub whose gateway carries every slot's APIPA addresses\n")
	start := time.Now()
	res, err := simrun.Up(ctx, hub, d.out, optup.SuppressOutputs())
	if err != nil {
		return fmt.Errorf("pulumi up of the hub (simulated clouds) failed: %w", err)
	}
	d.hubDone = time.Now().UnixNano()
	fmt.Fprintf(d.out, "\nhub: up in %s (wall time, simulated clouds). Capacity (simulated deployment): %s\n",
		time.Since(start).Round(time.Millisecond), capacityLine(res.Outputs["capacity"].Value))
	return nil
}

func capacityLine(v any) string {
	c, ok := v.(map[string]any)
	if !ok {
		return "(no capacity output)"
	}
	return fmt.Sprintf("%v slots, %v registered; tunnels %v reserved of %v; APIPA addresses %v of %v",
		c["slots"], c["slotsRegistered"], c["tunnelsReserved"], c["tunnelLimit"], c["apipaUsed"], c["apipaLimit"])
}

func (d *hubDemo) upFirstSpokes(ctx context.Context) error {
	var stacks []auto.Stack
	for _, name := range FirstSpokes {
		st, err := d.stack(ctx, name)
		if err != nil {
			return err
		}
		stacks = append(stacks, st)
	}
	fmt.Fprintf(d.out, "\n==> 2. pulumi up -s spoke-a, -s spoke-b, -s spoke-c at the same time (SIMULATED clouds): each reads %s through a StackReference\n",
		simrun.StackRef("havpn", HubStack))
	outcomes := simrun.UpAll(ctx, stacks)
	tw := tabwriter.NewWriter(d.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STACK\tRESULT\tWALL\tCHANGES")
	var failed []string
	for _, o := range outcomes {
		result := "ok"
		if o.Err != nil {
			result, failed = "FAILED", append(failed, fmt.Sprintf("%s: %v\n%s", o.Stack, o.Err, o.Engine))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.Stack, result, o.Wall().Round(time.Millisecond), changes(o.Summary))
	}
	tw.Flush()
	if len(failed) > 0 {
		return fmt.Errorf("spoke ups failed (simulated clouds):\n%s", strings.Join(failed, "\n"))
	}
	report, err := d.w.Sessions()
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "The three ups overlapped (%s); BGP sessions established (simulated): %s\n", overlap(outcomes), perSpoke(report, FirstSpokes))
	return nil
}

func changes(s auto.UpdateSummary) string {
	if s.ResourceChanges == nil {
		return ""
	}
	var parts []string
	for op, n := range *s.ResourceChanges {
		parts = append(parts, fmt.Sprintf("%s %d", op, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// overlap says how the parallel ups' wall times overlapped.
func overlap(outcomes []simrun.UpOutcome) string {
	first, last := outcomes[0].Start, outcomes[0].End
	lastStart, firstEnd := outcomes[0].Start, outcomes[0].End
	for _, o := range outcomes[1:] {
		first, last = minTime(first, o.Start), maxTime(last, o.End)
		lastStart, firstEnd = maxTime(lastStart, o.Start), minTime(firstEnd, o.End)
	}
	return fmt.Sprintf("all running together for %s of the %s", max(0, firstEnd.Sub(lastStart)).Round(time.Millisecond), last.Sub(first).Round(time.Millisecond))
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// perSpoke counts each spoke's established sessions of its planned ones.
func perSpoke(r *simrun.SessionReport, spokes []string) string {
	established := map[string]bool{}
	for _, t := range r.EstablishedTunnels() {
		established[t] = true
	}
	var parts []string
	for _, name := range spokes {
		planned, up := 0, 0
		for _, t := range simrun.LinkTunnels(r, name) {
			planned++
			if established[t] {
				up++
			}
		}
		parts = append(parts, fmt.Sprintf("%s %d/%d", name, up, planned))
	}
	return strings.Join(parts, ", ")
}

func (d *hubDemo) registerSpoke(ctx context.Context) error {
	entry, err := AddedSpokeEntry(d.root, d.hubCfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "\n==> 3. Add spoke-d, step 1: the hub team registers it and runs pulumi up -s hub (SIMULATED clouds)\n")
	fmt.Fprintf(d.out, "    pulumi config set --path 'havpn:spokes[%d].name' %s; ...slot %d; ...asn %d\n", len(FirstSpokes), entry.Name, entry.Slot, entry.Asn)
	if err := simrun.RegisterSpoke(d.hubCfg, entry); err != nil {
		return err
	}
	hub := d.stacks[HubStack]
	if err := simrun.SetConfig(ctx, hub, d.hubCfg); err != nil {
		return err
	}
	start := time.Now().UnixNano()
	_, ops, err := simrun.UpWithOps(ctx, hub, io.Discard)
	if err != nil {
		return fmt.Errorf("pulumi up of the hub with spoke-d registered (simulated clouds) failed: %w", err)
	}
	entries, err := d.w.Timeline()
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "hub: the engine's steps: %s\n", stepSummary(ops))
	for _, name := range []string{linkplan.GatewayResourceName(program.HubName), linkplan.PublicIpName(program.HubName, 0), linkplan.PublicIpName(program.HubName, 1)} {
		fmt.Fprintf(d.out, "  %-9s %s\n", name, stepOf(ops, name))
	}
	fmt.Fprintf(d.out, "  simcloud's timeline during this up: %d operation(s) (SIMULATED): only the hub's outputs (its registry) changed\n",
		len(simrun.OpsOnStack(entries, HubStack, start)))
	return nil
}

// stepSummary counts the engine's steps by kind.
func stepSummary(ops map[string]string) string {
	counts := map[string]int{}
	for _, op := range ops {
		counts[simrun.OpClass(op)]++
	}
	var parts []string
	for op, n := range counts {
		parts = append(parts, fmt.Sprintf("%s %d", op, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// stepOf is the engine's step on the resource of that logical name ("missing" when there is none).
func stepOf(ops map[string]string, name string) string {
	for urn, op := range ops {
		if strings.HasSuffix(urn, "::"+name) {
			return op
		}
	}
	return "missing"
}

func (d *hubDemo) upAddedSpoke(ctx context.Context) error {
	before, err := d.w.Sessions()
	if err != nil {
		return err
	}
	for _, name := range FirstSpokes {
		d.watched = append(d.watched, simrun.LinkTunnels(before, name)...)
	}
	st, err := d.stack(ctx, AddedSpoke)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "\n==> 4. Add spoke-d, step 2: pulumi up -s spoke-d (SIMULATED clouds) while spoke-a, -b and -c carry traffic\n")
	d.window[0] = time.Now().UnixNano()
	res, ops, err := simrun.UpWithOps(ctx, st, d.out, optup.SuppressOutputs())
	if err != nil {
		return fmt.Errorf("pulumi up of spoke-d (simulated clouds) failed: %w", err)
	}
	d.window[1] = time.Now().UnixNano()
	entries, err := d.w.Timeline()
	if err != nil {
		return err
	}
	touched := simrun.OpsOnStack(entries, HubStack, d.hubDone, cloudrules.TokenAzureGateway, cloudrules.TokenPublicIp)
	fmt.Fprintf(d.out, "\n==> What adding spoke-d did, from simcloud's timeline (SIMULATED)\n")
	fmt.Fprintf(d.out, "  spoke-d's up: %s (its VPC, Google side, LNGs and connections, all in stack spoke-d); the hub's StackReference: %s\n",
		changes(res.Summary), stepOf(ops, "hub"))
	fmt.Fprintf(d.out, "  operations on the hub's gateway (hub-vgw) and public IPs since the hub's first up: %d", len(touched))
	if len(touched) == 0 {
		fmt.Fprintf(d.out, " (never updated or replaced)\n")
	} else {
		fmt.Fprintln(d.out)
		for _, e := range touched {
			fmt.Fprintf(d.out, "    %s %s\n", e.Op, e.Name)
		}
	}
	m := simcloud.MeasureDisruption(entries, d.window[0], d.window[1], simcloud.Tunnels(d.watched...))
	fmt.Fprintf(d.out, "  BGP sessions of spoke-a, -b, -c during spoke-d's up: %d established before, at least %d throughout, %d after (of %d)\n",
		m.Before, m.MinEstablished, m.After, len(d.watched))
	if len(touched) > 0 || m.MinEstablished != len(d.watched) {
		return fmt.Errorf("adding spoke-d touched the hub's gateway or dropped another spoke's session (simulated clouds)")
	}
	return nil
}

func (d *hubDemo) report(ctx context.Context) error {
	report, err := d.w.Sessions()
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "\n==> BGP session report from the SIMULATED clouds (simcloud; independent of the package's analysis)\n")
	writeSessions(d.out, report)
	ep, stop, err := statuscmd.SimulatedEndpoints(d.w.SimState, statusclient.Endpoints{})
	if err != nil {
		return err
	}
	defer stop()
	spokes := append(append([]string(nil), FirstSpokes...), AddedSpoke)
	type result struct {
		r   *linkstatus.Report
		err error
	}
	results := make([]chan result, len(spokes))
	for i, name := range spokes {
		results[i] = make(chan result, 1)
		go func() {
			r, err := statuscmd.Check(ctx, d.stacks[name], "", ep)
			results[i] <- result{r, err}
		}()
	}
	var unhealthy []string
	for i, name := range spokes {
		res := <-results[i]
		fmt.Fprintf(d.out, "\n==> havpn status --stack %s (SIMULATED: simcloud serves the Google and Azure read APIs on loopback)\n", name)
		if res.err != nil {
			return fmt.Errorf("havpn status of %s (simulated clouds): %w", name, res.err)
		}
		res.r.WriteText(d.out, name)
		if res.r.Verdict != linkstatus.Healthy {
			unhealthy = append(unhealthy, fmt.Sprintf("%s: %s", name, res.r.Verdict))
		}
	}
	if len(unhealthy) > 0 {
		return fmt.Errorf("havpn status is not healthy (simulated clouds): %s", strings.Join(unhealthy, ", "))
	}
	return nil
}
