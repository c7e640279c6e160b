package provider

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/proto"

	"github.com/havpn/pulumi-havpn/component"
)

var wireOptions = plugin.MarshalOptions{KeepSecrets: true, KeepUnknowns: true, KeepOutputValues: true, KeepResources: true}

// argsTypes maps each component the plugin serves to its Go argument type: one input preparation for all.
var argsTypes = map[string]reflect.Type{
	component.Token:    reflect.TypeFor[component.HaVpnLinkArgs](),
	component.HubToken: reflect.TypeFor[component.AzureVpnHubArgs](),
}

// prepareRequest rewrites the Construct inputs, guided by the Go argument type of the requested
// component, before the SDK copies them into it:
//   - an unknown value (preview) becomes an unknown Output: on the wire every unknown is a string, and
//     the SDK cannot copy an unknown string into a list such as azure.addressPrefixes;
//   - a plain design parameter (topology, ASNs, /30s, ...) must be known, not secret and not taken from
//     another resource: it shapes the plan. An Output wrapper around a known value with no dependency
//     is unwrapped; anything else is a clear error.
func prepareRequest(req *pulumirpc.ConstructRequest) (*pulumirpc.ConstructRequest, error) {
	typ, ok := argsTypes[req.GetType()]
	if !ok {
		return nil, unknownType(req.GetType())
	}
	props, err := plugin.UnmarshalProperties(req.GetInputs(), wireOptions)
	if err != nil {
		return nil, fmt.Errorf("havpn: reading the arguments: %w", err)
	}
	var problems []string
	prepareObject(props, typ, "", &problems)
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("havpn: %d argument(s) cannot be used:\n  - %s", len(problems), strings.Join(problems, "\n  - "))
	}
	wire, err := plugin.MarshalProperties(props, wireOptions)
	if err != nil {
		return nil, err
	}
	out := proto.Clone(req).(*pulumirpc.ConstructRequest)
	out.Inputs = wire
	return out, nil
}

var inputInterface = reflect.TypeFor[pulumi.Input]()

func prepareObject(props resource.PropertyMap, typ reflect.Type, prefix string, problems *[]string) {
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		tag, ok := f.Tag.Lookup("pulumi")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		key := resource.PropertyKey(name)
		v, present := props[key]
		if !present {
			continue
		}
		props[key] = prepareValue(v, f.Type, prefix+name, problems)
	}
}

func prepareValue(v resource.PropertyValue, typ reflect.Type, path string, problems *[]string) resource.PropertyValue {
	if typ.Implements(inputInterface) {
		if unknown(v) {
			return resource.NewOutputProperty(resource.Output{Known: false, Secret: isSecret(v), Dependencies: dependencies(v)})
		}
		return v
	}
	// A plain value: it shapes the plan, so it must be known now.
	switch {
	case unknown(v):
		*problems = append(*problems, fmt.Sprintf("%s is not known yet (an Output of a resource still to be created); it shapes the link's plan, so pass a value known at preview", path))
		return v
	case isSecret(v):
		*problems = append(*problems, fmt.Sprintf("%s is a secret; it is a design parameter shown in plans and reports, so pass it as a plain value", path))
		return v
	case v.IsOutput() && len(v.OutputValue().Dependencies) > 0:
		// Known, but tied to another resource: unwrapping it would drop that dependency, which the
		// SDK's copy then refuses with a message about Go types (seen from Python, which accepts an
		// Output anywhere at run time).
		from := v.OutputValue().Dependencies[0]
		*problems = append(*problems, fmt.Sprintf("%s comes from %s %q (an Output); it shapes the link's plan, so pass a plain value", path, from.Type(), from.Name()))
		return v
	case v.IsOutput():
		return prepareValue(v.OutputValue().Element, typ, path, problems)
	}
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if want, ok := plainKinds[typ.Kind()]; ok && !v.IsNull() && !want.is(v) {
		shown, _ := json.Marshal(v.Mappable())
		*problems = append(*problems, fmt.Sprintf("%s = %s: want %s", path, shown, want.name))
		return v
	}
	switch typ.Kind() {
	case reflect.Struct:
		prepareObject(v.ObjectValue(), typ, path+".", problems)
	case reflect.Slice:
		for i, e := range v.ArrayValue() {
			v.ArrayValue()[i] = prepareValue(e, typ.Elem(), fmt.Sprintf("%s[%d]", path, i), problems)
		}
	}
	return v
}

// plainKind is the wire form a plain Go field accepts, so a wrongly typed argument is reported with
// its full path (gcp.asn) rather than by the SDK's copy, which names only the top-level argument.
type plainKind struct {
	name string
	is   func(resource.PropertyValue) bool
}

var plainKinds = map[reflect.Kind]plainKind{
	reflect.String: {"a string", resource.PropertyValue.IsString},
	reflect.Bool:   {"true or false", resource.PropertyValue.IsBool},
	reflect.Int:    {"a whole number", isWholeNumber},
	reflect.Int64:  {"a whole number", isWholeNumber},
	reflect.Struct: {"an object", resource.PropertyValue.IsObject},
	reflect.Slice:  {"a list", resource.PropertyValue.IsArray},
}

func isWholeNumber(v resource.PropertyValue) bool {
	return v.IsNumber() && v.NumberValue() == math.Trunc(v.NumberValue())
}

func unknown(v resource.PropertyValue) bool {
	switch {
	case v.IsComputed():
		return true
	case v.IsSecret():
		return unknown(v.SecretValue().Element)
	case v.IsOutput():
		return !v.OutputValue().Known
	}
	return false
}

// isSecret: a secret value, or an Output marked secret (known or not): unwrapping the latter would drop
// the flag and put the secret in plain sight in the plan.
func isSecret(v resource.PropertyValue) bool {
	return v.IsSecret() || v.IsOutput() && v.OutputValue().Secret
}

func dependencies(v resource.PropertyValue) []resource.URN {
	if v.IsOutput() {
		return v.OutputValue().Dependencies
	}
	return nil
}
