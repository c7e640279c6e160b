// Package envconfig reads the stack configuration of the example environment (main.go): its role (one
// link, or the hub or a spoke of team stacks), the Google VPC and its subnets, the Azure VNet, and the
// link's or the hub's arguments. Its Keys table is the declaration Pulumi.yaml carries. It is pure Go,
// so the checks and warnings are testable without Pulumi.
package envconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Namespace is the example program's Pulumi project name (Pulumi.yaml), which is also its stack
// configuration namespace.
const Namespace = "havpn"

// Environment is the example environment one stack builds. The link's arguments are passed to the
// component as they are: the component validates them, with its own messages.
type Environment struct {
	Role               Role
	Topology           string
	SharedSecret       string
	NextSharedSecret   string
	BgpSessionBlock    int
	BgpSessionRanges   []string
	IpsecPolicy        IpsecPolicy
	GcpProject         string
	GcpRegion          string
	RoutingMode        string
	Subnets            []Subnet
	GcpAsn             int
	KeepaliveInterval  int
	AdvertisedIpRanges []string
	Firewall           Firewall
	AzureLocation      string
	AzureAsn           int
	AzureSku           string
	AzureGeneration    string
	AzureZones         []string
	AzureGatewayName   string
	DpdTimeoutSeconds  int
	VnetCidr           string
	GatewaySubnetCidr  string
	WorkloadSubnetCidr string
	// A hub's slots and spoke registry.
	LinkSlots int
	Spokes    []HubSpoke
	// A spoke's hub stack and its name in the hub's registry ("": the stack's name).
	HubStack  string
	SpokeName string
}

// HubSpoke is one entry of a hub's spoke registry (havpn:spokes): the AzureVpnHub's spokes argument.
type HubSpoke struct {
	Name string `json:"name"`
	Slot int    `json:"slot"`
	Asn  int    `json:"asn"`
}

// Subnet is one Google subnet of the VPC.
type Subnet struct {
	Region string `json:"region"`
	Cidr   string `json:"cidr"`
}

// IpsecPolicy is havpn:ipsecPolicy: the component's ipsecPolicy fields; empty fields keep its default.
type IpsecPolicy struct {
	IkeEncryption       string `json:"ikeEncryption,omitempty"`
	IkeIntegrity        string `json:"ikeIntegrity,omitempty"`
	DhGroup             string `json:"dhGroup,omitempty"`
	IpsecEncryption     string `json:"ipsecEncryption,omitempty"`
	IpsecIntegrity      string `json:"ipsecIntegrity,omitempty"`
	PfsGroup            string `json:"pfsGroup,omitempty"`
	SaLifeTimeSeconds   *int   `json:"saLifeTimeSeconds,omitempty"`
	SaDataSizeKilobytes *int   `json:"saDataSizeKilobytes,omitempty"`
}

// Firewall is havpn:firewall: the component's gcp.firewall.
type Firewall struct {
	Enabled    *bool           `json:"enabled,omitempty"`
	Allow      []FirewallAllow `json:"allow,omitempty"`
	TargetTags []string        `json:"targetTags,omitempty"`
}

// FirewallAllow is one protocol with optional ports.
type FirewallAllow struct {
	Protocol string `json:"protocol"`
	Ports    []Port `json:"ports,omitempty"`
}

// Port is a port or a range ("443", "8000-8080"); a YAML list may give a single port as a number.
type Port string

// UnmarshalJSON accepts a string or a whole number.
func (p *Port) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*p = Port(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		if i, err := n.Int64(); err == nil {
			*p = Port(strconv.FormatInt(i, 10))
			return nil
		}
	}
	return fmt.Errorf("a port is a number or a quoted range such as \"8000-8080\", not %s", b)
}

// Lookup returns the raw value of a configuration key (without namespace) and whether it is set; lists
// and objects arrive as JSON, as the Pulumi engine hands them to programs.
type Lookup func(key string) (string, bool)

// Load reads the environment from configuration, a key not set taking its declared default; it reports
// every bad key and every address-space problem of the environment at once.
func Load(get Lookup) (*Environment, error) {
	r := &reader{get: get}
	e := &Environment{
		Role:               Role(r.str("role")),
		Topology:           r.str("topology"),
		SharedSecret:       r.str("sharedSecret"),
		NextSharedSecret:   r.str("nextSharedSecret"),
		BgpSessionBlock:    r.integer("bgpSessionBlock"),
		GcpProject:         r.str("gcpProject"),
		GcpRegion:          r.str("gcpRegion"),
		RoutingMode:        strings.ToUpper(r.str("routingMode")),
		GcpAsn:             r.integer("gcpAsn"),
		KeepaliveInterval:  r.integer("keepaliveInterval"),
		AzureLocation:      r.str("azureLocation"),
		AzureAsn:           r.integer("azureAsn"),
		AzureSku:           r.str("azureSku"),
		AzureGeneration:    r.str("azureGeneration"),
		AzureGatewayName:   r.str("azureGatewayName"),
		DpdTimeoutSeconds:  r.integer("dpdTimeoutSeconds"),
		VnetCidr:           r.str("vnetCidr"),
		GatewaySubnetCidr:  r.str("gatewaySubnetCidr"),
		WorkloadSubnetCidr: r.str("workloadSubnetCidr"),
		LinkSlots:          r.integer("linkSlots"),
		HubStack:           r.str("hubStack"),
		SpokeName:          r.str("spokeName"),
	}
	r.decode("bgpSessionRanges", &e.BgpSessionRanges)
	r.decode("ipsecPolicy", &e.IpsecPolicy)
	r.decode("subnets", &e.Subnets)
	r.decode("advertisedIpRanges", &e.AdvertisedIpRanges)
	r.decode("firewall", &e.Firewall)
	r.decode("azureZones", &e.AzureZones)
	r.decode("spokes", &e.Spokes)
	if len(e.Subnets) == 0 {
		e.Subnets = []Subnet{{Region: e.GcpRegion, Cidr: "172.16.0.0/24"}}
	}
	if e.RoutingMode != "REGIONAL" && e.RoutingMode != "GLOBAL" {
		r.bad("routingMode", e.RoutingMode, "the VPC routing mode is REGIONAL or GLOBAL", "set it to GLOBAL to advertise every region's subnets, REGIONAL for gcpRegion's only")
	}
	r.checkRole(e)
	if len(r.errs) == 0 {
		r.errs = append(r.errs, e.addressProblems()...)
	}
	if len(r.errs) > 0 {
		return nil, &Error{Problems: r.errs}
	}
	return e, nil
}

// Error lists every bad configuration key.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "invalid stack configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// reader reads declared keys, applying the declared defaults the way the engine does.
type reader struct {
	get  Lookup
	errs []string
}

// raw is the key's value, or its declared default in the engine's form; an empty value counts as unset.
func (r *reader) raw(name string) string {
	if v, ok := r.get(name); ok && v != "" {
		return v
	}
	k, ok := Declared(name)
	if !ok {
		panic("envconfig: undeclared key " + name)
	}
	return EngineValue(k.Default)
}

func (r *reader) bad(name string, value any, rule, fix string) {
	r.errs = append(r.errs, problem(Namespace+":"+name, value, rule, fix))
}

// problem formats one refused value: the key, the value, the rule and the fix.
func problem(key string, value any, rule, fix string) string {
	return fmt.Sprintf("%s = %s: %s. Fix: %s.", key, show(value), rule, fix)
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (r *reader) str(name string) string { return r.raw(name) }

func (r *reader) integer(name string) int {
	v := r.raw(name)
	n, err := strconv.Atoi(v)
	if err != nil {
		r.bad(name, v, "must be of type integer (Pulumi.yaml)", "give a whole number")
	}
	return n
}

// decode reads a list or an object strictly: the declared type, no field the target lacks (with the
// closest field named), every value of its field's type.
func (r *reader) decode(name string, dst any) {
	k, _ := Declared(name)
	raw := r.raw(name)
	var generic any
	if err := json.Unmarshal([]byte(raw), &generic); err != nil || !ValidValue(k, generic) {
		r.errs = append(r.errs, typeProblem(k, raw, false))
		return
	}
	if unknown := unknownFields(generic, reflect.TypeOf(dst).Elem(), k.Qualified()); len(unknown) > 0 {
		r.errs = append(r.errs, unknown...)
		return
	}
	if err := json.Unmarshal([]byte(raw), dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			r.errs = append(r.errs, fmt.Sprintf("%s.%s: a JSON %s where a %s belongs. Fix: correct that field.", k.Qualified(), typeErr.Field, typeErr.Value, goTypeName(typeErr.Type)))
			return
		}
		r.errs = append(r.errs, fmt.Sprintf("%s: %v. Fix: correct that value.", k.Qualified(), err))
	}
}

func goTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return "whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "string"
	case reflect.Slice:
		return "list"
	}
	return "mapping"
}

// unknownFields lists the object fields of v that type t does not have, with their paths.
func unknownFields(v any, t reflect.Type, path string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return nil
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			fields[name] = t.Field(i).Type
			names = append(names, name)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				msg := fmt.Sprintf("%s.%s is not a field: the fields are %s.", path, k, strings.Join(names, ", "))
				if c := closestOf(k, names); c != "" {
					msg += fmt.Sprintf(" Did you mean %s?", c)
				}
				out = append(out, msg)
				continue
			}
			out = append(out, unknownFields(x[k], ft, path+"."+k)...)
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return nil
		}
		for i, e := range x {
			out = append(out, unknownFields(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return out
}

func closestOf(name string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Regions lists the distinct regions of the Google subnets, sorted.
func (e *Environment) Regions() []string {
	set := map[string]bool{}
	for _, s := range e.Subnets {
		set[s.Region] = true
	}
	var out []string
	for r := range set {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// SubnetRanges lists the Google subnets' CIDRs, in order: the component checks them against the VNet.
func (e *Environment) SubnetRanges() []string {
	out := make([]string, len(e.Subnets))
	for i, s := range e.Subnets {
		out[i] = s.Cidr
	}
	return out
}

// Warnings lists configurations that deploy but do not do what the user likely wants.
func (e *Environment) Warnings() []string {
	var out []string
	var elsewhere []string
	for _, r := range e.Regions() {
		if r != e.GcpRegion {
			elsewhere = append(elsewhere, r)
		}
	}
	if e.Role != RoleHub && e.RoutingMode == "REGIONAL" && len(elsewhere) > 0 {
		out = append(out, fmt.Sprintf("routing mode is REGIONAL but subnets also lie in %s: the Cloud Router in %s advertises only its own region, so Azure will not reach those subnets. Set %s:routingMode to GLOBAL.",
			strings.Join(elsewhere, ", "), e.GcpRegion, Namespace))
	}
	if e.Role != RoleSpoke {
		out = append(out, e.gatewaySubnetWarnings()...)
	}
	return out
}
