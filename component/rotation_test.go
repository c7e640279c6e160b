package component

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

const nextTestSecret = "the-next-master-secret-of-32-chr"

// TestStagedRotationKeys: while nextSharedSecret is set, the tunnels on Azure instance 0 (and their
// connections) take keys derived from it; the others keep the current keys. Once sharedSecret takes
// the new value, every key derives from it, so stage 1's keys do not change again.
func TestStagedRotationKeys(t *testing.T) {
	stages := []struct {
		name          string
		current, next pulumi.StringInput
		want          func(w wantTunnel) string
	}{
		{"no rotation", pulumi.String(testSecret), nil, func(wantTunnel) string { return testSecret }},
		{"stage 1", pulumi.String(testSecret), pulumi.String(nextTestSecret), func(w wantTunnel) string {
			if w.azureInst == 0 {
				return nextTestSecret
			}
			return testSecret
		}},
		{"stage 1, next as secret Output", pulumi.String(testSecret), pulumi.ToSecret(pulumi.String(nextTestSecret)).(pulumi.StringOutput), func(w wantTunnel) string {
			if w.azureInst == 0 {
				return nextTestSecret
			}
			return testSecret
		}},
		{"stage 2, next kept", pulumi.String(nextTestSecret), pulumi.String(nextTestSecret), func(wantTunnel) string { return nextTestSecret }},
		{"stage 2, next removed", pulumi.String(nextTestSecret), nil, func(wantTunnel) string { return nextTestSecret }},
		{"empty next stages nothing", pulumi.String(testSecret), pulumi.String(""), func(wantTunnel) string { return testSecret }},
	}
	for _, topo := range topologies {
		for _, st := range stages {
			t.Run(topo+"/"+st.name, func(t *testing.T) {
				args := validArgs(topo)
				args.SharedSecret, args.NextSharedSecret = st.current, st.next
				var secrets *awaited[map[string]string]
				r := mustRender(t, args, func(ctx *pulumi.Context, link *HaVpnLink) { secrets = await[map[string]string](link.SharedSecrets) })
				want := map[string]string{}
				for _, w := range wantTunnels(topo) {
					psk := linkplan.DerivePSK(st.want(w), w.tunnel)
					want[w.tunnel] = psk
					tunnel := reg(t, r.rec, tTunnel, w.tunnel)
					conn := reg(t, r.rec, tConnection, w.conn)
					assert.Equal(t, psk, input(t, tunnel, "sharedSecret"), w.tunnel)
					assert.Equal(t, psk, input(t, conn, "sharedKey"), w.conn)
					assert.True(t, tunnel.Inputs[resourceKey("sharedSecret")].IsSecret(), w.tunnel)
					assert.True(t, conn.Inputs[resourceKey("sharedKey")].IsSecret(), w.conn)
				}
				assert.Equal(t, want, secrets.get(t))
			})
		}
	}
}

// TestFailedNextSecretRegistersNoKeyedResource: a next secret that turns out invalid stops the keyed
// resources (and the gateway) like an invalid master secret does.
func TestFailedNextSecretRegistersNoKeyedResource(t *testing.T) {
	args := validArgs("paired")
	args.NextSharedSecret = pulumi.String("tooShortSecret").ToStringOutput()
	r := renderWith(t, testName, args, nil)
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), "nextSharedSecret")
	assert.NotContains(t, r.err.Error(), "tooShortSecret")
	assert.Empty(t, r.rec.OfType(tTunnel))
	assert.Empty(t, r.rec.OfType(tConnection))
	assert.Empty(t, r.rec.OfType(tVnetGateway))
}
