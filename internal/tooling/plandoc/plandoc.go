// Package plandoc is the JSON document of an offline plan (`havpn plan --json`): written by
// internal/tooling/offline, read by internal/tooling/plandiff. One definition, so the writer and the reader cannot
// drift apart. It imports no Pulumi or cloud SDK.
package plandoc

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
)

// SecretMask replaces every secret value in a plan's resource inputs.
const SecretMask = "[secret]"

// Document is the offline plan of one stack.
type Document struct {
	Stack             string                 `json:"stack"`
	Resources         []Resource             `json:"resources"`
	Tunnels           []analysis.TunnelRow   `json:"tunnels"`
	Failures          []analysis.FailureCase `json:"failures"`
	Warnings          []string               `json:"warnings"`
	SecretPlaceholder bool                   `json:"secretPlaceholder"`
	// Carriers says which resources carry which BGP sessions (absent in documents of older commits).
	Carriers []analysis.Carrier `json:"carriers,omitempty"`
	// SecretConfig fingerprints each secret key the stack sets (its stored ciphertext, or a value given
	// in plain text with --set), so a diff can tell a rotation without reading a secret.
	SecretConfig map[string]string `json:"secretConfig,omitempty"`
	// RotationStages lists, per stage of a staged secret rotation ("1", "2"), the tunnels whose keys
	// change in it.
	RotationStages map[string][]string `json:"rotationStages,omitempty"`
}

// Fingerprint is a short, one-way digest of a secret setting's stored form, for telling whether it
// changed; never the secret.
func Fingerprint(stored string) string {
	sum := sha256.Sum256([]byte("havpn/secret-config-fingerprint/v1\x00" + stored))
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// Resource is one registered resource: type token, logical name, inputs (secrets masked), the logical
// names of the resources it depends on, per input the resources its value comes from, and the resource
// options that decide how a change is carried out.
type Resource struct {
	Type           string              `json:"type"`
	Name           string              `json:"name"`
	Inputs         map[string]any      `json:"inputs,omitempty"`
	DependsOn      []string            `json:"dependsOn,omitempty"`
	InputDependsOn map[string][]string `json:"inputDependsOn,omitempty"`
	Options        *Options            `json:"options,omitempty"`
	// Read marks a resource the program reads (an existing one), which it neither creates nor changes.
	Read bool `json:"read,omitempty"`
	// Aliases are the names the resource was known by before (alias URNs), when it has any.
	Aliases []string `json:"aliases,omitempty"`
}

// Options are the replacement options a resource was registered with.
type Options struct {
	DeleteBeforeReplace bool     `json:"deleteBeforeReplace,omitempty"`
	ReplaceOnChanges    []string `json:"replaceOnChanges,omitempty"` // input paths
	ReplaceWith         []string `json:"replaceWith,omitempty"`      // logical names
}

// Decode reads one plan document. Numbers are kept as written (json.Number), so 65534 and
// 4200000000 compare and print exactly. Unknown fields are refused: a reader that silently drops a
// field would diff an empty value.
func Decode(r io.Reader) (Document, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var p Document
	if err := dec.Decode(&p); err != nil {
		return Document{}, fmt.Errorf("not a havpn plan JSON document: %w", err)
	}
	if p.Resources == nil {
		return Document{}, fmt.Errorf("not a havpn plan JSON document: no \"resources\" list")
	}
	if dec.More() {
		return Document{}, fmt.Errorf("not a havpn plan JSON document: more than one JSON value")
	}
	return p, nil
}
