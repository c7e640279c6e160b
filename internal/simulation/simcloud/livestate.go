package simcloud

import (
	"net/netip"
	"slices"
	"strings"
)

// LiveState is what the simulated clouds would report about the deployed resources while they run:
// each Google tunnel and Cloud Router BGP peer, each Azure connection, and the BGP peers each Azure
// gateway instance sees. It derives from the session report (live faults applied); the simulated
// read APIs (statusapi) serve it in the real APIs' shapes.
type LiveState struct {
	Routers     []*Record
	Gateways    []*Record // Azure virtual network gateways
	Tunnels     []LiveTunnel
	RouterPeers []LiveRouterPeer
	Connections []LiveConnection
	AzurePeers  []LiveAzurePeer
}

// LiveTunnel is one Google VPN tunnel and its session.
type LiveTunnel struct {
	Record  *Record
	Session Session
}

// IpsecUp reports whether the tunnel's IPsec is up.
func (t LiveTunnel) IpsecUp() bool { return t.Session.Ipsec == IpsecUp }

// LiveRouterPeer is one Cloud Router BGP peer and the session of the tunnel its interface is bound to.
type LiveRouterPeer struct {
	Router, Peer *Record
	Tunnel       *Record  // nil when the peer's interface has no tunnel
	Session      *Session // nil when there is no tunnel
	// LearnedRoutes is what Azure advertises on an established session: its VNet's address prefixes.
	LearnedRoutes int
}

// Established reports whether the peer's BGP session is up.
func (p LiveRouterPeer) Established() bool {
	return p.Session != nil && p.Session.Bgp == BgpEstablished
}

// LiveConnection is one Azure connection: connected when the session of its own instance has IPsec up.
// The docs list connectionStatus's values (Unknown, Connecting, Connected, NotConnected: azure-rest-api-specs
// network 2023-02-01 VirtualNetworkGatewayConnectionStatus) but not which one a half-up active-active
// connection or a failing handshake shows; simcloud answers NotConnected, the less convenient reading.
type LiveConnection struct {
	Record    *Record
	Connected bool
}

// LiveAzurePeer is one BGP peer as one Azure gateway instance sees it: every BGP connection of the
// gateway is tried from both instances; only the instance a Google tunnel accepts can connect.
// Source: Azure about-active-active gateways (a connection brings up a tunnel from each instance).
type LiveAzurePeer struct {
	Gateway      *Record
	IpConfig     string // the instance's ipConfiguration name
	LocalAddress string // the instance's default BGP address
	Neighbor     string // the local network gateway's BGP address (the Cloud Router)
	Asn          float64
	Connected    bool
	// RoutesReceived is what the Cloud Router advertises: its region's subnets (all regions with GLOBAL
	// routing) plus custom ranges. Source: Google VPC docs (dynamic routing mode).
	RoutesReceived int
}

// Live computes the live state of a simulated world.
func Live(st *State) *LiveState {
	rep := BuildReport(st)
	bySession := map[string]*Session{}
	for k := range rep.Sessions {
		bySession[rep.Sessions[k].Tunnel] = &rep.Sessions[k]
	}
	ls := &LiveState{Routers: st.OfType(gcpRouter), Gateways: st.OfType(azureGateway)}
	for _, t := range st.OfType(gcpTunnel) {
		if s, ok := bySession[t.Physical()]; ok {
			ls.Tunnels = append(ls.Tunnels, LiveTunnel{Record: t, Session: *s})
		}
	}
	ls.RouterPeers = routerPeers(st, bySession)
	for _, c := range st.OfType(azureConnection) {
		lc := LiveConnection{Record: c}
		for _, s := range rep.Sessions {
			lc.Connected = lc.Connected || (s.AzureConn == c.Physical() && s.Ipsec == IpsecUp)
		}
		ls.Connections = append(ls.Connections, lc)
	}
	ls.AzurePeers = azurePeers(st, rep)
	return ls
}

func routerPeers(st *State, bySession map[string]*Session) []LiveRouterPeer {
	var out []LiveRouterPeer
	for _, p := range st.OfType(gcpRouterPeer) {
		router := resolveGcp(st, gcpRouter, strOr(p.Inputs, "router", ""), strOr(p.Outputs, "region", ""))
		if router == nil {
			continue
		}
		lp := LiveRouterPeer{Router: router, Peer: p}
		if iface := routerInterfaceOf(st, router, strOr(p.Inputs, "interface", "")); iface != nil {
			lp.Tunnel = resolveGcp(st, gcpTunnel, strOr(iface.Inputs, "vpnTunnel", ""), strOr(iface.Outputs, "region", ""))
		}
		if lp.Tunnel != nil {
			lp.Session = bySession[lp.Tunnel.Physical()]
		}
		if lp.Established() {
			lp.LearnedRoutes = azureAdvertised(st, lp.Session)
		}
		out = append(out, lp)
	}
	return out
}

// azurePeers lists, per Azure gateway instance that is not down, one peer per BGP connection.
func azurePeers(st *State, rep *Report) []LiveAzurePeer {
	var out []LiveAzurePeer
	for _, gw := range st.OfType(azureGateway) {
		for n, cfg := range objects(gw.Inputs, "ipConfigurations") {
			name := strOr(cfg, "name", "")
			if st.InstanceDown(gw.Physical(), name) {
				continue // a down instance answers for no peer: the docs are silent; absence is the less convenient reading for havpn status
			}
			for _, c := range connectionsOf(st, gw.ID) {
				lngID, _ := refID(c.Inputs, "localNetworkGateway2")
				lng := st.Get(lngID)
				if lng == nil || !isTrue(c.Inputs, "enableBgp") {
					continue
				}
				lngBgp, _ := sub(lng.Inputs, "bgpSettings")
				asn, _ := num(lngBgp, "asn")
				p := LiveAzurePeer{Gateway: gw, IpConfig: name, LocalAddress: defaultBgpIp(st, cfg, n),
					Neighbor: strOr(lngBgp, "bgpPeeringAddress", ""), Asn: asn}
				for _, s := range rep.Sessions {
					if s.AzureConn == c.Physical() && s.AzureInstance == gw.Physical()+"/"+name && s.Bgp == BgpEstablished {
						p.Connected = true
						p.RoutesReceived = googleAdvertised(st, s)
					}
				}
				out = append(out, p)
			}
		}
	}
	return out
}

// azureAdvertised counts the address prefixes of the VNet whose gateway carries the session. Not
// modelled: a hub gateway also re-advertises what it learns from its other spokes (Azure VPN Gateway
// FAQ, transit), so in a hub world the real count is higher; havpn status reports the count, not a verdict on it.
func azureAdvertised(st *State, s *Session) int {
	gwName, _, _ := strings.Cut(s.AzureInstance, "/")
	for _, gw := range st.OfType(azureGateway) {
		if gw.Physical() != gwName {
			continue
		}
		for _, cfg := range objects(gw.Inputs, "ipConfigurations") {
			subnetID, _ := refID(cfg, "subnet")
			vnetID, _, _ := strings.Cut(subnetID, "/subnets/")
			if vnet := st.Get(vnetID); vnet != nil {
				space, _ := sub(vnet.Inputs, "addressSpace")
				return len(stringsOf(space, "addressPrefixes"))
			}
		}
	}
	return 0
}

// googleAdvertised counts what the tunnel's Cloud Router advertises: the subnets of its VPC in its
// region (every region when the VPC's routing mode is GLOBAL), plus custom ranges with CUSTOM mode.
func googleAdvertised(st *State, s Session) int {
	var tunnel *Record
	for _, t := range st.OfType(gcpTunnel) {
		if t.Physical() == s.Tunnel {
			tunnel = t
		}
	}
	if tunnel == nil {
		return 0
	}
	region := strOr(tunnel.Outputs, "region", "")
	router := resolveGcp(st, gcpRouter, strOr(tunnel.Inputs, "router", ""), region)
	if router == nil {
		return 0
	}
	vpc := networkKey(st, strOr(router.Inputs, "network", ""))
	global := false
	if n := st.Get(vpc); n != nil {
		global = strOr(n.Inputs, "routingMode", "REGIONAL") == "GLOBAL"
	}
	bgp, _ := sub(router.Inputs, "bgp")
	custom := strOr(bgp, "advertiseMode", "DEFAULT") == "CUSTOM"
	count := 0
	for _, sn := range st.OfType(gcpSubnetwork) {
		if networkKey(st, strOr(sn.Inputs, "network", "")) == vpc && (global || strOr(sn.Outputs, "region", "") == region) {
			count++
		}
	}
	if custom && !slices.Contains(stringsOf(bgp, "advertisedGroups"), "ALL_SUBNETS") {
		count = 0
	}
	if custom {
		for _, r := range objects(bgp, "advertisedIpRanges") {
			if _, err := netip.ParsePrefix(strOr(r, "range", "")); err == nil {
				count++
			}
		}
	}
	return count
}
