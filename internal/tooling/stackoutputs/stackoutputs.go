// Package stackoutputs prints a stack's outputs for a person: scalars on one line, a list of objects
// (the link's tunnels) as a table, anything else as indented JSON, secrets masked. It imports no
// Pulumi package, so `havpn demo`'s printing is tested without linking the cloud SDKs.
package stackoutputs

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// Value is one stack output.
type Value struct {
	Value  any
	Secret bool
}

// Write prints every output but those in skip, sorted by name.
func Write(w io.Writer, outputs map[string]Value, skip ...string) {
	names := make([]string, 0, len(outputs))
	for k := range outputs {
		if !contains(skip, k) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		v := outputs[name]
		switch {
		case v.Secret:
			fmt.Fprintf(w, "  %-15s [secret]\n", name)
		case isScalar(v.Value):
			fmt.Fprintf(w, "  %-15s %s\n", name, scalar(v.Value))
		case isScalarList(v.Value):
			fmt.Fprintf(w, "  %-15s %s\n", name, strings.Join(scalars(v.Value.([]any)), ", "))
		case isTable(v.Value):
			fmt.Fprintf(w, "  %s\n", name)
			writeTable(w, v.Value.([]any))
		default:
			raw, err := json.MarshalIndent(v.Value, "    ", "  ")
			if err != nil {
				raw = []byte(fmt.Sprint(v.Value))
			}
			fmt.Fprintf(w, "  %s\n    %s\n", name, raw)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func isScalar(v any) bool {
	switch v.(type) {
	case string, bool, float64, int, nil:
		return true
	}
	return false
}

// scalar prints a number the way JSON does (0, not 0e+00; 65534, not 65534.000000).
func scalar(v any) string {
	if v == nil {
		return ""
	}
	if f, ok := v.(float64); ok {
		raw, _ := json.Marshal(f)
		return string(raw)
	}
	return fmt.Sprint(v)
}

func scalars(list []any) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = scalar(e)
	}
	return out
}

func isScalarList(v any) bool {
	list, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range list {
		if !isScalar(e) {
			return false
		}
	}
	return true
}

// isTable: a non-empty list of objects whose values are all scalars.
func isTable(v any) bool {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return false
	}
	for _, e := range list {
		row, ok := e.(map[string]any)
		if !ok {
			return false
		}
		for _, cell := range row {
			if !isScalar(cell) {
				return false
			}
		}
	}
	return true
}

// writeTable prints the rows indented, "name" first and the other columns sorted.
func writeTable(w io.Writer, rows []any) {
	set := map[string]bool{}
	for _, r := range rows {
		for k := range r.(map[string]any) {
			set[k] = true
		}
	}
	var cols []string
	for k := range set {
		if k != "name" {
			cols = append(cols, k)
		}
	}
	sort.Strings(cols)
	if set["name"] {
		cols = append([]string{"name"}, cols...)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "    %s\n", strings.Join(cols, "\t"))
	for _, r := range rows {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = scalar(r.(map[string]any)[c])
		}
		fmt.Fprintf(tw, "    %s\n", strings.Join(cells, "\t"))
	}
	tw.Flush()
}
