package statusclient

import (
	"context"

	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/option"

	"github.com/havpn/pulumi-havpn/internal/linkstatus"
)

// readGcp reads each planned tunnel (vpnTunnels.get) and the Cloud Router's BGP peers
// (routers.getRouterStatus; pulumi-gcp's getRouterStatus invoke has no peer data,
// terraform-provider-google #11458).
func readGcp(ctx context.Context, link linkstatus.Link, endpoint string, obs *linkstatus.Observations, fail func(string, error)) {
	svc, err := computeService(ctx, endpoint)
	if err != nil {
		fail("Google Compute API client (Application Default Credentials)", err)
		return
	}
	for _, t := range link.Tunnels {
		vt, err := svc.VpnTunnels.Get(link.GcpProject, link.GcpRegion, t.GcpTunnelName).Context(ctx).Do()
		if err != nil {
			fail("compute.vpnTunnels.get "+t.GcpTunnelName, err)
			continue
		}
		obs.VpnTunnels = append(obs.VpnTunnels, linkstatus.GcpVpnTunnel{
			Name: vt.Name, Status: vt.Status, DetailedStatus: vt.DetailedStatus, PeerIp: vt.PeerIp,
		})
	}
	rs, err := svc.Routers.GetRouterStatus(link.GcpProject, link.GcpRegion, link.GcpRouter).Context(ctx).Do()
	if err != nil {
		fail("compute.routers.getRouterStatus "+link.GcpRouter, err)
		return
	}
	obs.RouterStatus = &linkstatus.GcpRouterStatus{Kind: rs.Kind}
	if rs.Result == nil {
		return
	}
	for _, p := range rs.Result.BgpPeerStatus {
		obs.RouterStatus.Result.BgpPeerStatus = append(obs.RouterStatus.Result.BgpPeerStatus, linkstatus.GcpBgpPeerStatus{
			Name: p.Name, IpAddress: p.IpAddress, PeerIpAddress: p.PeerIpAddress, LinkedVpnTunnel: p.LinkedVpnTunnel,
			Status: p.Status, State: p.State, StatusReason: p.StatusReason, NumLearnedRoutes: p.NumLearnedRoutes, Uptime: p.Uptime,
		})
	}
}

// computeService is the Compute client: Application Default Credentials with the read-only scope,
// or, for a simulated endpoint, no credentials.
func computeService(ctx context.Context, endpoint string) (*compute.Service, error) {
	if endpoint == "" {
		return compute.NewService(ctx, option.WithScopes(compute.ComputeReadonlyScope))
	}
	return compute.NewService(ctx, option.WithEndpoint(withSlash(endpoint)+"compute/v1/"), option.WithoutAuthentication())
}
