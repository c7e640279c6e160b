// Package offline runs the example program under Pulumi mocks with a stack's configuration: no cloud,
// no Pulumi CLI. It returns the resource inventory the program registers and the link's analysis.
package offline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"gopkg.in/yaml.v3"

	"github.com/havpn/pulumi-havpn/internal/analysis"
	"github.com/havpn/pulumi-havpn/internal/envconfig"
	"github.com/havpn/pulumi-havpn/internal/linkplan"
	"github.com/havpn/pulumi-havpn/internal/mockcloud"
	"github.com/havpn/pulumi-havpn/internal/plandoc"
	"github.com/havpn/pulumi-havpn/internal/program"
)

// Project is the Pulumi project name (Pulumi.yaml), also the default config namespace.
const Project = "havpn"

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
	cfg, secretKeys, err := stackConfig(opts)
	if err != nil {
		return nil, err
	}
	res := &Result{Document: plandoc.Document{Stack: opts.Stack, Warnings: []string{}}}
	if v := cfg[key("sharedSecret")]; v == "" {
		cfg[key("sharedSecret")] = PlaceholderSecret
		secretKeys = append(secretKeys, key("sharedSecret"))
		res.SecretPlaceholder = true
		res.Warnings = append(res.Warnings, "sharedSecret is not set in plain text for this stack: the plan uses a labelled placeholder; set it with `pulumi config set --secret havpn:sharedSecret` before deploying")
	}
	rec := mockcloud.NewRecorder(Project, opts.Stack)
	var built *program.Result
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		r, err := program.Build(ctx)
		built = r
		return err
	}, pulumi.WithMocks(Project, opts.Stack, rec), func(info *pulumi.RunInfo) {
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
	res.Warnings = append(res.Warnings, built.Warnings...)
	return res, nil
}

func key(k string) string { return envconfig.Namespace + ":" + k }

// stackConfig reads Pulumi.<stack>.yaml and applies the overrides; structured values become JSON,
// as the Pulumi engine passes them to programs. Encrypted values cannot be read offline and are left out.
func stackConfig(opts Options) (map[string]string, []string, error) {
	path := filepath.Join(opts.StacksDir, fmt.Sprintf("Pulumi.%s.yaml", opts.Stack))
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("stack %q: %w", opts.Stack, err)
	}
	var file struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	cfg := map[string]string{}
	var secretKeys []string
	for k, v := range file.Config {
		k = qualify(k)
		if m, ok := v.(map[string]any); ok && m["secure"] != nil {
			secretKeys = append(secretKeys, k)
			continue
		}
		s, err := configString(v)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s: %w", path, k, err)
		}
		cfg[k] = s
	}
	for _, set := range opts.Sets {
		k, v, ok := strings.Cut(set, "=")
		if !ok || k == "" {
			return nil, nil, fmt.Errorf("--set %q: want key=value", set)
		}
		cfg[qualify(k)] = v
		if qualify(k) == key("sharedSecret") {
			secretKeys = append(secretKeys, key("sharedSecret"))
		}
	}
	sort.Strings(secretKeys)
	return cfg, secretKeys, nil
}

// qualify adds the project namespace to a bare key, as `pulumi config set` does.
func qualify(k string) string {
	if strings.Contains(k, ":") {
		return k
	}
	return Project + ":" + k
}

func configString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int, bool, float64:
		return fmt.Sprint(x), nil
	default:
		b, err := json.Marshal(x)
		return string(b), err
	}
}

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
