// Package envconfig reads the stack configuration of the example environment (main.go): the Google
// VPC and its subnets, the Azure VNet, and the link's design parameters. It is pure Go, so the
// configuration checks and warnings are testable without Pulumi.
package envconfig

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// Namespace is the example program's Pulumi project name (Pulumi.yaml), which is also its stack
// configuration namespace.
const Namespace = "havpn"

// Environment is the example environment one stack builds.
type Environment struct {
	Topology           string
	SharedSecret       string
	NextSharedSecret   string
	BgpSessionBlock    *int
	GcpProject         string
	GcpRegion          string
	RoutingMode        string
	Subnets            []Subnet
	GcpAsn             *int
	KeepaliveInterval  *int
	AdvertisedIpRanges []string
	AzureLocation      string
	AzureAsn           *int
	AzureSku           string
	VnetCidr           string
	GatewaySubnetCidr  string
	WorkloadSubnetCidr string
}

// Subnet is one Google subnet of the VPC.
type Subnet struct {
	Region string `json:"region"`
	Cidr   string `json:"cidr"`
}

// Lookup returns the raw value of a configuration key (without namespace) and whether it is set.
type Lookup func(key string) (string, bool)

// Load reads the environment from configuration, with defaults; it reports every bad key at once.
func Load(get Lookup) (*Environment, error) {
	var errs []string
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s:%s: %s", Namespace, key, fmt.Sprintf(format, args...)))
	}
	str := func(key, def string) string {
		if v, ok := get(key); ok && v != "" {
			return v
		}
		return def
	}
	num := func(key string) *int {
		v, ok := get(key)
		if !ok || v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			bad(key, "%q is not a whole number", v)
			return nil
		}
		return &n
	}
	e := &Environment{
		Topology:           str("topology", "paired"),
		SharedSecret:       str("sharedSecret", ""),
		NextSharedSecret:   str("nextSharedSecret", ""),
		BgpSessionBlock:    num("bgpSessionBlock"),
		GcpProject:         str("gcpProject", ""),
		GcpRegion:          str("gcpRegion", "asia-northeast1"),
		RoutingMode:        strings.ToUpper(str("routingMode", "REGIONAL")),
		GcpAsn:             num("gcpAsn"),
		KeepaliveInterval:  num("keepaliveInterval"),
		AzureLocation:      str("azureLocation", "japaneast"),
		AzureAsn:           num("azureAsn"),
		AzureSku:           str("azureSku", ""),
		VnetCidr:           str("vnetCidr", "10.1.0.0/16"),
		GatewaySubnetCidr:  str("gatewaySubnetCidr", "10.1.255.0/27"),
		WorkloadSubnetCidr: str("workloadSubnetCidr", "10.1.1.0/24"),
	}
	if v, ok := get("subnets"); ok && v != "" {
		if err := json.Unmarshal([]byte(v), &e.Subnets); err != nil {
			bad("subnets", "want a list of {region, cidr}: %v", err)
		}
	} else {
		e.Subnets = []Subnet{{Region: e.GcpRegion, Cidr: "172.16.0.0/24"}}
	}
	if v, ok := get("advertisedIpRanges"); ok && v != "" {
		if err := json.Unmarshal([]byte(v), &e.AdvertisedIpRanges); err != nil {
			bad("advertisedIpRanges", "want a list of CIDRs: %v", err)
		}
	}
	if e.RoutingMode != "REGIONAL" && e.RoutingMode != "GLOBAL" {
		bad("routingMode", "%q must be REGIONAL or GLOBAL", e.RoutingMode)
	}
	firstIn := map[string]int{}
	for i, s := range e.Subnets {
		if _, err := netip.ParsePrefix(s.Cidr); err != nil || s.Region == "" {
			bad("subnets", "entry %d (%s %s) needs a region and a CIDR", i, s.Region, s.Cidr)
		}
		// The example program names each subnet after its region (one Pulumi resource per region).
		if j, dup := firstIn[s.Region]; dup && s.Region != "" {
			bad("subnets", "entries %d and %d are both in region %q: the example program creates one subnet per region; keep one entry per region", j, i, s.Region)
		} else {
			firstIn[s.Region] = i
		}
	}
	if len(errs) > 0 {
		return nil, &Error{Problems: errs}
	}
	return e, nil
}

// Error lists every bad configuration key.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "invalid stack configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
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

// Warnings lists configurations that deploy but do not do what the user likely wants.
func (e *Environment) Warnings() []string {
	var out []string
	var elsewhere []string
	for _, r := range e.Regions() {
		if r != e.GcpRegion {
			elsewhere = append(elsewhere, r)
		}
	}
	if e.RoutingMode == "REGIONAL" && len(elsewhere) > 0 {
		out = append(out, fmt.Sprintf("routing mode is REGIONAL but subnets also lie in %s: the Cloud Router in %s advertises only its own region, so Azure will not reach those subnets. Set %s:routingMode to GLOBAL.",
			strings.Join(elsewhere, ", "), e.GcpRegion, Namespace))
	}
	return out
}
