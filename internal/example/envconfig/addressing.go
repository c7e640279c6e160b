package envconfig

import (
	"fmt"
	"net/netip"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// addressProblems checks the environment's address space, every problem at once, each naming both
// ranges and the fix: the VNet against every Google subnet, the GatewaySubnet and the workload subnet
// inside the VNet and apart, the GatewaySubnet's size, and the Google subnets against each other. A
// hub has no Google subnets; a spoke's VNet is its hub's (its link checks the subnets against it).
func (e *Environment) addressProblems() []string {
	subnets := e.Subnets
	if e.Role == RoleHub {
		subnets = nil
	}
	var out []string
	bad := func(key string, value any, rule, fix string) {
		out = append(out, problem(Namespace+":"+key, value, rule, fix))
	}
	parse := func(key, s string) (netip.Prefix, bool) {
		p, err := netip.ParsePrefix(s)
		switch {
		case err != nil || !p.Addr().Is4():
			bad(key, s, "not an IPv4 CIDR", "write it as address/length, e.g. 10.1.0.0/16")
			return p, false
		case p.Masked() != p:
			bad(key, s, "the CIDR has host bits set", fmt.Sprintf("use %s", p.Masked()))
			return p, false
		}
		return p, true
	}

	google := map[int]netip.Prefix{}
	firstIn := map[string]int{}
	for i, s := range subnets {
		key := fmt.Sprintf("subnets[%d]", i)
		if s.Region == "" {
			bad(key, s.Cidr, "the subnet needs a region", `give each entry {"region": ..., "cidr": ...}`)
		}
		if p, ok := parse(key+".cidr", s.Cidr); ok {
			google[i] = p
		}
		// The example program names each subnet after its region (one Pulumi resource per region).
		if j, dup := firstIn[s.Region]; dup && s.Region != "" {
			bad(key, s.Region, fmt.Sprintf("subnets[%d] is in region %q too: the example program creates one subnet per region", j, s.Region), "keep one entry per region")
		} else {
			firstIn[s.Region] = i
		}
	}
	for i := 0; i < len(subnets); i++ {
		for j := 0; j < i; j++ {
			a, okA := google[i]
			b, okB := google[j]
			if okA && okB && a.Overlaps(b) {
				// Source: Google VPC docs (subnet ranges in one VPC network must not overlap; simcloud enforces the same).
				bad(fmt.Sprintf("subnets[%d].cidr", i), a.String(), fmt.Sprintf("it overlaps subnets[%d] (%s) %s: the subnet ranges of one VPC network must not overlap (Google VPC docs)", j, e.Subnets[j].Region, b),
					fmt.Sprintf("give the subnets of %s and %s disjoint ranges", e.Subnets[j].Region, e.Subnets[i].Region))
			}
		}
	}

	if e.Role == RoleSpoke {
		return out
	}
	vnet, vnetOK := parse("vnetCidr", e.VnetCidr)
	gateway, gatewayOK := parse("gatewaySubnetCidr", e.GatewaySubnetCidr)
	workload, workloadOK := parse("workloadSubnetCidr", e.WorkloadSubnetCidr)
	if vnetOK {
		for i := 0; i < len(subnets); i++ {
			g, ok := google[i]
			if !ok {
				continue
			}
			if why, collide := cloudrules.AddressCollision(g, vnet); collide {
				bad("vnetCidr", vnet.String(), fmt.Sprintf("it overlaps the Google subnet subnets[%d] (%s) %s, and the link routes between them: %s", i, e.Subnets[i].Region, g, why),
					fmt.Sprintf("give the VNet and the Google subnets disjoint ranges (change %s:vnetCidr or %s:subnets[%d].cidr)", Namespace, Namespace, i))
			}
		}
	}
	// Source: Azure virtual network docs (a subnet's range lies inside its VNet's address space, subnets
	// of one VNet do not overlap; simcloud enforces the same).
	inside := func(key string, p netip.Prefix, what string) {
		if vnetOK && !(vnet.Bits() <= p.Bits() && vnet.Contains(p.Addr())) {
			bad(key, p.String(), fmt.Sprintf("the %s must lie inside the VNet %s:vnetCidr %s (Azure virtual network docs)", what, Namespace, vnet),
				fmt.Sprintf("pick a range inside %s%s", vnet, example(vnet, p.Bits())))
		}
	}
	if gatewayOK {
		inside("gatewaySubnetCidr", gateway, "GatewaySubnet")
		if gateway.Bits() > cloudrules.GatewaySubnetMinSize {
			bad("gatewaySubnetCidr", gateway.String(), fmt.Sprintf("Azure creates a VPN gateway only in a GatewaySubnet of /%d or larger, and recommends /%d or larger (VPN Gateway settings)", cloudrules.GatewaySubnetMinSize, cloudrules.GatewaySubnetRecommendedSize),
				fmt.Sprintf("use a /%d, e.g. %s", cloudrules.GatewaySubnetRecommendedSize, netip.PrefixFrom(gateway.Addr(), cloudrules.GatewaySubnetRecommendedSize).Masked()))
		}
	}
	if workloadOK {
		inside("workloadSubnetCidr", workload, "workload subnet")
	}
	if gatewayOK && workloadOK && gateway.Overlaps(workload) {
		bad("workloadSubnetCidr", workload.String(), fmt.Sprintf("it overlaps the GatewaySubnet %s:gatewaySubnetCidr %s: subnets of one VNet must not overlap, and the GatewaySubnet holds only the gateway (Azure virtual network docs)", Namespace, gateway),
			"give the workload subnet and the GatewaySubnet disjoint ranges inside the VNet")
	}
	return out
}

// example suggests a range of the given length inside the VNet: its last one, where GatewaySubnets
// usually go ("" when the VNet is smaller).
func example(vnet netip.Prefix, bits int) string {
	if bits < vnet.Bits() {
		return ""
	}
	return fmt.Sprintf(", e.g. %s", netip.PrefixFrom(cloudrules.LastAddr(vnet), bits).Masked())
}

// gatewaySubnetWarnings: a GatewaySubnet Azure accepts but smaller than it recommends.
func (e *Environment) gatewaySubnetWarnings() []string {
	p, err := netip.ParsePrefix(e.GatewaySubnetCidr)
	if err != nil || p.Bits() <= cloudrules.GatewaySubnetRecommendedSize || p.Bits() > cloudrules.GatewaySubnetMinSize {
		return nil
	}
	return []string{fmt.Sprintf("%s:gatewaySubnetCidr %s is smaller than the /%d or larger Azure recommends for a GatewaySubnet (VPN Gateway settings): some gateway configurations need more addresses. Use a /%d, e.g. %s.",
		Namespace, p, cloudrules.GatewaySubnetRecommendedSize, cloudrules.GatewaySubnetRecommendedSize, netip.PrefixFrom(p.Addr(), cloudrules.GatewaySubnetRecommendedSize).Masked())}
}
