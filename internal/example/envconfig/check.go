package envconfig

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Check checks stack configuration against the declaration the way the Pulumi CLI does before it runs
// the program, and also refuses what the pinned CLI (v3.274.1) lets through: a key of the project's
// namespace that Pulumi.yaml does not declare (a typo would otherwise be ignored and the default
// planned). values are keyed with their namespace and shaped like a stack file's: scalars as text,
// lists and objects decoded (see StackFile.Values). secret lists the keys held encrypted. Keys of other
// namespaces are not checked. Every problem is returned at once, in key order.
func Check(values map[string]any, secret []string) []string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	for _, k := range secret {
		if _, plain := values[k]; !plain {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var problems []string
	for _, k := range keys {
		if !OwnKey(k) {
			continue
		}
		decl, ok := Declared(k)
		if !ok {
			problems = append(problems, undeclared(k))
			continue
		}
		v, plain := values[k]
		if !plain {
			continue // held encrypted: only the CLI with the stack's secrets provider can read it
		}
		isSecret := contains(secret, k)
		if (decl.Secret || decl.Encrypt) && !isSecret {
			problems = append(problems, fmt.Sprintf("%s must be encrypted: it is a secret. Fix: pulumi config set --secret %s <value>.", k, k))
			continue
		}
		if !ValidValue(decl, v) {
			problems = append(problems, typeProblem(decl, v, isSecret))
		}
	}
	return problems
}

func undeclared(key string) string {
	msg := fmt.Sprintf("%s is not a key of this project: Pulumi.yaml declares every %s: key the program reads, and an undeclared one would be ignored.", key, Namespace)
	if c := Closest(key); c != "" {
		return msg + fmt.Sprintf(" Did you mean %s?", c)
	}
	return msg + " Fix: remove it, or use one of the keys in Pulumi.yaml (README, \"Stack configuration\")."
}

func typeProblem(k Key, v any, secret bool) string {
	shown := "(secret)"
	if !secret {
		b, _ := json.Marshal(v)
		shown = string(b)
	}
	msg := fmt.Sprintf("%s = %s: must be of type %s (Pulumi.yaml).", k.Qualified(), shown, k.TypeName())
	switch {
	case k.Type == Array && k.Items == String:
		msg += fmt.Sprintf(` Fix: a list of quoted strings: in the stack file a YAML list, with havpn plan --set JSON such as %s=["a","b"], with the CLI pulumi config set --path '%s[0]' a.`, k.Qualified(), k.Qualified())
	case k.Type == Array || k.Type == Object:
		msg += fmt.Sprintf(" Fix: in the stack file a YAML %s, with havpn plan --set JSON, with the CLI pulumi config set --path.", map[Type]string{Array: "list", Object: "mapping"}[k.Type])
	}
	return msg
}

// ValidValue reports whether a stack value has the declared type, as the Pulumi CLI decides it
// (sdk/go/common/workspace ValidateConfigValue at v3.274.1; TestValidValueAgreesWithPulumi compares
// the two): scalars arrive as text, so an integer is text that parses as one and a boolean is "true"
// or "false"; a list or an object must be one, its items of the declared item type.
func ValidValue(k Key, v any) bool {
	return validOf(k.Type, k.Items, v)
}

func validOf(t, items Type, v any) bool {
	switch t {
	case String:
		_, ok := v.(string)
		return ok
	case Integer:
		switch x := v.(type) {
		case int:
			return true
		case float64:
			return x == math.Trunc(x)
		case string:
			_, err := strconv.Atoi(x)
			return err == nil
		}
		return false
	case Boolean:
		if s, ok := v.(string); ok {
			return s == "true" || s == "false"
		}
		_, ok := v.(bool)
		return ok
	case Object:
		_, ok := v.(map[string]any)
		return ok
	case Array:
		list, ok := v.([]any)
		if !ok || items == "" {
			return false
		}
		for _, item := range list {
			if !validOf(items, "", item) {
				return false
			}
		}
		return true
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// UndeclaredKeys lists the keys of the project's namespace the declaration lacks, each with a "did you
// mean" when one is close; the program checks the keys the engine passed it (PULUMI_CONFIG), which the
// pinned CLI does not refuse.
func UndeclaredKeys(keys []string) []string {
	sorted := append([]string(nil), keys...)
	sort.Strings(sorted)
	var out []string
	for _, k := range sorted {
		if _, ok := Declared(k); OwnKey(k) && !ok {
			out = append(out, undeclared(Qualify(k)))
		}
	}
	return out
}

// SetValue turns a `havpn plan --set key=value` into a stack value: JSON for a declared list or object
// (what a stack file holds as YAML), the text as given for anything else, as `pulumi config set` stores it.
func SetValue(key, value string) any {
	if k, ok := Declared(key); ok && OwnKey(key) && (k.Type == Array || k.Type == Object) {
		var v any
		if err := json.Unmarshal([]byte(value), &v); err == nil {
			return v
		}
	}
	return value
}

// normalize makes a decoded YAML value look like what the CLI checks: scalars as text at the top level,
// and lists and objects as their JSON round trip (numbers become float64).
func normalize(v any) (any, error) {
	switch v.(type) {
	case []any, map[string]any:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		var out any
		err = json.Unmarshal(b, &out)
		return out, err
	case nil:
		return "", nil
	default:
		return fmt.Sprint(v), nil
	}
}
