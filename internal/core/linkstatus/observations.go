package linkstatus

import "strings"

// Observations are the clouds' answers about one link, in the APIs' own JSON shapes (only the
// fields status reads), so a recorded response decodes straight into them.
type Observations struct {
	// VpnTunnels: Compute vpnTunnels.get, one per planned tunnel.
	// Source: https://cloud.google.com/compute/docs/reference/rest/v1/vpnTunnels
	VpnTunnels []GcpVpnTunnel `json:"vpnTunnels"`
	// RouterStatus: Compute routers.getRouterStatus of the link's Cloud Router.
	// Source: https://cloud.google.com/compute/docs/reference/rest/v1/routers/getRouterStatus
	RouterStatus *GcpRouterStatus `json:"routerStatus"`
	// Gateway: GET virtualNetworkGateways/{gw}, for the instances' BGP addresses.
	// Source: Azure/azure-rest-api-specs network 2023-02-01 examples/VirtualNetworkGatewayGet.json
	Gateway *AzureGateway `json:"virtualNetworkGateway"`
	// BgpPeerStatus: the final result of POST virtualNetworkGateways/{gw}/getBgpPeerStatus (202, then poll).
	// Source: Azure/azure-rest-api-specs network 2023-02-01 virtualNetworkGateway.json (BgpPeerStatusListResult)
	BgpPeerStatus *AzureBgpPeerStatusList `json:"bgpPeerStatus"`
	// Connections: GET connections/{name}, one per planned tunnel.
	// Source: Azure/azure-rest-api-specs network 2023-02-01 examples/VirtualNetworkGatewayConnectionGet.json
	Connections []AzureConnection `json:"connections"`
	// ReadErrors are the calls that failed, each with the API's own error.
	ReadErrors []ReadError `json:"readErrors,omitempty"`
}

// ReadError is one API call that failed.
type ReadError struct {
	Call  string `json:"call"` // e.g. "compute.vpnTunnels.get gcp-azure-t0-1a2b3c4"
	Error string `json:"error"`
}

// GcpVpnTunnel is a Compute VpnTunnel.
type GcpVpnTunnel struct {
	Name           string `json:"name"`
	Status         string `json:"status"`
	DetailedStatus string `json:"detailedStatus"`
	PeerIp         string `json:"peerIp"`
}

// GcpRouterStatus is a Compute RouterStatusResponse.
type GcpRouterStatus struct {
	Kind   string `json:"kind"`
	Result struct {
		BgpPeerStatus []GcpBgpPeerStatus `json:"bgpPeerStatus"`
	} `json:"result"`
}

// GcpBgpPeerStatus is one Compute RouterStatusBgpPeerStatus.
type GcpBgpPeerStatus struct {
	Name             string `json:"name"`
	IpAddress        string `json:"ipAddress"`
	PeerIpAddress    string `json:"peerIpAddress"`
	LinkedVpnTunnel  string `json:"linkedVpnTunnel"` // URL of the tunnel
	Status           string `json:"status"`
	State            string `json:"state"`
	StatusReason     string `json:"statusReason,omitempty"`
	NumLearnedRoutes int64  `json:"numLearnedRoutes"`
	Uptime           string `json:"uptime,omitempty"`
}

// linkedTunnelName is the last path segment of linkedVpnTunnel.
func (p GcpBgpPeerStatus) linkedTunnelName() string {
	return p.LinkedVpnTunnel[strings.LastIndex(p.LinkedVpnTunnel, "/")+1:]
}

// AzureGateway is an Azure VirtualNetworkGateway (the fields status reads).
type AzureGateway struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Properties struct {
		BgpSettings struct {
			Asn                 int64                       `json:"asn"`
			BgpPeeringAddresses []AzureIpConfigBgpAddresses `json:"bgpPeeringAddresses"`
		} `json:"bgpSettings"`
	} `json:"properties"`
}

// AzureIpConfigBgpAddresses is one gateway instance (ipConfiguration) and its BGP and tunnel addresses.
type AzureIpConfigBgpAddresses struct {
	IpconfigurationId     string   `json:"ipconfigurationId"`
	DefaultBgpIpAddresses []string `json:"defaultBgpIpAddresses"`
	CustomBgpIpAddresses  []string `json:"customBgpIpAddresses"`
	TunnelIpAddresses     []string `json:"tunnelIpAddresses"`
}

// AzureBgpPeerStatusList is an Azure BgpPeerStatusListResult.
type AzureBgpPeerStatusList struct {
	Value []AzureBgpPeerStatus `json:"value"`
}

// AzureBgpPeerStatus is one BGP peer as one gateway instance sees it.
type AzureBgpPeerStatus struct {
	LocalAddress      string `json:"localAddress"`
	Neighbor          string `json:"neighbor"`
	Asn               int64  `json:"asn"`
	State             string `json:"state"`
	ConnectedDuration string `json:"connectedDuration,omitempty"`
	RoutesReceived    int64  `json:"routesReceived"`
	MessagesSent      int64  `json:"messagesSent"`
	MessagesReceived  int64  `json:"messagesReceived"`
}

// AzureConnection is an Azure VirtualNetworkGatewayConnection (the fields status reads).
type AzureConnection struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Properties struct {
		ConnectionStatus        string `json:"connectionStatus"`
		IngressBytesTransferred int64  `json:"ingressBytesTransferred"`
		EgressBytesTransferred  int64  `json:"egressBytesTransferred"`
	} `json:"properties"`
}
