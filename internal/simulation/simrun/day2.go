package simrun

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// Day2Change is a configuration change an operator makes to a deployed stack: keys to set, keys to
// remove.
type Day2Change struct {
	Name   string
	Set    auto.ConfigMap
	Remove []string
	// KeepsLink marks the changes designed to keep a BGP session up throughout (the staged rotation).
	KeepsLink bool
	// ReplacesGateway marks the one change that must replace the Azure gateway (its name is in its ID).
	ReplacesGateway bool
}

// NextSecretSuffix turns a stack's master secret into the one the rotation rows move to.
const NextSecretSuffix = "-rotated"

// Day2Sequence is the changes the end-to-end tests and the benchmark apply one after another to a
// deployed stack (each starts from the configuration the previous one left). It covers the staged
// secret rotation (both stages), a one-step rotation for contrast, the BGP timers and advertisements,
// the connections' DPD timeout and IPsec policy, the firewall, the /30 block, the SKU, the gateway's
// name and the topology.
func Day2Sequence(stack, masterSecret string) []Day2Change {
	key := envconfig.Qualify
	secret := func(v string) auto.ConfigValue { return auto.ConfigValue{Value: v, Secret: true} }
	next, third := masterSecret+NextSecretSuffix, masterSecret+NextSecretSuffix+"-again"
	block := "2"
	topology := day2Change("paired -> dualGateway", key("topology"), "dualGateway")
	if stack == "prod" {
		topology = day2Change("dualGateway -> paired", key("topology"), "paired")
	}
	return []Day2Change{
		{Name: "rotate secret, stage 1 (set nextSharedSecret)", Set: auto.ConfigMap{key("nextSharedSecret"): secret(next)}, KeepsLink: true},
		{Name: "rotate secret, stage 2 (sharedSecret = next, drop nextSharedSecret)", Set: auto.ConfigMap{key("sharedSecret"): secret(next)},
			Remove: []string{key("nextSharedSecret")}, KeepsLink: true},
		{Name: "rotate secret in one step (not staged)", Set: auto.ConfigMap{key("sharedSecret"): secret(third)}},
		day2Change("keepalive 20 -> 30 s", key("keepaliveInterval"), "30"),
		day2Change("advertise an extra range", key("advertisedIpRanges"), `["172.20.0.0/16"]`),
		day2Change("DPD timeout 45 -> 30 s", key("dpdTimeoutSeconds"), "30"),
		day2Change("IPsec policy: IKE AES256 / SHA256", key("ipsecPolicy"), `{"ikeEncryption":"AES256","ikeIntegrity":"SHA256"}`),
		day2Change("firewall: tcp 22, 443 and icmp to tagged VMs", key("firewall"),
			`{"allow":[{"protocol":"tcp","ports":["22","443"]},{"protocol":"icmp"}],"targetTags":["from-azure"]}`),
		day2Change("bgpSessionBlock -> "+block, key("bgpSessionBlock"), block),
		day2Change("SKU VpnGw1AZ -> VpnGw2AZ", key("azureSku"), "VpnGw2AZ"),
		{Name: "azure.gatewayName -> gcp-azure-vgw2", Set: auto.ConfigMap{key("azureGatewayName"): {Value: "gcp-azure-vgw2"}}, ReplacesGateway: true},
		topology,
	}
}

func day2Change(name, key, value string) Day2Change {
	return Day2Change{Name: name, Set: auto.ConfigMap{key: {Value: value}}}
}

// Day2Result is what one change's `up` did, measured in the SIMULATED clouds.
type Day2Result struct {
	Stack, Change                       string
	Replaced, Updated, Created, Deleted []string // "Type/name", sorted
	Wall                                time.Duration
	// Disruption is simcloud's timeline over the up: the fewest BGP sessions established and how
	// long none was.
	Disruption simcloud.Disruption
	// SessionsTotal is the number of planned sessions (tunnels) after the change; SessionsAfter the
	// number simcloud reports established once the up is done.
	SessionsTotal, SessionsAfter int
}

// OutageSeconds is how long no BGP session was established, in simulated seconds.
func (r Day2Result) OutageSeconds(scale float64) float64 {
	if scale <= 0 {
		return 0
	}
	return time.Duration(r.Disruption.ZeroNanos).Seconds() / scale
}

// ApplyDay2 applies one change to a deployed stack with `pulumi up` and measures it.
func (w *World) ApplyDay2(ctx context.Context, st auto.Stack, c Day2Change, progress io.Writer) (Day2Result, error) {
	res := Day2Result{Stack: st.Name(), Change: c.Name}
	if err := SetConfig(ctx, st, c.Set); err != nil {
		return res, err
	}
	for _, k := range c.Remove {
		if err := st.RemoveConfig(ctx, k); err != nil {
			return res, err
		}
	}
	start := time.Now()
	up, ops, err := UpWithOps(ctx, st, progress)
	end := time.Now()
	if err != nil {
		return res, fmt.Errorf("%s: pulumi up (simulated clouds): %w", c.Name, err)
	}
	res.Wall = end.Sub(start)
	byClass := map[string][]string{}
	for urn, op := range ops {
		byClass[OpClass(op)] = append(byClass[OpClass(op)], ShortName(urn))
	}
	res.Replaced, res.Updated, res.Created, res.Deleted = sorted(byClass["replace"]), sorted(byClass["update"]), sorted(byClass["create"]), sorted(byClass["delete"])
	entries, err := simcloud.ReadTimeline(w.SimState)
	if err != nil {
		return res, err
	}
	res.Disruption = simcloud.MeasureDisruption(entries, start.UnixNano(), end.UnixNano(), nil)
	report, err := w.Sessions()
	if err != nil {
		return res, err
	}
	res.SessionsAfter = report.Established
	tunnels, _ := up.Outputs["tunnels"].Value.([]any)
	res.SessionsTotal = len(tunnels)
	return res, nil
}

// UpWithOps runs `pulumi up` and returns, per resource URN, the step the engine took.
func UpWithOps(ctx context.Context, st auto.Stack, progress io.Writer, opts ...optup.Option) (auto.UpResult, map[string]string, error) {
	steps := recordSteps()
	res, err := st.Up(ctx, append(opts, optup.EventStreams(steps.events), optup.ProgressStreams(progress), optup.ErrorProgressStreams(progress))...)
	if err != nil {
		return res, nil, err
	}
	return res, steps.wait(), nil
}

// OpClass folds the engine's step kinds into replace, update, create, delete, read and same.
func OpClass(op string) string {
	switch op {
	case "replace", "create-replacement", "delete-replaced", "discard-replaced", "remove-pending-replace":
		return "replace"
	}
	return op
}

// ShortName renders a URN as "Type/name" with the type's last segment.
func ShortName(urn string) string {
	parts := strings.Split(urn, "::")
	typ := parts[len(parts)-2]
	typ = typ[strings.LastIndex(typ, ":")+1:]
	if i := strings.LastIndex(typ, "$"); i >= 0 {
		typ = typ[i+1:]
	}
	return typ + "/" + parts[len(parts)-1]
}

func sorted(names []string) []string {
	sort.Strings(names)
	return slices.Compact(names)
}
