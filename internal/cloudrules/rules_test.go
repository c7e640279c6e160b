package cloudrules

import (
	"net/netip"
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
