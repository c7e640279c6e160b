package linkstatus

import (
	"fmt"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// Verdict is the link's health as the clouds report it.
type Verdict string

// Verdicts, from best to worst; Unreadable wins over the others when any read failed.
const (
	Healthy    Verdict = "healthy"    // every planned BGP session is established
	Degraded   Verdict = "degraded"   // the link carries traffic, something is down
	Down       Verdict = "down"       // no planned BGP session is established
	Unreadable Verdict = "unreadable" // a read failed: the API's error is in ReadErrors
)

// ExitCode is `havpn status`'s exit status for the verdict: 0 healthy, 1 degraded, 2 down, 3 could not read.
func (v Verdict) ExitCode() int {
	switch v {
	case Healthy:
		return 0
	case Degraded:
		return 1
	case Down:
		return 2
	}
	return 3
}

// NotReported marks a value the API answered without (the call itself succeeded).
const NotReported = "not reported"

// Report is the status of one link: the same content for the table and for --json.
type Report struct {
	Link          string         `json:"link"`
	Topology      string         `json:"topology"`
	Simulated     bool           `json:"simulated"` // the answers came from simcloud, not the real clouds
	Verdict       Verdict        `json:"verdict"`
	ExitCode      int            `json:"exitCode"`
	Established   int            `json:"bgpSessionsEstablished"`
	Planned       int            `json:"bgpSessionsPlanned"`
	Tunnels       []TunnelStatus `json:"tunnels"`
	ByDesign      []AzurePeer    `json:"azureConnectingByDesign"` // not faults, see ByDesignNote
	OtherPeers    []AzurePeer    `json:"otherAzurePeers"`         // the gateway's peers that are not this link's
	Survivability Survivability  `json:"survivability"`
	Diagnoses     []Diagnosis    `json:"diagnoses"`
	ReadErrors    []ReadError    `json:"readErrors"`
}

// TunnelStatus is one planned tunnel as both clouds report it.
type TunnelStatus struct {
	Name                  string `json:"name"`
	GcpInterface          string `json:"gcpInterface"`  // failure domain, e.g. gcp-gw0-if0
	AzureInstance         string `json:"azureInstance"` // failure domain, e.g. azure-inst0
	GcpTunnel             string `json:"gcpTunnel"`
	GcpTunnelStatus       string `json:"gcpTunnelStatus"`
	GcpTunnelDetail       string `json:"gcpTunnelDetail"`
	CloudRouterPeer       string `json:"cloudRouterPeer"`
	CloudRouterStatus     string `json:"cloudRouterStatus"` // UP, DOWN, UNKNOWN
	CloudRouterState      string `json:"cloudRouterState"`  // BGP state, e.g. Established
	LearnedRoutes         int64  `json:"learnedRoutes"`     // routes the Cloud Router learned on this session
	AzureConnection       string `json:"azureConnection"`
	AzureConnectionStatus string `json:"azureConnectionStatus"`
	AzureBgpState         string `json:"azureBgpState"` // from the Azure instance that carries the session
	AzureRoutesReceived   int64  `json:"azureRoutesReceived"`
	Established           bool   `json:"established"`
}

// AzurePeer is one BGP peer as one Azure gateway instance reports it.
type AzurePeer struct {
	AzureInstance string `json:"azureInstance"` // failure domain, "" when the local address is no instance's
	LocalAddress  string `json:"localAddress"`
	Neighbor      string `json:"neighbor"`
	Tunnel        string `json:"tunnel,omitempty"` // the planned tunnel whose Cloud Router address this is
	State         string `json:"state"`
}

// ByDesignNote explains the by-design list. Sources: docAzureActive (a connection brings up a tunnel
// from each instance) and docGcpAzureTut (each HA VPN interface's tunnel goes to one Azure instance).
const ByDesignNote = "an active-active Azure connection tries BGP from both instances, but the Google tunnel of that interface " +
	"accepts only one of them; these peers never connect, and that is expected"

// Survivability is what one more failure would do to the link as it stands.
type Survivability struct {
	CutBy   []string `json:"cutBy"` // single failure domains that would now leave no session up
	Summary string   `json:"summary"`
}

// Evaluate judges the link from the observations.
func Evaluate(link Link, obs Observations) *Report {
	e := newEvaluation(link, obs)
	r := &Report{
		Link: link.Name, Topology: string(link.Topology()), Planned: len(link.Tunnels),
		Tunnels: []TunnelStatus{}, ByDesign: e.byDesign, OtherPeers: e.other,
		ReadErrors: append([]ReadError{}, obs.ReadErrors...),
	}
	var up []PlannedTunnel
	for _, t := range link.Tunnels {
		row := e.row(t)
		if row.Established {
			up = append(up, t)
		}
		r.Tunnels = append(r.Tunnels, row)
	}
	r.Established = len(up)
	r.Survivability = survivability(link, up)
	r.Diagnoses = e.diagnose(r)
	switch {
	case len(r.ReadErrors) > 0:
		r.Verdict = Unreadable
	case r.Established == r.Planned:
		r.Verdict = Healthy
	case r.Established == 0:
		r.Verdict = Down
	default:
		r.Verdict = Degraded
	}
	r.ExitCode = r.Verdict.ExitCode()
	return r
}

// evaluation holds the observations indexed the way the rows read them.
type evaluation struct {
	link        Link
	obs         Observations
	tunnels     map[string]GcpVpnTunnel       // by Google tunnel name
	instanceOf  map[string]int                // Azure BGP address -> instance
	carrying    map[string]AzureBgpPeerStatus // by planned tunnel name: the peer on the instance that carries it
	reported    map[int]bool                  // Azure instances that reported at least one peer
	connections map[string]AzureConnection    // by lower-case ARM ID
	byDesign    []AzurePeer
	other       []AzurePeer
}

func newEvaluation(link Link, obs Observations) *evaluation {
	e := &evaluation{
		link: link, obs: obs, tunnels: map[string]GcpVpnTunnel{}, carrying: map[string]AzureBgpPeerStatus{},
		reported: map[int]bool{}, connections: map[string]AzureConnection{}, byDesign: []AzurePeer{}, other: []AzurePeer{},
	}
	for _, t := range obs.VpnTunnels {
		e.tunnels[t.Name] = t
	}
	for _, c := range obs.Connections {
		e.connections[strings.ToLower(c.ID)] = c
	}
	e.instanceOf = instanceAddresses(link, obs.Gateway)
	if obs.BgpPeerStatus != nil {
		e.sortAzurePeers(obs.BgpPeerStatus.Value)
	}
	return e
}

// instanceAddresses maps every BGP address of the gateway (default and custom) to the instance
// holding it. An ipConfiguration is instance n when its tunnel address is the link's n-th Azure
// public IP, or when it carries the APIPA address of a tunnel planned on instance n.
func instanceAddresses(link Link, gw *AzureGateway) map[string]int {
	out := map[string]int{}
	if gw == nil {
		return out
	}
	for _, entry := range gw.Properties.BgpSettings.BgpPeeringAddresses {
		n := instanceOfEntry(link, entry)
		if n < 0 {
			continue
		}
		for _, a := range append(slices.Clone(entry.DefaultBgpIpAddresses), entry.CustomBgpIpAddresses...) {
			out[a] = n
		}
	}
	return out
}

func instanceOfEntry(link Link, entry AzureIpConfigBgpAddresses) int {
	for n, ip := range link.AzurePublicIps {
		if slices.Contains(entry.TunnelIpAddresses, ip) {
			return n
		}
	}
	for _, t := range link.Tunnels {
		if slices.Contains(entry.CustomBgpIpAddresses, t.AzureBgpIp) {
			return t.AzureInstance
		}
	}
	return -1
}

// sortAzurePeers files each peer: the session a planned tunnel carries, a by-design attempt (the
// other instance towards the same Cloud Router address), or a peer that is not this link's.
func (e *evaluation) sortAzurePeers(peers []AzureBgpPeerStatus) {
	for _, p := range peers {
		n, known := e.instanceOf[p.LocalAddress]
		peer := AzurePeer{LocalAddress: p.LocalAddress, Neighbor: p.Neighbor, State: p.State}
		if known {
			e.reported[n] = true
			peer.AzureInstance = linkplan.AzureFailureDomain(n)
		}
		k := slices.IndexFunc(e.link.Tunnels, func(t PlannedTunnel) bool { return t.GcpBgpIp == p.Neighbor })
		if k < 0 || !known {
			e.other = append(e.other, peer)
			continue
		}
		t := e.link.Tunnels[k]
		peer.Tunnel = t.Name
		if n != t.AzureInstance {
			e.byDesign = append(e.byDesign, peer)
		} else if _, dup := e.carrying[t.Name]; !dup {
			e.carrying[t.Name] = p
		}
	}
}

// row reads one planned tunnel's state from both clouds.
func (e *evaluation) row(t PlannedTunnel) TunnelStatus {
	row := TunnelStatus{
		Name: t.Name, GcpInterface: t.GcpDomain(), AzureInstance: t.AzureDomain(), GcpTunnel: t.GcpTunnelName,
		GcpTunnelStatus: NotReported, CloudRouterStatus: NotReported, AzureConnectionStatus: NotReported, AzureBgpState: NotReported,
	}
	if id, err := ParseArmID(t.AzureConnectionID); err == nil {
		row.AzureConnection = id.Name
	}
	if gt, ok := e.tunnels[t.GcpTunnelName]; ok {
		row.GcpTunnelStatus, row.GcpTunnelDetail = gt.Status, gt.DetailedStatus
	}
	if p, ok := e.routerPeer(t); ok {
		row.CloudRouterPeer, row.CloudRouterStatus, row.CloudRouterState, row.LearnedRoutes = p.Name, p.Status, p.State, p.NumLearnedRoutes
	}
	if c, ok := e.connections[strings.ToLower(t.AzureConnectionID)]; ok {
		row.AzureConnectionStatus = c.Properties.ConnectionStatus
	}
	if p, ok := e.carrying[t.Name]; ok {
		row.AzureBgpState, row.AzureRoutesReceived = p.State, p.RoutesReceived
	}
	row.Established = row.CloudRouterStatus == cloudrules.GcpBgpUp && row.AzureBgpState == cloudrules.AzureBgpConnected
	return row
}

// routerPeer finds the Cloud Router peer of a tunnel: the one linked to its Google tunnel, else the
// one on its planned Cloud Router address.
func (e *evaluation) routerPeer(t PlannedTunnel) (GcpBgpPeerStatus, bool) {
	if e.obs.RouterStatus == nil {
		return GcpBgpPeerStatus{}, false
	}
	peers := e.obs.RouterStatus.Result.BgpPeerStatus
	for _, match := range []func(GcpBgpPeerStatus) bool{
		func(p GcpBgpPeerStatus) bool {
			return p.LinkedVpnTunnel != "" && p.linkedTunnelName() == t.GcpTunnelName
		},
		func(p GcpBgpPeerStatus) bool { return p.IpAddress == t.GcpBgpIp },
	} {
		if k := slices.IndexFunc(peers, match); k >= 0 {
			return peers[k], true
		}
	}
	return GcpBgpPeerStatus{}, false
}

// survivability lists the single failures that would cut the link given the sessions up now.
// It reuses the plan's analysis (internal/core/analysis) on the established tunnels only.
func survivability(link Link, up []PlannedTunnel) Survivability {
	s := Survivability{CutBy: []string{}}
	if len(up) == 0 {
		s.Summary = "the link is down: no BGP session is established"
		return s
	}
	now := link.plan(up)
	for _, d := range link.plan(link.Tunnels).FailureDomains() {
		if analysis.SessionsUp(now, []string{d}) == 0 {
			s.CutBy = append(s.CutBy, d)
		}
	}
	if len(s.CutBy) == 0 {
		s.Summary = fmt.Sprintf("no single further failure cuts the link (%d of %d BGP sessions established)", len(up), len(link.Tunnels))
	} else {
		s.Summary = fmt.Sprintf("one more failure of %s would cut the link (%d of %d BGP sessions established)",
			strings.Join(s.CutBy, " or "), len(up), len(link.Tunnels))
	}
	return s
}
