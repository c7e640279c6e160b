package simcloud

import (
	"encoding/json"
	"sort"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// obj is a property map in plain JSON form (float64 numbers, []any arrays, obj objects), secrets
// unwrapped to their plaintext and values the engine does not know yet held as unknown{}.
type obj = map[string]any

// unknown stands for a value the engine does not know yet (preview, or an output of a resource not yet created).
type unknown struct{}

// MarshalJSON keeps unknowns distinguishable when values are compared as JSON.
func (unknown) MarshalJSON() ([]byte, error) { return []byte(`"\u0000unknown"`), nil }

// plainMap converts an engine property map to plain form.
func plainMap(pm resource.PropertyMap) obj {
	out := obj{}
	for k, v := range pm {
		out[string(k)] = plainValue(v)
	}
	return out
}

// plainValue converts one property value: secrets by their plaintext, references by their ID.
func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsComputed():
		return unknown{}
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return unknown{}
		}
		return plainValue(o.Element)
	case v.IsSecret():
		return plainValue(v.SecretValue().Element)
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		if ref.ID.IsComputed() {
			return unknown{}
		}
		if id, ok := ref.IDString(); ok {
			return id
		}
		return string(ref.URN)
	case v.IsArray():
		arr := make([]any, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			arr = append(arr, plainValue(e))
		}
		return arr
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsString():
		return v.StringValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsBool():
		return v.BoolValue()
	}
	return nil
}

// propertyMap converts a plain map back to engine form, with the listed top-level keys secret.
func propertyMap(m obj, secretKeys []string) resource.PropertyMap {
	pm := resource.PropertyMap{}
	for k, v := range m {
		pm[resource.PropertyKey(k)] = propertyValue(v)
	}
	for _, k := range secretKeys {
		if v, ok := pm[resource.PropertyKey(k)]; ok && !v.IsSecret() && !v.IsNull() {
			pm[resource.PropertyKey(k)] = resource.MakeSecret(v)
		}
	}
	return pm
}

func propertyValue(v any) resource.PropertyValue {
	switch t := v.(type) {
	case unknown:
		return resource.MakeComputed(resource.NewProperty(""))
	case obj:
		return resource.NewProperty(propertyMap(t, nil))
	case []any:
		arr := make([]resource.PropertyValue, 0, len(t))
		for _, e := range t {
			arr = append(arr, propertyValue(e))
		}
		return resource.NewProperty(arr)
	case string:
		return resource.NewProperty(t)
	case float64:
		return resource.NewProperty(t)
	case int:
		return resource.NewProperty(float64(t))
	case int64:
		return resource.NewProperty(float64(t))
	case bool:
		return resource.NewProperty(t)
	case []string:
		arr := make([]any, len(t))
		for i, s := range t {
			arr[i] = s
		}
		return propertyValue(arr)
	}
	return resource.NewNullProperty()
}

// secretKeysOf lists the top-level keys whose value holds a secret anywhere inside.
func secretKeysOf(pm resource.PropertyMap) []string {
	var out []string
	for k, v := range pm {
		if v.ContainsSecrets() {
			out = append(out, string(k))
		}
	}
	sort.Strings(out)
	return out
}

// isUnknown reports whether a value, or anything inside it, is not known yet.
func isUnknown(v any) bool {
	switch t := v.(type) {
	case unknown:
		return true
	case obj:
		for _, e := range t {
			if isUnknown(e) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if isUnknown(e) {
				return true
			}
		}
	}
	return false
}

// absent reports whether a key is missing or null.
func absent(m obj, key string) bool {
	v, ok := m[key]
	return !ok || v == nil
}

// str returns a known string value.
func str(m obj, key string) (string, bool) {
	s, ok := m[key].(string)
	return s, ok
}

// strOr returns a known string value or def.
func strOr(m obj, key, def string) string {
	if s, ok := str(m, key); ok {
		return s
	}
	return def
}

// num returns a known number (numeric strings are accepted, as the engine may pass them).
func num(m obj, key string) (float64, bool) {
	return asNum(m[key])
}

func asNum(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case string:
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	}
	return 0, false
}

// flag returns a known boolean.
func flag(m obj, key string) (bool, bool) {
	b, ok := m[key].(bool)
	return b, ok
}

// isTrue reports whether a boolean is known and true.
func isTrue(m obj, key string) bool {
	b, ok := flag(m, key)
	return ok && b
}

// sub returns a known nested object.
func sub(m obj, key string) (obj, bool) {
	o, ok := m[key].(obj)
	return o, ok
}

// list returns a known array.
func list(m obj, key string) ([]any, bool) {
	a, ok := m[key].([]any)
	return a, ok
}

// objects returns the known objects of an array, skipping unknown entries.
func objects(m obj, key string) []obj {
	var out []obj
	arr, _ := list(m, key)
	for _, e := range arr {
		if o, ok := e.(obj); ok {
			out = append(out, o)
		}
	}
	return out
}

// stringsOf returns the known strings of an array.
func stringsOf(m obj, key string) []string {
	var out []string
	arr, _ := list(m, key)
	for _, e := range arr {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// refID returns a known {id} sub-resource reference.
func refID(m obj, key string) (string, bool) {
	o, ok := sub(m, key)
	if !ok {
		return "", false
	}
	return str(o, "id")
}

// canonical encodes a plain value as JSON with sorted keys, for deep comparison.
func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "\u0000invalid"
	}
	return string(b)
}

// clone deep-copies a plain map (only used on known values).
func clone(m obj) obj {
	out := obj{}
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case obj:
		return clone(t)
	case []any:
		arr := make([]any, len(t))
		for i, e := range t {
			arr[i] = cloneValue(e)
		}
		return arr
	}
	return v
}
