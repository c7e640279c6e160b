package mockcloud

import (
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

// Inventory lists the recorded resources, sorted by type then name, with secrets masked.
func (r *Recorder) Inventory() []plandoc.Resource {
	regs := r.Registrations()
	names := map[string]string{}
	for _, reg := range regs {
		names[reg.URN] = reg.Name
	}
	out := make([]plandoc.Resource, 0, len(regs))
	for _, reg := range regs {
		deps := map[string]bool{}
		for _, u := range reg.Dependencies {
			deps[names[u]] = true
		}
		for _, urns := range reg.PropertyDependencies {
			for _, u := range urns {
				deps[names[u]] = true
			}
		}
		delete(deps, "")
		e := plandoc.Resource{Type: reg.Type, Name: reg.Name, Inputs: Plain(reg.Inputs), Options: options(reg, names), Read: reg.Read, Aliases: reg.Aliases}
		for d := range deps {
			e.DependsOn = append(e.DependsOn, d)
		}
		sort.Strings(e.DependsOn)
		for input, urns := range reg.PropertyDependencies {
			if from := logicalNames(urns, names); len(from) > 0 {
				if e.InputDependsOn == nil {
					e.InputDependsOn = map[string][]string{}
				}
				e.InputDependsOn[input] = from
			}
		}
		out = append(out, e)
	}
	return out
}

// options are a registration's replacement options, nil when it sets none.
func options(reg *Registration, names map[string]string) *plandoc.Options {
	o := &plandoc.Options{DeleteBeforeReplace: reg.DeleteBeforeReplace, ReplaceWith: logicalNames(reg.ReplaceWith, names)}
	if len(reg.ReplaceOnChanges) > 0 {
		o.ReplaceOnChanges = append([]string(nil), reg.ReplaceOnChanges...)
		sort.Strings(o.ReplaceOnChanges)
	}
	if !o.DeleteBeforeReplace && len(o.ReplaceOnChanges)+len(o.ReplaceWith) == 0 {
		return nil
	}
	return o
}

// logicalNames maps URNs to the registrations' logical names, sorted, without duplicates or unknowns.
func logicalNames(urns []string, names map[string]string) []string {
	set := map[string]bool{}
	for _, u := range urns {
		if n := names[u]; n != "" {
			set[n] = true
		}
	}
	var out []string
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Plain turns a property map into JSON-friendly values, masking secrets and marking unknowns.
func Plain(m resource.PropertyMap) map[string]any {
	if len(m) == 0 {
		return nil
	}
	return plainMap(m, false)
}

// Revealed is Plain with every secret shown in plaintext, for tests that compare secret values.
func Revealed(m resource.PropertyMap) map[string]any { return plainMap(m, true) }

// Unknown marks a value not known at registration.
const Unknown = "[unknown]"

func plainMap(m resource.PropertyMap, reveal bool) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[string(k)] = plainValue(v, reveal)
	}
	return out
}

func plainValue(v resource.PropertyValue, reveal bool) any {
	switch {
	case !reveal && (v.IsSecret() || v.IsOutput() && v.OutputValue().Secret):
		return plandoc.SecretMask
	case v.IsSecret():
		return plainValue(v.SecretValue().Element, reveal)
	case v.IsComputed() || v.IsOutput() && !v.OutputValue().Known:
		return Unknown
	case v.IsOutput():
		return plainValue(v.OutputValue().Element, reveal)
	case v.IsArray():
		arr := []any{}
		for _, e := range v.ArrayValue() {
			arr = append(arr, plainValue(e, reveal))
		}
		return arr
	case v.IsObject():
		return plainMap(v.ObjectValue(), reveal)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsNull():
		return nil
	default:
		return v.V
	}
}

// SecretPaths lists the top-level inputs of a registration that hold a secret anywhere inside.
func (reg *Registration) SecretPaths() []string {
	var out []string
	for k, v := range reg.Inputs {
		if v.ContainsSecrets() {
			out = append(out, string(k))
		}
	}
	sort.Strings(out)
	return out
}
