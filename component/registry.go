package component

import (
	"slices"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// ProgramRegistry holds the footprints of the links one program has constructed, so a new link is
// checked against its siblings (hub slots, /30s, Cloud Router budgets) before it registers anything.
// Across stacks, the hub's spoke registry does this job.
type ProgramRegistry struct {
	mu    sync.Mutex
	links []linkplan.Footprint
}

// NewProgramRegistry returns an empty registry.
func NewProgramRegistry() *ProgramRegistry { return &ProgramRegistry{} }

// admit checks a link against the links admitted before it and, when none conflicts, admits it.
func (r *ProgramRegistry) admit(f linkplan.Footprint) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// A link constructed again under its own name (a plugin process serving a second run of the same
	// program) replaces its earlier footprint instead of colliding with itself.
	r.links = slices.DeleteFunc(r.links, func(e linkplan.Footprint) bool { return e.Link == f.Link })
	problems, warnings := linkplan.CheckSiblings(r.links, f)
	if len(problems) > 0 {
		return warnings, problems
	}
	r.links = append(r.links, f)
	return warnings, nil
}

// registries maps a program's context to its registry. A Go program has one context; the plugin gets
// a context per Construct call and binds them all to one registry per deployment (UseProgramRegistry).
var registries sync.Map // *pulumi.Context -> *ProgramRegistry

// UseProgramRegistry makes the links constructed with ctx share reg: the plugin calls it for every
// Construct of one deployment, so the links of a TypeScript or Python program see each other.
func UseProgramRegistry(ctx *pulumi.Context, reg *ProgramRegistry) {
	registries.Store(ctx, reg)
}

// registryOf is the registry of the program ctx belongs to.
func registryOf(ctx *pulumi.Context) *ProgramRegistry {
	reg, _ := registries.LoadOrStore(ctx, NewProgramRegistry())
	return reg.(*ProgramRegistry)
}
