package linkplan

import (
	"fmt"
	"strings"
)

// Problem is one reason an argument is refused: the field, the value given, the rule it breaks, and the fix.
type Problem struct {
	Field string
	Value string
	Rule  string
	Fix   string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s = %s: %s. Fix: %s.", p.Field, p.Value, p.Rule, p.Fix)
}

// Problems is every problem found in one spec; it is the error Build and Validate return.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, 0, len(ps)+1)
	lines = append(lines, fmt.Sprintf("havpn: %d invalid argument(s):", len(ps)))
	for _, p := range ps {
		lines = append(lines, "  - "+p.String())
	}
	return strings.Join(lines, "\n")
}

// Fields lists the field of each problem, in order.
func (ps Problems) Fields() []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Field
	}
	return out
}

// collector gathers problems while validating.
type collector struct{ problems Problems }

func (c *collector) add(field string, value any, rule, fix string) {
	c.problems = append(c.problems, Problem{Field: field, Value: show(value), Rule: rule, Fix: fix})
}

// redacted is a description shown instead of a secret value.
type redacted string

// show renders a value for a message; strings are quoted so empty values stay visible.
func show(v any) string {
	switch x := v.(type) {
	case redacted:
		return string(x)
	case string:
		return fmt.Sprintf("%q", x)
	case []string:
		return fmt.Sprintf("%q", x)
	default:
		return fmt.Sprint(x)
	}
}
