// Package mockcloud records what a Pulumi program registers when it runs under Pulumi's mocks, and
// answers with plausible computed outputs (IDs, addresses). Nothing here talks to a cloud; it imports
// no cloud SDK, so tests and the offline plan command can share it cheaply.
package mockcloud

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// Registration is one resource as the program registered it.
type Registration struct {
	Type                 string
	Name                 string
	URN                  string
	ID                   string
	Custom               bool
	Parent               string
	Inputs               resource.PropertyMap
	Dependencies         []string            // URNs
	PropertyDependencies map[string][]string // input name -> URNs
	DeleteBeforeReplace  bool
	ReplaceWith          []string // URNs
	ReplaceOnChanges     []string // input paths
	Aliases              []string // URNs the resource was known by before
	// Read is set for a resource the program reads (a Get), which it does not create.
	Read bool
}

// Recorder is a pulumi.MockResourceMonitor that keeps every registration.
type Recorder struct {
	Project, Stack string
	// Functions answers provider function calls (invokes) by token; a token not listed answers with
	// an empty result, as before any lookup existed.
	Functions map[string]func(args resource.PropertyMap) (resource.PropertyMap, error)

	mu            sync.Mutex
	registrations []*Registration
	calls         []Call
	logs          []string
}

// Call is one provider function call the program made.
type Call struct {
	Token string
	Args  resource.PropertyMap
}

// NewRecorder returns a recorder for one project and stack.
func NewRecorder(project, stack string) *Recorder {
	return &Recorder{Project: project, Stack: stack}
}

// NewResource records the registration and returns computed outputs.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	reg := &Registration{
		Type:   args.TypeToken,
		Name:   args.Name,
		Custom: args.Custom,
		Inputs: args.Inputs,
	}
	if rpc := args.ReadRPC; rpc != nil {
		reg.Read, reg.Custom, reg.Parent, reg.ID = true, true, rpc.GetParent(), args.ID
		reg.Dependencies = append(reg.Dependencies, rpc.GetDependencies()...)
	}
	if rpc := args.RegisterRPC; rpc != nil {
		reg.Parent = rpc.GetParent()
		reg.Dependencies = append(reg.Dependencies, rpc.GetDependencies()...)
		reg.PropertyDependencies = map[string][]string{}
		for k, v := range rpc.GetPropertyDependencies() {
			reg.PropertyDependencies[k] = append([]string(nil), v.GetUrns()...)
		}
		reg.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		reg.ReplaceWith = append(reg.ReplaceWith, rpc.GetReplaceWith()...)
		reg.ReplaceOnChanges = append(reg.ReplaceOnChanges, rpc.GetReplaceOnChanges()...)
		reg.Aliases = append(reg.Aliases, rpc.GetAliasURNs()...)
		for _, a := range rpc.GetAliases() {
			if urn := a.GetUrn(); urn != "" {
				reg.Aliases = append(reg.Aliases, urn)
			} else if spec := a.GetSpec(); spec != nil && spec.GetName() != "" {
				alias := "name=" + spec.GetName()
				if p := spec.GetParentUrn(); p != "" {
					alias += " parent=" + p
				}
				reg.Aliases = append(reg.Aliases, alias)
			}
		}
	}
	reg.URN = urn(r.Project, r.Stack, reg.Parent, reg.Type, reg.Name)
	state := args.Inputs.Copy()
	if reg.Custom {
		outputs(state, reg, int(nameHash(reg.URN)))
	}
	r.registrations = append(r.registrations, reg)
	return reg.ID, state, nil
}

// Call records a provider function call and answers it from Functions.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	r.calls = append(r.calls, Call{Token: args.Token, Args: args.Args})
	fn := r.Functions[args.Token]
	r.mu.Unlock()
	if fn == nil {
		return resource.PropertyMap{}, nil
	}
	return fn(args.Args)
}

// Calls returns the provider function calls made so far, in order.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

// Logs returns the messages the program logged through the loopback Server, as "severity: message".
func (r *Recorder) Logs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.logs...)
}

func (r *Recorder) log(line string) {
	r.mu.Lock()
	r.logs = append(r.logs, line)
	r.mu.Unlock()
}

// Registrations returns every registration, sorted by type then name.
func (r *Recorder) Registrations() []*Registration {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := append([]*Registration(nil), r.registrations...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Type != out[j].Type {
			return out[i].Type < out[j].Type
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// ByName returns the registration with that logical name, or nil.
func (r *Recorder) ByName(name string) *Registration {
	for _, reg := range r.Registrations() {
		if reg.Name == name {
			return reg
		}
	}
	return nil
}

// OfType returns the registrations of one type token, sorted by name.
func (r *Recorder) OfType(token string) []*Registration {
	var out []*Registration
	for _, reg := range r.Registrations() {
		if reg.Type == token {
			out = append(out, reg)
		}
	}
	return out
}

// DependsOn reports whether reg lists the resource with URN target among its dependencies.
func (reg *Registration) DependsOn(target string) bool {
	for _, d := range reg.Dependencies {
		if d == target {
			return true
		}
	}
	for _, urns := range reg.PropertyDependencies {
		for _, d := range urns {
			if d == target {
				return true
			}
		}
	}
	return false
}

// urn mirrors the mock monitor's URN format, so dependencies can be matched to registrations.
func urn(project, stack, parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(stack), tokens.PackageName(project), parentType, tokens.Type(typ), name))
}

// nameHash keeps mock addresses stable whatever order the program registers resources in.
func nameHash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// MockSubscription and MockProject stand in for the Azure subscription and Google project in mock IDs.
const (
	MockSubscription = "00000000-0000-0000-0000-000000000000"
	MockProject      = "mock-project"
)

// outputs fills the computed outputs the package reads, with IDs in each cloud's format.
func outputs(state resource.PropertyMap, reg *Registration, n int) {
	str := resource.NewStringProperty
	name := physicalName(reg)
	state["name"] = str(name)
	switch {
	case reg.Read && strings.HasPrefix(reg.Type, "gcp:"):
		state["name"] = str(reg.ID[strings.LastIndex(reg.ID, "/")+1:])
		state["selfLink"] = str(cloudrules.GcpSelfLink(reg.ID))
	case reg.Read:
	case strings.HasPrefix(reg.Type, "azure-native:"):
		reg.ID = azureID(reg, name)
	case strings.HasPrefix(reg.Type, "gcp:"):
		reg.ID = gcpID(reg, name)
		state["selfLink"] = str(cloudrules.GcpSelfLink(reg.ID))
	}
	state["id"] = str(reg.ID)
	switch reg.Type {
	case "gcp:compute/haVpnGateway:HaVpnGateway":
		var ifaces []resource.PropertyValue
		for i := 0; i < 2; i++ {
			ifaces = append(ifaces, resource.NewObjectProperty(resource.PropertyMap{
				"id":        resource.NewNumberProperty(float64(i)),
				"ipAddress": str(fmt.Sprintf("203.0.113.%d", 2*(n%128)+i)),
			}))
		}
		state["vpnInterfaces"] = resource.NewArrayProperty(ifaces)
	case "azure-native:network:PublicIPAddress":
		state["ipAddress"] = str(fmt.Sprintf("198.51.100.%d", 1+n%254))
	}
}

// physicalName is the name input when given, else the logical name (mocks do not auto-name).
func physicalName(reg *Registration) string {
	if v := inputString(reg, cloudrules.NameKey(reg.Type)); v != "" {
		return v
	}
	return reg.Name
}

func azureID(reg *Registration, name string) string {
	id, _ := cloudrules.AzureID(MockSubscription, reg.Type, name, func(key string) (string, bool) {
		v := inputString(reg, key)
		return v, v != ""
	})
	return id
}

func gcpID(reg *Registration, name string) string {
	project := inputString(reg, "project")
	if project == "" {
		project = MockProject
	}
	return cloudrules.GcpID(project, inputString(reg, "region"), cloudrules.Collections[reg.Type], name)
}

func inputString(reg *Registration, key string) string {
	if v, ok := reg.Inputs[resource.PropertyKey(key)]; ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}
