package analysis

import (
	"fmt"
	"net/netip"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// CheckWiring verifies the invariants every plan must hold, independently of how it was computed,
// and returns one error per broken invariant.
func CheckWiring(p *linkplan.Plan) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if want := p.Topology.TunnelCount(); len(p.Tunnels) != want {
		fail("topology %s has %d tunnels, want %d", p.Topology, len(p.Tunnels), want)
	}
	if p.Gcp.Asn == p.Azure.Asn {
		fail("both sides use ASN %d; eBGP needs two", p.Gcp.Asn)
	}
	ranges := map[netip.Prefix]string{}
	ifaces := map[linkplan.GcpInterface]string{}
	names := map[string]string{}
	for _, t := range p.Tunnels {
		checkSession(t, fail)
		if prev, dup := ranges[t.Session.Range.Masked()]; dup {
			fail("%s and %s share the /30 %s", prev, t.Name, t.Session.Range)
		}
		ranges[t.Session.Range.Masked()] = t.Name
		if prev, dup := ifaces[t.GcpInterface]; dup {
			fail("%s and %s both start at %s: one tunnel per HA VPN interface and peer", prev, t.Name, t.GcpInterface.FailureDomain())
		}
		ifaces[t.GcpInterface] = t.Name
		if t.GcpInterface.Interface != t.AzureInstance {
			fail("%s wires interface %d to Azure instance %d; interface I must reach instance I", t.Name, t.GcpInterface.Interface, t.AzureInstance)
		}
		for _, n := range []string{t.Name, t.RouterInterfaceName, t.BgpPeerName, t.LocalNetworkGatewayName, t.ConnectionName} {
			if prev, dup := names[n]; dup {
				fail("name %q is used by %s and %s", n, prev, t.Name)
			}
			names[n] = t.Name
		}
		checkConnectionIps(p, t, fail)
	}
	for _, i := range p.GcpInterfaces() {
		if _, ok := ifaces[i]; !ok {
			fail("%s has no tunnel: the 99.99%% SLA needs a tunnel from every HA VPN interface", i.FailureDomain())
		}
	}
	checkInstances(p, fail)
	return errs
}

// checkSession: the /30 lies inside Azure's APIPA window (on either instance: the default allocation's
// per-instance /24 is a choice, not a rule); Azure is the first host, Google the second.
func checkSession(t linkplan.Tunnel, fail func(string, ...any)) {
	s := t.Session
	if s.Range.Bits() != 30 || s.Range.Masked() != s.Range {
		fail("%s: %s is not a canonical /30", t.Name, s.Range)
		return
	}
	if !cloudrules.AzureApipaWindow.ContainsPrefix(s.Range) {
		fail("%s: %s is outside Azure's APIPA window %s", t.Name, s.Range, cloudrules.AzureApipaWindow)
	}
	if !cloudrules.AzureApipaWindow.Contains(s.AzureIp) || !cloudrules.AzureApipaWindow.Contains(s.GcpIp) {
		fail("%s: BGP addresses %s/%s outside Azure's APIPA window", t.Name, s.AzureIp, s.GcpIp)
	}
	if first := s.Range.Addr().Next(); s.AzureIp != first || s.GcpIp != first.Next() {
		fail("%s: in %s Azure must be %s and Google %s, got %s and %s", t.Name, s.Range, first, first.Next(), s.AzureIp, s.GcpIp)
	}
	if s.GcpAsn == s.AzureAsn {
		fail("%s: both BGP ends use ASN %d", t.Name, s.GcpAsn)
	}
}

// checkConnectionIps: each connection names, for both instances, an APIPA address that instance carries;
// the tunnel's own instance uses the tunnel's address.
func checkConnectionIps(p *linkplan.Plan, t linkplan.Tunnel, fail func(string, ...any)) {
	if len(t.ConnectionBgpIps) != len(p.Azure.Instances) {
		fail("%s: connection lists %d custom BGP addresses, want one per Azure instance (%d)", t.Name, len(t.ConnectionBgpIps), len(p.Azure.Instances))
		return
	}
	for n, ip := range t.ConnectionBgpIps {
		if !contains(p.Azure.Instances[n].CustomBgpIps, ip) {
			fail("%s: instance %d uses %s on the connection but does not carry it", t.Name, n, ip)
		}
	}
	if t.AzureInstance < 0 || t.AzureInstance >= len(t.ConnectionBgpIps) {
		fail("%s: ends on Azure instance %d, which does not exist", t.Name, t.AzureInstance)
		return
	}
	if t.ConnectionBgpIps[t.AzureInstance] != t.Session.AzureIp {
		fail("%s: instance %d must use %s on its own connection", t.Name, t.AzureInstance, t.Session.AzureIp)
	}
}

// checkInstances: every tunnel's Azure address is carried by its instance, and no address is carried twice.
func checkInstances(p *linkplan.Plan, fail func(string, ...any)) {
	seen := map[netip.Addr]int{}
	for _, inst := range p.Azure.Instances {
		for _, ip := range inst.CustomBgpIps {
			if prev, dup := seen[ip]; dup {
				fail("APIPA %s is carried by instances %d and %d", ip, prev, inst.Index)
			}
			seen[ip] = inst.Index
		}
	}
	for _, t := range p.Tunnels {
		if n, ok := seen[t.Session.AzureIp]; !ok || n != t.AzureInstance {
			fail("%s: Azure instance %d does not carry %s", t.Name, t.AzureInstance, t.Session.AzureIp)
		}
	}
}

func contains(ips []netip.Addr, ip netip.Addr) bool {
	for _, x := range ips {
		if x == ip {
			return true
		}
	}
	return false
}
