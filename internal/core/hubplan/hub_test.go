package hubplan

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

const subnetID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet"

func ptr[T any](v T) *T { return &v }

func validSpec(slots int, topology, sku string) Spec {
	return Spec{
		Name: "hub", ResourceGroupName: ptr("rg"), Location: ptr("japaneast"), GatewaySubnetId: ptr(subnetID),
		Sku: sku, SlotTopology: topology, LinkSlots: ptr(slots),
	}
}

// TestSlotBudgetsAtTheirBoundaries: for each SKU and slot topology, the largest linkSlots the budgets
// allow is accepted and one more is refused, naming the budget that binds (tunnels per SKU or APIPA).
func TestSlotBudgetsAtTheirBoundaries(t *testing.T) {
	cases := []struct {
		topology, sku string
		max           int
		binding       string // what the refusal at max+1 cites
		fixNames      string
	}{
		// paired: 2 connections x 2 tunnels = 4 tunnels, 2 APIPA addresses per slot.
		{"paired", "VpnGw1AZ", 7, "exceed the 30 a VpnGw1AZ gateway carries", "at most 7 slots on VpnGw1AZ"},
		{"paired", "VpnGw3AZ", 7, "exceed the 30 a VpnGw3AZ gateway carries", "at most 7 slots on VpnGw3AZ"},
		{"paired", "VpnGw4AZ", 16, "34 custom APIPA BGP addresses exceed the 32", "at most 16 paired slots"},
		// dualGateway: 4 connections x 2 = 8 tunnels, 4 APIPA addresses per slot.
		{"dualGateway", "VpnGw2AZ", 3, "exceed the 30 a VpnGw2AZ gateway carries", "at most 3 slots on VpnGw2AZ"},
		{"dualGateway", "VpnGw5AZ", 8, "36 custom APIPA BGP addresses exceed the 32", "at most 8 dualGateway slots"},
	}
	for _, c := range cases {
		t.Run(c.topology+"/"+c.sku, func(t *testing.T) {
			if got := MaxSlots(linkplan.Topology(c.topology), c.sku); got != c.max {
				t.Errorf("MaxSlots = %d, want %d", got, c.max)
			}
			if ps := Validate(validSpec(c.max, c.topology, c.sku)); len(ps) > 0 {
				t.Fatalf("linkSlots %d refused: %v", c.max, ps)
			}
			ps := Validate(validSpec(c.max+1, c.topology, c.sku))
			if len(ps) != 1 || ps[0].Field != "linkSlots" || ps[0].Value != fmt.Sprint(c.max+1) {
				t.Fatalf("linkSlots %d: want one problem on linkSlots, got %v", c.max+1, ps)
			}
			if !strings.Contains(ps[0].Rule, c.binding) || !strings.Contains(ps[0].Fix, c.fixNames) {
				t.Errorf("message %q does not cite %q / fix %q", ps[0].String(), c.binding, c.fixNames)
			}
		})
	}
}

// TestBothBudgetsAtOnce: a linkSlots over both budgets names both (every problem at once).
func TestBothBudgetsAtOnce(t *testing.T) {
	ps := Validate(validSpec(17, "paired", "VpnGw1AZ"))
	if len(ps) != 2 {
		t.Fatalf("want the tunnel and the APIPA budget, got %v", ps)
	}
	if !strings.Contains(ps[0].Rule, "68 S2S tunnels exceed the 30") || !strings.Contains(ps[1].Rule, "34 custom APIPA") {
		t.Errorf("got %v", ps)
	}
}

// TestSlotsAreTheLinksBlocks: slot s holds exactly the /30s bgpSessionBlock s gives a link of the slot
// topology, and the gateway's instances carry every slot's Azure addresses, instance by instance.
func TestSlotsAreTheLinksBlocks(t *testing.T) {
	for _, topo := range linkplan.Topologies {
		t.Run(string(topo), func(t *testing.T) {
			n := MaxSlots(topo, "VpnGw4AZ")
			p, err := Build(validSpec(n, string(topo), "VpnGw4AZ"))
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Slots) != n {
				t.Fatalf("%d slots, want %d", len(p.Slots), n)
			}
			carried := map[int][]string{}
			for _, inst := range p.Gateway.Instances {
				for _, ip := range inst.CustomBgpIps {
					carried[inst.Index] = append(carried[inst.Index], ip.String())
				}
			}
			total := 0
			for s, slot := range p.Slots {
				link := linkPlan(t, topo, s)
				if slot.Index != s || fmt.Sprint(slot.Ranges()) != fmt.Sprint(rangesOf(link)) {
					t.Errorf("slot %d: %v, the link on block %d plans %v", s, slot.Ranges(), s, rangesOf(link))
				}
				for k, tun := range slot.Tunnels {
					lt := link.Tunnels[k]
					if tun.AzureInstance != lt.AzureInstance || tun.AzureIp != lt.Session.AzureIp || tun.GcpIp != lt.Session.GcpIp {
						t.Errorf("slot %d tunnel %d: %+v, link plans %+v", s, k, tun, lt.Session)
					}
					if !slices.Contains(carried[tun.AzureInstance], tun.AzureIp.String()) {
						t.Errorf("instance %d does not carry %s", tun.AzureInstance, tun.AzureIp)
					}
					total++
				}
			}
			if got := len(carried[0]) + len(carried[1]); got != total || got != p.Capacity.ApipaUsed {
				t.Errorf("the gateway carries %d addresses, the slots use %d, capacity says %d", got, total, p.Capacity.ApipaUsed)
			}
		})
	}
}

// TestOneSlotHubIsTheLinksGateway: a one-slot hub of a link's topology carries exactly the APIPA
// addresses that link's own gateway carries, in the same order (what a migration without update needs).
func TestOneSlotHubIsTheLinksGateway(t *testing.T) {
	for _, topo := range linkplan.Topologies {
		p, err := Build(validSpec(1, string(topo), ""))
		if err != nil {
			t.Fatal(err)
		}
		link := linkPlan(t, topo, 0)
		for n, inst := range p.Gateway.Instances {
			if fmt.Sprint(inst.CustomBgpIps) != fmt.Sprint(link.Azure.Instances[n].CustomBgpIps) || inst.IpConfigName != link.Azure.Instances[n].IpConfigName {
				t.Errorf("%s instance %d: hub %+v, link %+v", topo, n, inst, link.Azure.Instances[n])
			}
		}
	}
}

// TestCapacity: the figures a hub reports, by hand.
func TestCapacity(t *testing.T) {
	spec := validSpec(5, "paired", "VpnGw1AZ")
	spec.Spokes = []linkplan.SpokeSpec{{Name: "a", Slot: 0, Asn: 65001}, {Name: "b", Slot: 3, Asn: 65002}}
	p, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	want := Capacity{TunnelLimit: 30, TunnelsPerSlot: 4, TunnelsReserved: 20, TunnelsLeft: 10,
		ApipaLimit: 32, ApipaPerSlot: 2, ApipaUsed: 10, ApipaLeft: 22,
		Slots: 5, SlotsRegistered: 2, SlotsFree: 3, MaxSlots: 7, BgpRouteLimit: 4000}
	if p.Capacity != want {
		t.Errorf("capacity = %+v\nwant       %+v", p.Capacity, want)
	}
	if p.Slots[3].Spoke != "b" || p.Slots[1].Spoke != "" {
		t.Errorf("registered spokes on slots: %+v", p.Slots)
	}
	if p.Gateway.Name != "hub-vgw" || p.Gateway.ResourceName != "hub-vgw" || p.Gateway.Asn != 65515 || p.Gateway.Sku != "VpnGw1AZ" {
		t.Errorf("gateway = %+v", p.Gateway)
	}
}

// TestSpokeRegistry: every problem of the registry at once, each naming the field, and the shared-ASN warning.
func TestSpokeRegistry(t *testing.T) {
	spec := validSpec(3, "paired", "VpnGw1AZ")
	spec.Spokes = []linkplan.SpokeSpec{
		{Name: "a", Slot: 0, Asn: 65001},
		{Name: "a", Slot: 1, Asn: 65002}, // name twice
		{Name: "c", Slot: 0, Asn: 65003}, // slot twice
		{Name: "d", Slot: 3, Asn: 65004}, // outside the hub
		{Name: "", Slot: 2, Asn: 65515},  // no name; the hub's ASN (also Azure-reserved)
		{Name: "f", Slot: 2, Asn: 100},   // public ASN
	}
	var got []string
	for _, p := range Validate(spec) {
		got = append(got, p.Field)
	}
	want := []string{"spokes[1].name", "spokes[2].slot", "spokes[3].slot", "spokes[4].name", "spokes[4].asn", "spokes[5].slot", "spokes[5].asn"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fields = %v\nwant     %v", got, want)
	}

	// The hub's own ASN, not Azure-reserved: refused as eBGP needs two.
	spec = validSpec(3, "paired", "VpnGw1AZ")
	spec.Asn = ptr(int64(65010))
	spec.Spokes = []linkplan.SpokeSpec{{Name: "a", Slot: 0, Asn: 65010}}
	ps := Validate(spec)
	if len(ps) != 1 || ps[0].Field != "spokes[0].asn" || !strings.Contains(ps[0].Rule, "eBGP") {
		t.Errorf("hub ASN on a spoke: %v", ps)
	}

	spec = validSpec(3, "paired", "VpnGw1AZ")
	spec.Spokes = []linkplan.SpokeSpec{{Name: "a", Slot: 0, Asn: 65001}, {Name: "b", Slot: 1, Asn: 65002}, {Name: "c", Slot: 2, Asn: 65001}}
	p, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 {
		t.Fatalf("warnings = %q", p.Warnings)
	}
	for _, w := range []string{`["a" "c"]`, "65001", "re-advertises", "loop prevention", "VPN Gateway FAQ", "will not learn each other's routes"} {
		if !strings.Contains(p.Warnings[0], w) {
			t.Errorf("warning %q does not say %q", p.Warnings[0], w)
		}
	}
}

// TestInvalidHubArguments: the gateway arguments are checked like a link's, under the hub's field names.
func TestInvalidHubArguments(t *testing.T) {
	spec := Spec{Name: "Hub_1", ResourceGroupName: ptr(""), Location: ptr(""), GatewaySubnetId: ptr(strings.Replace(subnetID, "GatewaySubnet", "default", 1)),
		Asn: ptr(int64(65517)), Sku: "VpnGw1", Zones: []string{"4"}, GatewayName: "-bad", SlotTopology: "mesh", AdoptGatewayFrom: "Bad_Link"}
	var got []string
	for _, p := range Validate(spec) {
		got = append(got, p.Field)
		if strings.Contains(p.Fix, "azure.") {
			t.Errorf("%s: the fix names a link argument: %s", p.Field, p.Fix)
		}
	}
	want := []string{"name", "resourceGroupName", "location", "gatewaySubnetId", "asn", "sku", "zones[0]", "gatewayName", "adoptGatewayFrom", "slotTopology"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fields = %v\nwant     %v", got, want)
	}
	if ps := Validate(Spec{Name: "hub", ResourceGroupName: ptr("rg"), Location: ptr("x"), GatewaySubnetId: ptr(subnetID)}); len(ps) != 1 || ps[0].Field != "linkSlots" {
		t.Errorf("no linkSlots: %v", ps)
	}
	if ps := Validate(validSpec(0, "", "")); len(ps) != 1 || ps[0].Field != "linkSlots" {
		t.Errorf("linkSlots 0: %v", ps)
	}
}

// TestRefIsWhatALinkReads: the hub object a link receives names the hub's slots, ASN and gateway.
func TestRefIsWhatALinkReads(t *testing.T) {
	spec := validSpec(2, "dualGateway", "VpnGw2AZ")
	spec.GatewayName = "shared-vgw"
	spec.Spokes = []linkplan.SpokeSpec{{Name: "a", Slot: 1, Asn: 65001}}
	p, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	r := p.Ref([]string{"20.0.0.1", "20.0.0.2"})
	if r.Name != "hub" || r.GatewayName != "shared-vgw" || r.Asn != 65515 || r.Sku != "VpnGw2AZ" || r.SlotTopology != "dualGateway" || r.LinkSlots != 2 {
		t.Errorf("ref = %+v", r)
	}
	if fmt.Sprint(r.Slots[1].BgpSessionRanges) != "[169.254.21.8/30 169.254.22.8/30 169.254.21.12/30 169.254.22.12/30]" {
		t.Errorf("slot 1 = %v", r.Slots[1])
	}
	if len(r.Spokes) != 1 || r.Spokes[0].Name != "a" {
		t.Errorf("spokes = %v", r.Spokes)
	}
}

func linkPlan(t *testing.T, topo linkplan.Topology, block int) *linkplan.Plan {
	t.Helper()
	p, err := linkplan.Build(linkplan.Spec{
		Name: "link", Topology: string(topo), SharedSecret: ptr("0123456789abcdef0123"), BgpSessionBlock: &block,
		Gcp:   linkplan.GcpSpec{Region: ptr("r"), Network: ptr("n")},
		Azure: linkplan.AzureSpec{ResourceGroupName: ptr("rg"), Location: ptr("l"), GatewaySubnetId: ptr(subnetID), AddressPrefixes: []string{"10.1.0.0/16"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func rangesOf(p *linkplan.Plan) []string {
	var out []string
	for _, t := range p.Tunnels {
		out = append(out, t.Session.Range.String())
	}
	return out
}
