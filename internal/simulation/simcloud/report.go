package simcloud

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// ReportNote says what the report is about.
const ReportNote = "simcloud: simulated clouds, not real Google Cloud or Azure"

// Session states.
const (
	IpsecUp        = "up"
	IpsecDown      = "down"
	BgpEstablished = "Established"
	BgpDown        = "Down"
)

// Report is sessions.json: what the rendered resources would bring up, tunnel by tunnel. It is an
// independent check of the wiring: it reads only what the simulated clouds hold.
type Report struct {
	Simulated   bool      `json:"simulated"`
	Note        string    `json:"note"`
	Sessions    []Session `json:"sessions"`
	Established int       `json:"established"`
	HalfWired   int       `json:"halfWired"`
	// Interrupted counts the sessions down only because an update or delete is working on a resource
	// they run through.
	Interrupted     int       `json:"interrupted"`
	AzureConnecting int       `json:"azureConnecting"`
	Connecting      []Attempt `json:"connecting"`
}

// Session is one Google tunnel and what it meets on the Azure side.
type Session struct {
	Tunnel         string   `json:"tunnel"`      // the tunnel's Google name
	LogicalName    string   `json:"logicalName"` // its Pulumi name
	GcpInterfaceIp string   `json:"gcpInterfaceIp"`
	AzureInstance  string   `json:"azureInstance"` // gateway/ipConfiguration
	AzurePublicIp  string   `json:"azurePublicIp"`
	AzureConn      string   `json:"azureConnection"`
	GcpBgpIp       string   `json:"gcpBgpIp"`
	AzureBgpIp     string   `json:"azureBgpIp"`
	Ipsec          string   `json:"ipsec"`
	Bgp            string   `json:"bgp"`
	Reasons        []string `json:"reasons"`
	Interrupted    bool     `json:"interrupted,omitempty"`
	Cause          string   `json:"cause,omitempty"` // why the session is not established, one of the Cause* values

	counterpart bool // an Azure instance and connection answer this tunnel
}

// Attempt is one Azure instance trying to reach a Google interface that no tunnel accepts from it.
type Attempt struct {
	Connection     string `json:"azureConnection"`
	AzureInstance  string `json:"azureInstance"`
	AzurePublicIp  string `json:"azurePublicIp"`
	GcpInterfaceIp string `json:"gcpInterfaceIp"`
}

// BuildReport evaluates every Google tunnel in the state, then the Azure attempts no tunnel answers.
func BuildReport(st *State) *Report {
	rep := &Report{Simulated: true, Note: ReportNote, Sessions: []Session{}, Connecting: []Attempt{}}
	for _, t := range st.OfType(gcpTunnel) {
		s := evalSession(st, t)
		applyLiveFaults(st, &s)
		rep.Sessions = append(rep.Sessions, s)
		switch {
		case s.Bgp == BgpEstablished:
			rep.Established++
		case s.Interrupted:
			rep.Interrupted++
		case s.Ipsec == IpsecUp || !s.counterpart:
			rep.HalfWired++
		}
	}
	sort.SliceStable(rep.Sessions, func(i, j int) bool { return rep.Sessions[i].Tunnel < rep.Sessions[j].Tunnel })
	rep.Connecting = azureAttempts(st, rep.Sessions)
	rep.AzureConnecting = len(rep.Connecting)
	return rep
}

// EstablishedTunnels lists the Google tunnels whose BGP session is established.
func (r *Report) EstablishedTunnels() []string {
	out := []string{}
	for _, s := range r.Sessions {
		if s.Bgp == BgpEstablished {
			out = append(out, s.Tunnel)
		}
	}
	return out
}

// sessionEval walks from one tunnel to its Azure counterpart and checks each layer.
type sessionEval struct {
	st                     *State
	s                      Session
	tunnel, gw, conn, lng  *Record
	instanceID, configName string
	path                   []*Record // every resource the session runs through, as found
}

// on records resources the session runs through (nil ones are skipped).
func (e *sessionEval) on(rs ...*Record) {
	for _, r := range rs {
		if r != nil {
			e.path = append(e.path, r)
		}
	}
}

// interrupted takes a session down while an update or delete works on a resource it runs through
// (State.InFlight; which updates interrupt: cloudrules.UpdateDisruption).
func (e *sessionEval) interrupted() {
	for _, r := range e.path {
		op, busy := e.st.InFlight[r.ID]
		if !busy {
			continue
		}
		why := "the resource is being deleted"
		if op == OpUpdate {
			why = "an update interrupts it: " + cloudrules.UpdateDisrupts(r.Type).Source
		}
		e.reason("interrupted: %s %s is in flight (%s; simulated)", r.Type, r.Physical(), why)
		e.s.Interrupted = true
	}
	if e.s.Interrupted {
		e.s.Ipsec, e.s.Bgp = IpsecDown, BgpDown
		e.s.Cause = CauseInterrupted
	}
}

func (e *sessionEval) reason(format string, args ...any) {
	e.s.Reasons = append(e.s.Reasons, fmt.Sprintf(format, args...))
}

func evalSession(st *State, t *Record) Session {
	e := &sessionEval{st: st, tunnel: t, s: Session{Tunnel: t.Physical(), LogicalName: t.Name, Ipsec: IpsecDown, Bgp: BgpDown, Reasons: []string{}}}
	if !e.locate() {
		e.because(CauseNotWired)
		return e.s
	}
	e.s.counterpart = true
	if e.ipsec() {
		e.s.Ipsec = IpsecUp
		if e.bgp() {
			e.s.Bgp = BgpEstablished
		} else {
			e.because(CauseBgpMismatch)
		}
	}
	e.interrupted()
	return e.s
}

// locate finds the Google interface and peer addresses, the Azure instance owning the peer address and
// the connection on that gateway whose LNG names the Google interface.
func (e *sessionEval) locate() bool {
	t, region := e.tunnel, strOr(e.tunnel.Outputs, "region", "")
	ha := resolveGcp(e.st, gcpHaGateway, strOr(t.Inputs, "vpnGateway", ""), region)
	ext := resolveGcp(e.st, gcpExternalGateway, strOr(t.Inputs, "peerExternalGateway", ""), "")
	ifn, _ := num(t.Inputs, "vpnGatewayInterface")
	pfn, _ := num(t.Inputs, "peerExternalGatewayInterface")
	e.on(t, ha, ext)
	if ha != nil {
		e.s.GcpInterfaceIp = haInterfaceIp(ha, ifn)
	}
	if ext != nil {
		e.s.AzurePublicIp = externalInterfaceIp(ext, pfn)
	}
	if e.s.GcpInterfaceIp == "" || e.s.AzurePublicIp == "" {
		e.reason("tunnel %s: HA VPN interface %v or external gateway interface %v not found", t.Physical(), ifn, pfn)
		return false
	}
	if !e.findInstance() {
		e.reason("no Azure gateway instance has public IP %s (external gateway interface %v)", e.s.AzurePublicIp, pfn)
		return false
	}
	if !e.findConnection() {
		e.reason("no connection on Azure gateway %s has a local network gateway with address %s (this Google interface)", e.gw.Physical(), e.s.GcpInterfaceIp)
		return false
	}
	return true
}

// findInstance finds the Azure gateway ipConfiguration whose public IP is the tunnel's peer address.
func (e *sessionEval) findInstance() bool {
	for _, gw := range e.st.OfType(azureGateway) {
		for _, cfg := range objects(gw.Inputs, "ipConfigurations") {
			if publicIpOf(e.st, cfg) == e.s.AzurePublicIp {
				e.gw, e.configName = gw, strOr(cfg, "name", "")
				e.on(gw, publicIpRecord(e.st, cfg))
				e.instanceID = cloudrules.AzureIpConfigurationID(gw.ID, e.configName)
				e.s.AzureInstance = gw.Physical() + "/" + e.configName
				return true
			}
		}
	}
	return false
}

// findConnection finds the gateway's connection to the LNG holding the Google interface address.
func (e *sessionEval) findConnection() bool {
	for _, c := range connectionsOf(e.st, e.gw.ID) {
		id, _ := refID(c.Inputs, "localNetworkGateway2")
		if lng := e.st.Get(id); lng != nil && strOr(lng.Inputs, "gatewayIpAddress", "") == e.s.GcpInterfaceIp {
			e.conn, e.lng = c, lng
			e.on(c, lng)
			e.s.AzureConn = c.Physical()
			return true
		}
	}
	return false
}

// ipsec checks IKE version, pre-shared key and that Google accepts the connection's IPsec policy.
// Source: Google "Supported IKE ciphers" (PFS required) and Azure IPsec/IKE policy docs.
func (e *sessionEval) ipsec() bool {
	n := len(e.s.Reasons)
	t, c := e.tunnel, e.conn
	if v := strOr(c.Inputs, "connectionType", "IPsec"); v != "IPsec" {
		e.reason("connection %s is %s, not IPsec", c.Physical(), v)
		e.because(CauseIkeMismatch)
	}
	ike, _ := num(t.Inputs, "ikeVersion")
	if ike == 0 {
		ike = 2
	}
	if proto := strOr(c.Inputs, "connectionProtocol", "IKEv2"); ike != 2 || proto != "IKEv2" {
		e.reason("IKE versions differ: tunnel ikeVersion %v, connection %s %s", ike, c.Physical(), proto)
		e.because(CauseIkeMismatch)
	}
	if strOr(t.Inputs, "sharedSecret", "") != strOr(c.Inputs, "sharedKey", "\x00") {
		e.reason("pre-shared key of tunnel %s differs from sharedKey of connection %s", t.Physical(), c.Physical())
		e.because(CausePskMismatch)
	}
	e.policy()
	return len(e.s.Reasons) == n
}

// policy checks the connection's IPsec policy against what Google Cloud accepts (cloudrules.IpsecAlgorithms).
func (e *sessionEval) policy() {
	policies := objects(e.conn.Inputs, "ipsecPolicies")
	if len(policies) == 0 {
		e.reason("connection %s has no ipsecPolicies: as initiator Azure offers no PFS by default, Google Cloud requires PFS", e.conn.Physical())
		e.because(CauseProposalMismatch)
		return
	}
	for _, field := range []string{"ikeEncryption", "ikeIntegrity", "dhGroup", "ipsecEncryption", "ipsecIntegrity", "pfsGroup"} {
		v := strOr(policies[0], field, "")
		if a, ok := algorithm(field, v); !ok || !a.Allowed {
			why := a.Why
			if !ok {
				why = "not an Azure value"
			}
			e.reason("connection %s ipsecPolicies %s %q is not accepted by Google Cloud: %s", e.conn.Physical(), field, v, why)
			e.because(CauseProposalMismatch)
		}
	}
}

// bgp checks the Cloud Router side (interface, peer) against the Azure side (connection address, LNG, ASNs).
// Source: Google tutorial (a /30 per session, Azure first host, Google second), Azure bgp-howto, Azure VPN gateway FAQ (eBGP).
func (e *sessionEval) bgp() bool {
	n := len(e.s.Reasons)
	if !isTrue(e.conn.Inputs, "enableBgp") {
		e.reason("connection %s does not have enableBgp", e.conn.Physical())
	}
	if !isTrue(e.gw.Inputs, "enableBgp") {
		e.reason("Azure gateway %s does not have enableBgp", e.gw.Physical())
	}
	router, iface, peer := e.routerSide()
	if peer == nil {
		return false
	}
	e.s.GcpBgpIp = strOr(peer.Outputs, "ipAddress", "")
	e.s.AzureBgpIp = e.azureBgpIp()
	e.addresses(iface, peer)
	e.asns(router, peer)
	return len(e.s.Reasons) == n
}

// routerSide finds the router interface bound to the tunnel and the BGP peer on it.
func (e *sessionEval) routerSide() (router, iface, peer *Record) {
	t := e.tunnel
	router = resolveGcp(e.st, gcpRouter, strOr(t.Inputs, "router", ""), strOr(t.Outputs, "region", ""))
	defer func() { e.on(router, iface, peer) }()
	for _, i := range e.st.OfType(gcpRouterInterface) {
		if r := resolveGcp(e.st, gcpTunnel, strOr(i.Inputs, "vpnTunnel", ""), strOr(i.Outputs, "region", "")); r != nil && r.ID == t.ID {
			iface = i
		}
	}
	if iface == nil {
		e.reason("no Cloud Router interface is bound to tunnel %s", t.Physical())
		return router, nil, nil
	}
	ir := resolveGcp(e.st, gcpRouter, strOr(iface.Inputs, "router", ""), strOr(iface.Outputs, "region", ""))
	if ir == nil || router == nil || ir.ID != router.ID {
		e.reason("router interface %s is not on the tunnel's Cloud Router", iface.Physical())
		return router, iface, nil
	}
	for _, p := range e.st.OfType(gcpRouterPeer) {
		pr := resolveGcp(e.st, gcpRouter, strOr(p.Inputs, "router", ""), strOr(p.Outputs, "region", ""))
		if pr != nil && pr.ID == router.ID && strOr(p.Inputs, "interface", "") == iface.Physical() {
			peer = p
		}
	}
	if peer == nil {
		e.reason("no BGP peer (RouterPeer) on router interface %s", iface.Physical())
	}
	return router, iface, peer
}

// azureBgpIp is the address the Azure instance speaks BGP from on this connection: its
// gatewayCustomBgpIpAddresses entry, else its only custom address, else its default BGP address.
func (e *sessionEval) azureBgpIp() string {
	for _, entry := range objects(e.conn.Inputs, "gatewayCustomBgpIpAddresses") {
		if strings.EqualFold(strOr(entry, "ipConfigurationId", ""), e.instanceID) {
			return strOr(entry, "customBgpIpAddress", "")
		}
	}
	bgp, _ := sub(e.gw.Outputs, "bgpSettings")
	for _, entry := range objects(bgp, "bgpPeeringAddresses") {
		if !strings.EqualFold(strOr(entry, "ipconfigurationId", ""), e.instanceID) {
			continue
		}
		if custom := stringsOf(entry, "customBgpIpAddresses"); len(custom) == 1 {
			return custom[0]
		}
		e.reason("connection %s lists no gatewayCustomBgpIpAddresses entry for %s, which has %d custom BGP addresses: it uses its default BGP address",
			e.conn.Physical(), e.s.AzureInstance, len(stringsOf(entry, "customBgpIpAddresses")))
		if def := stringsOf(entry, "defaultBgpIpAddresses"); len(def) > 0 {
			return def[0]
		}
	}
	return ""
}

// addresses checks both BGP addresses agree across the clouds and sit in the interface's /30 and the APIPA window.
func (e *sessionEval) addresses(iface, peer *Record) {
	want := strOr(peer.Inputs, "peerIpAddress", "")
	if e.s.AzureBgpIp != want {
		e.reason("Azure instance %s speaks BGP from %s on connection %s, but Cloud Router peer %s expects %s",
			e.s.AzureInstance, e.s.AzureBgpIp, e.conn.Physical(), peer.Physical(), want)
	}
	lngBgp, _ := sub(e.lng.Inputs, "bgpSettings")
	if got := strOr(lngBgp, "bgpPeeringAddress", ""); got != e.s.GcpBgpIp {
		e.reason("local network gateway %s expects the Cloud Router at %s, but peer %s uses %s", e.lng.Physical(), got, peer.Physical(), e.s.GcpBgpIp)
	}
	_, network, ok := slash30(strOr(iface.Inputs, "ipRange", ""))
	for _, side := range []struct{ who, ip string }{{"Cloud Router", e.s.GcpBgpIp}, {"Azure", e.s.AzureBgpIp}} {
		a, err := netip.ParseAddr(side.ip)
		switch {
		case err != nil:
			e.reason("%s BGP address %q is not an address", side.who, side.ip)
		case !ok || !usableHost(network, a):
			e.reason("%s BGP address %s is not a usable host of interface %s's /30 %s", side.who, a, iface.Physical(), network)
		case !cloudrules.AzureApipaWindow.Contains(a):
			e.reason("%s BGP address %s is outside Azure's APIPA window %s", side.who, a, cloudrules.AzureApipaWindow)
		}
	}
}

// asns checks each side's idea of the other's ASN, and that the two differ (eBGP).
func (e *sessionEval) asns(router, peer *Record) {
	routerBgp, _ := sub(router.Inputs, "bgp")
	gcpAsn, _ := num(routerBgp, "asn")
	gwBgp, _ := sub(e.gw.Outputs, "bgpSettings")
	azureAsn, ok := num(gwBgp, "asn")
	if !ok {
		azureAsn = cloudrules.DefaultAzureAsn
	}
	lngBgp, _ := sub(e.lng.Inputs, "bgpSettings")
	if lngAsn, _ := num(lngBgp, "asn"); lngAsn != gcpAsn {
		e.reason("local network gateway %s has ASN %v but Cloud Router %s uses %v", e.lng.Physical(), lngAsn, router.Physical(), gcpAsn)
	}
	if peerAsn, _ := num(peer.Inputs, "peerAsn"); peerAsn != azureAsn {
		e.reason("Cloud Router peer %s expects ASN %v but Azure gateway %s uses %v", peer.Physical(), peerAsn, e.gw.Physical(), azureAsn)
	}
	if gcpAsn == azureAsn {
		e.reason("both sides use ASN %v; eBGP needs different ASNs", gcpAsn)
	}
}

// azureAttempts lists, per BGP connection and gateway instance, the tunnels Azure brings up towards a Google
// interface that no Google tunnel accepts from that instance (each active-active connection tries from both).
// Source: Azure about-active-active gateways (a connection brings up a tunnel from each instance).
func azureAttempts(st *State, sessions []Session) []Attempt {
	accepted := map[string]bool{}
	for _, s := range sessions {
		accepted[s.GcpInterfaceIp+"|"+s.AzurePublicIp] = true
	}
	out := []Attempt{}
	for _, c := range st.OfType(azureConnection) {
		gwID, _ := refID(c.Inputs, "virtualNetworkGateway1")
		lngID, _ := refID(c.Inputs, "localNetworkGateway2")
		gw, lng := st.Get(gwID), st.Get(lngID)
		if gw == nil || lng == nil || !isTrue(c.Inputs, "enableBgp") {
			continue
		}
		gcpIp := strOr(lng.Inputs, "gatewayIpAddress", "")
		for _, cfg := range objects(gw.Inputs, "ipConfigurations") {
			pip := publicIpOf(st, cfg)
			if !accepted[gcpIp+"|"+pip] {
				out = append(out, Attempt{Connection: c.Physical(), AzureInstance: gw.Physical() + "/" + strOr(cfg, "name", ""), AzurePublicIp: pip, GcpInterfaceIp: gcpIp})
			}
		}
	}
	return out
}
