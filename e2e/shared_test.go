//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/example/program"
	"github.com/havpn/pulumi-havpn/internal/simulation/azurite"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
)

// startAzurite runs the Azure Storage emulator on a free loopback port for one test.
func startAzurite(t *testing.T) *azurite.Emulator {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	start := time.Now()
	az, err := azurite.Start(testContext(t), azurite.Options{Root: root, DataDir: t.TempDir()})
	require.NoError(t, err)
	t.Logf("Azurite on %s, container %s created, in %.1fs", az.Endpoint(), az.Container, time.Since(start).Seconds())
	t.Cleanup(func() { assert.NoError(t, az.Stop()) })
	return az
}

// newSharedEnv is one simulated cloud whose stacks keep their state in the emulator.
func newSharedEnv(t *testing.T, az *azurite.Emulator) *env {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	w, err := simrun.NewWorldOn(root, t.TempDir(), passphrase, 0, simrun.Backend{URL: az.BackendURL(), Env: az.Env()})
	require.NoError(t, err)
	return &env{World: w, t: t}
}

// cloudResources counts a stack's Google and Azure resources in its state.
func cloudResources(t *testing.T, ctx context.Context, st auto.Stack) int {
	t.Helper()
	total := 0
	for typ, n := range stateResources(t, ctx, st) {
		if strings.HasPrefix(typ, "gcp:") || strings.HasPrefix(typ, "azure-native:") {
			total += n
		}
	}
	return total
}

func workspaceProject(name string) workspace.Project {
	return workspace.Project{Name: tokens.PackageName(name)}
}

// TestAzuriteEmulator: the emulator starts on a free loopback port with its container, a fixed port
// already taken is refused with a clear message, and Stop ends the process and frees the port.
func TestAzuriteEmulator(t *testing.T) {
	ctx := testContext(t)
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	az, err := azurite.Start(ctx, azurite.Options{Root: root, DataDir: t.TempDir(), Container: "state"})
	require.NoError(t, err)
	defer az.Stop()
	assert.NotZero(t, az.Port)
	assert.Equal(t, "azblob://state?domain=127.0.0.1:"+strconv.Itoa(az.Port)+"&protocol=http&localemu=true", az.BackendURL())
	require.NoError(t, az.CreateContainer(ctx, "state"), "creating an existing container is not an error")
	blobs, err := az.Blobs(ctx)
	require.NoError(t, err)
	assert.Empty(t, blobs, "a new container")

	_, err = azurite.Start(ctx, azurite.Options{Root: root, DataDir: t.TempDir(), Port: az.Port})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "127.0.0.1:"+strconv.Itoa(az.Port)+" is taken")

	require.NoError(t, az.Stop())
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(az.Port))
	require.NoError(t, err, "the port is free once the emulator stopped")
	l.Close()
}

// TestSharedBackend: the dev and prod stacks of the example program `up` at once into one simulated
// cloud with their state in Azurite; a program of another project reads dev's outputs through a
// StackReference; the state is in the emulator's container.
func TestSharedBackend(t *testing.T) {
	ctx := testContext(t)
	az := startAzurite(t)
	e := newSharedEnv(t, az)
	// Each team's stack in its own Google project, as teams sharing a backend usually are. In one
	// project the two links would collide in simcloud, which names router interfaces and BGP peers
	// per project; Google scopes them per Cloud Router (terraform-provider-google-beta,
	// resource_compute_router_interface.go: ID region/router/name, "Router %s has interface %s
	// already"), so in a real project they would not.
	var stacks []auto.Stack
	for _, name := range []string{"dev", "prod"} {
		cfg := stackConfig(t, e.Root, name)
		cfg["havpn:gcpProject"] = auto.ConfigValue{Value: "sim-team-" + name}
		st, err := e.GoStack(ctx, name, cfg)
		require.NoError(t, err)
		stacks = append(stacks, st)
	}

	outcomes := simrun.UpAll(ctx, stacks)
	outputs := map[string]auto.OutputMap{}
	for _, o := range outcomes {
		require.NoError(t, o.Err, "pulumi up of %s/%s (simulated clouds); engine output:\n%s", o.Project, o.Stack, o.Engine)
		t.Logf("%s/%s: up in %.1fs (simulated clouds, scale 0), %v", o.Project, o.Stack, o.Wall().Seconds(), o.Summary.ResourceChanges)
		outputs[o.Stack] = o.Outputs
	}
	// The two ups ran at once: neither waited for the other (different stacks, different locks), and
	// the simulated cloud saw their creates interleaved.
	assert.True(t, outcomes[0].Start.Before(outcomes[1].End) && outcomes[1].Start.Before(outcomes[0].End), "the ups overlap")
	timeline, err := e.Timeline()
	require.NoError(t, err)
	var order []string // the stack of each simulated create, in the cloud's order, runs collapsed
	for _, entry := range timeline {
		stack := strings.SplitN(strings.TrimPrefix(entry.URN, "urn:pulumi:"), "::", 2)[0]
		if entry.Op == simcloud.OpCreate && (len(order) == 0 || order[len(order)-1] != stack) {
			order = append(order, stack)
		}
	}
	assert.GreaterOrEqual(t, len(order), 3, "dev's and prod's creates interleave in the simulated cloud: %v", order)

	t.Run("both links established in one simulated cloud", func(t *testing.T) {
		report := e.sessions()
		assert.Equal(t, wantPerStack["dev"].established+wantPerStack["prod"].established, report.Established,
			"established BGP sessions of both stacks (simulated): %+v", report.Sessions)
		assert.Zero(t, report.HalfWired, "half-wired tunnels (simulated)")
		assert.Equal(t, wantPerStack["dev"].azureConnecting+wantPerStack["prod"].azureConnecting, report.AzureConnecting)
		for _, name := range []string{"dev", "prod"} {
			tunnels, ok := outputs[name]["tunnels"].Value.([]any)
			require.True(t, ok, "%s tunnels output: %v", name, outputs[name]["tunnels"])
			assert.Len(t, tunnels, wantPerStack[name].tunnels, name)
		}
		// Every simulated resource belongs to exactly one stack: the two stacks' resource counts add
		// up to the simulator's (no resource taken over or shared by name).
		total := cloudResources(t, ctx, stacks[0]) + cloudResources(t, ctx, stacks[1])
		assert.Len(t, e.simResources(), total, "simulated resources vs both stacks' cloud resources")
		assert.NotEqual(t, outputs["dev"]["azureGatewayId"].Value, outputs["prod"]["azureGatewayId"].Value)
	})

	t.Run("StackReference across projects", func(t *testing.T) {
		reader := func(name string) pulumi.RunFunc {
			return func(ctx *pulumi.Context) error {
				ref, err := pulumi.NewStackReference(ctx, "link", &pulumi.StackReferenceArgs{Name: pulumi.String(name)})
				if err != nil {
					return err
				}
				ctx.Export("azureGatewayId", ref.GetStringOutput(pulumi.String("azureGatewayId")))
				ctx.Export("sharedSecrets", ref.GetOutput(pulumi.String("sharedSecrets")))
				return nil
			}
		}
		project := func(name string) simrun.StackSpec {
			return simrun.StackSpec{Project: workspaceProject("havpn-reader"), Stack: name}
		}
		spec := project("spoke")
		spec.Program = reader(simrun.StackRef("havpn", "dev"))
		st, err := e.Stack(ctx, spec)
		require.NoError(t, err)
		res := e.mustUp(ctx, st)
		assert.Equal(t, outputs["dev"]["azureGatewayId"].Value, res.Outputs["azureGatewayId"].Value)
		assert.True(t, res.Outputs["sharedSecrets"].Secret, "a secret output stays secret through the reference")
		assert.Equal(t, outputs["dev"]["sharedSecrets"].Value, res.Outputs["sharedSecrets"].Value)

		// The short name resolves in the reading project (organization/havpn-reader/dev), not havpn's.
		spec = project("short")
		spec.Program = reader("dev")
		st, err = e.Stack(ctx, spec)
		require.NoError(t, err)
		_, err = simrun.Up(ctx, st, io.Discard)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `unknown stack "dev"`)
	})

	t.Run("the state lives in the emulator", func(t *testing.T) {
		blobs, err := az.Blobs(ctx)
		require.NoError(t, err)
		names := make([]string, len(blobs))
		for i, b := range blobs {
			names[i] = b.Name
		}
		t.Logf("container %s: %d blobs: %s", az.Container, len(blobs), strings.Join(names, ", "))
		for _, st := range stacks {
			key := simrun.CheckpointKey("havpn", st.Name())
			require.Contains(t, names, key)
			raw, err := az.ReadBlob(ctx, key)
			require.NoError(t, err)
			var checkpoint struct { // apitype.VersionedCheckpoint
				Checkpoint struct {
					Latest struct {
						Resources []json.RawMessage `json:"resources"`
					} `json:"latest"`
				} `json:"checkpoint"`
			}
			require.NoError(t, json.Unmarshal(raw, &checkpoint), "%s", key)
			want := 0
			for _, n := range stateResources(t, ctx, st) {
				want += n
			}
			assert.Len(t, checkpoint.Checkpoint.Latest.Resources, want, "%s holds the stack's resources", key)
			assert.Contains(t, string(raw), `"ciphertext"`, "%s stores secrets encrypted", key)
			assert.NotContains(t, string(raw), masterSecret, "%s holds the master secret in plaintext", key)
		}
		assert.Contains(t, names, simrun.CheckpointKey("havpn-reader", "spoke"))
		for _, n := range names {
			assert.False(t, strings.HasPrefix(n, ".pulumi/locks/"), "a lock left behind: %s", n)
		}
	})
}

// TestSharedBackendLock: two `up`s of the same stack at once, from two operators' workspaces. While
// one holds the stack's lock the other is refused with the engine's lock message before its program
// runs; the state stays consistent (a later up changes nothing, no lock is left). Started at the same
// moment, they never both proceed: the DIY backend writes its lock, then checks for any other, so
// both may be refused, never both admitted.
func TestSharedBackendLock(t *testing.T) {
	ctx := testContext(t)
	az := startAzurite(t)
	e := newSharedEnv(t, az)
	proj, err := simrun.ExampleProject(e.Root)
	require.NoError(t, err)
	// gate holds each run's program until the test releases it: the run holds the stack's lock from
	// before its program starts until its update ends (pkg/backend/diy/backend.go:1219-1228).
	gate := newGate()
	t.Cleanup(gate.finish)
	operator := func(name string) auto.Stack {
		st, err := e.Stack(ctx, simrun.StackSpec{Project: proj, Stack: "dev", Program: gate.program(name), Operator: name})
		require.NoError(t, err)
		require.NoError(t, simrun.SetConfig(ctx, st, stackConfig(t, e.Root, "dev")))
		return st
	}
	alice, bob := operator("alice"), operator("bob")

	t.Run("one holds the lock, the other is refused", func(t *testing.T) {
		aliceDone := gate.up(ctx, alice)
		require.Equal(t, "started", gate.await("alice", aliceDone), "alice's program runs")
		bobDone := gate.up(ctx, bob)
		require.Equal(t, "returned", gate.await("bob", bobDone), "bob must be refused before his program runs")
		bobOut := <-bobDone
		require.Error(t, bobOut.Err)
		assert.True(t, simrun.IsLocked(bobOut.Err), "bob's error: %v", bobOut.Err)
		t.Logf("bob refused by the lock in %.1fs: %s", bobOut.Wall().Seconds(), lockMessage(bobOut.Err))
		assert.Contains(t, bobOut.Err.Error(), "the stack is currently locked by 1 lock(s)")
		assert.Contains(t, bobOut.Err.Error(), simrun.LockKeyPrefix("havpn", "dev"), "the message names the lock file")
		locks := lockBlobs(t, az)
		assert.Len(t, locks, 1, "alice's lock, in the container while she runs")

		gate.release("alice")
		aliceOut := <-aliceDone
		require.NoError(t, aliceOut.Err, "alice's up; engine output:\n%s", aliceOut.Engine)
		assert.Equal(t, wantPerStack["dev"].established, e.sessions().Established, "sessions (simulated)")
	})

	t.Run("state consistent afterwards", func(t *testing.T) {
		assert.Empty(t, lockBlobs(t, az), "no lock left behind")
		gate.release("bob")
		res := e.mustUp(ctx, bob)
		changes := *res.Summary.ResourceChanges
		assert.Equal(t, map[string]int{"same": changes["same"]}, changes, "bob's up after alice's changes nothing")
		assert.Len(t, e.simResources(), cloudResources(t, ctx, bob), "one copy of each cloud resource of the dev stack (simulated)")
		assert.Equal(t, wantPerStack["dev"].established, e.sessions().Established)
	})

	t.Run("started together, never both admitted", func(t *testing.T) {
		gate.hold("alice")
		gate.hold("bob")
		aliceDone, bobDone := gate.up(ctx, alice), gate.up(ctx, bob)
		aliceAt, bobAt := gate.await("alice", aliceDone), gate.await("bob", bobDone)
		require.False(t, aliceAt == "started" && bobAt == "started", "both programs ran: the lock admitted two updates")
		gate.release("alice")
		gate.release("bob")
		outs := []simrun.UpOutcome{<-aliceDone, <-bobDone}
		refused := 0
		for _, o := range outs {
			if o.Err != nil {
				require.True(t, simrun.IsLocked(o.Err), "%s: %v\n%s", o.Stack, o.Err, o.Engine)
				refused++
			}
		}
		t.Logf("started together: %d of 2 refused by the lock (alice %s, bob %s)", refused, aliceAt, bobAt)
		assert.GreaterOrEqual(t, refused, 1)
		assert.Empty(t, lockBlobs(t, az), "no lock left behind")
		assert.Len(t, e.simResources(), cloudResources(t, ctx, alice))
	})
}

// lockMessage is the engine's lock refusal out of the Automation API's error (which wraps the whole
// CLI output).
func lockMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, simrun.LockedMessage); i >= 0 {
		msg = msg[i:]
	}
	lines := strings.SplitAfterN(msg, "\n", 3) // the refusal and the first lock it names
	return strings.TrimSpace(strings.Join(lines[:min(2, len(lines))], ""))
}

// lockBlobs lists the dev stack's lock files in the container.
func lockBlobs(t *testing.T, az *azurite.Emulator) []string {
	t.Helper()
	blobs, err := az.Blobs(context.Background())
	require.NoError(t, err)
	var locks []string
	for _, b := range blobs {
		if strings.HasPrefix(b.Name, simrun.LockKeyPrefix("havpn", "dev")) {
			locks = append(locks, b.Name)
		}
	}
	return locks
}

// gate lets each operator's program start only when the test releases it, and tells the test when a
// program started.
type gate struct {
	runs     sync.WaitGroup
	mu       sync.Mutex
	started  map[string]chan struct{}
	released map[string]chan struct{}
}

func newGate() *gate {
	g := &gate{started: map[string]chan struct{}{}, released: map[string]chan struct{}{}}
	g.hold("alice")
	g.hold("bob")
	return g
}

// hold re-arms an operator's gate for the next run.
func (g *gate) hold(name string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.started[name] = make(chan struct{}, 1)
	g.released[name] = make(chan struct{})
}

func (g *gate) release(name string) {
	_, released := g.channels(name)
	select {
	case <-released:
	default:
		close(released)
	}
}

func (g *gate) channels(name string) (started, released chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.started[name], g.released[name]
}

func (g *gate) program(name string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		started, released := g.channels(name)
		started <- struct{}{}
		<-released
		return program.Run(ctx)
	}
}

// up runs `pulumi up` in the background.
func (g *gate) up(ctx context.Context, st auto.Stack) chan simrun.UpOutcome {
	done := make(chan simrun.UpOutcome, 1)
	g.runs.Add(1)
	go func() {
		defer g.runs.Done()
		done <- simrun.UpAll(ctx, []auto.Stack{st})[0]
	}()
	return done
}

// finish lets every held program go and waits for the runs, so a failed test leaves no engine behind.
func (g *gate) finish() {
	g.release("alice")
	g.release("bob")
	g.runs.Wait()
}

// await says whether the run's program started or the run returned first (the outcome then stays
// in done).
func (g *gate) await(name string, done chan simrun.UpOutcome) string {
	started, _ := g.channels(name)
	select {
	case <-started:
		return "started"
	case o := <-done:
		done <- o
		return "returned"
	case <-time.After(2 * time.Minute):
		return "timeout"
	}
}
