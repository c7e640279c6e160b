package linkplan

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const (
	testSecret       = "0123456789abcdefghijklmnopqrstuv" // 32 characters
	testSubscription = "00000000-0000-0000-0000-000000000000"
	testSubnetID     = "/subscriptions/" + testSubscription + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet"
)

func ptr[T any](v T) *T { return &v }

// validSpec is a fully valid paired link; every bad-input case mutates one thing in it.
func validSpec() Spec {
	return Spec{
		Name:         "gcp-azure",
		Topology:     string(Paired),
		SharedSecret: ptr(testSecret),
		Gcp: GcpSpec{
			Region:  ptr("asia-northeast1"),
			Network: ptr("vpc"),
		},
		Azure: AzureSpec{
			ResourceGroupName: ptr("rg"),
			Location:          ptr("japaneast"),
			GatewaySubnetId:   ptr(testSubnetID),
			AddressPrefixes:   []string{"10.1.0.0/16"},
		},
	}
}

func TestValidSpecHasNoProblems(t *testing.T) {
	for _, topo := range Topologies {
		s := validSpec()
		s.Topology = string(topo)
		if ps := Validate(s); len(ps) != 0 {
			t.Fatalf("topology %s: valid spec refused:\n%v", topo, ps)
		}
	}
}

// badInput is one mutation of validSpec and the single problem it must produce.
type badInput struct {
	name   string
	mutate func(*Spec)
	field  string
	value  string // must appear in the problem's message
	fix    string // if set, must appear in the problem's fix
	secret string // if set, must NOT appear anywhere in the message
}

func withIpsec(f func(*IpsecPolicySpec)) func(*Spec) {
	return func(s *Spec) {
		p := &IpsecPolicySpec{}
		f(p)
		s.IpsecPolicy = p
	}
}

func gcpAsn(v int64) func(*Spec)   { return func(s *Spec) { s.Gcp.Asn = ptr(v) } }
func azureAsn(v int64) func(*Spec) { return func(s *Spec) { s.Azure.Asn = ptr(v) } }
func ranges(r ...string) func(*Spec) {
	return func(s *Spec) { s.BgpSessionRanges = r }
}

func badInputs() []badInput {
	return []badInput{
		// Cloud Router ASN.
		{name: "gcp asn public, not private", mutate: gcpAsn(15169), field: "gcp.asn", value: "15169"},
		{name: "gcp asn just below private 16-bit", mutate: gcpAsn(64495), field: "gcp.asn", value: "64495"},
		{name: "gcp asn between 16-bit and 32-bit private", mutate: gcpAsn(4199999999), field: "gcp.asn", value: "4199999999"},
		{name: "gcp asn Azure-reserved 65515", mutate: gcpAsn(65515), field: "gcp.asn", value: "65515"},
		{name: "gcp asn Azure-reserved 65517", mutate: gcpAsn(65517), field: "gcp.asn", value: "65517"},
		{name: "gcp asn Azure-reserved 65518", mutate: gcpAsn(65518), field: "gcp.asn", value: "65518"},
		{name: "gcp asn Azure-reserved 65519", mutate: gcpAsn(65519), field: "gcp.asn", value: "65519"},
		{name: "gcp asn Azure-reserved 65520", mutate: gcpAsn(65520), field: "gcp.asn", value: "65520"},
		{name: "gcp asn Azure-reserved public 8074", mutate: gcpAsn(8074), field: "gcp.asn", value: "8074"},
		{name: "gcp asn Azure-reserved public 8075", mutate: gcpAsn(8075), field: "gcp.asn", value: "8075"},
		{name: "gcp asn Azure-reserved public 12076", mutate: gcpAsn(12076), field: "gcp.asn", value: "12076"},
		{name: "gcp asn IANA AS_TRANS 23456", mutate: gcpAsn(23456), field: "gcp.asn", value: "23456"},
		{name: "gcp asn IANA documentation 64496", mutate: gcpAsn(64496), field: "gcp.asn", value: "64496"},
		{name: "gcp asn IANA documentation 64511", mutate: gcpAsn(64511), field: "gcp.asn", value: "64511"},
		{name: "gcp asn IANA reserved 65535", mutate: gcpAsn(65535), field: "gcp.asn", value: "65535"},
		{name: "gcp asn IANA reserved 65551", mutate: gcpAsn(65551), field: "gcp.asn", value: "65551"},
		{name: "gcp asn IANA reserved 4294967295", mutate: gcpAsn(4294967295), field: "gcp.asn", value: "4294967295"},
		{name: "gcp asn zero", mutate: gcpAsn(0), field: "gcp.asn", value: "0"},
		{name: "gcp asn negative", mutate: gcpAsn(-1), field: "gcp.asn", value: "-1"},
		{name: "equal ASNs on both sides", mutate: func(s *Spec) { s.Gcp.Asn = ptr(int64(65001)); s.Azure.Asn = ptr(int64(65001)) }, field: "azure.asn", value: "65001"},
		{name: "equal 32-bit ASNs on both sides", mutate: func(s *Spec) { s.Gcp.Asn = ptr(int64(4200000001)); s.Azure.Asn = ptr(int64(4200000001)) }, field: "azure.asn", value: "4200000001"},

		// Azure gateway ASN.
		{name: "azure asn reserved 65517", mutate: azureAsn(65517), field: "azure.asn", value: "65517"},
		{name: "azure asn reserved 65520", mutate: azureAsn(65520), field: "azure.asn", value: "65520"},
		{name: "azure asn reserved public 8074", mutate: azureAsn(8074), field: "azure.asn", value: "8074"},
		{name: "azure asn reserved public 12076", mutate: azureAsn(12076), field: "azure.asn", value: "12076"},
		{name: "azure asn IANA 23456", mutate: azureAsn(23456), field: "azure.asn", value: "23456"},
		{name: "azure asn IANA 65535", mutate: azureAsn(65535), field: "azure.asn", value: "65535"},
		{name: "azure asn zero", mutate: azureAsn(0), field: "azure.asn", value: "0"},
		{name: "azure asn above 32 bits", mutate: azureAsn(4294967296), field: "azure.asn", value: "4294967296"},

		// Azure SKU and generation.
		{name: "sku Basic", mutate: func(s *Spec) { s.Azure.Sku = "Basic" }, field: "azure.sku", value: "Basic", fix: "VpnGw1AZ"},
		{name: "sku non-AZ VpnGw1", mutate: func(s *Spec) { s.Azure.Sku = "VpnGw1" }, field: "azure.sku", value: "VpnGw1", fix: "VpnGw1AZ"},
		{name: "sku non-AZ VpnGw2", mutate: func(s *Spec) { s.Azure.Sku = "VpnGw2" }, field: "azure.sku", value: "VpnGw2", fix: "VpnGw2AZ"},
		{name: "sku non-AZ VpnGw3", mutate: func(s *Spec) { s.Azure.Sku = "VpnGw3" }, field: "azure.sku", value: "VpnGw3", fix: "VpnGw3AZ"},
		{name: "sku non-AZ VpnGw4", mutate: func(s *Spec) { s.Azure.Sku = "VpnGw4" }, field: "azure.sku", value: "VpnGw4", fix: "VpnGw4AZ"},
		{name: "sku non-AZ VpnGw5", mutate: func(s *Spec) { s.Azure.Sku = "VpnGw5" }, field: "azure.sku", value: "VpnGw5", fix: "VpnGw5AZ"},
		{name: "sku unknown", mutate: func(s *Spec) { s.Azure.Sku = "VpnGw9AZ" }, field: "azure.sku", value: "VpnGw9AZ"},
		{name: "sku wrong case", mutate: func(s *Spec) { s.Azure.Sku = "vpngw1az" }, field: "azure.sku", value: "vpngw1az"},
		{name: "generation not offered for VpnGw4AZ", mutate: func(s *Spec) { s.Azure.Sku = "VpnGw4AZ"; s.Azure.Generation = "Generation1" }, field: "azure.generation", value: "Generation1", fix: "Generation2"},
		{name: "generation unknown", mutate: func(s *Spec) { s.Azure.Generation = "Generation3" }, field: "azure.generation", value: "Generation3"},

		// GatewaySubnet ID and resource group.
		{name: "gatewaySubnetId malformed", mutate: func(s *Spec) { s.Azure.GatewaySubnetId = ptr("vnet/GatewaySubnet") }, field: "azure.gatewaySubnetId", value: "vnet/GatewaySubnet"},
		{name: "gatewaySubnetId subscription not a GUID", mutate: func(s *Spec) {
			s.Azure.GatewaySubnetId = ptr(strings.Replace(testSubnetID, testSubscription, "my-subscription", 1))
		}, field: "azure.gatewaySubnetId", value: "my-subscription"},
		{name: "gatewaySubnetId wrong subnet name", mutate: func(s *Spec) {
			s.Azure.GatewaySubnetId = ptr(strings.TrimSuffix(testSubnetID, "GatewaySubnet") + "default")
		}, field: "azure.gatewaySubnetId", value: "subnets/default"},
		{name: "resource group differs from the subnet's", mutate: func(s *Spec) { s.Azure.ResourceGroupName = ptr("other-rg") }, field: "azure.resourceGroupName", value: "other-rg", fix: `"rg"`},

		// BGP /30s.
		{name: "bgpSessionRanges not a CIDR", mutate: ranges("169.254.21.0", "169.254.22.0/30"), field: "bgpSessionRanges[0]", value: "169.254.21.0"},
		{name: "bgpSessionRanges /29 not /30", mutate: ranges("169.254.21.0/29", "169.254.22.0/30"), field: "bgpSessionRanges[0]", value: "169.254.21.0/29"},
		{name: "bgpSessionRanges IPv6 /30", mutate: ranges("169.254.21.0/30", "fe80::/30"), field: "bgpSessionRanges[1]", value: "fe80::/30"},
		{name: "bgpSessionRanges host bits set", mutate: ranges("169.254.21.1/30", "169.254.22.0/30"), field: "bgpSessionRanges[0]", value: "169.254.21.1/30", fix: "169.254.21.0/30"},
		{name: "bgpSessionRanges outside Azure APIPA window", mutate: ranges("169.254.10.0/30", "169.254.22.0/30"), field: "bgpSessionRanges[0]", value: "169.254.10.0/30"},
		{name: "bgpSessionRanges outside link-local", mutate: ranges("169.254.21.0/30", "10.0.0.0/30"), field: "bgpSessionRanges[1]", value: "10.0.0.0/30"},
		{name: "bgpSessionRanges just below the window", mutate: ranges("169.254.20.252/30", "169.254.22.0/30"), field: "bgpSessionRanges[0]", value: "169.254.20.252/30", fix: "169.254.21.0-169.254.22.255"},
		{name: "bgpSessionRanges just above the window", mutate: ranges("169.254.21.0/30", "169.254.23.0/30"), field: "bgpSessionRanges[1]", value: "169.254.23.0/30", fix: "either Azure instance"},
		{name: "bgpSessionRanges duplicate", mutate: ranges("169.254.21.0/30", "169.254.21.0/30"), field: "bgpSessionRanges[1]", value: "169.254.21.0/30"},
		{name: "bgpSessionRanges too many for paired", mutate: ranges("169.254.21.0/30", "169.254.22.0/30", "169.254.21.4/30"), field: "bgpSessionRanges", value: "169.254.21.4/30"},
		{name: "bgpSessionRanges too few for dualGateway", mutate: func(s *Spec) {
			s.Topology = string(DualGateway)
			s.BgpSessionRanges = []string{"169.254.21.0/30", "169.254.22.0/30"}
		}, field: "bgpSessionRanges", value: "169.254.22.0/30"},
		{name: "bgpSessionBlock -1", mutate: func(s *Spec) { s.BgpSessionBlock = ptr(-1) }, field: "bgpSessionBlock", value: "-1"},
		{name: "bgpSessionBlock 32", mutate: func(s *Spec) { s.BgpSessionBlock = ptr(32) }, field: "bgpSessionBlock", value: "32"},

		// CIDRs.
		{name: "advertisedIpRanges not a CIDR", mutate: func(s *Spec) { s.Gcp.AdvertisedIpRanges = []string{"10.0.0.0/16", "10.2.0.0/33"} }, field: "gcp.advertisedIpRanges[1]", value: "10.2.0.0/33"},
		{name: "advertisedIpRanges host bits set", mutate: func(s *Spec) { s.Gcp.AdvertisedIpRanges = []string{"10.0.0.1/16"} }, field: "gcp.advertisedIpRanges[0]", value: "10.0.0.1/16", fix: "10.0.0.0/16"},
		{name: "addressPrefixes not a CIDR", mutate: func(s *Spec) { s.Azure.AddressPrefixes = []string{"10.1.0.0"} }, field: "azure.addressPrefixes[0]", value: "10.1.0.0"},
		{name: "addressPrefixes host bits set", mutate: func(s *Spec) { s.Azure.AddressPrefixes = []string{"10.1.0.0/16", "10.2.3.4/8"} }, field: "azure.addressPrefixes[1]", value: "10.2.3.4/8"},
		{name: "addressPrefixes empty", mutate: func(s *Spec) { s.Azure.AddressPrefixes = []string{} }, field: "azure.addressPrefixes", value: "[]"},
		{name: "subnetRanges not a CIDR", mutate: func(s *Spec) { s.Gcp.SubnetRanges = []string{"172.16.0.0/24", "172.17.0.0"} }, field: "gcp.subnetRanges[1]", value: "172.17.0.0"},
		{name: "subnetRanges host bits set", mutate: func(s *Spec) { s.Gcp.SubnetRanges = []string{"172.16.0.1/24"} }, field: "gcp.subnetRanges[0]", value: "172.16.0.1/24", fix: "172.16.0.0/24"},

		// Address space: Google ranges against the VNet (10.1.0.0/16).
		{name: "advertised range equals the VNet", mutate: func(s *Spec) { s.Gcp.AdvertisedIpRanges = []string{"10.1.0.0/16"} }, field: "gcp.advertisedIpRanges[0]", value: "10.1.0.0/16", fix: "outside 10.1.0.0/16"},
		{name: "advertised range inside the VNet", mutate: func(s *Spec) { s.Gcp.AdvertisedIpRanges = []string{"172.20.0.0/16", "10.1.4.0/24"} }, field: "gcp.advertisedIpRanges[1]", value: "10.1.4.0/24", fix: "drop 10.1.4.0/24"},
		{name: "Google subnet inside the VNet", mutate: func(s *Spec) { s.Gcp.SubnetRanges = []string{"10.1.1.0/24"} }, field: "gcp.subnetRanges[0]", value: "10.1.1.0/24", fix: "disjoint"},
		{name: "Google subnet containing the VNet", mutate: func(s *Spec) { s.Gcp.SubnetRanges = []string{"172.16.0.0/24", "10.0.0.0/8"} }, field: "gcp.subnetRanges[1]", value: "10.0.0.0/8", fix: "disjoint"},

		// Timers.
		{name: "keepalive 19", mutate: func(s *Spec) { s.Gcp.KeepaliveInterval = ptr(19) }, field: "gcp.keepaliveInterval", value: "19"},
		{name: "keepalive 61", mutate: func(s *Spec) { s.Gcp.KeepaliveInterval = ptr(61) }, field: "gcp.keepaliveInterval", value: "61"},
		{name: "dpd 8", mutate: func(s *Spec) { s.Azure.DpdTimeoutSeconds = ptr(8) }, field: "azure.dpdTimeoutSeconds", value: "8"},
		{name: "dpd 3601", mutate: func(s *Spec) { s.Azure.DpdTimeoutSeconds = ptr(3601) }, field: "azure.dpdTimeoutSeconds", value: "3601"},

		// IPsec policy.
		{name: "pfsGroup None", mutate: withIpsec(func(p *IpsecPolicySpec) { p.PfsGroup = "None" }), field: "ipsecPolicy.pfsGroup", value: "None", fix: "PFS2048"},
		{name: "pfsGroup PFS1", mutate: withIpsec(func(p *IpsecPolicySpec) { p.PfsGroup = "PFS1" }), field: "ipsecPolicy.pfsGroup", value: "PFS1"},
		{name: "pfsGroup unknown", mutate: withIpsec(func(p *IpsecPolicySpec) { p.PfsGroup = "PFS99" }), field: "ipsecPolicy.pfsGroup", value: "PFS99"},
		{name: "ipsecEncryption None", mutate: withIpsec(func(p *IpsecPolicySpec) { p.IpsecEncryption = "None" }), field: "ipsecPolicy.ipsecEncryption", value: "None"},
		{name: "ipsecEncryption DES", mutate: withIpsec(func(p *IpsecPolicySpec) { p.IpsecEncryption = "DES" }), field: "ipsecPolicy.ipsecEncryption", value: "DES"},
		{name: "GCM encryption with SHA256 integrity", mutate: withIpsec(func(p *IpsecPolicySpec) { p.IpsecIntegrity = "SHA256" }), field: "ipsecPolicy.ipsecIntegrity", value: "SHA256", fix: "GCMAES256"},
		{name: "GCM integrity with AES encryption", mutate: withIpsec(func(p *IpsecPolicySpec) { p.IpsecEncryption = "AES256" }), field: "ipsecPolicy.ipsecIntegrity", value: "AES256"},
		{name: "GCM sizes differ", mutate: withIpsec(func(p *IpsecPolicySpec) { p.IpsecEncryption = "GCMAES128" }), field: "ipsecPolicy.ipsecIntegrity", value: "GCMAES128"},
		{name: "ikeIntegrity MD5", mutate: withIpsec(func(p *IpsecPolicySpec) { p.IkeIntegrity = "MD5" }), field: "ipsecPolicy.ikeIntegrity", value: "MD5"},
		{name: "ikeEncryption DES3", mutate: withIpsec(func(p *IpsecPolicySpec) { p.IkeEncryption = "DES3" }), field: "ipsecPolicy.ikeEncryption", value: "DES3"},
		{name: "dhGroup None", mutate: withIpsec(func(p *IpsecPolicySpec) { p.DhGroup = "None" }), field: "ipsecPolicy.dhGroup", value: "None"},
		{name: "saLifeTimeSeconds 299", mutate: withIpsec(func(p *IpsecPolicySpec) { p.SaLifeTimeSeconds = ptr(299) }), field: "ipsecPolicy.saLifeTimeSeconds", value: "299"},
		{name: "saDataSizeKilobytes 1000", mutate: withIpsec(func(p *IpsecPolicySpec) { p.SaDataSizeKilobytes = ptr(1000) }), field: "ipsecPolicy.saDataSizeKilobytes", value: "1000"},

		// Shared secret: the message must never contain it.
		{name: "shared secret empty", mutate: func(s *Spec) { s.SharedSecret = ptr("") }, field: "sharedSecret", value: "(empty)"},
		{name: "shared secret too short", mutate: func(s *Spec) { s.SharedSecret = ptr("hunter2-xyzzy") }, field: "sharedSecret", value: "13 characters", secret: "hunter2-xyzzy"},
		{name: "next shared secret too short", mutate: func(s *Spec) { s.NextSharedSecret = ptr("rotate-me-soon") }, field: "nextSharedSecret", value: "14 characters", secret: "rotate-me-soon"},
		{name: "shared secret one short of minimum", mutate: func(s *Spec) { s.SharedSecret = ptr("Pq7wZr2Kx9Lm4Tb") }, field: "sharedSecret", value: "15 characters", secret: "Pq7wZr2Kx9Lm4Tb"},

		// Names, topology, required fields.
		{name: "topology mesh", mutate: func(s *Spec) { s.Topology = "mesh" }, field: "topology", value: "mesh"},
		{name: "topology wrong case", mutate: func(s *Spec) { s.Topology = "DualGateway" }, field: "topology", value: "DualGateway"},
		{name: "component name uppercase", mutate: func(s *Spec) { s.Name = "GCP-Azure" }, field: "name", value: "GCP-Azure"},
		{name: "component name too long", mutate: func(s *Spec) { s.Name = "a" + strings.Repeat("b", 40) }, field: "name", value: "a" + strings.Repeat("b", 40)},
		{name: "component name ends with hyphen", mutate: func(s *Spec) { s.Name = "gcp-azure-" }, field: "name", value: "gcp-azure-"},
		{name: "component name starts with digit", mutate: func(s *Spec) { s.Name = "1link" }, field: "name", value: "1link"},
		{name: "component name empty", mutate: func(s *Spec) { s.Name = "" }, field: "name", value: `""`},
		{name: "gateway name with space", mutate: func(s *Spec) { s.Azure.GatewayName = "my gateway" }, field: "azure.gatewayName", value: "my gateway"},
		{name: "gateway name ends with hyphen", mutate: func(s *Spec) { s.Azure.GatewayName = "vgw-" }, field: "azure.gatewayName", value: "vgw-"},
		{name: "gateway name too long", mutate: func(s *Spec) { s.Azure.GatewayName = strings.Repeat("g", 81) }, field: "azure.gatewayName", value: strings.Repeat("g", 81)},
		{name: "gcp region empty", mutate: func(s *Spec) { s.Gcp.Region = ptr("  ") }, field: "gcp.region", value: `"  "`},
		{name: "gcp network empty", mutate: func(s *Spec) { s.Gcp.Network = ptr("") }, field: "gcp.network", value: `""`},
		{name: "azure location empty", mutate: func(s *Spec) { s.Azure.Location = ptr("") }, field: "azure.location", value: `""`},

		// Zones.
		{name: "zone 4", mutate: func(s *Spec) { s.Azure.Zones = []string{"1", "4"} }, field: "azure.zones[1]", value: "4"},
		{name: "zone listed twice", mutate: func(s *Spec) { s.Azure.Zones = []string{"2", "3", "2"} }, field: "azure.zones[2]", value: "2"},
		{name: "zones empty on AZ SKU", mutate: func(s *Spec) { s.Azure.Zones = []string{} }, field: "azure.zones", value: "[]"},

		// Firewall.
		{name: "firewall protocol invalid", mutate: func(s *Spec) { s.Gcp.Firewall.Allow = []FirewallAllowSpec{{Protocol: "tcpp"}} }, field: "gcp.firewall.allow[0].protocol", value: "tcpp"},
		{name: "firewall protocol number 256", mutate: func(s *Spec) {
			s.Gcp.Firewall.Allow = []FirewallAllowSpec{{Protocol: "tcp"}, {Protocol: "256"}}
		}, field: "gcp.firewall.allow[1].protocol", value: "256"},
		{name: "firewall ports on icmp", mutate: func(s *Spec) {
			s.Gcp.Firewall.Allow = []FirewallAllowSpec{{Protocol: "icmp", Ports: []string{"8"}}}
		}, field: "gcp.firewall.allow[0].ports", value: "8"},
		{name: "firewall port 70000", mutate: func(s *Spec) {
			s.Gcp.Firewall.Allow = []FirewallAllowSpec{{Protocol: "tcp", Ports: []string{"443", "70000"}}}
		}, field: "gcp.firewall.allow[0].ports[1]", value: "70000"},
		{name: "firewall port range reversed", mutate: func(s *Spec) {
			s.Gcp.Firewall.Allow = []FirewallAllowSpec{{Protocol: "udp", Ports: []string{"9000-8000"}}}
		}, field: "gcp.firewall.allow[0].ports[0]", value: "9000-8000"},
	}
}

func TestValidateBadInputs(t *testing.T) {
	cases := badInputs()
	if len(cases) < 35 {
		t.Fatalf("only %d bad-input cases", len(cases))
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			spec := validSpec()
			tc.mutate(&spec)
			ps := Validate(spec)
			if len(ps) != 1 {
				t.Fatalf("want exactly one problem on %s, got %d: %q\n%v", tc.field, len(ps), ps.Fields(), ps)
			}
			p := ps[0]
			if p.Field != tc.field {
				t.Errorf("Field = %q, want %q", p.Field, tc.field)
			}
			msg := p.String()
			if !strings.Contains(msg, tc.value) {
				t.Errorf("message does not mention the bad value %q:\n%s", tc.value, msg)
			}
			if strings.TrimSpace(p.Rule) == "" {
				t.Errorf("Rule is empty: %s", msg)
			}
			if strings.TrimSpace(p.Fix) == "" {
				t.Errorf("Fix is empty: %s", msg)
			}
			if tc.fix != "" && !strings.Contains(p.Fix, tc.fix) {
				t.Errorf("Fix %q does not name %q", p.Fix, tc.fix)
			}
			if tc.secret != "" {
				if strings.Contains(msg, tc.secret) || strings.Contains(ps.Error(), tc.secret) || strings.Contains(p.Value, tc.secret) {
					t.Errorf("the secret leaks into the message: %s", msg)
				}
			}

			// Build must refuse the same spec with the same Problems.
			plan, err := Build(spec)
			if plan != nil || err == nil {
				t.Fatalf("Build accepted the spec")
			}
			var got Problems
			if !errors.As(err, &got) || !slices.Equal(got.Fields(), []string{tc.field}) {
				t.Errorf("Build error = %v, want Problems on %s", err, tc.field)
			}
			if !strings.Contains(err.Error(), "havpn: 1 invalid argument(s)") || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("Build error text = %q", err.Error())
			}
		})
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	spec := validSpec()
	spec.Name = "Bad_Name"
	spec.Topology = string(DualGateway)
	spec.SharedSecret = ptr("short")
	spec.BgpSessionBlock = ptr(40)
	spec.Gcp.Asn = ptr(int64(65515))
	spec.Gcp.KeepaliveInterval = ptr(5)
	spec.Azure.Sku = "VpnGw2"
	spec.Azure.Zones = []string{"0"}
	spec.Azure.DpdTimeoutSeconds = ptr(1)
	spec.IpsecPolicy = &IpsecPolicySpec{PfsGroup: "None", SaLifeTimeSeconds: ptr(10)}

	ps := Validate(spec)
	want := []string{
		"name",
		"sharedSecret",
		"bgpSessionBlock",
		"gcp.asn",
		"gcp.keepaliveInterval",
		"azure.sku",
		"azure.zones[0]",
		"azure.dpdTimeoutSeconds",
		"ipsecPolicy.pfsGroup",
		"ipsecPolicy.saLifeTimeSeconds",
	}
	if got := ps.Fields(); !slices.Equal(got, want) {
		t.Fatalf("Fields() =\n  %q\nwant\n  %q", got, want)
	}
	msg := ps.Error()
	if !strings.HasPrefix(msg, "havpn: 10 invalid argument(s):\n") {
		t.Errorf("error header wrong:\n%s", msg)
	}
	if n := strings.Count(msg, "\n  - "); n != len(want) {
		t.Errorf("error lists %d problems, want %d:\n%s", n, len(want), msg)
	}
	if _, err := Build(spec); err == nil || err.Error() != msg {
		t.Errorf("Build error differs from Validate:\n%v", err)
	}
}

func TestValidateSkipsUnknownOutputs(t *testing.T) {
	spec := validSpec()
	// Outputs not known yet are nil: they are checked later, not reported now.
	spec.SharedSecret = nil
	spec.Gcp.Region = nil
	spec.Gcp.Network = nil
	spec.Azure.ResourceGroupName = nil
	spec.Azure.Location = nil
	spec.Azure.GatewaySubnetId = nil
	spec.Azure.AddressPrefixes = nil
	spec.Gcp.SubnetRanges = nil
	spec.Gcp.AdvertisedIpRanges = []string{"10.1.0.0/16"} // overlaps the VNet only once it is known
	if ps := Validate(spec); len(ps) != 0 {
		t.Fatalf("unknown values were reported: %q\n%v", ps.Fields(), ps)
	}
	plan, err := Build(spec)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if len(plan.Tunnels) != 2 || plan.Azure.GatewayName != "gcp-azure-vgw" {
		t.Errorf("plan = %d tunnels, gateway %q", len(plan.Tunnels), plan.Azure.GatewayName)
	}

	// A known resource group is still checked against a known subnet ID, and an unknown one is not.
	spec = validSpec()
	spec.Azure.ResourceGroupName = nil
	if ps := ValidateGatewaySubnetID(testSubnetID, nil); len(ps) != 0 {
		t.Errorf("nil resource group reported: %v", ps)
	}
	if ps := ValidateGatewaySubnetID(testSubnetID, ptr("RG")); len(ps) != 0 {
		t.Errorf("resource group names are case-insensitive, got %v", ps)
	}
	if ps := ValidateGatewaySubnetID(testSubnetID, ptr("rg2")); !slices.Equal(ps.Fields(), []string{"azure.resourceGroupName"}) {
		t.Errorf("mismatched resource group: %q", ps.Fields())
	}
}

func TestValidateSharedSecretLater(t *testing.T) {
	// The component calls ValidateSharedSecret when the secret arrives as an Output.
	tests := []struct {
		secret string
		value  string
	}{
		{"", `"(empty)"`},
		{"abcdefghijklmno", "(secret, 15 characters)"},
		{"x", "(secret, 1 characters)"},
	}
	for _, tc := range tests {
		ps := ValidateSharedSecret(tc.secret)
		if len(ps) != 1 || ps[0].Field != "sharedSecret" || ps[0].Value != tc.value {
			t.Errorf("ValidateSharedSecret(len %d) = %#v, want value %s", len(tc.secret), ps, tc.value)
		}
	}
	for _, ok := range []string{"abcdefghijklmnop", testSecret} {
		if ps := ValidateSharedSecret(ok); len(ps) != 0 {
			t.Errorf("ValidateSharedSecret(len %d) = %v, want none", len(ok), ps)
		}
	}
}

func TestValidateNextSharedSecretLater(t *testing.T) {
	if ps := ValidateNextSharedSecret(""); len(ps) != 0 {
		t.Errorf(`"" stages no rotation, got %v`, ps)
	}
	ps := ValidateNextSharedSecret("abcdefghijklmno")
	if len(ps) != 1 || ps[0].Field != "nextSharedSecret" || ps[0].Value != "(secret, 15 characters)" {
		t.Errorf("ValidateNextSharedSecret(len 15) = %#v", ps)
	}
	if ps := ValidateNextSharedSecret(testSecret); len(ps) != 0 {
		t.Errorf("a valid next secret: %v", ps)
	}
}

func TestValidateAcceptsEdgeValues(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Spec)
	}{
		{"gcp asn lowest private 64512", gcpAsn(64512)},
		{"gcp asn highest private 16-bit 65534", gcpAsn(65534)},
		{"gcp asn 65516 between Azure's reserved values", gcpAsn(65516)},
		{"gcp asn lowest private 32-bit", gcpAsn(4200000000)},
		{"gcp asn highest private 32-bit", gcpAsn(4294967294)},
		{"azure asn public", azureAsn(8073)},
		{"azure asn 32-bit private", azureAsn(4200000000)},
		{"keepalive 20", func(s *Spec) { s.Gcp.KeepaliveInterval = ptr(20) }},
		{"keepalive 60", func(s *Spec) { s.Gcp.KeepaliveInterval = ptr(60) }},
		{"dpd 9", func(s *Spec) { s.Azure.DpdTimeoutSeconds = ptr(9) }},
		{"dpd 3600", func(s *Spec) { s.Azure.DpdTimeoutSeconds = ptr(3600) }},
		{"block 0", func(s *Spec) { s.BgpSessionBlock = ptr(0) }},
		{"block 31", func(s *Spec) { s.BgpSessionBlock = ptr(31) }},
		{"sku VpnGw5AZ Generation2", func(s *Spec) { s.Azure.Sku = "VpnGw5AZ"; s.Azure.Generation = "Generation2" }},
		{"sku VpnGw1AZ Generation1", func(s *Spec) { s.Azure.Sku = "VpnGw1AZ"; s.Azure.Generation = "Generation1" }},
		{"single zone", func(s *Spec) { s.Azure.Zones = []string{"2"} }},
		{"subnet named gatewaysubnet in lower case", func(s *Spec) {
			s.Azure.GatewaySubnetId = ptr(strings.ToLower(testSubnetID))
		}},
		{"explicit ranges at the top of each /24", ranges("169.254.21.252/30", "169.254.22.252/30")},
		// Any distinct /30s of Azure's window, in any order: the tunnel's Azure instance does not pick the /24.
		{"both paired ranges in 169.254.21.0/24", ranges("169.254.21.8/30", "169.254.21.12/30")},
		{"paired ranges swapped between the /24s", ranges("169.254.22.4/30", "169.254.21.0/30")},
		{"ranges at both edges of the window", ranges("169.254.21.0/30", "169.254.22.252/30")},
		{"dualGateway ranges all in 169.254.22.0/24, descending", func(s *Spec) {
			s.Topology = string(DualGateway)
			s.BgpSessionRanges = []string{"169.254.22.12/30", "169.254.22.8/30", "169.254.22.4/30", "169.254.22.0/30"}
		}},
		{"advertised supernet of the VNet (Azure accepts it)", func(s *Spec) { s.Gcp.AdvertisedIpRanges = []string{"10.0.0.0/8"} }},
		{"Google subnets beside the VNet", func(s *Spec) { s.Gcp.SubnetRanges = []string{"10.0.0.0/16", "10.2.0.0/16", "172.16.0.0/24"} }},
		{"firewall protocol number and port range", func(s *Spec) {
			s.Gcp.Firewall.Allow = []FirewallAllowSpec{{Protocol: "50"}, {Protocol: "tcp", Ports: []string{"0", "8000-8080", "65535"}}}
		}},
		{"ipsec all-AES policy", withIpsec(func(p *IpsecPolicySpec) {
			p.IkeEncryption, p.IkeIntegrity, p.DhGroup = "AES256", "SHA256", "ECP384"
			p.IpsecEncryption, p.IpsecIntegrity, p.PfsGroup = "AES256", "SHA256", "ECP384"
			p.SaLifeTimeSeconds, p.SaDataSizeKilobytes = ptr(300), ptr(1024)
		})},
		{"gateway name with dots and underscore", func(s *Spec) { s.Azure.GatewayName = "a.b-c_" }},
		{"40-character name", func(s *Spec) { s.Name = "a" + strings.Repeat("b", 39) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := validSpec()
			tc.mutate(&spec)
			if ps := Validate(spec); len(ps) != 0 {
				t.Fatalf("refused: %v", ps)
			}
		})
	}
}

// TestValidateAddressSpace: every collision at once, each naming both ranges, the cloud that drops the
// route and the fix; the component calls the same function when Outputs resolve.
func TestValidateAddressSpace(t *testing.T) {
	tests := []struct {
		name                          string
		advertised, subnets, prefixes []string
		want                          []string // one full message per problem, in order
	}{
		{
			name:       "no overlap",
			advertised: []string{"10.0.0.0/8", "192.168.0.0/16"}, subnets: []string{"172.16.0.0/24", "172.24.0.0/24"}, prefixes: []string{"10.1.0.0/16"},
		},
		{
			name:       "every collision at once",
			advertised: []string{"10.1.0.0/16", "not-a-cidr", "10.2.5.0/24"},
			subnets:    []string{"10.1.0.0/24", "10.0.0.0/8", "172.16.0.0/24"},
			prefixes:   []string{"10.1.0.0/16", "10.2.0.0/16"},
			want: []string{
				`gcp.advertisedIpRanges[0] = "10.1.0.0/16": it lies inside azure.addressPrefixes[0] 10.1.0.0/16, and an Azure VPN gateway drops a learned route that equals or lies inside a VNet prefix (Azure VPN FAQ, BGP). Fix: drop 10.1.0.0/16 from gcp.advertisedIpRanges or advertise a range outside 10.1.0.0/16 (Azure accepts a supernet of the VNet).`,
				`gcp.advertisedIpRanges[2] = "10.2.5.0/24": it lies inside azure.addressPrefixes[1] 10.2.0.0/16, and an Azure VPN gateway drops a learned route that equals or lies inside a VNet prefix (Azure VPN FAQ, BGP). Fix: drop 10.2.5.0/24 from gcp.advertisedIpRanges or advertise a range outside 10.2.0.0/16 (Azure accepts a supernet of the VNet).`,
				`gcp.subnetRanges[0] = "10.1.0.0/24": it overlaps azure.addressPrefixes[0] 10.1.0.0/16: Azure drops the route to 10.1.0.0/24: it lies inside the VNet prefix 10.1.0.0/16 (Azure VPN FAQ, BGP). Fix: give the Google subnet 10.1.0.0/24 and the Azure VNet 10.1.0.0/16 disjoint ranges.`,
				`gcp.subnetRanges[1] = "10.0.0.0/8": it overlaps azure.addressPrefixes[0] 10.1.0.0/16: Google drops the route to the VNet prefix 10.1.0.0/16: it fits within the subnet range 10.0.0.0/8 (Google VPC routes overview). Fix: give the Google subnet 10.0.0.0/8 and the Azure VNet 10.1.0.0/16 disjoint ranges.`,
				`gcp.subnetRanges[1] = "10.0.0.0/8": it overlaps azure.addressPrefixes[1] 10.2.0.0/16: Google drops the route to the VNet prefix 10.2.0.0/16: it fits within the subnet range 10.0.0.0/8 (Google VPC routes overview). Fix: give the Google subnet 10.0.0.0/8 and the Azure VNet 10.2.0.0/16 disjoint ranges.`,
			},
		},
		{
			name:    "equal ranges: both clouds drop",
			subnets: []string{"10.1.0.0/16"}, prefixes: []string{"10.1.0.0/16"},
			want: []string{`gcp.subnetRanges[0] = "10.1.0.0/16": it overlaps azure.addressPrefixes[0] 10.1.0.0/16: the ranges are equal, so Azure drops the route to the Google range (it equals a VNet prefix; Azure VPN FAQ) and Google drops the route to the VNet (it equals a subnet range; Google VPC routes). Fix: give the Google subnet 10.1.0.0/16 and the Azure VNet 10.1.0.0/16 disjoint ranges.`},
		},
		{
			name:       "entries that are not CIDRs are left to the CIDR checks",
			advertised: []string{"10.1.0.0"}, subnets: []string{"10.1.0.1/24"}, prefixes: []string{"10.1.0.0/16", "bad"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := ValidateAddressSpace(tc.advertised, tc.subnets, tc.prefixes)
			var got []string
			for _, p := range ps {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
			// Validate reports the same problems before registration when everything is known.
			spec := validSpec()
			spec.Gcp.AdvertisedIpRanges, spec.Gcp.SubnetRanges, spec.Azure.AddressPrefixes = tc.advertised, tc.subnets, tc.prefixes
			var all []string
			for _, p := range Validate(spec) {
				all = append(all, p.String())
			}
			for _, w := range tc.want {
				if !slices.Contains(all, w) {
					t.Errorf("Validate lacks %q", w)
				}
			}
		})
	}
}
