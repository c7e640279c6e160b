package linkstatus

import (
	"fmt"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// Diagnosis is a plain explanation of a known fault, with the documents it rests on.
type Diagnosis struct {
	Tunnel  string   `json:"tunnel,omitempty"` // empty when it is about the whole link or an instance
	Finding string   `json:"finding"`          // what the clouds report
	Cause   string   `json:"cause"`            // what that means
	Fix     string   `json:"fix"`
	Sources []string `json:"sources"`
}

// Documents the diagnoses rest on.
const (
	docGcpTunnelStatus   = "https://cloud.google.com/compute/docs/reference/rest/v1/vpnTunnels (status: AUTHORIZATION_ERROR \"bad shared secret\", NEGOTIATION_FAILURE \"handshake failed\", NO_INCOMING_PACKETS)"
	docGcpTroubleshoot   = "https://cloud.google.com/network-connectivity/docs/vpn/support/troubleshooting"
	docGcpIkeCiphers     = "https://cloud.google.com/network-connectivity/docs/vpn/concepts/supported-ike-ciphers (PFS required in phase 2)"
	docGcpRouterStatus   = "https://cloud.google.com/compute/docs/reference/rest/v1/routers/getRouterStatus"
	docGcpAzureTut       = "https://cloud.google.com/network-connectivity/docs/vpn/tutorials/create-ha-vpn-connections-google-cloud-azure (a /30 per session: Azure the first host, Cloud Router the second)"
	docAzureBgpHowto     = "https://learn.microsoft.com/azure/vpn-gateway/bgp-howto (\"when APIPA addresses are used on VPN gateways, the gateways do not initiate BGP peering sessions\"; the ASN and BGP peer IP must match the peer)"
	docAzureIpsec        = "https://learn.microsoft.com/azure/vpn-gateway/ipsec-ike-policy-howto"
	docAzureDefaultIpsec = "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-devices#ipsec (the default IPsec offers with Azure as initiator, PFS none among them)"
	docAzureSharedKey    = "terraform-provider-azurerm #11673 and PR #11742 (a connection PUT does not change its shared key; SetSharedKey does); https://learn.microsoft.com/cli/azure/network/vpn-connection/shared-key"
	docAzureActive       = "https://learn.microsoft.com/azure/vpn-gateway/about-active-active-gateways"
	docAzurePeerStatus   = "https://learn.microsoft.com/rest/api/network-gateway/virtual-network-gateways/get-bgp-peer-status"
)

// diagnose explains what is down, tunnel by tunnel, then what concerns the whole link.
func (e *evaluation) diagnose(r *Report) []Diagnosis {
	out := []Diagnosis{}
	for k, t := range e.link.Tunnels {
		if d, ok := e.diagnoseTunnel(t, r.Tunnels[k]); ok {
			out = append(out, d)
		}
	}
	out = append(out, e.silentInstances(r)...)
	if d, ok := e.routerNotInitiating(r); ok {
		out = append(out, d)
	}
	return out
}

// diagnoseTunnel explains one planned session that is not established.
func (e *evaluation) diagnoseTunnel(t PlannedTunnel, row TunnelStatus) (Diagnosis, bool) {
	if row.Established {
		return Diagnosis{}, false
	}
	d := Diagnosis{Tunnel: t.Name}
	switch row.GcpTunnelStatus {
	case cloudrules.GcpTunnelAuthorizationError:
		d.Finding = fmt.Sprintf("Google tunnel %s reports %s", t.GcpTunnelName, row.GcpTunnelStatus)
		d.Cause = "pre-shared key mismatch: the Google tunnel's shared secret and the Azure connection's shared key differ"
		d.Fix = fmt.Sprintf("both must be the tunnel's derived key (the link's sharedSecrets output). A connection PUT, hence `pulumi up`, does not change "+
			"the key of Azure connection %s: set it with SetSharedKey (`az network vpn-connection shared-key update`); a Google tunnel's secret changes only "+
			"by replacing the tunnel", row.AzureConnection)
		d.Sources = []string{docGcpTunnelStatus, docGcpTroubleshoot, docAzureSharedKey}
	case cloudrules.GcpTunnelNegotiationFailure:
		d.Finding = fmt.Sprintf("Google tunnel %s reports %s", t.GcpTunnelName, row.GcpTunnelStatus)
		d.Cause = "IKE/IPsec proposal mismatch, most often phase 2 without PFS: Azure as initiator offers no PFS by default and Google Cloud requires it"
		d.Fix = fmt.Sprintf("check the ipsecPolicies of Azure connection %s: an explicit policy whose algorithms Google accepts, pfsGroup not None (havpn sets one; `pulumi up` restores it)", row.AzureConnection)
		d.Sources = []string{docGcpTunnelStatus, docGcpIkeCiphers, docAzureIpsec, docAzureDefaultIpsec}
	case cloudrules.GcpTunnelEstablished:
		return e.bgpDownTunnelUp(t, row), true
	case NotReported:
		return Diagnosis{}, false // the read error says why
	default:
		d.Finding = fmt.Sprintf("Google tunnel %s reports %s", t.GcpTunnelName, row.GcpTunnelStatus)
		if e.obs.BgpPeerStatus != nil && !e.reported[t.AzureInstance] {
			d.Cause = fmt.Sprintf("Azure instance %s is not answering: no IKE packets reach Google and the instance reports no BGP peer", t.AzureDomain())
			d.Fix = "see the diagnosis of the instance below"
		} else {
			d.Cause = "IPsec is not up: Google receives no (or no complete) IKE negotiation from the Azure instance this tunnel accepts"
			d.Fix = fmt.Sprintf("check that Azure connection %s exists and is enabled, that its local network gateway holds this HA VPN interface's address, "+
				"and that the external VPN gateway's interface %d is Azure instance %d's public IP", row.AzureConnection, t.AzureInstance, t.AzureInstance)
		}
		d.Sources = []string{docGcpTunnelStatus, docGcpTroubleshoot}
	}
	return d, true
}

// bgpDownTunnelUp explains a session whose tunnel is up but whose BGP is not: addresses or ASNs.
func (e *evaluation) bgpDownTunnelUp(t PlannedTunnel, row TunnelStatus) Diagnosis {
	d := Diagnosis{
		Tunnel: t.Name,
		Finding: fmt.Sprintf("tunnel %s is ESTABLISHED but BGP is not: Cloud Router %s %s, Azure %s",
			t.GcpTunnelName, row.CloudRouterStatus, row.CloudRouterState, row.AzureBgpState),
		Cause:   "BGP down with the tunnel up: the two ends disagree on the session's addresses or ASNs, or the Cloud Router peer is disabled",
		Sources: []string{docGcpRouterStatus, docGcpAzureTut, docAzureBgpHowto},
	}
	var wrong []string
	if p, ok := e.routerPeer(t); ok {
		if p.IpAddress != t.GcpBgpIp {
			wrong = append(wrong, fmt.Sprintf("Cloud Router peer %s uses %s, the plan %s", p.Name, p.IpAddress, t.GcpBgpIp))
		}
		if p.PeerIpAddress != t.AzureBgpIp {
			wrong = append(wrong, fmt.Sprintf("Cloud Router peer %s expects Azure at %s, the plan %s", p.Name, p.PeerIpAddress, t.AzureBgpIp))
		}
		if p.StatusReason != "" && p.StatusReason != "STATUS_REASON_UNSPECIFIED" {
			wrong = append(wrong, "status reason "+p.StatusReason)
		}
	}
	if len(wrong) > 0 {
		d.Cause += ": " + strings.Join(wrong, "; ")
	}
	d.Fix = fmt.Sprintf("in %s, the Cloud Router peer must use %s and peer with %s, its peerAsn must be the Azure gateway's ASN, and the local network gateway of %s "+
		"must name %s with the Cloud Router's ASN; the peer must be enabled. `pulumi up` restores what havpn planned",
		t.BgpSessionRange, t.GcpBgpIp, t.AzureBgpIp, row.AzureConnection, t.GcpBgpIp)
	return d
}

// silentInstances explains an Azure instance that reports no BGP peer at all while the link plans sessions on it.
func (e *evaluation) silentInstances(r *Report) []Diagnosis {
	var out []Diagnosis
	if e.obs.BgpPeerStatus == nil || e.obs.Gateway == nil {
		return out
	}
	var planned []int
	for _, t := range e.link.Tunnels {
		if !slices.Contains(planned, t.AzureInstance) {
			planned = append(planned, t.AzureInstance)
		}
	}
	slices.Sort(planned)
	for _, n := range planned {
		if e.reported[n] {
			continue
		}
		out = append(out, Diagnosis{
			Finding: fmt.Sprintf("Azure instance %s reports no BGP peer and none of its tunnels is up", linkplan.AzureFailureDomain(n)),
			Cause:   "the gateway instance is down or being serviced; an active-active gateway keeps the other instance's tunnels up",
			Fix:     "Azure restores a gateway instance itself; if it lasts, check the gateway's Resource Health. Until then, see the survivability line",
			Sources: []string{docAzureActive, docAzurePeerStatus},
		})
	}
	return out
}

// routerNotInitiating explains the field report's picture: tunnels up, every Azure peer Connecting.
// With APIPA addresses Azure never opens BGP, so the Cloud Router must; if none is open, it is not.
func (e *evaluation) routerNotInitiating(r *Report) (Diagnosis, bool) {
	if e.obs.BgpPeerStatus == nil || len(e.carrying) == 0 {
		return Diagnosis{}, false
	}
	tunnelsUp := 0
	for _, row := range r.Tunnels {
		if row.GcpTunnelStatus == cloudrules.GcpTunnelEstablished {
			tunnelsUp++
		}
		if row.AzureBgpState != cloudrules.AzureBgpConnecting && row.AzureBgpState != NotReported {
			return Diagnosis{}, false
		}
	}
	if tunnelsUp == 0 {
		return Diagnosis{}, false
	}
	return Diagnosis{
		Finding: fmt.Sprintf("every Azure BGP peer of the link is Connecting while %d of %d tunnels are ESTABLISHED", tunnelsUp, len(r.Tunnels)),
		Cause:   "the Cloud Router is not opening the sessions: with APIPA (169.254.21.x/22.x) addresses Azure never initiates BGP, it waits for the peer",
		Fix:     "check the Cloud Router's BGP peers: enabled, ipAddress/peerIpAddress the Google/Azure hosts of each /30, peerAsn the Azure gateway's ASN",
		Sources: []string{docAzureBgpHowto, docGcpRouterStatus, docGcpAzureTut},
	}, true
}
