// Package offline runs the example program under Pulumi mocks with a stack's configuration: no cloud,
// no Pulumi CLI. It returns the resource inventory the program registers and the link's analysis.
package offline

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
	"github.com/havpn/pulumi-havpn/internal/example/program"
	"github.com/havpn/pulumi-havpn/internal/simulation/mockcloud"
	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

// PlaceholderSecret stands in for a sharedSecret the stack file does not hold in plain text.
const PlaceholderSecret = "offline-plan-placeholder-secret-not-for-deployment"

// Options selects the stack and overrides.
type Options struct {
	Stack     string
	StacksDir string   // directory holding Pulumi.<stack>.yaml
	Sets      []string // key=value, as `pulumi config set` would store them
}

// Result is the offline plan of one stack: the JSON document and the link's plan behind it.
type Result struct {
	plandoc.Document
	Plan *linkplan.Plan `json:"-"`
}

// Run plans the stack under mocks.
func Run(opts Options) (*Result, error) {
	cfg, secretKeys, fingerprints, err := stackConfig(opts)
	if err != nil {
		return nil, err
	}
	if role := envconfig.Role(cfg[envconfig.Qualify("role")]); role != "" && role != envconfig.RoleLink {
		return nil, &UsageError{fmt.Sprintf("stack %q has havpn:role %s: havpn plan plans link stacks only. A hub's slots and capacity are its outputs (pulumi preview); a spoke's plan needs its hub's outputs, which it reads through a StackReference when it runs (make demo-hub runs both against the simulated clouds)", opts.Stack, role)}
	}
	res := &Result{Document: plandoc.Document{Stack: opts.Stack, Warnings: []string{}, SecretConfig: fingerprints}}
	if v := cfg[envconfig.Qualify("sharedSecret")]; v == "" {
		cfg[envconfig.Qualify("sharedSecret")] = PlaceholderSecret
		secretKeys = append(secretKeys, envconfig.Qualify("sharedSecret"))
		res.SecretPlaceholder = true
		res.Warnings = append(res.Warnings, "sharedSecret is not set in plain text for this stack: the plan uses a labelled placeholder; set it with `pulumi config set --secret havpn:sharedSecret` before deploying")
	}
	rec := mockcloud.NewRecorder(envconfig.Namespace, opts.Stack)
	var built *program.Result
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		r, err := program.Build(ctx)
		built = r
		return err
	}, pulumi.WithMocks(envconfig.Namespace, opts.Stack, rec), func(info *pulumi.RunInfo) {
		info.Config, info.ConfigSecretKeys, info.DryRun = cfg, secretKeys, true
	})
	if err != nil {
		return nil, unwrap(err)
	}
	plan := built.Link.Plan
	res.Plan = plan
	res.Resources = rec.Inventory()
	res.Tunnels = analysis.TunnelRows(plan)
	res.Failures = analysis.Survivability(plan)
	res.Carriers = analysis.Carriers(plan)
	res.RotationStages = map[string][]string{}
	for _, stage := range []int{linkplan.RotationStageFirst, linkplan.RotationStageSecond} {
		res.RotationStages[fmt.Sprint(stage)] = plan.TunnelsOfRotationStage(stage)
	}
	res.Warnings = append(res.Warnings, built.Warnings...)
	return res, nil
}

// stackConfig reads Pulumi.<stack>.yaml, applies the overrides and checks the result against the
// declaration (envconfig.Check: as the CLI would, and undeclared keys too). Encrypted values cannot be
// read offline and are left out. A --set of a list or object key is JSON; of a secret key, secret (as
// `pulumi config set --secret`).
func stackConfig(opts Options) (map[string]string, []string, map[string]string, error) {
	sf, err := envconfig.ReadStackFile(opts.StacksDir, opts.Stack)
	if err != nil {
		return nil, nil, nil, err
	}
	secretKeys := slices.Clone(sf.Encrypted)
	fingerprints := map[string]string{}
	for k, ciphertext := range sf.Ciphertexts {
		fingerprints[k] = plandoc.Fingerprint(ciphertext)
	}
	for _, set := range opts.Sets {
		k, v, ok := strings.Cut(set, "=")
		if !ok || k == "" {
			return nil, nil, nil, &UsageError{fmt.Sprintf("--set %q: want key=value", set)}
		}
		k = envconfig.Qualify(k)
		if err := sf.Set(k, envconfig.SetValue(k, v)); err != nil {
			return nil, nil, nil, fmt.Errorf("--set %s: %w", k, err)
		}
		if decl, ok := envconfig.Declared(k); ok && envconfig.OwnKey(k) && (decl.Secret || decl.Encrypt) {
			if !slices.Contains(secretKeys, k) {
				secretKeys = append(secretKeys, k)
			}
			fingerprints[k] = plandoc.Fingerprint(v)
		}
	}
	sort.Strings(secretKeys)
	if problems := envconfig.Check(sf.Values, secretKeys); len(problems) > 0 {
		return nil, nil, nil, &envconfig.Error{Problems: problems}
	}
	if len(fingerprints) == 0 {
		fingerprints = nil
	}
	return sf.Plain, secretKeys, fingerprints, nil
}

// UsageError is a malformed command line (exit status 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// unwrap returns the validation problems or configuration error inside the Pulumi run's error wrapping.
func unwrap(err error) error {
	var problems linkplan.Problems
	if errors.As(err, &problems) {
		return problems
	}
	var cfgErr *envconfig.Error
	if errors.As(err, &cfgErr) {
		return cfgErr
	}
	return err
}
