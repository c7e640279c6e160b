package statusapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// armPrefix is the ARM path of a resource group's Microsoft.Network resources.
const armPrefix = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/"

// azureAPI is the simulated Azure Resource Manager: the network API version azure-native v2.90.0
// uses, and the long-running operations getBgpPeerStatus has started.
type azureAPI struct {
	store      *simcloud.Store
	inProgress int // status polls that answer InProgress before Succeeded
	mu         sync.Mutex
	ops        map[string]*operation
}

// AzureOption tunes the simulated Azure API.
type AzureOption func(*azureAPI)

// Immediate makes getBgpPeerStatus succeed at the first status poll, with no Retry-After to wait,
// for tests that are not about the polling.
func Immediate() AzureOption { return func(a *azureAPI) { a.inProgress = 0 } }

// operation is one getBgpPeerStatus: its result is taken when it starts; the first status poll
// answers InProgress (unless Immediate), the next Succeeded.
type operation struct {
	result map[string]any
	polls  int
}

// NewAzureHandler serves the simulated Azure calls of `havpn status`, api-version 2023-02-01:
//
//	GET  .../virtualNetworkGateways/{gw}
//	POST .../virtualNetworkGateways/{gw}/getBgpPeerStatus      -> 202, Azure-AsyncOperation + Location
//	GET  /subscriptions/{sub}/providers/Microsoft.Network/locations/{loc}/operations/{id}        (status)
//	GET  /subscriptions/{sub}/providers/Microsoft.Network/locations/{loc}/operationResults/{id}  (result)
//	GET  .../connections/{name}
//
// Shapes: Azure/azure-rest-api-specs specification/network/resource-manager/Microsoft.Network/stable/
// 2023-02-01: virtualNetworkGateway.json (getBgpPeerStatus: POST, responses 200 BgpPeerStatusListResult
// and 202, x-ms-long-running-operation with final-state-via location) and the examples
// VirtualNetworkGatewayGet.json, VirtualNetworkGatewayConnectionGet.json; the 202 carries the
// Azure-AsyncOperation header as in the REST reference's sample. Errors: ARM {"error": {code, message}}.
func NewAzureHandler(store *simcloud.Store, opts ...AzureOption) http.Handler {
	a := &azureAPI{store: store, inProgress: 1, ops: map[string]*operation{}}
	for _, o := range opts {
		o(a)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+armPrefix+"virtualNetworkGateways/{name}", a.versioned(a.gateway))
	mux.HandleFunc("POST "+armPrefix+"virtualNetworkGateways/{name}/getBgpPeerStatus", a.versioned(a.startBgpPeerStatus))
	mux.HandleFunc("GET /subscriptions/{sub}/providers/Microsoft.Network/locations/{loc}/operations/{id}", a.versioned(a.operationStatus))
	mux.HandleFunc("GET /subscriptions/{sub}/providers/Microsoft.Network/locations/{loc}/operationResults/{id}", a.versioned(a.operationResult))
	mux.HandleFunc("GET "+armPrefix+"connections/{name}", a.versioned(a.connection))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		armError(w, http.StatusNotFound, "InvalidResourceType", fmt.Sprintf("simcloud (simulated Azure): %s %s is not simulated", r.Method, r.URL.Path))
	})
	return mux
}

// versioned refuses a request without the API version the simulation serves.
func (a *azureAPI) versioned(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch v := r.URL.Query().Get("api-version"); v {
		case cloudrules.AzureNetworkApiVersion:
			h(w, r)
		case "":
			// ARM's answer to a request without api-version (Azure Resource Manager REST API reference, "api-version")
			armError(w, http.StatusBadRequest, "MissingApiVersionParameter", "simcloud (simulated Azure): The api-version query parameter (?api-version=) is required for all requests.")
		default: // ARM's code for an api-version the provider does not serve (Azure docs: "Resolve errors for resource provider registration", NoRegisteredProviderFound)
			armError(w, http.StatusBadRequest, "NoRegisteredProviderFound",
				fmt.Sprintf("simcloud (simulated Azure) serves api-version %s, not %s", cloudrules.AzureNetworkApiVersion, v))
		}
	}
}

// armError writes the ARM error format. Source: Azure REST API specs, network.json CloudError.
func armError(w http.ResponseWriter, code int, errCode, message string) {
	writeJSON(w, code, map[string]any{"error": map[string]any{"code": errCode, "message": message}})
}

// notFound is ARM's 404 for a resource that does not exist, code ResourceNotFound (Azure docs: "Resolve
// resource not found errors"; the same answer simcloud's lookups give, invoke.go).
func notFound(w http.ResponseWriter, r *http.Request, collection string) {
	armError(w, http.StatusNotFound, "ResourceNotFound", fmt.Sprintf("simcloud (simulated Azure): The Resource 'Microsoft.Network/%s/%s' under resource group '%s' was not found.",
		collection, r.PathValue("name"), r.PathValue("rg")))
}

// armID is the ARM ID a request path names.
func armID(r *http.Request, collection string) string {
	return cloudrules.AzureNetworkID(r.PathValue("sub"), r.PathValue("rg"), collection, r.PathValue("name"))
}

func (a *azureAPI) gateway(w http.ResponseWriter, r *http.Request) {
	ls, err := live(a.store)
	if err != nil {
		armError(w, http.StatusInternalServerError, "InternalServerError", err.Error())
		return
	}
	gw := findAzure(ls.Gateways, armID(r, "virtualNetworkGateways"))
	if gw == nil {
		notFound(w, r, "virtualNetworkGateways")
		return
	}
	writeJSON(w, http.StatusOK, gatewayBody(gw))
}

// gatewayBody is a VirtualNetworkGateway: the properties azure-native flattens, nested as the REST API has them.
func gatewayBody(gw *simcloud.Record) map[string]any {
	props := pick(gw.Outputs, "provisioningState", "gatewayType", "vpnType", "activeActive", "enableBgp", "sku", "vpnGatewayGeneration", "bgpSettings")
	var configs []any
	for _, c := range objectsOf(gw.Outputs, "ipConfigurations") {
		configs = append(configs, map[string]any{
			"name": c["name"], "id": c["id"],
			"properties": pick(c, "privateIPAllocationMethod", "privateIPAddress", "publicIPAddress", "subnet"),
		})
	}
	props["ipConfigurations"] = configs
	return map[string]any{
		"id": gw.ID, "name": gw.Physical(), "type": "Microsoft.Network/virtualNetworkGateways",
		"location": str(gw.Inputs, "location"), "properties": props,
	}
}

// startBgpPeerStatus answers the POST with 202 and the two polling URLs; the peers are read now.
func (a *azureAPI) startBgpPeerStatus(w http.ResponseWriter, r *http.Request) {
	ls, err := live(a.store)
	if err != nil {
		armError(w, http.StatusInternalServerError, "InternalServerError", err.Error())
		return
	}
	id := armID(r, "virtualNetworkGateways")
	gw := findAzure(ls.Gateways, id)
	if gw == nil {
		notFound(w, r, "virtualNetworkGateways")
		return
	}
	value := []any{}
	for _, p := range ls.AzurePeers {
		if p.Gateway.ID == gw.ID && (r.URL.Query().Get("peer") == "" || r.URL.Query().Get("peer") == p.Neighbor) {
			value = append(value, azurePeerBody(p))
		}
	}
	opID := newOperationID()
	a.mu.Lock()
	a.ops[opID] = &operation{result: map[string]any{"value": value}}
	a.mu.Unlock()
	base := fmt.Sprintf("http://%s/subscriptions/%s/providers/Microsoft.Network/locations/%s", r.Host, r.PathValue("sub"), str(gw.Inputs, "location"))
	query := "?api-version=" + cloudrules.AzureNetworkApiVersion
	w.Header().Set("Azure-AsyncOperation", base+"/operations/"+opID+query)
	w.Header().Set("Location", base+"/operationResults/"+opID+query)
	if a.inProgress > 0 {
		w.Header().Set("Retry-After", "1")
	}
	w.WriteHeader(http.StatusAccepted)
}

// azurePeerBody is one BgpPeerStatus. Message counters are 0: the simulation carries no BGP traffic.
func azurePeerBody(p simcloud.LiveAzurePeer) map[string]any {
	state := cloudrules.AzureBgpConnecting
	if p.Connected {
		state = cloudrules.AzureBgpConnected
	}
	return map[string]any{
		"localAddress": p.LocalAddress, "neighbor": p.Neighbor, "asn": p.Asn, "state": state,
		"routesReceived": p.RoutesReceived, "messagesSent": 0, "messagesReceived": 0,
	}
}

func (a *azureAPI) operation(r *http.Request) *operation {
	a.mu.Lock()
	defer a.mu.Unlock()
	op := a.ops[r.PathValue("id")]
	if op != nil {
		op.polls++
	}
	return op
}

// operationStatus answers the Azure-AsyncOperation poll: InProgress once, then Succeeded.
func (a *azureAPI) operationStatus(w http.ResponseWriter, r *http.Request) {
	op := a.operation(r)
	if op == nil {
		armError(w, http.StatusNotFound, "OperationNotFound", "simcloud (simulated Azure): operation "+r.PathValue("id")+" was not found")
		return
	}
	status := "Succeeded"
	if op.polls <= a.inProgress {
		status = "InProgress"
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": r.PathValue("id"), "status": status})
}

// operationResult answers the final GET on the Location URL with the BgpPeerStatusListResult.
func (a *azureAPI) operationResult(w http.ResponseWriter, r *http.Request) {
	op := a.operation(r)
	if op == nil {
		armError(w, http.StatusNotFound, "OperationNotFound", "simcloud (simulated Azure): operation "+r.PathValue("id")+" was not found")
		return
	}
	writeJSON(w, http.StatusOK, op.result)
}

func (a *azureAPI) connection(w http.ResponseWriter, r *http.Request) {
	ls, err := live(a.store)
	if err != nil {
		armError(w, http.StatusInternalServerError, "InternalServerError", err.Error())
		return
	}
	id := armID(r, "connections")
	for _, c := range ls.Connections {
		if strings.EqualFold(c.Record.ID, id) {
			writeJSON(w, http.StatusOK, connectionBody(c))
			return
		}
	}
	notFound(w, r, "connections")
}

// connectionBody is a VirtualNetworkGatewayConnection without its shared key. Byte counters are 0:
// the simulation carries no traffic.
func connectionBody(c simcloud.LiveConnection) map[string]any {
	in := c.Record.Inputs
	props := pick(in, "connectionType", "connectionProtocol", "enableBgp", "dpdTimeoutSeconds", "virtualNetworkGateway1",
		"localNetworkGateway2", "gatewayCustomBgpIpAddresses", "ipsecPolicies", "usePolicyBasedTrafficSelectors")
	props["provisioningState"] = "Succeeded"
	props["connectionStatus"] = cloudrules.AzureConnectionNotConnected
	if c.Connected {
		props["connectionStatus"] = cloudrules.AzureConnectionConnected
	}
	props["ingressBytesTransferred"], props["egressBytesTransferred"] = 0, 0
	return map[string]any{
		"id": c.Record.ID, "name": c.Record.Physical(), "type": "Microsoft.Network/connections",
		"location": str(in, "location"), "properties": props,
	}
}

// findAzure finds a record by ARM ID (ARM IDs compare case-insensitively).
func findAzure(records []*simcloud.Record, id string) *simcloud.Record {
	for _, r := range records {
		if strings.EqualFold(r.ID, id) {
			return r
		}
	}
	return nil
}

func objectsOf(m map[string]any, key string) []map[string]any {
	var out []map[string]any
	arr, _ := m[key].([]any)
	for _, e := range arr {
		if o, ok := e.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

func newOperationID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
