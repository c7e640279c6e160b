package linkplan

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// Footprint is what one link takes from what it may share with the other links of one program: a hub
// slot, APIPA addresses on an Azure gateway, /30s in a VPC network, BGP peers on a Cloud Router, a
// router in a region. The component keeps the footprints of a program's links in a per-program registry
// (across stacks, the hub's spoke registry does this job) and checks each new link against them.
type Footprint struct {
	Link string
	// Hub and HubSlot: the hub slot the link takes ("" when not on a hub).
	Hub     string
	HubSlot int
	// Gateway identifies the Azure gateway the link's connections use.
	Gateway string
	// Network and Region are the VPC network (normalised) and region, "" when not known at construction.
	Network, Region string
	// Router identifies an existing Cloud Router the link adds peers to; "" when it creates its own.
	Router string
	// Peers is how many BGP peers the link adds to its Cloud Router.
	Peers  int
	Ranges []netip.Prefix
	GcpAsn int64
	// rangesField names the argument the /30s come from, for messages.
	rangesField string
}

// Footprint is the link's footprint; network, region and project are the resolved gcp arguments (nil
// while Outputs not known yet).
func (p *Plan) Footprint(spec Spec) Footprint {
	f := Footprint{Link: p.Name, Peers: len(p.Tunnels), GcpAsn: p.Gcp.Asn, rangesField: "bgpSessionBlock"}
	switch {
	case p.Azure.Hub != nil:
		f.Hub, f.HubSlot, f.rangesField = p.Azure.Hub.Hub, p.Azure.Hub.Slot, "azure.hubSlot"
		f.Gateway = "hub " + p.Azure.Hub.Hub
	case p.Azure.Source == ExistingGateway:
		f.Gateway = "existing " + strings.ToLower(p.Azure.ExistingGatewayId)
	default:
		f.Gateway = "own " + p.Name
	}
	if len(spec.BgpSessionRanges) > 0 && f.Hub == "" {
		f.rangesField = "bgpSessionRanges"
	}
	for _, t := range p.Tunnels {
		f.Ranges = append(f.Ranges, t.Session.Range)
	}
	if spec.Gcp.Network != nil {
		f.Network = NetworkKey(*spec.Gcp.Network)
	}
	if spec.Gcp.Region != nil {
		f.Region = *spec.Gcp.Region
	}
	if p.Gcp.ExistingRouter {
		f.Router = fmt.Sprintf("%s/%s/%s", f.Network, f.Region, p.Gcp.RouterName)
	}
	return f
}

// NetworkKey normalises a VPC reference (self link, ID or name) to projects/P/global/networks/N, or the
// bare name; two spellings of one network may still differ, so a collision is only found when both
// links name it alike.
func NetworkKey(ref string) string {
	if i := strings.Index(ref, "projects/"); i >= 0 {
		return ref[i:]
	}
	return ref
}

// CheckSiblings checks a new link against the links registered before it in the same program, every
// problem at once: a hub slot taken twice, /30s used twice on one Azure gateway or in one VPC network,
// a Cloud Router's peer budget, the routers of one region of a VPC network. Warnings name spokes of one
// hub sharing an ASN (the transit consequence).
func CheckSiblings(earlier []Footprint, next Footprint) (Problems, []string) {
	c := &collector{}
	var warnings []string
	peers := map[string]int{}
	ownRouters := map[string][]string{}
	for _, e := range earlier {
		if e.Router != "" {
			peers[e.Router] += e.Peers
		} else if e.Network != "" && e.Region != "" {
			ownRouters[e.Network+" "+e.Region] = append(ownRouters[e.Network+" "+e.Region], e.Link)
		}
	}
	for _, e := range earlier {
		if next.Hub != "" && e.Hub == next.Hub && e.HubSlot == next.HubSlot {
			c.add("azure.hubSlot", next.HubSlot, fmt.Sprintf("link %q of this program already takes slot %d of hub %q: two links on one slot would use the same APIPA addresses (unique across the gateway's peers, Azure bgp-howto)", e.Link, e.HubSlot, e.Hub),
				"give each link on the hub its own slot")
			continue
		}
		if e.Gateway == next.Gateway {
			if r, ok := overlap(e.Ranges, next.Ranges); ok {
				c.add(next.rangesField, r.String(), fmt.Sprintf("link %q of this program uses %s on the same Azure gateway, and custom APIPA addresses must be unique across the gateway's peers (Azure bgp-howto)", e.Link, r),
					"give each link on the gateway its own bgpSessionBlock")
				continue
			}
		}
		if e.Network != "" && e.Network == next.Network {
			if r, ok := overlap(e.Ranges, next.Ranges); ok {
				c.add(next.rangesField, r.String(), fmt.Sprintf("link %q of this program uses %s in VPC network %s, and each Cloud Router BGP /30 is unique among all routers of a VPC network (Cloud Router docs)", e.Link, r, next.Network),
					"give each link on the VPC network its own bgpSessionBlock")
			}
		}
	}
	if next.Router != "" {
		if why := cloudrules.RouterPeerBudgetProblem(peers[next.Router] + next.Peers); why != "" {
			c.add("gcp.existingRouter", lastSegment(next.Router), fmt.Sprintf("with this link's %d the links of this program add %d BGP peers to the router: %s", next.Peers, peers[next.Router]+next.Peers, why),
				"put some links on another Cloud Router")
		}
	} else if next.Network != "" && next.Region != "" {
		others := ownRouters[next.Network+" "+next.Region]
		if why := cloudrules.RoutersPerRegionProblem(len(others) + 1); why != "" {
			c.add("gcp.region", next.Region, fmt.Sprintf("links %q of this program already create a Cloud Router each in %s of %s: %s", others, next.Region, next.Network, why),
				"share one router: give this link gcp.existingRouter, or use another region")
		}
	}
	if next.Hub != "" {
		var same []string
		for _, e := range earlier {
			if e.Hub == next.Hub && e.GcpAsn == next.GcpAsn {
				same = append(same, e.Link)
			}
		}
		if len(same) > 0 {
			warnings = append(warnings, SharedSpokeAsnWarning(next.Hub, append(same, next.Link), next.GcpAsn))
		}
	}
	return c.problems, warnings
}

// SharedSpokeAsnWarning explains what spokes (links) of one hub sharing an ASN get.
func SharedSpokeAsnWarning(hub string, spokes []string, asn int64) string {
	return fmt.Sprintf("spokes %q of hub %q share ASN %d: the hub's gateway re-advertises the routes it learns from one spoke to the others "+
		"(transit, Azure VPN Gateway FAQ), but a BGP speaker drops routes whose AS path already holds its own ASN (loop prevention), "+
		"so these spokes will not learn each other's routes through the hub. Give each spoke its own private ASN (gcp.asn) if they must reach each other; "+
		"keep one only if they must not.", spokes, hub, asn)
}

func overlap(a, b []netip.Prefix) (netip.Prefix, bool) {
	for _, x := range a {
		for _, y := range b {
			if x.Overlaps(y) {
				return y, true
			}
		}
	}
	return netip.Prefix{}, false
}
