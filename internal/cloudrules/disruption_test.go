package cloudrules

import (
	"strings"
	"testing"
)

// Every type on a session's path has a verdict with its source; types off the path have none, so an
// update of theirs never interrupts a session.
func TestUpdateDisruptions(t *testing.T) {
	onPath := []string{
		"gcp:compute/haVpnGateway:HaVpnGateway", "gcp:compute/externalVpnGateway:ExternalVpnGateway",
		"gcp:compute/router:Router", "gcp:compute/vPNTunnel:VPNTunnel", "gcp:compute/routerInterface:RouterInterface",
		"gcp:compute/routerPeer:RouterPeer", "azure-native:network:PublicIPAddress", "azure-native:network:VirtualNetworkGateway",
		"azure-native:network:LocalNetworkGateway", "azure-native:network:VirtualNetworkGatewayConnection",
	}
	for _, token := range onPath {
		d, ok := UpdateDisruptions[token]
		if !ok || d.Source == "" {
			t.Errorf("%s: no verdict with a source", token)
		}
		if !UpdateInterrupts(token) {
			t.Errorf("%s: an update is assumed to interrupt (docs silent or documented)", token)
		}
	}
	if len(UpdateDisruptions) != len(onPath) {
		t.Errorf("%d verdicts for %d types on the path", len(UpdateDisruptions), len(onPath))
	}
	for _, off := range []string{"gcp:compute/firewall:Firewall", "gcp:compute/network:Network", "azure-native:network:Subnet"} {
		if UpdateInterrupts(off) {
			t.Errorf("%s is off every session's path", off)
		}
	}
	if !strings.Contains(UpdateDisruptions["azure-native:network:LocalNetworkGateway"].Source, "may cause tunnel disconnects") {
		t.Error("the LNG verdict quotes its doc")
	}
}
