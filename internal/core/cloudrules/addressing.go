package cloudrules

import (
	"fmt"
	"net/netip"
)

// AzureFiltersRoute reports whether an Azure VPN gateway blocks a route it learns over BGP because the
// route equals or lies inside one of the VNet's address prefixes; a supernet of the VNet is accepted.
// Source: Azure VPN Gateway FAQ, BGP section ("Can I advertise the exact prefixes as my virtual network
// prefixes?": with a VNet of 10.0.0.0/16, 10.0.0.0/8 may be advertised, 10.0.0.0/16 and 10.0.0.0/24 not).
func AzureFiltersRoute(route, vnetPrefix netip.Prefix) bool {
	return within(route, vnetPrefix)
}

// GoogleIgnoresRoute reports whether a VPC ignores a dynamic route a Cloud Router learns because its
// destination equals or fits within a subnet range of the VPC: the subnet route wins.
// Source: Google Cloud VPC "Routes" overview (dynamic routes have destinations that do not conflict with
// subnet routes) and Network Analyzer "dynamic route shadowed by a subnet route".
func GoogleIgnoresRoute(route, subnet netip.Prefix) bool {
	return within(route, subnet)
}

// within reports whether inner equals or lies inside outer.
func within(inner, outer netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Masked().Contains(inner.Masked().Addr())
}

// AddressCollision explains what breaks when a Google range and an Azure VNet prefix overlap, each cloud
// dropping the other's route by the rules above; ok is false when they do not overlap.
func AddressCollision(google, vnet netip.Prefix) (why string, ok bool) {
	azureDrops, googleDrops := AzureFiltersRoute(google, vnet), GoogleIgnoresRoute(vnet, google)
	switch {
	case azureDrops && googleDrops:
		return "the ranges are equal, so Azure drops the route to the Google range (it equals a VNet prefix; Azure VPN FAQ) and Google drops the route to the VNet (it equals a subnet range; Google VPC routes)", true
	case azureDrops:
		return fmt.Sprintf("Azure drops the route to %s: it lies inside the VNet prefix %s (Azure VPN FAQ, BGP)", google.Masked(), vnet.Masked()), true
	case googleDrops:
		return fmt.Sprintf("Google drops the route to the VNet prefix %s: it fits within the subnet range %s (Google VPC routes overview)", vnet.Masked(), google.Masked()), true
	}
	return "", false
}

// Gateway subnet sizes: Azure creates a gateway in a GatewaySubnet as small as /29 and recommends /27 or larger.
// Source: Azure "VPN Gateway settings" (gateway subnet) and VPN Gateway FAQ ("while you can create a gateway
// subnet as small as /29, we recommend that you create a gateway subnet of /27 or larger").
const (
	GatewaySubnetMinSize         = 29 // the longest prefix Azure accepts
	GatewaySubnetRecommendedSize = 27 // the longest prefix Azure recommends
)
