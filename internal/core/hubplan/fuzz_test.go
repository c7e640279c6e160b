package hubplan

import (
	"net/netip"
	"testing"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

var fuzzSkus = []string{"VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ", "VpnGw1", "Basic", ""}

// FuzzHub: every hub Validate accepts fits every budget, carries distinct APIPA addresses of the window,
// and every slot takes a link whose plan passes the wiring checks; whatever Validate refuses, Build refuses.
func FuzzHub(f *testing.F) {
	f.Add(3, false, uint8(0), int64(65515), uint8(2), int64(65001))
	f.Add(16, false, uint8(3), int64(65515), uint8(0), int64(65001))
	f.Add(8, true, uint8(4), int64(65010), uint8(9), int64(65010))
	f.Fuzz(func(t *testing.T, slots int, dual bool, sku uint8, asn int64, spokeSlot uint8, spokeAsn int64) {
		topo := linkplan.Paired
		if dual {
			topo = linkplan.DualGateway
		}
		spec := validSpec(slots, string(topo), fuzzSkus[int(sku)%len(fuzzSkus)])
		spec.Asn = &asn
		spec.Spokes = []linkplan.SpokeSpec{{Name: "s", Slot: int(spokeSlot), Asn: spokeAsn}}
		problems := Validate(spec)
		p, err := Build(spec)
		if len(problems) > 0 {
			if err == nil {
				t.Fatalf("Validate refused %v but Build succeeded", problems)
			}
			return
		}
		if err != nil {
			t.Fatalf("Validate accepted, Build failed: %v", err)
		}
		c := p.Capacity
		if c.TunnelsReserved > c.TunnelLimit || c.ApipaUsed > cloudrules.MaxCustomApipaAddresses || len(p.Slots) > c.MaxSlots {
			t.Fatalf("accepted over budget: %+v", c)
		}
		seen := map[netip.Addr]bool{}
		for _, inst := range p.Gateway.Instances {
			for _, ip := range inst.CustomBgpIps {
				if seen[ip] || !cloudrules.AzureApipaWindow.Contains(ip) {
					t.Fatalf("APIPA %s twice or outside the window", ip)
				}
				seen[ip] = true
			}
		}
		if len(seen) != c.ApipaUsed {
			t.Fatalf("%d addresses carried, capacity says %d", len(seen), c.ApipaUsed)
		}
		for _, slot := range p.Slots {
			link := linkOnSlot(t, p, slot.Index, spokeAsn)
			if errs := analysis.CheckWiring(link); len(errs) > 0 {
				t.Fatalf("slot %d: %v", slot.Index, errs)
			}
			for _, tun := range link.Tunnels {
				if !seen[tun.Session.AzureIp] {
					t.Fatalf("slot %d: the link's %s is not on the gateway", slot.Index, tun.Session.AzureIp)
				}
			}
		}
	})
}

// linkOnSlot plans a link on a hub slot, with a Cloud Router ASN the hub accepts (the registry's or another).
func linkOnSlot(t *testing.T, p *Plan, slot int, asn int64) *linkplan.Plan {
	t.Helper()
	gcpAsn := int64(cloudrules.DefaultGcpAsn)
	if gcpAsn == p.Gateway.Asn {
		gcpAsn--
	}
	spec := linkplan.Spec{
		Name: "link", Topology: string(p.SlotTopology), SharedSecret: ptr("0123456789abcdef0123"),
		Gcp: linkplan.GcpSpec{Region: ptr("r"), Network: ptr("n"), Asn: &gcpAsn},
		Azure: linkplan.AzureSpec{ResourceGroupName: ptr(""), Location: ptr(""), GatewaySubnetId: ptr(""), AddressPrefixes: []string{"10.1.0.0/16"},
			Hub: p.Ref([]string{"20.0.0.1", "20.0.0.2"}), HubSlot: &slot},
	}
	if name := p.Slots[slot].Spoke; name != "" {
		// A registered slot is taken by its spoke, with the registered ASN.
		*spec.Gcp.Asn, spec.Azure.HubSlot, spec.Azure.HubSpoke = asn, nil, name
	}
	link, err := linkplan.Build(spec)
	if err != nil {
		t.Fatalf("a link on slot %d of an accepted hub is refused: %v", slot, err)
	}
	return link
}
