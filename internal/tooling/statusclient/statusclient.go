// Package statusclient reads a deployed link's live state from the clouds' APIs with their official
// Go libraries: Google's Compute Engine REST API v1 (vpnTunnels.get, routers.getRouterStatus) through
// an Application Default Credentials client (golang.org/x/oauth2/google), and Azure Resource Manager
// (virtualNetworkGateways GET and getBgpPeerStatus, connections GET) through the Azure SDK for Go's
// azcore pipeline and long-running-operation poller with azidentity's DefaultAzureCredential. Both
// decode into linkstatus's typed responses. Endpoints given explicitly must be loopback (simcloud's
// simulated APIs) and are called without credentials. Only this package imports these libraries.
package statusclient

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
)

// Endpoints overrides the clouds' API endpoints; empty means the real cloud.
type Endpoints struct {
	Gcp   string // base URL; the Compute API is at <base>compute/v1/
	Azure string // base URL of Azure Resource Manager
}

// Simulated reports whether the endpoints point at simulated APIs.
func (e Endpoints) Simulated() bool { return e.Gcp != "" || e.Azure != "" }

// Check refuses an endpoint that is not on this machine: only simcloud's simulated APIs may be
// named, and they listen on loopback.
func (e Endpoints) Check() error {
	for name, u := range map[string]string{"--gcp-endpoint": e.Gcp, "--azure-endpoint": e.Azure} {
		if u == "" {
			continue
		}
		if err := loopback(u); err != nil {
			return fmt.Errorf("%s %s: %w", name, u, err)
		}
	}
	if (e.Gcp == "") != (e.Azure == "") {
		return fmt.Errorf("give both --gcp-endpoint and --azure-endpoint (simulated clouds) or neither (the real clouds)")
	}
	return nil
}

func loopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("not an http(s) URL")
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("only loopback endpoints (127.0.0.1, ::1, localhost) may be given; the real clouds need no endpoint")
}

// Read asks both clouds about the link. Every failed call becomes a ReadError with the API's own
// message; what could be read is returned alongside.
func Read(ctx context.Context, link linkstatus.Link, ep Endpoints) linkstatus.Observations {
	var obs linkstatus.Observations
	fail := func(call string, err error) {
		obs.ReadErrors = append(obs.ReadErrors, linkstatus.ReadError{Call: call, Error: oneLine(err)})
	}
	readGcp(ctx, link, ep.Gcp, &obs, fail)
	readAzure(ctx, link, ep.Azure, &obs, fail)
	return obs
}

// oneLine keeps an API error readable in a table: the SDKs' errors span several lines.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// withSlash makes a base URL end with one slash.
func withSlash(u string) string { return strings.TrimSuffix(u, "/") + "/" }
