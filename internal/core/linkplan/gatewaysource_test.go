package linkplan

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

const testGatewayID = "/subscriptions/" + testSubscription + "/resourceGroups/hub-rg/providers/Microsoft.Network/virtualNetworkGateways/hub-vgw"

// testHub is the `hub` object of a 4-slot paired hub with one registered spoke, as a link receives it.
func testHub() *HubRefSpec {
	h := &HubRefSpec{Name: "hub", GatewayName: "hub-vgw", Asn: 65515, Sku: "VpnGw1AZ", SlotTopology: "paired", LinkSlots: 4,
		PublicIps: []string{"20.0.0.1", "20.0.0.2"}, Spokes: []SpokeSpec{{Name: "spoke-b", Slot: 2, Asn: 65002}}}
	for s := 0; s < 4; s++ {
		var rs []string
		for _, r := range BlockRanges(Paired, s) {
			rs = append(rs, r.String())
		}
		h.Slots = append(h.Slots, HubSlotSpec{Index: s, BgpSessionRanges: rs})
	}
	return h
}

// onHub is validSpec on slot 1 of testHub: no GatewaySubnet, resource group or location of its own.
func onHub() Spec {
	s := validSpec()
	s.Azure.GatewaySubnetId, s.Azure.ResourceGroupName, s.Azure.Location = ptr(""), ptr(""), ptr("")
	s.Azure.Hub, s.Azure.HubSlot = testHub(), ptr(1)
	return s
}

// A hub value need not list its slots in order, or all of them (a hub read from another stack, or
// written by hand): the link finds its slot by index, and validation and the plan agree on it.
func TestHubSlotFoundByIndexNotPosition(t *testing.T) {
	for _, order := range [][]int{{3}, {3, 1, 0, 2}, {2, 3}} {
		s := onHub()
		all := s.Azure.Hub.Slots
		s.Azure.Hub.Slots = nil
		for _, i := range order {
			s.Azure.Hub.Slots = append(s.Azure.Hub.Slots, all[i])
		}
		s.Azure.HubSlot = ptr(3)
		p, err := Build(s)
		if err != nil {
			t.Fatalf("slots %v: %v", order, err)
		}
		want := fmt.Sprint(all[3].BgpSessionRanges)
		var got []string
		for _, tun := range p.Tunnels {
			got = append(got, tun.Session.Range.String())
		}
		if fmt.Sprint(got) != want || p.Azure.Hub.Slot != 3 {
			t.Errorf("slots %v: ranges %v on slot %d, want %s on slot 3", order, got, p.Azure.Hub.Slot, want)
		}
	}
}

// onExisting is validSpec on an existing gateway, block 3.
func onExisting() Spec {
	s := validSpec()
	s.Azure.GatewaySubnetId, s.Azure.ResourceGroupName, s.Azure.Location = ptr(""), ptr(""), ptr("")
	s.Azure.ExistingGateway = &ExistingGatewaySpec{Id: testGatewayID, PublicIps: []string{"20.0.0.1", "20.0.0.2"}}
	s.BgpSessionBlock = ptr(3)
	return s
}

// TestLinkOnAHubSlot: the link takes its slot's /30s, the hub's ASN and gateway name, and creates no
// gateway of its own (no public IP names).
func TestLinkOnAHubSlot(t *testing.T) {
	p, err := Build(onHub())
	if err != nil {
		t.Fatal(err)
	}
	if p.Azure.Source != HubGateway || p.Azure.Hub == nil || *p.Azure.Hub != (HubUse{Hub: "hub", Slot: 1}) {
		t.Fatalf("azure side = %+v", p.Azure)
	}
	want := []string{"169.254.21.8/30", "169.254.22.8/30"}
	for k, tun := range p.Tunnels {
		if tun.Session.Range.String() != want[k] || tun.Session.AzureAsn != 65515 {
			t.Errorf("tunnel %d: %+v", k, tun.Session)
		}
	}
	if p.Azure.GatewayName != "hub-vgw" || p.Azure.Sku != "VpnGw1AZ" || p.Azure.Zones != nil {
		t.Errorf("azure = %+v", p.Azure)
	}
	for _, inst := range p.Azure.Instances {
		if inst.PublicIpName != "" || inst.IpConfigName != IpConfigName(inst.Index) {
			t.Errorf("instance = %+v", inst)
		}
	}

	// By spoke name: the registry's slot, and the plan records the spoke.
	s := onHub()
	s.Azure.HubSlot, s.Azure.HubSpoke, s.Gcp.Asn = nil, "spoke-b", ptr(int64(65002))
	p, err = Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if *p.Azure.Hub != (HubUse{Hub: "hub", Slot: 2, Spoke: "spoke-b"}) || p.Tunnels[0].Session.Range.String() != "169.254.21.16/30" {
		t.Errorf("by spoke: %+v %v", p.Azure.Hub, p.Tunnels[0].Session.Range)
	}
}

// TestLinkOnAnExistingGateway: the link's own block, the gateway's name from its ID, no SKU or zones.
func TestLinkOnAnExistingGateway(t *testing.T) {
	s := onExisting()
	s.Azure.ExistingGateway.Asn = ptr(int64(65010))
	p, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Azure.Source != ExistingGateway || p.Azure.ExistingGatewayId != testGatewayID || p.Azure.GatewayName != "hub-vgw" || p.Azure.Asn != 65010 || p.Azure.Sku != "" {
		t.Errorf("azure = %+v", p.Azure)
	}
	if p.Tunnels[0].Session.Range.String() != "169.254.21.24/30" {
		t.Errorf("block 3: %v", p.Tunnels[0].Session.Range)
	}
	for _, inst := range p.Azure.Instances {
		if inst.PublicIpName != "" || inst.IpConfigName != "" {
			t.Errorf("instance = %+v (read from the gateway at deployment)", inst)
		}
	}
}

// TestGatewaySourceProblems: one mutation each, the field it must name and a word of the message.
func TestGatewaySourceProblems(t *testing.T) {
	cases := []struct {
		name   string
		base   func() Spec
		mutate func(*Spec)
		fields []string
		says   string
	}{
		{"hub and existing gateway", onHub, func(s *Spec) { s.Azure.ExistingGateway = onExisting().Azure.ExistingGateway },
			[]string{"azure.existingGateway"}, "cannot both be set"},
		{"hub slot without a hub", validSpec, func(s *Spec) { s.Azure.HubSlot = ptr(1) }, []string{"azure.hubSlot"}, "only means something with azure.hub"},
		{"hub spoke without a hub", validSpec, func(s *Spec) { s.Azure.HubSpoke = "a" }, []string{"azure.hubSpoke"}, "only means something with azure.hub"},
		{"no slot", onHub, func(s *Spec) { s.Azure.HubSlot = nil }, []string{"azure.hubSlot"}, "takes one of its slots"},
		{"slot outside the hub", onHub, func(s *Spec) { s.Azure.HubSlot = ptr(4) }, []string{"azure.hubSlot"}, "has slots [0 1 2 3]"},
		{"slot registered to another spoke", onHub, func(s *Spec) { s.Azure.HubSlot = ptr(2) }, []string{"azure.hubSlot"}, `gives slot 2 to spoke "spoke-b"`},
		{"unknown spoke", onHub, func(s *Spec) { s.Azure.HubSlot, s.Azure.HubSpoke = nil, "spoke-z" }, []string{"azure.hubSpoke"}, `has no such spoke (it has ["spoke-b"])`},
		{"spoke and slot disagree", onHub, func(s *Spec) { s.Azure.HubSlot, s.Azure.HubSpoke, s.Gcp.Asn = ptr(3), "spoke-b", ptr(int64(65002)) },
			[]string{"azure.hubSlot"}, `gives spoke "spoke-b" slot 2`},
		{"spoke's registered ASN", onHub, func(s *Spec) { s.Azure.HubSlot, s.Azure.HubSpoke = nil, "spoke-b" }, []string{"gcp.asn"}, "records spoke \"spoke-b\" with ASN 65002"},
		{"topology differs from the slots'", onHub, func(s *Spec) { s.Topology = "dualGateway" }, []string{"topology"}, "hub \"hub\" has paired slots"},
		{"azure.asn differs from the hub's", onHub, func(s *Spec) { s.Azure.Asn = ptr(int64(65010)) }, []string{"azure.asn"}, "the hub gateway's, 65515"},
		{"gcp.asn equals the hub's", onHub, func(s *Spec) { s.Azure.Hub.Asn = 65010; s.Gcp.Asn = ptr(int64(65010)) }, []string{"gcp.asn"}, "azure.hub.asn 65010"},
		{"sku differs from the hub's", onHub, func(s *Spec) { s.Azure.Sku = "VpnGw2AZ" }, []string{"azure.sku"}, "the hub's gateway is VpnGw1AZ"},
		{"gateway subnet on a hub", onHub, func(s *Spec) { s.Azure.GatewaySubnetId = ptr(testSubnetID) }, []string{"azure.gatewaySubnetId"}, "does not create"},
		{"gateway subnet as an Output on a hub", onHub, func(s *Spec) { s.Azure.GatewaySubnetId = nil }, []string{"azure.gatewaySubnetId"}, "does not create"},
		{"gateway name, zones, generation on a hub", onHub, func(s *Spec) {
			s.Azure.GatewayName, s.Azure.Zones, s.Azure.Generation = "x", []string{"1"}, "Generation2"
		}, []string{"azure.generation", "azure.gatewayName", "azure.zones"}, "shapes a gateway the link creates"},
		{"bgpSessionBlock other than the slot's", onHub, func(s *Spec) { s.BgpSessionBlock = ptr(0) }, []string{"bgpSessionBlock"}, "slot 1 has 169.254.21.8/30, 169.254.22.8/30"},
		{"bgpSessionRanges other than the slot's", onHub, func(s *Spec) { s.BgpSessionRanges = []string{"169.254.21.0/30", "169.254.22.0/30"} },
			[]string{"bgpSessionRanges"}, "the slot decides the /30s"},
		{"hub object's slot ranges broken", onHub, func(s *Spec) { s.Azure.Hub.Slots[1].BgpSessionRanges = []string{"169.254.21.8/30", "169.254.21.8/30"} },
			[]string{"azure.hub.slots[1].bgpSessionRanges[1]"}, "distinct"},
		{"hub object's public IPs", onHub, func(s *Spec) { s.Azure.Hub.PublicIps = []string{"20.0.0.1"} }, []string{"azure.hub.publicIps"}, "two instances"},
		{"existing gateway ID", onExisting, func(s *Spec) { s.Azure.ExistingGateway.Id = "/subscriptions/x/vgw" }, []string{"azure.existingGateway.id"}, "ARM ID of a virtual network gateway"},
		{"existing gateway public IPs", onExisting, func(s *Spec) { s.Azure.ExistingGateway.PublicIps = []string{"20.0.0.1", "x"} }, []string{"azure.existingGateway.publicIps[1]"}, "IPv4"},
		{"existing gateway same public IP twice", onExisting, func(s *Spec) { s.Azure.ExistingGateway.PublicIps = []string{"20.0.0.1", "20.0.0.1"} }, []string{"azure.existingGateway.publicIps"}, "distinct"},
		{"existing gateway ASN vs azure.asn", onExisting, func(s *Spec) {
			s.Azure.ExistingGateway.Asn, s.Azure.Asn = ptr(int64(65010)), ptr(int64(65011))
		}, []string{"azure.asn"}, "azure.existingGateway.asn 65010"},
		{"existing gateway reserved ASN", onExisting, func(s *Spec) { s.Azure.ExistingGateway.Asn = ptr(int64(65517)) }, []string{"azure.existingGateway.asn"}, "reserved by Azure"},
		{"existing gateway with a SKU", onExisting, func(s *Spec) { s.Azure.Sku = "VpnGw1AZ" }, []string{"azure.sku"}, "the existing gateway's"},
		{"own gateway: resource group required", validSpec, func(s *Spec) { s.Azure.ResourceGroupName = ptr("") }, []string{"azure.resourceGroupName"}, "required"},
		{"existing router name", validSpec, func(s *Spec) { s.Gcp.ExistingRouter = "Router_1" }, []string{"gcp.existingRouter"}, "not a Cloud Router name"},
		{"existing router with Outputs for region, network and project", validSpec, func(s *Spec) {
			s.Gcp.ExistingRouter, s.Gcp.Region, s.Gcp.Network, s.Gcp.ProjectUnknown = "r", nil, nil, true
		}, []string{"gcp.region", "gcp.network", "gcp.project"}, "looks the router up"},
		{"existing router with router settings", validSpec, func(s *Spec) {
			s.Gcp.ExistingRouter, s.Gcp.KeepaliveInterval, s.Gcp.AdvertisedIpRanges = "r", ptr(30), []string{"10.9.0.0/16"}
		}, []string{"gcp.keepaliveInterval", "gcp.advertisedIpRanges"}, "not the link's"},
		{"existing gateways: count", validSpec, func(s *Spec) {
			s.Gcp.ExistingGateways = []string{haVpn("gw-a"), haVpn("gw-b")}
		}, []string{"gcp.existingGateways"}, `topology "paired" uses 1`},
		{"existing gateways: not a self link", validSpec, func(s *Spec) { s.Gcp.ExistingGateways = []string{"gw-a"} }, []string{"gcp.existingGateways[0]"}, "self link of an HA VPN gateway"},
		{"existing gateways: twice", validSpec, func(s *Spec) { s.Topology, s.Gcp.ExistingGateways = "dualGateway", []string{haVpn("a"), haVpn("a")} },
			[]string{"gcp.existingGateways[1]"}, "repeats gcp.existingGateways[0]"},
		{"existing gateways: other region", validSpec, func(s *Spec) {
			s.Gcp.ExistingGateways = []string{strings.Replace(haVpn("a"), "asia-northeast1", "us-east1", 1)}
		}, []string{"gcp.existingGateways[0]"}, "the gateway is in us-east1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.base()
			c.mutate(&s)
			ps := Validate(s)
			if fmt.Sprint(ps.Fields()) != fmt.Sprint(c.fields) {
				t.Fatalf("fields = %v, want %v\n%v", ps.Fields(), c.fields, ps)
			}
			if !strings.Contains(ps.Error(), c.says) {
				t.Errorf("%v\ndoes not say %q", ps, c.says)
			}
			for _, p := range ps {
				if p.Rule == "" || p.Fix == "" || p.Value == "" {
					t.Errorf("incomplete problem %+v", p)
				}
			}
		})
	}
	for _, base := range []func() Spec{onHub, onExisting} {
		s := base()
		s.Gcp.ExistingRouter, s.Gcp.ExistingGateways = "router-1", []string{haVpn("gw-a")}
		if ps := Validate(s); len(ps) > 0 {
			t.Errorf("valid spec refused: %v", ps)
		}
	}
}

func haVpn(name string) string {
	return "https://www.googleapis.com/compute/v1/projects/p/regions/asia-northeast1/vpnGateways/" + name
}

// TestExistingGcpResourcesInThePlan: an existing router and existing HA VPN gateways are named in the plan.
func TestExistingGcpResourcesInThePlan(t *testing.T) {
	s := validSpec()
	s.Topology = "dualGateway"
	s.Gcp.ExistingRouter, s.Gcp.ExistingGateways = "router-1", []string{haVpn("gw-a"), haVpn("gw-b")}
	p, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Gcp.ExistingRouter || p.Gcp.RouterName != "router-1" || p.Gcp.Gateways[1].SelfLink != haVpn("gw-b") {
		t.Errorf("gcp = %+v", p.Gcp)
	}
	ref, err := ParseHaVpnGatewayRef(haVpn("gw-b"))
	if err != nil || ref.ID() != "projects/p/regions/asia-northeast1/vpnGateways/gw-b" {
		t.Errorf("ref = %+v %v", ref, err)
	}
}

// TestSiblings: links of one program checked against each other, every limit at its boundary.
func TestSiblings(t *testing.T) {
	hubLink := func(name string, slot int, asn int64) Footprint {
		return Footprint{Link: name, Hub: "hub", HubSlot: slot, Gateway: "hub hub", Ranges: BlockRanges(Paired, slot), GcpAsn: asn, Peers: 2, rangesField: "azure.hubSlot"}
	}
	t.Run("slot reuse", func(t *testing.T) {
		ps, _ := CheckSiblings([]Footprint{hubLink("a", 1, 65001)}, hubLink("b", 1, 65002))
		if len(ps) != 1 || ps[0].Field != "azure.hubSlot" || !strings.Contains(ps[0].Rule, `link "a" of this program already takes slot 1 of hub "hub"`) {
			t.Errorf("%v", ps)
		}
		if ps, _ := CheckSiblings([]Footprint{hubLink("a", 1, 65001)}, hubLink("b", 2, 65002)); len(ps) > 0 {
			t.Errorf("other slot refused: %v", ps)
		}
	})
	t.Run("shared ASN on a hub warns", func(t *testing.T) {
		ps, ws := CheckSiblings([]Footprint{hubLink("a", 0, 65001), hubLink("b", 1, 65002)}, hubLink("c", 2, 65001))
		if len(ps) > 0 || len(ws) != 1 || !strings.Contains(ws[0], `spokes ["a" "c"] of hub "hub" share ASN 65001`) || !strings.Contains(ws[0], "loop prevention") {
			t.Errorf("%v %q", ps, ws)
		}
	})
	t.Run("/30 twice on one gateway", func(t *testing.T) {
		a := Footprint{Link: "a", Gateway: "existing g", Ranges: BlockRanges(Paired, 0), rangesField: "bgpSessionBlock"}
		b := Footprint{Link: "b", Gateway: "existing g", Ranges: BlockRanges(DualGateway, 0), rangesField: "bgpSessionBlock"}
		ps, _ := CheckSiblings([]Footprint{a}, b)
		if len(ps) != 1 || ps[0].Field != "bgpSessionBlock" || !strings.Contains(ps[0].Rule, "unique across the gateway's peers") {
			t.Errorf("%v", ps)
		}
		b.Ranges = BlockRanges(DualGateway, 1)
		if ps, _ := CheckSiblings([]Footprint{a}, b); len(ps) > 0 {
			t.Errorf("disjoint blocks refused: %v", ps)
		}
	})
	t.Run("/30 twice in one VPC", func(t *testing.T) {
		a := Footprint{Link: "a", Gateway: "own a", Network: "projects/p/global/networks/vpc", Ranges: BlockRanges(Paired, 0), rangesField: "bgpSessionBlock"}
		b := Footprint{Link: "b", Gateway: "own b", Network: "projects/p/global/networks/vpc", Ranges: BlockRanges(Paired, 0), rangesField: "bgpSessionRanges"}
		ps, _ := CheckSiblings([]Footprint{a}, b)
		if len(ps) != 1 || ps[0].Field != "bgpSessionRanges" || !strings.Contains(ps[0].Rule, "unique among all routers of a VPC network") {
			t.Errorf("%v", ps)
		}
		b.Network = "projects/p/global/networks/other"
		if ps, _ := CheckSiblings([]Footprint{a}, b); len(ps) > 0 {
			t.Errorf("other VPC refused: %v", ps)
		}
	})
	t.Run("Cloud Router peers at 128 and 129", func(t *testing.T) {
		router := "projects/p/global/networks/vpc/r1/router-1"
		earlier := []Footprint{{Link: "a", Gateway: "own a", Router: router, Peers: 124}}
		at := Footprint{Link: "b", Gateway: "own b", Router: router, Peers: 4}
		if ps, _ := CheckSiblings(earlier, at); len(ps) > 0 {
			t.Errorf("128 peers refused: %v", ps)
		}
		earlier[0].Peers = 125
		ps, _ := CheckSiblings(earlier, at)
		if len(ps) != 1 || ps[0].Field != "gcp.existingRouter" || ps[0].Value != `"router-1"` || !strings.Contains(ps[0].Rule, "129 BGP peers exceed the 128") {
			t.Errorf("%v", ps)
		}
	})
	t.Run("Cloud Routers per region at 5 and 6", func(t *testing.T) {
		var earlier []Footprint
		for i := 0; i < 4; i++ {
			earlier = append(earlier, Footprint{Link: fmt.Sprint("l", i), Gateway: fmt.Sprint("own l", i), Network: "vpc", Region: "r1",
				Ranges: BlockRanges(Paired, i)})
		}
		fifth := Footprint{Link: "l4", Gateway: "own l4", Network: "vpc", Region: "r1", Ranges: BlockRanges(Paired, 4)}
		if ps, _ := CheckSiblings(earlier, fifth); len(ps) > 0 {
			t.Errorf("5 routers refused: %v", ps)
		}
		sixth := Footprint{Link: "l5", Gateway: "own l5", Network: "vpc", Region: "r1", Ranges: BlockRanges(Paired, 5)}
		ps, _ := CheckSiblings(append(earlier, fifth), sixth)
		if len(ps) != 1 || ps[0].Field != "gcp.region" || !strings.Contains(ps[0].Rule, "6 Cloud Routers exceed the 5") {
			t.Errorf("%v", ps)
		}
		sixth.Region = "r2"
		if ps, _ := CheckSiblings(append(earlier, fifth), sixth); len(ps) > 0 {
			t.Errorf("other region refused: %v", ps)
		}
	})
}

// TestFootprintOfAPlan: what a plan contributes to the program's registry.
func TestFootprintOfAPlan(t *testing.T) {
	s := onHub()
	s.Gcp.Network = ptr("https://www.googleapis.com/compute/v1/projects/p/global/networks/vpc")
	p, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	f := p.Footprint(s)
	if f.Hub != "hub" || f.HubSlot != 1 || f.Gateway != "hub hub" || f.Network != "projects/p/global/networks/vpc" || f.Region != "asia-northeast1" || f.Router != "" || f.Peers != 2 || f.GcpAsn != 65534 {
		t.Errorf("footprint = %+v", f)
	}
	s = onExisting()
	s.Gcp.ExistingRouter = "router-1"
	p, err = Build(s)
	if err != nil {
		t.Fatal(err)
	}
	f = p.Footprint(s)
	if f.Gateway != "existing "+strings.ToLower(testGatewayID) || f.Router != "vpc/asia-northeast1/router-1" || fmt.Sprint(f.Ranges) != fmt.Sprint(BlockRanges(Paired, 3)) {
		t.Errorf("footprint = %+v", f)
	}
}

// TestValidateExistingGateway: each property of a found gateway the link needs, refused with the exact change.
func TestValidateExistingGateway(t *testing.T) {
	p, err := Build(onExisting())
	if err != nil {
		t.Fatal(err)
	}
	cfg := func(n int) FoundIpConfiguration {
		return FoundIpConfiguration{Id: fmt.Sprintf("%s/ipConfigurations/cfg%d", testGatewayID, n), Name: fmt.Sprint("cfg", n)}
	}
	good := func() FoundGateway {
		return FoundGateway{Id: testGatewayID, Name: "hub-vgw", ActiveActive: ptr(true), EnableBgp: ptr(true), VpnType: "RouteBased", Sku: "VpnGw1AZ", Asn: ptr(65515.0),
			IpConfigurations: []FoundIpConfiguration{cfg(0), cfg(1)},
			CustomBgpIps: map[string][]string{
				strings.ToLower(cfg(0).Id): {"169.254.21.1", "169.254.21.25"},
				strings.ToLower(cfg(1).Id): {"169.254.22.1", "169.254.22.25"},
			},
			TunnelIps: map[string][]string{strings.ToLower(cfg(0).Id): {"20.0.0.1"}, strings.ToLower(cfg(1).Id): {"20.0.0.2"}},
		}
	}
	publicIps := []string{"20.0.0.1", "20.0.0.2"} // onExisting's azure.existingGateway.publicIps
	if ps := ValidateExistingGateway(p, good(), publicIps); len(ps) > 0 {
		t.Fatalf("good gateway refused: %v", ps)
	}
	cases := []struct {
		name   string
		mutate func(*FoundGateway)
		field  string
		rule   string
		fix    string
	}{
		{"active-standby", func(g *FoundGateway) { g.ActiveActive = ptr(false) }, "azure.existingGateway.id", "is not active-active (activeActive false)", "set activeActive true on gateway hub-vgw"},
		{"activeActive unset", func(g *FoundGateway) { g.ActiveActive = nil }, "azure.existingGateway.id", "activeActive unset", "set activeActive true"},
		{"no BGP", func(g *FoundGateway) { g.EnableBgp = ptr(false) }, "azure.existingGateway.id", "does not have BGP enabled", "set enableBgp true and bgpSettings.asn 65515 on gateway hub-vgw"},
		{"policy-based", func(g *FoundGateway) { g.VpnType = "PolicyBased" }, "azure.existingGateway.id", "is PolicyBased", "use a RouteBased gateway"},
		{"Basic", func(g *FoundGateway) { g.Sku = "Basic" }, "azure.existingGateway.id", "Basic supports neither BGP nor active-active", "VpnGw1AZ"},
		{"other ASN", func(g *FoundGateway) { g.Asn = ptr(65010.0) }, "azure.existingGateway.asn", "has bgpSettings.asn 65010", "set azure.existingGateway.asn to 65010"},
		{"one ipConfiguration", func(g *FoundGateway) { g.IpConfigurations = g.IpConfigurations[:1] }, "azure.existingGateway.id", "has 1 ipConfigurations", "two ipConfigurations"},
		{"APIPA missing on instance 1", func(g *FoundGateway) { g.CustomBgpIps[strings.ToLower(cfg(1).Id)] = []string{"169.254.22.1"} },
			"azure.existingGateway.id", `ipConfiguration "cfg1" (instance 1) of gateway hub-vgw does not carry the link's APIPA address(es) 169.254.22.25 (it has 169.254.22.1)`,
			`customBgpIpAddresses to ["169.254.22.1" "169.254.22.25"] on gateway hub-vgw`},
		{"APIPA on the wrong instance", func(g *FoundGateway) {
			g.CustomBgpIps[strings.ToLower(cfg(0).Id)] = []string{"169.254.22.25"}
		}, "azure.existingGateway.id", "does not carry the link's APIPA address(es) 169.254.21.25 (it has 169.254.22.25)", "ipconfigurationId=" + cfg(0).Id},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := good()
			c.mutate(&g)
			ps := ValidateExistingGateway(p, g, publicIps)
			if len(ps) != 1 || ps[0].Field != c.field || !strings.Contains(ps[0].Rule, c.rule) || !strings.Contains(ps[0].Fix, c.fix) {
				t.Errorf("got %v\nwant one problem on %s saying %q, fix %q", ps, c.field, c.rule, c.fix)
			}
		})
	}
	g := good()
	g.ActiveActive, g.EnableBgp, g.Asn = ptr(false), nil, ptr(1.0)
	if ps := ValidateExistingGateway(p, g, publicIps); len(ps) != 3 {
		t.Errorf("every problem at once: %v", ps)
	}
	// publicIps in the wrong order: each instance named with the other's address, the fix gives the order.
	if ps := ValidateExistingGateway(p, good(), []string{"20.0.0.2", "20.0.0.1"}); fmt.Sprint(ps.Fields()) != "[azure.existingGateway.publicIps[0] azure.existingGateway.publicIps[1]]" ||
		!strings.Contains(ps[0].Rule, `ipConfiguration "cfg0" (instance 0) of gateway hub-vgw has tunnel address 20.0.0.1`) || !strings.Contains(ps[0].Fix, `["20.0.0.1" "20.0.0.2"]`) {
		t.Errorf("swapped publicIps: %v", ps)
	}
	// Not known yet, or not reported by the gateway: nothing to compare.
	g = good()
	g.TunnelIps = nil
	for _, ips := range [][]string{nil, {"20.0.0.2", "20.0.0.1"}} {
		if ps := ValidateExistingGateway(p, g, ips); len(ps) > 0 && ips == nil {
			t.Errorf("publicIps unknown: %v", ps)
		} else if len(ps) > 0 {
			t.Errorf("no tunnel addresses reported: %v", ps)
		}
	}
}

// TestValidateExistingRouterAndGateways: the router's ASN and network, the gateways' interfaces and network.
func TestValidateExistingRouterAndGateways(t *testing.T) {
	p, err := Build(validSpec())
	if err != nil {
		t.Fatal(err)
	}
	asn := 65534
	if ps := ValidateExistingRouter(p, FoundRouter{Name: "r", Network: "projects/p/global/networks/vpc", Asn: &asn}, "vpc"); len(ps) > 0 {
		t.Errorf("good router refused: %v", ps)
	}
	other := 64600
	ps := ValidateExistingRouter(p, FoundRouter{Name: "r", Network: "projects/p/global/networks/other", Asn: &other}, "vpc")
	if fmt.Sprint(ps.Fields()) != "[gcp.asn gcp.existingRouter]" || !strings.Contains(ps[0].Fix, "set gcp.asn to 64600") || !strings.Contains(ps[1].Rule, "is on network projects/p/global/networks/other") {
		t.Errorf("%v", ps)
	}
	// A network of the same name in another project (a Shared VPC host, say) is another network; a bare
	// name on either side compares by name.
	for network, want := range map[string]bool{
		"https://www.googleapis.com/compute/v1/projects/p/global/networks/vpc": true,
		"projects/host/global/networks/vpc":                                    false,
		"vpc":                                                                  true,
	} {
		ps := ValidateExistingRouter(p, FoundRouter{Name: "r", Network: "projects/p/global/networks/vpc", Asn: &asn}, network)
		if (len(ps) == 0) != want {
			t.Errorf("router on projects/p/global/networks/vpc, gcp.network %s: problems %v", network, ps)
		}
	}
	if ps := ValidateExistingRouter(p, FoundRouter{Name: "r"}, "vpc"); len(ps) != 1 || !strings.Contains(ps[0].Rule, "no BGP settings") {
		t.Errorf("%v", ps)
	}
	good := FoundHaVpnGateway{SelfLink: haVpn("a"), Network: "vpc", Interfaces: []string{"34.0.0.1", "34.0.0.2"}}
	if ps := ValidateExistingHaVpnGateway(0, good, "vpc"); len(ps) > 0 {
		t.Errorf("good gateway refused: %v", ps)
	}
	bad := good
	bad.Interfaces, bad.Network = []string{"34.0.0.1"}, "other"
	if ps := ValidateExistingHaVpnGateway(1, bad, "vpc"); fmt.Sprint(ps.Fields()) != "[gcp.existingGateways[1] gcp.existingGateways[1]]" {
		t.Errorf("%v", ps)
	}
	v6 := good
	v6.Interfaces = []string{"2001:db8::1", "34.0.0.2"}
	if ps := ValidateExistingHaVpnGateway(0, v6, ""); len(ps) != 1 || !strings.Contains(ps[0].Rule, "not IPv4") {
		t.Errorf("%v", ps)
	}
	_ = netip.Addr{}
}
