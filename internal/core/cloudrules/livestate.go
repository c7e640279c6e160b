package cloudrules

// The values the clouds' read APIs report for a running link, one vocabulary for the status logic
// (internal/core/linkstatus) and for simcloud's simulated read APIs (internal/simulation/simcloud/statusapi).

// Google VPN tunnel status (vpnTunnels.get, field status).
// Source: Compute Engine API reference, vpnTunnels resource (google.golang.org/api compute/v1
// v0.316.0 compute-api.json, VpnTunnel.status): AUTHORIZATION_ERROR "Auth error (for example, bad
// shared secret)", NEGOTIATION_FAILURE "Handshake failed", NO_INCOMING_PACKETS "No incoming packets from peer".
const (
	GcpTunnelEstablished          = "ESTABLISHED"
	GcpTunnelFirstHandshake       = "FIRST_HANDSHAKE"
	GcpTunnelAuthorizationError   = "AUTHORIZATION_ERROR"
	GcpTunnelNegotiationFailure   = "NEGOTIATION_FAILURE"
	GcpTunnelNoIncomingPackets    = "NO_INCOMING_PACKETS"
	GcpTunnelWaitingForFullConfig = "WAITING_FOR_FULL_CONFIG"
)

// Cloud Router BGP peer status (routers.getRouterStatus, result.bgpPeerStatus[].status) and the
// BGP finite-state-machine state it reports in .state.
// Source: Compute Engine API reference, routers.getRouterStatus (RouterStatusBgpPeerStatus.status:
// UP, DOWN, UNKNOWN; .state: the BGP session state, RFC 4271 names).
const (
	GcpBgpUp           = "UP"
	GcpBgpDown         = "DOWN"
	GcpBgpUnknown      = "UNKNOWN"
	GcpBgpEstablished  = "Established"
	GcpBgpActive       = "Active" // trying to open the TCP connection
	GcpBgpIdle         = "Idle"   // not trying (for example an administratively disabled peer)
	GcpRouterStatusKey = "compute#routerStatusResponse"
)

// Azure BGP peer state (virtualNetworkGateways/getBgpPeerStatus, value[].state).
// Source: Azure REST API specs, network 2023-02-01 virtualNetworkGateway.json, BgpPeerState.
const (
	AzureBgpUnknown    = "Unknown"
	AzureBgpStopped    = "Stopped"
	AzureBgpIdle       = "Idle"
	AzureBgpConnecting = "Connecting"
	AzureBgpConnected  = "Connected"
)

// Azure connection status (connections GET, properties.connectionStatus).
// Source: Azure REST API specs, network 2023-02-01 virtualNetworkGateway.json,
// VirtualNetworkGatewayConnectionStatus.
const (
	AzureConnectionUnknown      = "Unknown"
	AzureConnectionConnecting   = "Connecting"
	AzureConnectionConnected    = "Connected"
	AzureConnectionNotConnected = "NotConnected"
)

// AzureNetworkApiVersion is the Microsoft.Network API version azure-native v2.90.0 uses; the status
// client asks for it and simcloud's simulated Azure API serves it.
// Source: pulumi-azure-native v2.90.0 (network default API version 2023-02-01).
const AzureNetworkApiVersion = "2023-02-01"
