package component

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
	"github.com/havpn/pulumi-havpn/internal/simulation/mockcloud"
)

// masterSecretForms are the ways a caller can pass the master secret.
func masterSecretForms() []struct {
	name   string
	secret func() pulumi.StringInput
} {
	return []struct {
		name   string
		secret func() pulumi.StringInput
	}{
		{"plain String", func() pulumi.StringInput { return pulumi.String(testSecret) }},
		{"plain Output", func() pulumi.StringInput { return pulumi.String(testSecret).ToStringOutput() }},
		{"secret Output", func() pulumi.StringInput {
			return pulumi.ToSecret(pulumi.String(testSecret)).(pulumi.StringOutput)
		}},
	}
}

// secretInputs are, per resource type, the only inputs that may hold a secret.
var secretInputs = map[string][]string{
	tTunnel:     {"sharedSecret"},
	tConnection: {"sharedKey"},
}

func TestPSKsAreSecretInEveryInput(t *testing.T) {
	for _, form := range masterSecretForms() {
		for _, topo := range topologies {
			t.Run(form.name+"/"+topo, func(t *testing.T) {
				args := validArgs(topo)
				args.SharedSecret = form.secret()
				r := mustRender(t, args, nil)
				checked := 0
				for _, g := range r.rec.Registrations() {
					assert.Equal(t, secretInputs[g.Type], g.SecretPaths(), "secret inputs of %s", g.Name)
					for _, key := range secretInputs[g.Type] {
						v, ok := g.Inputs[resourceKey(key)]
						require.Truef(t, ok, "%s has no %s", g.Name, key)
						assert.Truef(t, v.IsSecret(), "%s.%s must be a secret, got %v", g.Name, key, v)
						checked++
					}
				}
				assert.Equal(t, 2*len(wantTunnels(topo)), checked, "one tunnel and one connection per planned tunnel")
			})
		}
	}
}

func TestPSKValues(t *testing.T) {
	for _, topo := range topologies {
		t.Run(topo, func(t *testing.T) {
			r := mustRender(t, validArgs(topo), nil)
			hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
			seen := map[string]string{}
			for _, w := range wantTunnels(topo) {
				google := input(t, reg(t, r.rec, tTunnel, w.tunnel), "sharedSecret")
				azure := input(t, reg(t, r.rec, tConnection, w.conn), "sharedKey")
				psk, ok := google.(string)
				require.True(t, ok, "%s sharedSecret is %T", w.tunnel, google)
				assert.Equal(t, psk, azure, "%s and %s must share a key", w.tunnel, w.conn)
				assert.Regexp(t, hex64, psk, "PSK of %s", w.tunnel)
				assert.Equal(t, linkplan.DerivePSK(testSecret, w.tunnel), psk, "PSK of %s", w.tunnel)
				assert.NotEqual(t, testSecret, psk)
				if prev, dup := seen[psk]; dup {
					t.Errorf("%s and %s share a PSK", prev, w.tunnel)
				}
				seen[psk] = w.tunnel
			}
			assert.Len(t, seen, len(wantTunnels(topo)))
		})
	}
}

func TestPSKsChangeWithTheMasterSecret(t *testing.T) {
	a := mustRender(t, validArgs("paired"), nil)
	args := validArgs("paired")
	args.SharedSecret = pulumi.String("another-master-secret-of-32-char")
	b := mustRender(t, args, nil)
	for _, w := range wantTunnels("paired") {
		assert.NotEqual(t,
			input(t, reg(t, a.rec, tTunnel, w.tunnel), "sharedSecret"),
			input(t, reg(t, b.rec, tTunnel, w.tunnel), "sharedSecret"), w.tunnel)
	}
}

func TestSharedSecretsOutputIsSecret(t *testing.T) {
	for _, form := range masterSecretForms() {
		t.Run(form.name, func(t *testing.T) {
			args := validArgs("dualGateway")
			args.SharedSecret = form.secret()
			var secrets *awaited[map[string]string]
			var one pulumi.StringOutput
			r := mustRender(t, args, func(ctx *pulumi.Context, link *HaVpnLink) {
				secrets = await[map[string]string](link.SharedSecrets)
				one = link.SharedSecrets.MapIndex(pulumi.String("gcp-azure-t2"))
			})
			// RunErr has returned, so every output is resolved and IsSecret does not block.
			assert.True(t, pulumi.IsSecret(r.link.SharedSecrets), "sharedSecrets must be secret")
			assert.True(t, pulumi.IsSecret(one), "an element of sharedSecrets must stay secret")
			// Controls: IsSecret does tell plain outputs apart.
			assert.False(t, pulumi.IsSecret(r.link.TopologyReport), "topologyReport is not secret")
			assert.False(t, pulumi.IsSecret(r.link.GcpGatewayIps), "gcpGatewayIps is not secret")
			assert.False(t, pulumi.IsSecret(r.link.Tunnels), "tunnels is not secret")

			want := map[string]string{}
			for _, w := range wantTunnels("dualGateway") {
				want[w.tunnel] = linkplan.DerivePSK(testSecret, w.tunnel)
			}
			assert.Equal(t, want, secrets.get(t))
		})
	}
}

func TestMasterSecretNeverRecorded(t *testing.T) {
	for _, form := range masterSecretForms() {
		t.Run(form.name, func(t *testing.T) {
			args := customArgs()
			args.SharedSecret = form.secret()
			r := mustRender(t, args, nil)
			inv, err := json.Marshal(r.rec.Inventory())
			require.NoError(t, err)
			assert.NotContains(t, string(inv), testSecret, "the master secret leaked into the inventory")
			// Not even masked inputs carry the master secret: only derived keys leave the component.
			for _, g := range r.rec.Registrations() {
				assert.NotContains(t, fmt.Sprintf("%v", rawMap(g.Inputs)), testSecret, "%s carries the master secret", g.Name)
			}
			// And no derived key shows in the masked inventory.
			for _, w := range wantTunnels("dualGateway") {
				psk := linkplan.DerivePSK(testSecret, w.tunnel)
				assert.NotContains(t, string(inv), psk, "PSK of %s is not masked", w.tunnel)
				assert.Equal(t, 2, strings.Count(fmt.Sprint(allRawInputs(r.rec)), psk), "PSK of %s is sent to exactly its tunnel and connection", w.tunnel)
			}
		})
	}
}

// allRawInputs is every registration's inputs, secrets unwrapped.
func allRawInputs(rec *mockcloud.Recorder) []map[string]any {
	var out []map[string]any
	for _, g := range rec.Registrations() {
		out = append(out, rawMap(g.Inputs))
	}
	return out
}
