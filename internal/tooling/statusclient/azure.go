package statusclient

import (
	"context"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	armruntime "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
)

// moduleName and moduleVersion identify havpn in the pipeline's telemetry (User-Agent).
const (
	moduleName    = "havpn"
	moduleVersion = "v0.1.0"
)

// azureClient calls Azure Resource Manager through azcore's pipeline (retries, auth, logging) with
// the Microsoft.Network API version azure-native v2.90.0 uses.
type azureClient struct {
	pl       runtime.Pipeline
	endpoint string
}

// newAzureClient authenticates with DefaultAzureCredential against the public cloud, or, for a
// simulated endpoint, builds a pipeline without an authentication policy.
func newAzureClient(endpoint string) (*azureClient, error) {
	if endpoint != "" {
		pl := runtime.NewPipeline(moduleName, moduleVersion, runtime.PipelineOptions{}, &policy.ClientOptions{})
		return &azureClient{pl: pl, endpoint: withSlash(endpoint)}, nil
	}
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, err
	}
	pl, err := armruntime.NewPipeline(moduleName, moduleVersion, cred, runtime.PipelineOptions{}, &arm.ClientOptions{})
	if err != nil {
		return nil, err
	}
	return &azureClient{pl: pl, endpoint: withSlash(cloud.AzurePublic.Services[cloud.ResourceManager].Endpoint)}, nil
}

func (c *azureClient) url(id, action string) string {
	return c.endpoint + id[1:] + action + "?api-version=" + cloudrules.AzureNetworkApiVersion
}

// get reads one resource into out.
func (c *azureClient) get(ctx context.Context, id string, out any) error {
	req, err := runtime.NewRequest(ctx, http.MethodGet, c.url(id, ""))
	if err != nil {
		return err
	}
	resp, err := c.pl.Do(req)
	if err != nil {
		return err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return runtime.NewResponseError(resp)
	}
	return runtime.UnmarshalAsJSON(resp, out)
}

// bgpPeerStatus runs the long-running POST getBgpPeerStatus: 202, then azcore's poller follows
// Azure-AsyncOperation and reads the result from Location (azure-rest-api-specs network 2023-02-01 virtualNetworkGateway.json,
// VirtualNetworkGateways_GetBgpPeerStatus: x-ms-long-running-operation-options final-state-via location).
func (c *azureClient) bgpPeerStatus(ctx context.Context, gatewayID string) (*linkstatus.AzureBgpPeerStatusList, error) {
	req, err := runtime.NewRequest(ctx, http.MethodPost, c.url(gatewayID, "/getBgpPeerStatus"))
	if err != nil {
		return nil, err
	}
	req.Raw().Header.Set("Accept", "application/json")
	resp, err := c.pl.Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK, http.StatusAccepted) {
		return nil, runtime.NewResponseError(resp)
	}
	poller, err := runtime.NewPoller(resp, c.pl, &runtime.NewPollerOptions[linkstatus.AzureBgpPeerStatusList]{
		FinalStateVia: runtime.FinalStateViaLocation,
	})
	if err != nil {
		return nil, err
	}
	res, err := poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 2 * time.Second})
	return &res, err
}

// readAzure reads the gateway (its instances' BGP addresses), its BGP peers and each planned connection.
// azure-native's invoke for the peer status fails on the 202 (pulumi/pulumi-azure-native #1735).
func readAzure(ctx context.Context, link linkstatus.Link, endpoint string, obs *linkstatus.Observations, fail func(string, error)) {
	c, err := newAzureClient(endpoint)
	if err != nil {
		fail("Azure client (DefaultAzureCredential)", err)
		return
	}
	var gw linkstatus.AzureGateway
	if err := c.get(ctx, link.AzureGatewayID, &gw); err != nil {
		fail("GET virtualNetworkGateways "+link.AzureGatewayID, err)
	} else {
		obs.Gateway = &gw
	}
	if peers, err := c.bgpPeerStatus(ctx, link.AzureGatewayID); err != nil {
		fail("POST virtualNetworkGateways/getBgpPeerStatus "+link.AzureGatewayID, err)
	} else {
		obs.BgpPeerStatus = peers
	}
	for _, t := range link.Tunnels {
		var conn linkstatus.AzureConnection
		if err := c.get(ctx, t.AzureConnectionID, &conn); err != nil {
			fail("GET connections "+t.AzureConnectionID, err)
			continue
		}
		obs.Connections = append(obs.Connections, conn)
	}
}
