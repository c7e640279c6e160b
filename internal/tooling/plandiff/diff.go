package plandiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

// Kind says how one item differs between the base and the head plan.
type Kind string

// The kinds of difference.
const (
	Added     Kind = "added"
	Removed   Kind = "removed"
	Modified  Kind = "changed"
	Unchanged Kind = "unchanged"
)

// Hidden stands for a value that is not shown because the same input is secret on the other side:
// printing it could reveal what the plan command masked (or is about to mask).
const Hidden = "[hidden]"

// Report is the difference between two plans of one stack. It holds rendered values only: every
// value that was masked as "[secret]" in either plan stays masked, and a value whose secretness
// differs between the plans is replaced by Hidden.
type Report struct {
	// BaseError and HeadError are set when the plan could not be made on that side (for example
	// invalid stack configuration at a git ref); nothing else is then compared.
	BaseError string `json:"baseError,omitempty"`
	HeadError string `json:"headError,omitempty"`

	Added   []ResourceID     `json:"added"`
	Removed []ResourceID     `json:"removed"`
	Changed []ResourceChange `json:"changed"`

	Tunnels  []TunnelDiff  `json:"tunnels"`  // every tunnel, changed or not; empty when the wiring is identical
	Failures []FailureDiff `json:"failures"` // changed failure cases only; empty when survivability is identical
	// UnchangedFailures counts the failure cases left out of Failures because they did not change.
	UnchangedFailures int `json:"unchangedFailures"`

	WarningsAdded   []string `json:"warningsAdded"`
	WarningsRemoved []string `json:"warningsRemoved"`

	// Disruption is what the change does to the BGP sessions while it is applied.
	Disruption *Disruption `json:"disruption,omitempty"`
	// KeyChange is a change of the tunnels' pre-shared keys (a rotation), told from the secrets'
	// fingerprints; nil when there is none.
	KeyChange *KeyChange `json:"keyChange,omitempty"`

	// BaseStack and HeadStack are the stack names the two documents declare.
	BaseStack string `json:"baseStack"`
	HeadStack string `json:"headStack"`
}

// ResourceID identifies a resource: its type token and logical name (what the URN is made of).
type ResourceID struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// ResourceChange is one resource present in both plans whose inputs or dependencies differ, or that is
// replaced because a resource it depends on is.
type ResourceChange struct {
	ResourceID
	Fields           []FieldChange `json:"fields"`
	DependsOnAdded   []string      `json:"dependsOnAdded"`
	DependsOnRemoved []string      `json:"dependsOnRemoved"`
	// Verdict is update or replace; Reasons say why (a replacement's cause, with the provider source, or a
	// replaced dependency); Refused lists the changes the cloud's API refuses to update.
	Verdict Verdict   `json:"verdict"`
	Reasons []string  `json:"reasons,omitempty"`
	Refused []Refusal `json:"refused,omitempty"`
	// DeleteBeforeReplace: a replacement deletes the old resource before creating the new one.
	DeleteBeforeReplace bool `json:"deleteBeforeReplace,omitempty"`
}

// FieldChange is one changed input, as a dotted path (`bgpSettings.asn`, `ipConfigurations[0].name`)
// with its old and new values as compact JSON (strings unquoted). Old is empty for Added, New for Removed.
type FieldChange struct {
	Path string `json:"path"`
	Kind Kind   `json:"kind"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
	// SecretnessChanged: the value is secret on one side only, so neither value is shown.
	SecretnessChanged bool `json:"secretnessChanged,omitempty"`
}

// TunnelDiff is one row of the wiring table diff, keyed by tunnel name.
type TunnelDiff struct {
	Kind Kind                `json:"kind"`
	Name string              `json:"name"`
	Base *analysis.TunnelRow `json:"base,omitempty"`
	Head *analysis.TunnelRow `json:"head,omitempty"`
}

// FailureDiff is one changed row of the survivability table, keyed by the set of failed domains.
type FailureDiff struct {
	Kind   Kind     `json:"kind"`
	Failed []string `json:"failed"`
	Base   *Outcome `json:"base,omitempty"`
	Head   *Outcome `json:"head,omitempty"`
}

// Outcome is how many of the plan's BGP sessions stay up in one failure case.
type Outcome struct {
	Up    int `json:"up"`
	Total int `json:"total"`
}

// Verdict is the survivability table's verdict: ok, degraded or LINK DOWN.
func (o Outcome) Verdict() string { return analysis.Verdict(o.Up, o.Total) }

// Failed returns the report of a comparison that could not be made because a plan failed.
func Failed(baseErr, headErr string) Report {
	return Report{BaseError: baseErr, HeadError: headErr}
}

// Counts returns how many resources are added, removed and changed.
func (r Report) Counts() (add, remove, change int) {
	return len(r.Added), len(r.Removed), len(r.Changed)
}

// Empty tells whether the two plans are identical in every part the report covers.
func (r Report) Empty() bool {
	return r.BaseError == "" && r.HeadError == "" && len(r.Added)+len(r.Removed)+len(r.Changed) == 0 &&
		len(r.Tunnels) == 0 && len(r.Failures) == 0 && len(r.WarningsAdded)+len(r.WarningsRemoved) == 0
}

// Diff compares the base plan with the head plan. The result is deterministic: resources sorted by
// type token then name, fields in input order (keys sorted, array elements by index), dependencies
// and warnings sorted, tunnels and failure cases in plan order.
func Diff(base, head plandoc.Document) Report {
	r := Report{BaseStack: base.Stack, HeadStack: head.Stack, Added: []ResourceID{}, Removed: []ResourceID{},
		Changed: []ResourceChange{}, Tunnels: []TunnelDiff{}, Failures: []FailureDiff{},
		WarningsAdded: []string{}, WarningsRemoved: []string{}}

	baseRes, headRes := index(base.Resources), index(head.Resources)
	for _, id := range sortedIDs(baseRes, headRes) {
		b, inBase := baseRes[id]
		h, inHead := headRes[id]
		switch {
		case !inBase:
			r.Added = append(r.Added, id)
		case !inHead:
			r.Removed = append(r.Removed, id)
		default:
			c := ResourceChange{ResourceID: id, Fields: DiffInputs(b.Inputs, h.Inputs)}
			c.DependsOnAdded, c.DependsOnRemoved = setDiff(b.DependsOn, h.DependsOn)
			if len(c.Fields)+len(c.DependsOnAdded)+len(c.DependsOnRemoved) > 0 {
				r.Changed = append(r.Changed, c)
			}
		}
	}

	r.KeyChange = keyChange(base, head)
	applyKeyChange(&r, r.KeyChange, base, head)
	classify(&r, baseRes, headRes)
	for i := range r.Changed {
		if o := headRes[r.Changed[i].ResourceID].Options; o != nil {
			r.Changed[i].DeleteBeforeReplace = o.DeleteBeforeReplace
		}
	}
	r.Tunnels = diffTunnels(base.Tunnels, head.Tunnels)
	r.Failures, r.UnchangedFailures = diffFailures(base, head)
	r.WarningsAdded, r.WarningsRemoved = setDiff(base.Warnings, head.Warnings)
	d := disruption(r, base, head)
	r.Disruption = &d
	return r
}

func index(rs []plandoc.Resource) map[ResourceID]plandoc.Resource {
	out := make(map[ResourceID]plandoc.Resource, len(rs))
	for _, r := range rs {
		id := ResourceID{Type: r.Type, Name: r.Name}
		if _, dup := out[id]; !dup { // Pulumi forbids duplicates; keep the first deterministically
			out[id] = r
		}
	}
	return out
}

func sortedIDs(ms ...map[ResourceID]plandoc.Resource) []ResourceID {
	seen := map[ResourceID]bool{}
	var ids []ResourceID
	for _, m := range ms {
		for id := range m {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		if ids[i].Type != ids[j].Type {
			return ids[i].Type < ids[j].Type
		}
		return ids[i].Name < ids[j].Name
	})
	return ids
}

// setDiff returns the sorted, de-duplicated elements only in head (added) and only in base (removed).
func setDiff(base, head []string) (added, removed []string) {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	b, h := in(base), in(head)
	added, removed = []string{}, []string{}
	for x := range h {
		if !b[x] {
			added = append(added, x)
		}
	}
	for x := range b {
		if !h[x] {
			removed = append(removed, x)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	return added, removed
}

// DiffInputs compares two input maps deeply and lists the changed fields as dotted paths.
//
// Objects are compared key by key. Arrays whose elements are all scalars are compared as a whole
// and shown whole; other arrays element by element, extra elements as added or removed. A change
// whose two sides hold "[secret]" at different places (a value secret on one side only) shows
// neither value.
func DiffInputs(base, head map[string]any) []FieldChange {
	var out []FieldChange
	diffObject("", toAnyMap(base), toAnyMap(head), &out)
	return out
}

func toAnyMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func diffObject(prefix string, b, h map[string]any, out *[]FieldChange) {
	keys := make([]string, 0, len(b)+len(h))
	for k := range b {
		keys = append(keys, k)
	}
	for k := range h {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		bv, inB := b[k]
		hv, inH := h[k]
		p := joinKey(prefix, k)
		switch {
		case !inB:
			*out = append(*out, FieldChange{Path: p, Kind: Added, New: Compact(hv)})
		case !inH:
			*out = append(*out, FieldChange{Path: p, Kind: Removed, Old: Compact(bv)})
		default:
			diffValue(p, bv, hv, out)
		}
	}
}

func diffValue(p string, b, h any, out *[]FieldChange) {
	if reflect.DeepEqual(b, h) {
		return
	}
	bo, bIsObj := b.(map[string]any)
	ho, hIsObj := h.(map[string]any)
	if bIsObj && hIsObj {
		diffObject(p, bo, ho, out)
		return
	}
	ba, bIsArr := b.([]any)
	ha, hIsArr := h.([]any)
	if bIsArr && hIsArr && !(allScalars(ba) && allScalars(ha)) {
		n := min(len(ba), len(ha))
		for i := 0; i < n; i++ {
			diffValue(fmt.Sprintf("%s[%d]", p, i), ba[i], ha[i], out)
		}
		for i := n; i < len(ha); i++ {
			*out = append(*out, FieldChange{Path: fmt.Sprintf("%s[%d]", p, i), Kind: Added, New: Compact(ha[i])})
		}
		for i := n; i < len(ba); i++ {
			*out = append(*out, FieldChange{Path: fmt.Sprintf("%s[%d]", p, i), Kind: Removed, Old: Compact(ba[i])})
		}
		return
	}
	*out = append(*out, modified(p, b, h))
}

// modified renders a changed value, hiding both sides when their secret masks differ.
func modified(p string, b, h any) FieldChange {
	if slices.Equal(maskPaths(b, ""), maskPaths(h, "")) {
		old, cur := Compact(b), Compact(h)
		if _, bs := b.(string); bs != isString(h) { // "20" -> 20: show the string quoted
			old, cur = quoted(b), quoted(h)
		}
		return FieldChange{Path: p, Kind: Modified, Old: old, New: cur}
	}
	hide := func(v any) string {
		if v == plandoc.SecretMask {
			return plandoc.SecretMask
		}
		return Hidden
	}
	return FieldChange{Path: p, Kind: Modified, Old: hide(b), New: hide(h), SecretnessChanged: true}
}

// maskPaths lists, in a fixed order, where a value holds the secret mask.
func maskPaths(v any, p string) []string {
	switch x := v.(type) {
	case string:
		if x == plandoc.SecretMask {
			return []string{p}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []string
		for _, k := range keys {
			out = append(out, maskPaths(x[k], joinKey(p, k))...)
		}
		return out
	case []any:
		var out []string
		for i, e := range x {
			out = append(out, maskPaths(e, fmt.Sprintf("%s[%d]", p, i))...)
		}
		return out
	}
	return nil
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

// quoted is Compact with strings as JSON strings.
func quoted(v any) string {
	if s, ok := v.(string); ok {
		q, _ := json.Marshal(s)
		return string(q)
	}
	return Compact(v)
}

func allScalars(xs []any) bool {
	for _, x := range xs {
		switch x.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// joinKey appends an object key to a dotted path; keys that are not plain identifiers are quoted.
func joinKey(prefix, k string) string {
	if !plainKey.MatchString(k) {
		q, _ := json.Marshal(k)
		return prefix + "[" + string(q) + "]"
	}
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// Compact renders a value as compact JSON, strings without quotes, nothing escaped for HTML.
func Compact(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// diffTunnels returns every tunnel row (base order, then tunnels only in head, in head order) when
// any differs, and nothing when the wiring is identical.
func diffTunnels(base, head []analysis.TunnelRow) []TunnelDiff {
	if reflect.DeepEqual(base, head) || len(base)+len(head) == 0 {
		return []TunnelDiff{}
	}
	headBy := map[string]*analysis.TunnelRow{}
	for i := range head {
		headBy[head[i].Name] = &head[i]
	}
	seen := map[string]bool{}
	out := []TunnelDiff{}
	for i := range base {
		b := &base[i]
		seen[b.Name] = true
		h, ok := headBy[b.Name]
		switch {
		case !ok:
			out = append(out, TunnelDiff{Kind: Removed, Name: b.Name, Base: b})
		case *h == *b:
			out = append(out, TunnelDiff{Kind: Unchanged, Name: b.Name, Base: b, Head: h})
		default:
			out = append(out, TunnelDiff{Kind: Modified, Name: b.Name, Base: b, Head: h})
		}
	}
	for i := range head {
		if !seen[head[i].Name] {
			out = append(out, TunnelDiff{Kind: Added, Name: head[i].Name, Head: &head[i]})
		}
	}
	return out
}

// diffFailures returns the failure cases whose outcome differs (base order, then cases only in
// head, in head order) and how many cases are unchanged. An outcome is BGP sessions up out of the
// plan's tunnel count, so a case whose count stays the same while the tunnel count changes differs.
func diffFailures(base, head plandoc.Document) ([]FailureDiff, int) {
	key := func(f analysis.FailureCase) string { return strings.Join(f.Failed, " + ") }
	headBy := map[string]analysis.FailureCase{}
	for _, f := range head.Failures {
		headBy[key(f)] = f
	}
	out, unchanged := []FailureDiff{}, 0
	seen := map[string]bool{}
	bt, ht := len(base.Tunnels), len(head.Tunnels)
	for _, b := range base.Failures {
		k := key(b)
		seen[k] = true
		bo := &Outcome{Up: b.BgpSessionsUp, Total: bt}
		h, ok := headBy[k]
		if !ok {
			out = append(out, FailureDiff{Kind: Removed, Failed: b.Failed, Base: bo})
			continue
		}
		ho := &Outcome{Up: h.BgpSessionsUp, Total: ht}
		if *bo == *ho {
			unchanged++
			continue
		}
		out = append(out, FailureDiff{Kind: Modified, Failed: b.Failed, Base: bo, Head: ho})
	}
	for _, h := range head.Failures {
		if !seen[key(h)] {
			out = append(out, FailureDiff{Kind: Added, Failed: h.Failed, Head: &Outcome{Up: h.BgpSessionsUp, Total: ht}})
		}
	}
	return out, unchanged
}
