package simcloud

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// Cloud is one side of the simulation: which plugin it stands in for and how it labels its messages.
type Cloud struct {
	Package string // Pulumi package name
	Binary  string // plugin binary name the engine looks for
	Version string // plugin version reported to the engine
	Label   string // prefix of every message
}

// The two simulated clouds.
var (
	Google = &Cloud{Package: "gcp", Binary: "pulumi-resource-gcp", Version: "7.38.0", Label: "simcloud (simulated Google Cloud)"}
	Azure  = &Cloud{Package: "azure-native", Binary: "pulumi-resource-azure-native", Version: "2.90.0", Label: "simcloud (simulated Azure)"}
)

// CloudForBinary picks the cloud from the plugin binary's base name.
func CloudForBinary(arg0 string) (*Cloud, bool) {
	base := path.Base(strings.ReplaceAll(arg0, "\\", "/"))
	base = strings.TrimSuffix(base, ".exe")
	for _, c := range []*Cloud{Google, Azure} {
		if base == c.Binary {
			return c, true
		}
	}
	return nil, false
}

// Settings are the provider configuration values IDs depend on.
type Settings struct {
	Project      string // gcp:project
	Region       string // gcp:region
	Subscription string // azure-native:subscriptionId
}

// Default settings when the stack configures none.
var defaultSettings = Settings{Project: "sim-project", Region: "us-central1", Subscription: "00000000-0000-0000-0000-000000000000"}

// Kind describes one simulated resource type: its rules and computed outputs. Which input changes
// replace it is cloudrules.ReplaceRules, the table the real providers' code was read into.
type Kind struct {
	Token       string
	Cloud       *Cloud
	Collection  string           // API collection in the resource ID
	NameKey     string           // input holding the physical name
	Regional    bool             // Google: ID under regions/R
	Seconds     float64          // simulated provisioning time of a create (and of update and delete)
	Rules       func(c *Checker) // Check rules
	CreateRules func(c *Checker) // rules only a Create enforces (conflicts with existing resources)
	Outputs     func(o *Outputs) // computed outputs
	Computed    []string         // output-only keys
	Secrets     map[string]string
	DeleteGuard func(st *State, r *Record) string // why a delete is refused, or ""
}

// kinds is the registry of simulated types by token.
var kinds = map[string]*Kind{}

func register(k *Kind) *Kind {
	k.Collection = cloudrules.Collections[k.Token]
	k.NameKey = cloudrules.NameKey(k.Token)
	if k.Rules == nil {
		k.Rules = func(*Checker) {}
	}
	if k.Outputs == nil {
		k.Outputs = func(*Outputs) {}
	}
	kinds[k.Token] = k
	return k
}

// KindOf returns the simulated type of a token, for the given cloud.
func KindOf(c *Cloud, token string) (*Kind, error) {
	k, ok := kinds[token]
	if !ok || k.Cloud != c {
		return nil, fmt.Errorf("%s: resource type %s is not simulated", c.Label, token)
	}
	return k, nil
}

// ID returns the resource ID the simulated cloud gives these inputs; false while a part is unknown.
func (k *Kind) ID(set Settings, in obj) (string, bool) {
	name, ok := str(in, k.NameKey)
	if !ok || name == "" {
		return "", false
	}
	if k.Cloud == Google {
		return gcpID(k, set, in, name), true
	}
	return azureID(k, set, in, name)
}

// gcpID is projects/P/global|regions/R/<collection>/NAME, as the mocks use.
func gcpID(k *Kind, set Settings, in obj, name string) string {
	region := ""
	if k.Regional {
		region = strOr(in, "region", set.Region)
	}
	return cloudrules.GcpID(strOr(in, "project", set.Project), region, k.Collection, name)
}

// azureID is the ARM ID, as the mocks use.
func azureID(k *Kind, set Settings, in obj, name string) (string, bool) {
	return cloudrules.AzureID(set.Subscription, k.Token, name, func(key string) (string, bool) { return str(in, key) })
}

// Outputs is the computation of one resource's outputs.
type Outputs struct {
	Kind *Kind
	Set  Settings
	St   *State
	In   obj
	ID   string
	Prev *Record // the record before an update, nil on create
	Out  obj
}

// buildOutputs returns the inputs plus the ID, name and the type's computed outputs.
func buildOutputs(k *Kind, set Settings, st *State, in obj, id string, prev *Record) obj {
	o := &Outputs{Kind: k, Set: set, St: st, In: in, ID: id, Prev: prev, Out: clone(in)}
	delete(o.Out, defaultsKey)
	o.Out["id"] = id
	o.Out["name"] = in[k.NameKey]
	if k.Cloud == Google {
		o.Out["project"] = strOr(in, "project", set.Project)
		if k.Regional {
			o.Out["region"] = strOr(in, "region", set.Region)
		}
		o.Out["selfLink"] = cloudrules.GcpSelfLink(id)
	} else {
		o.Out["provisioningState"] = "Succeeded"
		if k.Collection != "" {
			o.Out["type"] = "Microsoft.Network/" + k.Collection
		}
	}
	k.Outputs(o)
	return o.Out
}

// outputSecrets lists the output keys that must be secret: secret inputs and outputs derived from them.
func outputSecrets(k *Kind, inputSecrets []string) []string {
	out := slices.Clone(inputSecrets)
	for derived, from := range k.Secrets {
		if slices.Contains(inputSecrets, from) {
			out = append(out, derived)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
