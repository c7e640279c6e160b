//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
	"github.com/havpn/pulumi-havpn/internal/simulation/simdemo"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
)

// teamStack creates one of the committed team stacks (stacks/Pulumi.<name>.yaml) of the example
// program, each spoke with a master secret of its own.
func (e *env) teamStack(ctx context.Context, name string) (auto.Stack, auto.ConfigMap) {
	e.t.Helper()
	cfg, err := simrun.StackConfig(e.Root, name, simdemo.SpokeSecret(masterSecret, name))
	require.NoError(e.t, err)
	st, err := e.GoStack(ctx, name, cfg)
	require.NoError(e.t, err)
	return st, cfg
}

// established counts a link's established sessions in the report, of its tunnels.
func established(r *simrun.SessionReport, link string) (up, planned int) {
	tunnels := simrun.LinkTunnels(r, link)
	for _, t := range tunnels {
		if slices.Contains(r.EstablishedTunnels(), t) {
			up++
		}
	}
	return up, len(tunnels)
}

// hubResourceSteps checks the engine's steps on the hub's gateway and public IPs.
func hubResourceSteps(t *testing.T, ops map[string]string, want, when string) {
	t.Helper()
	for _, name := range []string{"hub-vgw", "hub-pip0", "hub-pip1"} {
		assert.Truef(t, hasURN(ops, "havpn:index:AzureVpnHub$", name), "%s: no step on %s: %v", when, name, keys(ops))
	}
	for urn, op := range ops {
		assert.Equal(t, want, op, "%s: %s", when, urn)
	}
}

// TestTeamStacks (SIMULATED clouds, state in Azurite): the committed team stacks of the example program.
// The hub, then spoke-a, -b and -c at once, each on its registered slot with its sessions established;
// spoke-d is refused before anything is created until the hub registers it; registering it changes no
// hub resource, and its up touches nothing of the hub's and drops no other spoke's session; removing
// spoke-b deletes its LNGs and connections, drops no other spoke's session, and unregistering it
// changes no hub resource either.
func TestTeamStacks(t *testing.T) {
	ctx := testContext(t)
	az := startAzurite(t)
	e := newSharedEnv(t, az)

	hub, hubCfg := e.teamStack(ctx, simdemo.HubStack)
	res := e.mustUp(ctx, hub)
	hubDone := time.Now().UnixNano()
	capacity := res.Outputs["capacity"].Value.(map[string]any)
	assert.Equal(t, []any{6.0, 3.0, 24.0}, []any{capacity["slots"], capacity["slotsRegistered"], capacity["tunnelsReserved"]}, "%v", capacity)
	assert.Equal(t, []any{"10.10.0.0/16"}, res.Outputs["addressPrefixes"].Value)
	assert.Empty(t, e.sessions().Sessions, "the hub alone has no tunnel")

	t.Run("an unregistered spoke is refused before anything is created", func(t *testing.T) {
		spokeD, _ := e.teamStack(ctx, simdemo.AddedSpoke)
		start := time.Now().UnixNano()
		_, err := e.up(ctx, spokeD)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `azure.hubSpoke = "spoke-d": hub "hub"'s spoke registry has no such spoke`)
		entries, err := e.Timeline()
		require.NoError(t, err)
		assert.Empty(t, simrun.OpsOnStack(entries, simdemo.AddedSpoke, start), "spoke-d created nothing in the simulated clouds")
	})

	var spokes []auto.Stack
	for _, name := range simdemo.FirstSpokes {
		st, _ := e.teamStack(ctx, name)
		spokes = append(spokes, st)
	}
	outcomes := simrun.UpAll(ctx, spokes)
	for _, o := range outcomes {
		require.NoError(t, o.Err, "pulumi up of %s (simulated clouds); engine output:\n%s", o.Stack, o.Engine)
		t.Logf("%s: up in %.1fs at once with the others (simulated clouds, scale 0), %v", o.Stack, o.Wall().Seconds(), *o.Summary.ResourceChanges)
	}
	for i := range outcomes {
		for j := range i {
			assert.True(t, outcomes[i].Start.Before(outcomes[j].End) && outcomes[j].Start.Before(outcomes[i].End), "%s and %s ran at once", outcomes[i].Stack, outcomes[j].Stack)
		}
	}
	report := e.sessions()
	assert.Equal(t, 6, report.Established, "three spokes x 2 sessions (simulated): %+v", report.Sessions)
	assert.Zero(t, report.HalfWired)
	assert.Equal(t, []string{"hub-vgw/instance0", "hub-vgw/instance1"}, azureInstances(report), "one gateway serves every spoke")
	for k, name := range simdemo.FirstSpokes {
		up, planned := established(report, name)
		assert.Equal(t, []int{2, 2}, []int{up, planned}, "%s's sessions (simulated)", name)
		tunnels := outcomes[k].Outputs["tunnels"].Value.([]any)
		// Slot k's /30s: block k of the paired allocation.
		assert.Equal(t, []string{fmt.Sprintf("169.254.21.%d/30", 8*k), fmt.Sprintf("169.254.22.%d/30", 8*k)},
			[]string{tunnels[0].(map[string]any)["bgpSessionRange"].(string), tunnels[1].(map[string]any)["bgpSessionRange"].(string)}, name)
		counts := stateResources(t, ctx, spokes[k])
		assert.Zero(t, counts["azure-native:network:VirtualNetworkGateway"]+counts["azure-native:network:PublicIPAddress"], "%s owns no gateway or public IP", name)
		assert.Equal(t, 2, counts["azure-native:network:VirtualNetworkGatewayConnection"], name)
	}

	t.Run("adding a spoke touches nothing of the hub and drops no other session", func(t *testing.T) {
		entry, err := simdemo.AddedSpokeEntry(e.Root, hubCfg)
		require.NoError(t, err)
		assert.Equal(t, 3, entry.Slot)
		require.NoError(t, simrun.RegisterSpoke(hubCfg, entry))
		require.NoError(t, simrun.SetConfig(ctx, hub, hubCfg))
		start := time.Now().UnixNano()
		res, ops, err := simrun.UpWithOps(ctx, hub, io.Discard)
		require.NoError(t, err)
		hubResourceSteps(t, ops, "same", "registering spoke-d")
		assert.Equal(t, 4.0, res.Outputs["capacity"].Value.(map[string]any)["slotsRegistered"])
		entries, err := e.Timeline()
		require.NoError(t, err)
		assert.Empty(t, simrun.OpsOnStack(entries, simdemo.HubStack, start), "registering a spoke sends the clouds nothing")

		watched := otherTunnels(e.sessions(), simdemo.FirstSpokes...)
		require.Len(t, watched, 6)
		spokeD, _ := e.teamStack(ctx, simdemo.AddedSpoke)
		from := time.Now().UnixNano()
		e.mustUp(ctx, spokeD)
		to := time.Now().UnixNano()
		entries, err = e.Timeline()
		require.NoError(t, err)
		assert.Empty(t, simrun.OpsOnStack(entries, simdemo.HubStack, hubDone), "no operation on any hub resource since the hub's first up")
		for _, en := range entries {
			if en.At() >= from && en.At() <= to {
				assert.Equal(t, simdemo.AddedSpoke, simrun.StackOfURN(en.URN), "only spoke-d's resources change during its up: %s %s", en.Op, en.URN)
			}
		}
		d := simcloud.MeasureDisruption(entries, from, to, simcloud.Tunnels(watched...))
		assert.Equal(t, simcloud.Disruption{Before: 6, After: 6, MinEstablished: 6}, d, "the other spokes' sessions during spoke-d's up (simulated)")
		report := e.sessions()
		assert.Equal(t, 8, report.Established)
		up, planned := established(report, simdemo.AddedSpoke)
		assert.Equal(t, []int{2, 2}, []int{up, planned})
		for urn, op := range e.preview(ctx, hub) {
			assert.Equal(t, "same", op, "the hub stack after spoke-d: %s", urn)
		}
	})

	t.Run("removing a spoke touches nothing of the hub and drops no other session", func(t *testing.T) {
		const removed = "spoke-b"
		watched := otherTunnels(e.sessions(), "spoke-a", "spoke-c", simdemo.AddedSpoke)
		require.Len(t, watched, 6)
		from := time.Now().UnixNano()
		e.destroy(ctx, spokes[1])
		to := time.Now().UnixNano()
		entries, err := e.Timeline()
		require.NoError(t, err)
		deleted := map[string]int{}
		for _, en := range entries {
			if en.At() < from || en.At() > to {
				continue
			}
			assert.Equal(t, removed, simrun.StackOfURN(en.URN), "only spoke-b's resources change while it is destroyed: %s %s", en.Op, en.URN)
			if en.Op == simcloud.OpDelete && en.Phase == "" {
				deleted[en.Type]++
			}
		}
		assert.Equal(t, 2, deleted["azure-native:network:LocalNetworkGateway"], "%v", deleted)
		assert.Equal(t, 2, deleted["azure-native:network:VirtualNetworkGatewayConnection"], "%v", deleted)
		d := simcloud.MeasureDisruption(entries, from, to, simcloud.Tunnels(watched...))
		assert.Equal(t, simcloud.Disruption{Before: 6, After: 6, MinEstablished: 6}, d, "the other spokes' sessions while spoke-b goes (simulated)")
		records, err := e.Records()
		require.NoError(t, err)
		for _, r := range records {
			assert.NotEqual(t, removed, simrun.StackOfURN(r.URN), "left in the simulated clouds: %s", r.URN)
		}
		report := e.sessions()
		assert.Equal(t, 6, report.Established)
		assert.Len(t, report.Sessions, 6, "spoke-b's tunnels are gone")

		require.NoError(t, simrun.UnregisterSpoke(hubCfg, removed))
		require.NoError(t, simrun.SetConfig(ctx, hub, hubCfg))
		start := time.Now().UnixNano()
		res, ops, err := simrun.UpWithOps(ctx, hub, io.Discard)
		require.NoError(t, err)
		hubResourceSteps(t, ops, "same", "unregistering spoke-b")
		assert.Equal(t, 3.0, res.Outputs["capacity"].Value.(map[string]any)["slotsRegistered"])
		entries, err = e.Timeline()
		require.NoError(t, err)
		assert.Empty(t, simrun.OpsOnStack(entries, simdemo.HubStack, start), "unregistering a spoke sends the clouds nothing")
		assert.Equal(t, 6, e.sessions().Established)
	})

	t.Run("the state is in the emulator", func(t *testing.T) {
		blobs, err := az.Blobs(ctx)
		require.NoError(t, err)
		var names []string
		for _, b := range blobs {
			names = append(names, b.Name)
			assert.False(t, strings.HasPrefix(b.Name, ".pulumi/locks/"), "a lock left behind: %s", b.Name)
		}
		for _, stack := range []string{simdemo.HubStack, "spoke-a", "spoke-b", "spoke-c", simdemo.AddedSpoke} {
			assert.Contains(t, names, simrun.CheckpointKey("havpn", stack))
		}
	})
}

// otherTunnels lists the Google names of the named links' tunnels.
func otherTunnels(r *simrun.SessionReport, links ...string) []string {
	var out []string
	for _, l := range links {
		out = append(out, simrun.LinkTunnels(r, l)...)
	}
	return out
}

// TestSpokeConfigRefused (SIMULATED clouds): a spoke stack's configuration mistakes reach the user
// through the engine before anything is created: no hubStack, a hub stack that does not exist.
func TestSpokeConfigRefused(t *testing.T) {
	ctx := testContext(t)
	e := newEnv(t)
	cfg, err := simrun.StackConfig(e.Root, "spoke-a", masterSecret)
	require.NoError(t, err)
	delete(cfg, "havpn:hubStack")
	st, err := e.GoStack(ctx, "spoke-a", cfg)
	require.NoError(t, err)
	_, err = simrun.Preview(ctx, st, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "havpn:hubStack is not set: a spoke stack needs it")

	cfg["havpn:hubStack"] = auto.ConfigValue{Value: "organization/havpn/no-such-hub"}
	require.NoError(t, simrun.SetConfig(ctx, st, cfg))
	_, err = simrun.Preview(ctx, st, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no-such-hub")
	assert.Empty(t, e.simResources())
}
