package cloudrules

import (
	"net/netip"
	"strings"
	"testing"
)

func TestApipaWindowBounds(t *testing.T) {
	cases := []struct {
		addr string
		in   bool
	}{
		{"169.254.20.255", false},
		{"169.254.21.0", true},
		{"169.254.22.255", true},
		{"169.254.23.0", false},
		{"::ffff:169.254.21.1", false}, // an IPv4-mapped IPv6 address is not an APIPA address
	}
	for _, c := range cases {
		if got := AzureApipaWindow.Contains(netip.MustParseAddr(c.addr)); got != c.in {
			t.Errorf("Contains(%s) = %v, want %v", c.addr, got, c.in)
		}
	}
	if got := AzureApipaWindow.String(); got != "169.254.21.0-169.254.22.255" {
		t.Errorf("String() = %q", got)
	}
}

func TestFindAsnAndDescribe(t *testing.T) {
	cases := []struct {
		asn int64
		ok  bool
		why string
	}{
		{64511, false, ""},
		{64512, true, "private 16-bit"},
		{65534, true, "private 16-bit"},
		{65535, false, ""},
		{4200000000, true, "private 32-bit"},
		{4294967295, false, ""},
	}
	for _, c := range cases {
		r, ok := FindAsn(c.asn, CloudRouterAsns)
		if ok != c.ok || r.Why != c.why {
			t.Errorf("FindAsn(%d) = %+v, %v; want %q, %v", c.asn, r, ok, c.why, c.ok)
		}
	}
	if got := DescribeAsns(CloudRouterAsns); got != "64512-65534 or 4200000000-4294967294" {
		t.Errorf("DescribeAsns = %q", got)
	}
}

func TestAzureIDAndNameKey(t *testing.T) {
	in := map[string]string{"resourceGroupName": "rg", "virtualNetworkName": "vnet"}
	lookup := func(key string) (string, bool) { v, ok := in[key]; return v, ok }
	cases := []struct {
		token, want string
	}{
		{"azure-native:resources:ResourceGroup", "/subscriptions/s/resourceGroups/g"},
		{"azure-native:network:Subnet", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/g"},
		{"azure-native:network:VirtualNetworkGatewayConnection", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/connections/g"},
	}
	for _, c := range cases {
		if got, ok := AzureID("s", c.token, "g", lookup); !ok || got != c.want {
			t.Errorf("AzureID(%s) = %q, %v; want %q", c.token, got, ok, c.want)
		}
	}
	delete(in, "virtualNetworkName")
	if _, ok := AzureID("s", "azure-native:network:Subnet", "g", lookup); ok {
		t.Error("a subnet without its VNet has no complete ID")
	}
	if NameKey("azure-native:network:LocalNetworkGateway") != "localNetworkGatewayName" || NameKey("gcp:compute/router:Router") != "name" {
		t.Error("NameKey")
	}
}

func TestContainsPrefixAndLastAddr(t *testing.T) {
	cases := []struct {
		prefix, last string
		in           bool
	}{
		{"169.254.21.0/30", "169.254.21.3", true},
		{"169.254.22.252/30", "169.254.22.255", true},
		{"169.254.21.8/30", "169.254.21.11", true}, // any /30 of the window, whatever its Azure instance
		{"169.254.20.252/30", "169.254.20.255", false},
		{"169.254.23.0/30", "169.254.23.3", false},
		{"169.254.20.0/22", "169.254.23.255", false}, // straddles the window
		{"169.254.22.0/24", "169.254.22.255", true},
		{"169.254.21.0/23", "169.254.21.255", false}, // masks to 169.254.20.0/23
	}
	for _, c := range cases {
		p := netip.MustParsePrefix(c.prefix)
		if got := LastAddr(p).String(); got != c.last {
			t.Errorf("LastAddr(%s) = %s, want %s", c.prefix, got, c.last)
		}
		if got := AzureApipaWindow.ContainsPrefix(p); got != c.in {
			t.Errorf("ContainsPrefix(%s) = %v, want %v", c.prefix, got, c.in)
		}
	}
}

func TestRouteCollisionRules(t *testing.T) {
	pfx := netip.MustParsePrefix
	vnet := pfx("10.1.0.0/16")
	cases := []struct {
		route               string
		azureDrops          bool
		collides            bool
		whySubstr           string
		googleDropsVnetInIt bool
	}{
		// The FAQ's own example: with a VNet of 10.0.0.0/16, 10.0.0.0/8 is accepted, /16 and /24 are not.
		{"10.0.0.0/8", false, true, "Google drops the route to the VNet prefix 10.1.0.0/16: it fits within the subnet range 10.0.0.0/8", true},
		{"10.1.0.0/16", true, true, "the ranges are equal", true},
		{"10.1.4.0/24", true, true, "Azure drops the route to 10.1.4.0/24: it lies inside the VNet prefix 10.1.0.0/16", false},
		{"10.2.0.0/16", false, false, "", false},
		{"172.16.0.0/12", false, false, "", false},
	}
	for _, c := range cases {
		r := pfx(c.route)
		if got := AzureFiltersRoute(r, vnet); got != c.azureDrops {
			t.Errorf("AzureFiltersRoute(%s, %s) = %v, want %v", r, vnet, got, c.azureDrops)
		}
		if got := GoogleIgnoresRoute(vnet, r); got != c.googleDropsVnetInIt {
			t.Errorf("GoogleIgnoresRoute(%s, %s) = %v, want %v", vnet, r, got, c.googleDropsVnetInIt)
		}
		why, ok := AddressCollision(r, vnet)
		if ok != c.collides || (ok && !strings.Contains(why, c.whySubstr)) || (!ok && why != "") {
			t.Errorf("AddressCollision(%s, %s) = %q, %v; want %v containing %q", r, vnet, why, ok, c.collides, c.whySubstr)
		}
	}
}
