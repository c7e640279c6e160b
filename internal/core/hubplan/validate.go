package hubplan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// Validate returns every problem in the spec at once; an empty result means Build will succeed.
func Validate(spec Spec) linkplan.Problems {
	var ps linkplan.Problems
	ps = append(ps, linkplan.ValidateName(spec.Name)...)
	ps = append(ps, linkplan.RequireKnown("resourceGroupName", spec.ResourceGroupName, "set resourceGroupName to the VNet's resource group")...)
	ps = append(ps, linkplan.RequireKnown("location", spec.Location, "set location, e.g. japaneast")...)
	if spec.GatewaySubnetId != nil {
		for _, p := range linkplan.ValidateGatewaySubnetID(*spec.GatewaySubnetId, spec.ResourceGroupName) {
			p.Field, p.Fix = topLevel(p.Field), strings.ReplaceAll(p.Fix, "azure.", "")
			ps = append(ps, p)
		}
	}
	ps = append(ps, linkplan.CheckAzureGatewayAsn("asn", asnOf(spec))...)
	gateway := linkplan.ValidateGatewayArgs(linkplan.AzureSpec{Sku: spec.Sku, Generation: spec.Generation, Zones: spec.Zones, GatewayName: spec.GatewayName})
	ps = append(ps, gateway...)
	if spec.AdoptGatewayFrom != "" {
		for _, p := range linkplan.ValidateName(spec.AdoptGatewayFrom) {
			p.Field, p.Fix = "adoptGatewayFrom", "give the name of the top-level HaVpnLink whose gateway the hub takes over"
			ps = append(ps, p)
		}
	}
	topo := topologyOf(spec.SlotTopology)
	if !slices.Contains(linkplan.Topologies, topo) {
		ps = append(ps, problem("slotTopology", spec.SlotTopology, `the slot topology is the links' topology: "paired" or "dualGateway"`,
			`set slotTopology to "paired" (2 tunnels per link) or "dualGateway" (4)`))
		return ps
	}
	skuKnown := !slices.ContainsFunc(gateway, func(p linkplan.Problem) bool { return p.Field == "sku" })
	ps = append(ps, validateSlots(spec, topo, skuKnown)...)
	ps = append(ps, validateSpokes(spec)...)
	return ps
}

// validateSlots checks linkSlots against every budget of the gateway, all problems at once.
func validateSlots(spec Spec, topo linkplan.Topology, skuKnown bool) linkplan.Problems {
	if spec.LinkSlots == nil {
		return linkplan.Problems{problem("linkSlots", "(unset)", "a hub allocates the APIPA addresses of a fixed number of link slots up front, so adding a spoke never updates the gateway",
			fmt.Sprintf("set linkSlots to the number of links the hub will carry, at most %d for %s slots on %s", MaxSlots(topo, skuOf(spec.Sku)), topo, skuOf(spec.Sku)))}
	}
	n := *spec.LinkSlots
	if n < 1 {
		return linkplan.Problems{problem("linkSlots", n, "a hub has at least one slot", "set linkSlots to 1 or more")}
	}
	var ps linkplan.Problems
	sku := skuOf(spec.Sku)
	perSlot := TunnelsPerSlot(topo)
	if why := cloudrules.TunnelBudgetProblem(sku, n*perSlot); skuKnown && why != "" {
		ps = append(ps, problem("linkSlots", n, fmt.Sprintf("%d %s slots need %d tunnels each: %s", n, topo, perSlot, why),
			fmt.Sprintf("use at most %d slots on %s, or sku VpnGw4AZ/VpnGw5AZ (%d tunnels)", cloudrules.S2STunnels(sku)/perSlot, sku, cloudrules.S2STunnels("VpnGw4AZ"))))
	}
	if why := cloudrules.ApipaBudgetProblem(n * topo.TunnelCount()); why != "" {
		ps = append(ps, problem("linkSlots", n, fmt.Sprintf("%d %s slots need %d APIPA addresses each: %s", n, topo, topo.TunnelCount(), why),
			fmt.Sprintf("use at most %d %s slots per gateway, or a second hub", cloudrules.MaxCustomApipaAddresses/topo.TunnelCount(), topo)))
	}
	if n > cloudrules.MaxBgpSessionBlock+1 {
		ps = append(ps, problem("linkSlots", n, fmt.Sprintf("slot s takes bgpSessionBlock s, and blocks run 0-%d", cloudrules.MaxBgpSessionBlock),
			fmt.Sprintf("use at most %d slots", cloudrules.MaxBgpSessionBlock+1)))
	}
	return ps
}

// validateSpokes checks the spoke registry: names, slots inside the hub, one spoke per slot, and ASNs a
// Cloud Router may use that differ from the hub's (eBGP).
func validateSpokes(spec Spec) linkplan.Problems {
	var ps linkplan.Problems
	names := map[string]int{}
	slots := map[int]int{}
	hubAsn := asnOf(spec)
	for i, s := range spec.Spokes {
		at := fmt.Sprintf("spokes[%d]", i)
		if s.Name == "" {
			ps = append(ps, problem(at+".name", s.Name, "every spoke has a name, which its link gives as azure.hubSpoke", "name the spoke, e.g. after its stack (\"spoke-a\")"))
		} else if j, dup := names[s.Name]; dup {
			ps = append(ps, problem(at+".name", s.Name, fmt.Sprintf("spokes[%d] has the same name", j), "give each spoke its own name"))
		} else {
			names[s.Name] = i
		}
		if spec.LinkSlots != nil && (s.Slot < 0 || s.Slot >= *spec.LinkSlots) {
			ps = append(ps, problem(at+".slot", s.Slot, fmt.Sprintf("the hub has slots 0-%d (linkSlots %d)", *spec.LinkSlots-1, *spec.LinkSlots),
				"pick a slot in that range, or raise linkSlots (which updates the gateway once)"))
		} else if j, dup := slots[s.Slot]; dup {
			ps = append(ps, problem(at+".slot", s.Slot, fmt.Sprintf("spokes[%d] (%q) already takes slot %d: two links on one slot would use the same APIPA addresses (unique across the gateway's peers, Azure bgp-howto)", j, spec.Spokes[j].Name, s.Slot),
				"give each spoke its own slot"))
		} else {
			slots[s.Slot] = i
		}
		asnProblems := linkplan.CheckCloudRouterAsn(at+".asn", s.Asn)
		ps = append(ps, asnProblems...)
		if len(asnProblems) == 0 && s.Asn == hubAsn {
			ps = append(ps, problem(at+".asn", s.Asn, fmt.Sprintf("the spoke's Cloud Router peers with the hub's gateway (ASN %d) over eBGP, so their ASNs must differ (Azure VPN gateway FAQ)", hubAsn),
				"give the spoke another private ASN, e.g. 65001"))
		}
	}
	return ps
}

func problem(field string, value any, rule, fix string) linkplan.Problem {
	return linkplan.Problem{Field: field, Value: show(value), Rule: rule, Fix: fix}
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

// topLevel strips the link's "azure." prefix from a field shared with the link's validation.
func topLevel(field string) string { return strings.TrimPrefix(field, "azure.") }
