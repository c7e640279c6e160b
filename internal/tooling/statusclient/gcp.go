package statusclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2/google"

	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
)

// Compute Engine API v1: its base URL and the read-only scope.
// Source: Compute discovery document (google.golang.org/api v0.316.0 compute/v1 compute-api.json:
// rootUrl https://compute.googleapis.com/, servicePath compute/v1/; scope compute.readonly).
const (
	computeBase          = "https://compute.googleapis.com/compute/v1/"
	computeReadonlyScope = "https://www.googleapis.com/auth/compute.readonly"
)

// gcpClient calls the Compute Engine REST API with an Application Default Credentials client
// (golang.org/x/oauth2/google) and decodes into linkstatus's typed responses. The generated client
// google.golang.org/api/compute/v1 does the same two GETs but costs a 244,000-line package in every
// cold build (see the README's build-cost table).
type gcpClient struct {
	http *http.Client
	base string
}

// newGcpClient authenticates with ADC, or, for a simulated endpoint, uses no credentials.
func newGcpClient(ctx context.Context, endpoint string) (*gcpClient, error) {
	if endpoint != "" {
		return &gcpClient{http: &http.Client{}, base: withSlash(endpoint) + "compute/v1/"}, nil
	}
	c, err := google.DefaultClient(ctx, computeReadonlyScope)
	if err != nil {
		return nil, err
	}
	return &gcpClient{http: c, base: computeBase}, nil
}

// get reads projects/{project}/regions/{region}/{collection}/{name}[/{method}] into out.
func (c *gcpClient) get(ctx context.Context, out any, project, region, collection, name, method string) error {
	path := "projects/" + url.PathEscape(project) + "/regions/" + url.PathEscape(region) + "/" + collection + "/" + url.PathEscape(name)
	if method != "" {
		path += "/" + method
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return googleError(resp.StatusCode, body)
	}
	return json.Unmarshal(body, out)
}

// googleError renders Google's JSON error {"error": {code, message, errors[{reason}]}} as
// googleapi.Error does: "googleapi: Error 404: <message>, <reason>".
func googleError(status int, body []byte) error {
	var e struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Errors  []struct {
				Reason string `json:"reason"`
			} `json:"errors"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error.Message == "" {
		return fmt.Errorf("googleapi: got HTTP response code %d with body: %s", status, strings.TrimSpace(string(body)))
	}
	msg := fmt.Sprintf("googleapi: Error %d: %s", status, e.Error.Message)
	if len(e.Error.Errors) > 0 && e.Error.Errors[0].Reason != "" {
		msg += ", " + e.Error.Errors[0].Reason
	}
	return fmt.Errorf("%s", msg)
}

// readGcp reads each planned tunnel (vpnTunnels.get) and the Cloud Router's BGP peers
// (routers.getRouterStatus; pulumi-gcp's getRouterStatus invoke has no peer data,
// terraform-provider-google #11458).
func readGcp(ctx context.Context, link linkstatus.Link, endpoint string, obs *linkstatus.Observations, fail func(string, error)) {
	c, err := newGcpClient(ctx, endpoint)
	if err != nil {
		fail("Google Compute API client (Application Default Credentials)", err)
		return
	}
	for _, t := range link.Tunnels {
		var vt linkstatus.GcpVpnTunnel
		if err := c.get(ctx, &vt, link.GcpProject, link.GcpRegion, "vpnTunnels", t.GcpTunnelName, ""); err != nil {
			fail("compute.vpnTunnels.get "+t.GcpTunnelName, err)
			continue
		}
		obs.VpnTunnels = append(obs.VpnTunnels, vt)
	}
	var rs linkstatus.GcpRouterStatus
	if err := c.get(ctx, &rs, link.GcpProject, link.GcpRegion, "routers", link.GcpRouter, "getRouterStatus"); err != nil {
		fail("compute.routers.getRouterStatus "+link.GcpRouter, err)
		return
	}
	obs.RouterStatus = &rs
}
