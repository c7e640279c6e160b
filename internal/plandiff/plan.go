// Package plandiff compares two offline plans of one stack (the JSON of `havpn plan --json`) and
// renders the difference as a pull-request comment in Markdown. It also materialises git refs in
// temporary worktrees to produce those plans (refs.go) and serves the `havpn plan-diff` command.
//
// The package is pure with respect to the cloud: it reads JSON documents only and imports no
// Pulumi or cloud SDK, no component and no program. It shares the table row shapes with
// internal/analysis, which is itself SDK-free.
package plandiff

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/havpn/pulumi-havpn/internal/analysis"
)

// SecretMask is how the plan command masks every secret value (mockcloud.SecretMask, repeated here
// so this package does not import the Pulumi-based mock recorder).
const SecretMask = "[secret]"

// Plan is one decoded `havpn plan --json` document.
type Plan struct {
	Stack             string                 `json:"stack"`
	Resources         []Resource             `json:"resources"`
	Tunnels           []analysis.TunnelRow   `json:"tunnels"`
	Failures          []analysis.FailureCase `json:"failures"`
	Warnings          []string               `json:"warnings"`
	SecretPlaceholder bool                   `json:"secretPlaceholder"`
}

// Resource is one registered resource: type token, logical name, inputs (secrets masked) and the
// logical names of the resources it depends on.
type Resource struct {
	Type      string         `json:"type"`
	Name      string         `json:"name"`
	Inputs    map[string]any `json:"inputs,omitempty"`
	DependsOn []string       `json:"dependsOn,omitempty"`
}

// Decode reads one plan document. Numbers are kept as written (json.Number), so 65534 and
// 4200000000 compare and print exactly.
func Decode(r io.Reader) (Plan, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return Plan{}, fmt.Errorf("not a havpn plan JSON document: %w", err)
	}
	if p.Resources == nil {
		return Plan{}, fmt.Errorf("not a havpn plan JSON document: no \"resources\" list")
	}
	if dec.More() {
		return Plan{}, fmt.Errorf("not a havpn plan JSON document: more than one JSON value")
	}
	return p, nil
}
