package plandiff

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

// Verdict is what the engine does with a resource present in both plans, as the pinned providers
// decide (cloudrules.ReplaceRules) and the head's resource options ask.
type Verdict string

// The verdicts.
const (
	VerdictUpdate  Verdict = "update"
	VerdictReplace Verdict = "replace"
)

// Refusal is an update the cloud's API refuses, in its words (cloudrules: FieldRule.API).
type Refusal struct {
	Input   string `json:"input"`
	Message string `json:"message"`
}

// classify gives every changed resource its verdict and the reasons for a replacement, then follows
// replacements along the head's per-input dependencies and replaceWith options: a resource whose input
// comes from a replaced resource sees that input change (unknown until the new one exists), which
// replaces it where the provider replaces on that input; a resource registered with replaceWith is
// replaced with the resource it names. Resources only dragged along join Changed with no input change.
func classify(r *Report, baseRes, headRes map[ResourceID]plandoc.Resource) {
	byName := map[string]ResourceID{}
	for id := range headRes {
		if _, inBase := baseRes[id]; inBase {
			byName[id.Name] = id
		}
	}
	changed := map[ResourceID]*ResourceChange{}
	for i := range r.Changed {
		c := &r.Changed[i]
		judgeInputs(c, baseRes[c.ResourceID], headRes[c.ResourceID])
		changed[c.ResourceID] = c
	}
	for grew := true; grew; {
		grew = false
		for _, id := range sortedIDs(headRes) {
			if _, inBase := baseRes[id]; !inBase {
				continue
			}
			c := changed[id]
			if c != nil && c.Verdict == VerdictReplace {
				continue
			}
			reasons, replace := dragged(id, headRes[id], baseRes[id], changed, byName)
			if len(reasons) == 0 {
				continue
			}
			if c == nil {
				r.Changed = append(r.Changed, ResourceChange{ResourceID: id, Verdict: VerdictUpdate, Fields: []FieldChange{},
					DependsOnAdded: []string{}, DependsOnRemoved: []string{}})
				// Appending may move the slice: rebuild the index.
				for i := range r.Changed {
					changed[r.Changed[i].ResourceID] = &r.Changed[i]
				}
				c = changed[id]
			}
			if replace {
				c.Verdict = VerdictReplace
				c.Reasons = append(c.Reasons, reasons...)
				grew = true
			} else if !slices.Contains(c.Reasons, reasons[0]) {
				c.Reasons = append(c.Reasons, reasons...)
				grew = true
			}
		}
	}
	for i := range r.Changed {
		if r.Changed[i].Verdict == VerdictReplace {
			r.Changed[i].Refused = nil // a replaced resource is not updated: nothing is refused
		}
	}
	sort.SliceStable(r.Changed, func(i, j int) bool {
		a, b := r.Changed[i].ResourceID, r.Changed[j].ResourceID
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
}

// judgeInputs sets the verdict of one resource from its changed inputs and its replaceOnChanges option.
func judgeInputs(c *ResourceChange, base, head plandoc.Resource) {
	c.Verdict = VerdictUpdate
	seen := map[string]bool{}
	for _, f := range c.Fields {
		input := topInput(f.Path)
		if seen[input] {
			continue
		}
		seen[input] = true
		old, cur := base.Inputs[input], head.Inputs[input]
		rule, known := cloudrules.RuleFor(c.Type, input)
		switch {
		case replaceOnChanges(head, input):
			c.Verdict = VerdictReplace
			c.Reasons = append(c.Reasons, fmt.Sprintf("`%s` changed and the resource is registered with replaceOnChanges", input))
		case cloudrules.Replaces(c.Type, input, old, cur, true):
			c.Verdict = VerdictReplace
			src := "not in the replace-or-update table: assumed to replace"
			if known {
				src = rule.Source
			}
			c.Reasons = append(c.Reasons, fmt.Sprintf("`%s` forces a new resource (%s)", input, src))
		case known && rule.API != nil && rule.API.Result == cloudrules.Refused:
			group, _ := head.Inputs["resourceGroupName"].(string)
			c.Refused = append(c.Refused, Refusal{Input: input, Message: rule.API.APIError(head.Name, group, old, cur)})
		case known && rule.API != nil && rule.API.Result == cloudrules.KeptOld:
			c.Reasons = append(c.Reasons, fmt.Sprintf("`%s`: the API accepts the update and keeps the old value (%s)", input, rule.API.Source))
		}
	}
}

// dragged lists why a resource changes because resources it depends on are replaced, and whether it is
// replaced with them.
func dragged(id ResourceID, head, base plandoc.Resource, changed map[ResourceID]*ResourceChange, byName map[string]ResourceID) ([]string, bool) {
	replacedName := func(name string) bool {
		c := changed[byName[name]]
		return c != nil && c.Verdict == VerdictReplace
	}
	var reasons []string
	replace := false
	if head.Options != nil {
		for _, w := range head.Options.ReplaceWith {
			if replacedName(w) {
				reasons = append(reasons, fmt.Sprintf("replaced with `%s` (replaceWith)", w))
				replace = true
			}
		}
	}
	inputs := make([]string, 0, len(head.InputDependsOn))
	for input := range head.InputDependsOn {
		inputs = append(inputs, input)
	}
	sort.Strings(inputs)
	for _, input := range inputs {
		for _, from := range head.InputDependsOn[input] {
			if !replacedName(from) {
				continue
			}
			if replaceOnChanges(head, input) || cloudrules.Replaces(id.Type, input, base.Inputs[input], nil, false) {
				reasons = append(reasons, fmt.Sprintf("`%s` comes from replaced `%s` and forces a new resource", input, from))
				replace = true
			} else {
				reasons = append(reasons, fmt.Sprintf("`%s` comes from replaced `%s` (updated in place)", input, from))
			}
		}
	}
	if replace {
		reasons = slices.DeleteFunc(reasons, func(s string) bool { return strings.HasSuffix(s, "(updated in place)") })
	}
	return reasons, replace
}

// replaceOnChanges: the resource asks for replacement when this input changes.
func replaceOnChanges(r plandoc.Resource, input string) bool {
	if r.Options == nil {
		return false
	}
	for _, p := range r.Options.ReplaceOnChanges {
		if p == "*" || topInput(p) == input {
			return true
		}
	}
	return false
}

// topInput is the top-level input of a dotted path: "bgpSettings.asn" -> "bgpSettings", `a["x.y"]` -> "a".
func topInput(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}
