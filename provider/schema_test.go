package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/component"
	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// typeSpec is the part of a Pulumi schema type or property these tests read.
type typeSpec struct {
	Type                 string              `json:"type"`
	Ref                  string              `json:"$ref"`
	Items                *typeSpec           `json:"items"`
	AdditionalProperties *typeSpec           `json:"additionalProperties"`
	Plain                bool                `json:"plain"`
	Secret               bool                `json:"secret"`
	Default              any                 `json:"default"`
	Description          string              `json:"description"`
	Properties           map[string]typeSpec `json:"properties"`
	Required             []string            `json:"required"`
	Enum                 []struct {
		Value any `json:"value"`
	} `json:"enum"`
}

type packageSpec struct {
	Resources map[string]struct {
		IsComponent     bool                `json:"isComponent"`
		Description     string              `json:"description"`
		InputProperties map[string]typeSpec `json:"inputProperties"`
		RequiredInputs  []string            `json:"requiredInputs"`
		Properties      map[string]typeSpec `json:"properties"`
		Required        []string            `json:"required"`
	} `json:"resources"`
	Types map[string]typeSpec `json:"types"`
}

func loadSchema(t *testing.T) packageSpec {
	t.Helper()
	var spec packageSpec
	require.NoError(t, json.Unmarshal(Schema, &spec))
	return spec
}

// TestSchemaIsTheRepositoryContract: the plugin serves exactly the repository's schema.json.
func TestSchemaIsTheRepositoryContract(t *testing.T) {
	root, err := os.ReadFile("../schema.json")
	require.NoError(t, err)
	require.Equal(t, string(root), string(Schema), "provider/schema.json differs from schema.json: run `make schema`")
}

// goTypes maps the component's Go argument structs to their schema object types.
var goTypes = map[reflect.Type]string{
	reflect.TypeFor[component.GcpArgs]():             "havpn:index:Gcp",
	reflect.TypeFor[component.AzureArgs]():           "havpn:index:Azure",
	reflect.TypeFor[component.FirewallArgs]():        "havpn:index:Firewall",
	reflect.TypeFor[component.FirewallAllowArgs]():   "havpn:index:FirewallAllow",
	reflect.TypeFor[component.IpsecPolicyArgs]():     "havpn:index:IpsecPolicy",
	reflect.TypeFor[component.ExistingGatewayArgs](): "havpn:index:ExistingGateway",
	reflect.TypeFor[component.AzureVpnHubRefArgs]():  "havpn:index:AzureVpnHubRef",
	reflect.TypeFor[component.HubSlotArgs]():         "havpn:index:HubSlot",
	reflect.TypeFor[component.HubSpokeArgs]():        "havpn:index:HubSpoke",
}

// TestArgsMatchSchema walks the Go argument types and the schema together; any drift fails.
func TestArgsMatchSchema(t *testing.T) {
	spec := loadSchema(t)
	res := spec.Resources[component.Token]
	require.True(t, res.IsComponent)
	compareObject(t, "HaVpnLinkArgs", reflect.TypeFor[component.HaVpnLinkArgs](), res.InputProperties, res.RequiredInputs, spec)
	hub := spec.Resources[component.HubToken]
	require.True(t, hub.IsComponent)
	compareObject(t, "AzureVpnHubArgs", reflect.TypeFor[component.AzureVpnHubArgs](), hub.InputProperties, hub.RequiredInputs, spec)
	for goType, token := range goTypes {
		obj, ok := spec.Types[token]
		require.True(t, ok, "schema lacks %s", token)
		compareObject(t, goType.Name(), goType, obj.Properties, obj.Required, spec)
	}
}

func compareObject(t *testing.T, where string, typ reflect.Type, props map[string]typeSpec, required []string, spec packageSpec) {
	t.Helper()
	seen := map[string]bool{}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		tag, ok := f.Tag.Lookup("pulumi")
		if !ok {
			continue
		}
		name, flags, _ := strings.Cut(tag, ",")
		seen[name] = true
		p, ok := props[name]
		if !assert.True(t, ok, "%s.%s (%s) is not in the schema", where, f.Name, name) {
			continue
		}
		at := where + "." + name
		assert.NotEmpty(t, p.Description, "%s has no description", at)
		assert.Equal(t, flags != "optional", slices.Contains(required, name), "%s: Go optional=%v, schema required=%v", at, flags == "optional", slices.Contains(required, name))
		compareType(t, at, f.Type, p, spec)
	}
	for name := range props {
		assert.True(t, seen[name], "schema property %s.%s has no Go field", where, name)
	}
}

func compareType(t *testing.T, at string, goType reflect.Type, p typeSpec, spec packageSpec) {
	t.Helper()
	isInput := goType.Implements(inputInterface)
	assert.Equal(t, !isInput, p.Plain, "%s: Go type %s is an input=%v, schema plain=%v", at, goType, isInput, p.Plain)
	want := schemaTypeOf(goType)
	got := p.Type
	if p.Ref != "" {
		ref := strings.TrimPrefix(p.Ref, "#/types/")
		got = spec.Types[ref].Type
		if obj := spec.Types[ref]; obj.Type == "object" {
			got = "object:" + ref
		}
	}
	if got == "array" && p.Items != nil {
		item := p.Items.Type
		if p.Items.Ref != "" {
			item = "object:" + strings.TrimPrefix(p.Items.Ref, "#/types/")
		}
		got = "array:" + item
		if !isInput {
			assert.True(t, p.Items.Plain, "%s: a plain array needs plain items", at)
		}
	}
	assert.Equal(t, want, got, "%s: Go type %s", at, goType)
}

// schemaTypeOf names the schema type a Go argument type stands for.
func schemaTypeOf(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[pulumi.StringInput](), reflect.TypeFor[pulumi.StringPtrInput]():
		return "string"
	case reflect.TypeFor[pulumi.StringArrayInput]():
		return "array:string"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int:
		return "integer"
	case reflect.Bool:
		return "boolean"
	case reflect.Struct:
		return "object:" + goTypes[t]
	case reflect.Slice:
		return "array:" + schemaTypeOf(t.Elem())
	}
	return "unsupported " + t.String()
}

// TestOutputsMatchSchema: the component's outputs and the Tunnel rows are the schema's.
func TestOutputsMatchSchema(t *testing.T) {
	spec := loadSchema(t)
	res := spec.Resources[component.Token]
	var goOutputs []string
	typ := reflect.TypeFor[component.HaVpnLink]()
	for i := 0; i < typ.NumField(); i++ {
		if tag, ok := typ.Field(i).Tag.Lookup("pulumi"); ok {
			goOutputs = append(goOutputs, tag)
		}
	}
	sort.Strings(goOutputs)
	required := slices.Clone(res.Required)
	sort.Strings(required)
	assert.Equal(t, goOutputs, required, "component outputs vs schema required properties")
	assert.Len(t, res.Properties, len(goOutputs))
	assert.True(t, res.Properties["sharedSecrets"].Secret, "sharedSecrets must be secret")
	assert.True(t, res.InputProperties["sharedSecret"].Secret, "sharedSecret must be secret")

	hub := spec.Resources[component.HubToken]
	var hubOutputs []string
	hubType := reflect.TypeFor[component.AzureVpnHub]()
	for i := 0; i < hubType.NumField(); i++ {
		if tag, ok := hubType.Field(i).Tag.Lookup("pulumi"); ok {
			hubOutputs = append(hubOutputs, tag)
		}
	}
	sort.Strings(hubOutputs)
	hubRequired := slices.Clone(hub.Required)
	sort.Strings(hubRequired)
	assert.Equal(t, hubOutputs, hubRequired, "AzureVpnHub outputs vs schema required properties")
	assert.Len(t, hub.Properties, len(hubOutputs))
	assert.Equal(t, "#/types/havpn:index:AzureVpnHubRef", hub.Properties["hub"].Ref, "the hub output is the type a link takes as azure.hub")
	assert.Equal(t, hub.Properties["hub"].Ref, spec.Types["havpn:index:Azure"].Properties["hub"].Ref)

	tunnel := spec.Types["havpn:index:Tunnel"]
	row := reflect.TypeFor[analysis.TunnelRow]()
	var fields []string
	for i := 0; i < row.NumField(); i++ {
		name := strings.Split(row.Field(i).Tag.Get("json"), ",")[0]
		fields = append(fields, name)
		p := tunnel.Properties[name]
		assert.Equal(t, schemaTypeOf(row.Field(i).Type), p.Type, "Tunnel.%s", name)
	}
	sort.Strings(fields)
	req := slices.Clone(tunnel.Required)
	sort.Strings(req)
	assert.Equal(t, fields, req, "Tunnel output fields")
}

// minimalPlan is the core's plan of a link given only the required arguments (and block, if set):
// what it fills in is the core's defaults.
func minimalPlan(t *testing.T, block *int) *linkplan.Plan {
	t.Helper()
	str := func(v string) *string { return &v }
	plan, err := linkplan.Build(linkplan.Spec{
		Name: "l", SharedSecret: str(secret), BgpSessionBlock: block,
		Gcp: linkplan.GcpSpec{Region: str("asia-northeast1"), Network: str("vpc")},
		Azure: linkplan.AzureSpec{ResourceGroupName: str("rg"), Location: str("japaneast"),
			GatewaySubnetId: str(subnetID), AddressPrefixes: []string{"10.1.0.0/16"}},
	})
	require.NoError(t, err)
	return plan
}

// defaultBlock is the bgpSessionBlock whose /30s the core picks when none is given.
func defaultBlock(t *testing.T, plan *linkplan.Plan) int {
	t.Helper()
	for b := 0; b <= cloudrules.MaxBgpSessionBlock; b++ {
		if reflect.DeepEqual(minimalPlan(t, &b).Tunnels, plan.Tunnels) {
			return b
		}
	}
	t.Fatal("no block gives the default /30s")
	return -1
}

// TestSchemaDefaultsAreTheCoresDefaults: a default in the schema must be the one the component applies.
func TestSchemaDefaultsAreTheCoresDefaults(t *testing.T) {
	pol := cloudrules.DefaultIpsecPolicy
	plan := minimalPlan(t, nil)
	want := map[string]any{
		"topology":                        string(plan.Topology),
		"Gcp.asn":                         cloudrules.DefaultGcpAsn,
		"Gcp.keepaliveInterval":           cloudrules.DefaultKeepalive,
		"Firewall.enabled":                plan.Gcp.Firewall.Enabled,
		"Azure.dpdTimeoutSeconds":         cloudrules.DefaultDpdTimeout,
		"IpsecPolicy.ikeEncryption":       pol.IkeEncryption,
		"IpsecPolicy.ikeIntegrity":        pol.IkeIntegrity,
		"IpsecPolicy.dhGroup":             pol.DhGroup,
		"IpsecPolicy.ipsecEncryption":     pol.IpsecEncryption,
		"IpsecPolicy.ipsecIntegrity":      pol.IpsecIntegrity,
		"IpsecPolicy.pfsGroup":            pol.PfsGroup,
		"IpsecPolicy.saLifeTimeSeconds":   pol.SaLifeTimeSeconds,
		"IpsecPolicy.saDataSizeKilobytes": pol.SaDataSizeKilobytes,
	}
	spec := loadSchema(t)
	got := map[string]any{}
	collect := func(prefix string, props map[string]typeSpec) {
		for name, p := range props {
			if p.Default != nil {
				got[prefix+name] = p.Default
			}
		}
	}
	collect("", spec.Resources[component.Token].InputProperties)
	for token, typ := range spec.Types {
		collect(strings.TrimPrefix(token, "havpn:index:")+".", typ.Properties)
	}
	require.Len(t, got, len(want), "schema defaults: %v", got)
	for k, v := range want {
		assert.Equal(t, fmt.Sprint(v), jsonScalar(got[k]), "default of %s", k)
	}
	// Defaults that depend on other arguments are the component's, stated in the description only: the
	// SDKs would otherwise send them, and a link on a hub or an existing gateway would carry a block,
	// ASN or SKU it was never given.
	link := spec.Resources[component.Token].InputProperties
	for field, def := range map[string]string{"bgpSessionBlock": fmt.Sprint("Default ", defaultBlock(t, plan)), "azure.asn": fmt.Sprint("default ", cloudrules.DefaultAzureAsn), "azure.sku": "default " + cloudrules.DefaultSku} {
		p := link[field]
		if name, ok := strings.CutPrefix(field, "azure."); ok {
			p = spec.Types["havpn:index:Azure"].Properties[name]
		}
		assert.Contains(t, p.Description, def, "%s states its default", field)
	}

	hubDefaults := map[string]any{}
	for name, p := range spec.Resources[component.HubToken].InputProperties {
		if p.Default != nil {
			hubDefaults[name] = jsonScalar(p.Default)
		}
	}
	assert.Equal(t, map[string]any{"asn": fmt.Sprint(cloudrules.DefaultAzureAsn), "sku": cloudrules.DefaultSku, "slotTopology": string(linkplan.Paired)}, hubDefaults)
}

// TestSchemaEnumsAreTheCoresValues: the enums list exactly what validation accepts.
func TestSchemaEnumsAreTheCoresValues(t *testing.T) {
	spec := loadSchema(t)
	var topologies []string
	for _, e := range spec.Types["havpn:index:Topology"].Enum {
		topologies = append(topologies, fmt.Sprint(e.Value))
	}
	var want []string
	for _, tp := range linkplan.Topologies {
		want = append(want, string(tp))
	}
	assert.Equal(t, want, topologies)

	var skus []string
	for _, e := range spec.Types["havpn:index:AzureSku"].Enum {
		skus = append(skus, fmt.Sprint(e.Value))
	}
	var allowed []string
	for name, rule := range cloudrules.AzureSkus {
		if rule.Allowed {
			allowed = append(allowed, name)
		}
	}
	sort.Strings(allowed)
	assert.Equal(t, allowed, skus)
}

// jsonScalar prints a decoded JSON scalar as Go prints the same value (JSON numbers decode as float64).
func jsonScalar(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
