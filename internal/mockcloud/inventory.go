package mockcloud

import (
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/havpn/pulumi-havpn/internal/plandoc"
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
		e := plandoc.Resource{Type: reg.Type, Name: reg.Name, Inputs: Plain(reg.Inputs)}
		for d := range deps {
			e.DependsOn = append(e.DependsOn, d)
		}
		sort.Strings(e.DependsOn)
		out = append(out, e)
	}
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
