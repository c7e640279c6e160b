package simcloud

import (
	"strings"

	"google.golang.org/grpc/codes"
)

// Function tokens simcloud serves, the providers' own.
const (
	fnGetGateway = "azure-native:network:getVirtualNetworkGateway"
	fnGetRouter  = "gcp:compute/getRouter:getRouter"
)

// GatewayLookupKeys are the properties of the lookup's result, as the SDK declares them:
// LookupVirtualNetworkGatewayResult in pulumi-azure-native-sdk/network/v2 v2.90.0
// getVirtualNetworkGateway.go:37-101 (API version 2023-02-01). Inputs that are not among them (the
// resource group and gateway name, the URL's path parameters) are not returned.
var GatewayLookupKeys = []string{
	"activeActive", "adminState", "allowRemoteVnetTraffic", "allowVirtualWanTraffic", "bgpSettings", "customRoutes",
	"disableIPSecReplayProtection", "enableBgp", "enableBgpRouteTranslationForNat", "enableDnsForwarding",
	"enablePrivateIpAddress", "etag", "extendedLocation", "gatewayDefaultSite", "gatewayType", "id",
	"inboundDnsForwardingEndpoint", "ipConfigurations", "location", "name", "natRules", "provisioningState",
	"resourceGuid", "sku", "tags", "type", "vNetExtendedLocationResourceId", "virtualNetworkGatewayPolicyGroups",
	"vpnClientConfiguration", "vpnGatewayGeneration", "vpnType",
}

// RouterLookupKeys and RouterBgpKeys are the properties of getRouter's result and of its `bgps` entries,
// as the SDK declares them: LookupRouterResult (pulumi-gcp/sdk/v7 v7.38.0 go/gcp/compute/getRouter.go:67-80)
// and GetRouterBgp (go/gcp/compute/pulumiTypes1.go:35145).
var (
	RouterLookupKeys = []string{"bgps", "creationTimestamp", "description", "encryptedInterconnectRouter", "id", "name", "network", "project", "region", "selfLink"}
	RouterBgpKeys    = []string{"advertiseMode", "advertisedGroups", "advertisedIpRanges", "asn", "identifierRange", "keepaliveInterval"}
)

// invoke answers one provider function from the simulated cloud's shared state.
func (s *Server) invoke(token string, args obj) (obj, error) {
	switch {
	case token == fnGetGateway && s.cloud == Azure:
		return s.lookupGateway(args)
	case token == fnGetRouter && s.cloud == Google:
		return s.lookupRouter(args)
	}
	return nil, s.errorf(codes.Unimplemented, "function %s is not simulated (simcloud serves %s and %s)", token, fnGetGateway, fnGetRouter)
}

// lookupGateway is getVirtualNetworkGateway: the gateway of that name in that resource group, in the
// shape of the SDK's result. A gateway that does not exist is ARM's 404.
// Source: Azure Resource Manager "Resolve errors for resource not found" (ResourceNotFound, ResourceGroupNotFound).
func (s *Server) lookupGateway(args obj) (obj, error) {
	rg, name := strOr(args, "resourceGroupName", ""), strOr(args, "virtualNetworkGatewayName", "")
	if rg == "" || name == "" {
		return nil, s.errorf(codes.InvalidArgument, "getVirtualNetworkGateway needs resourceGroupName and virtualNetworkGatewayName")
	}
	var found *Record
	var groupExists bool
	err := s.store.View(func(st *State) error {
		groupExists = resourceGroupNamed(st, rg) != nil
		for _, r := range st.OfType(azureGateway) {
			if strings.EqualFold(strOr(r.Inputs, "resourceGroupName", ""), rg) && strings.EqualFold(r.Physical(), name) {
				found = r
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, s.errorf(codes.Internal, "state: %v", err)
	case found == nil && !groupExists:
		return nil, s.errorf(codes.NotFound, "ResourceGroupNotFound: Resource group '%s' could not be found.", rg)
	case found == nil:
		return nil, s.errorf(codes.NotFound, "ResourceNotFound: The Resource 'Microsoft.Network/virtualNetworkGateways/%s' under resource group '%s' was not found.", name, rg)
	}
	out := obj{}
	for _, k := range GatewayLookupKeys {
		if v, ok := found.Outputs[k]; ok {
			out[k] = cloneValue(v)
		}
	}
	return out, nil
}

// lookupRouter is getRouter, the data source data_source_google_compute_router.go of
// terraform-provider-google-beta v5.42.0 (what pulumi-gcp v7.38.0 bridges): it sets the ID to the router's
// name (line 28), reads the router of the provider's or the given project and region, and fails with
// "<name> not found" (line 35). It does not compare the `network` argument with the router's network
// (the read overwrites it), so neither does simcloud. The result has the shape of the SDK's
// LookupRouterResult (pulumi-gcp/sdk/v7 v7.38.0 go/gcp/compute/getRouter.go:67-80): the router's single
// bgp block as the list `bgps` (GetRouterBgp, pulumiTypes1.go:35145).
func (s *Server) lookupRouter(args obj) (obj, error) {
	name := strOr(args, "name", "")
	set := s.settings()
	project, region := strOr(args, "project", set.Project), strOr(args, "region", set.Region)
	var found *Record
	var networkLink string
	err := s.store.View(func(st *State) error {
		for _, r := range st.OfType(gcpRouter) {
			if r.Physical() == name && strOr(r.Outputs, "project", "") == project && strOr(r.Outputs, "region", "") == region {
				found = r
			}
		}
		if found != nil {
			networkLink = strOr(found.Inputs, "network", "")
			if n := resolveGcp(st, gcpNetwork, networkLink, ""); n != nil {
				networkLink = strOr(n.Outputs, "selfLink", networkLink)
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.errorf(codes.Internal, "state: %v", err)
	}
	if found == nil {
		return nil, s.errorf(codes.NotFound, "%s not found", name)
	}
	bgp, _ := sub(found.Inputs, "bgp")
	out := obj{
		"id": name, "name": name, "project": project, "region": region, "network": networkLink,
		"selfLink": strOr(found.Outputs, "selfLink", ""), "description": strOr(found.Inputs, "description", ""),
		"creationTimestamp": "", "encryptedInterconnectRouter": isTrue(found.Inputs, "encryptedInterconnectRouter"),
		"bgps": []any{},
	}
	if bgp != nil {
		// Unset fields read back as the API's defaults: advertiseMode DEFAULT, keepaliveInterval 20 s
		// (Compute API reference, routers resource, bgp.advertiseMode and bgp.keepaliveInterval).
		keepalive, ok := num(bgp, "keepaliveInterval")
		if !ok {
			keepalive = 20
		}
		b := obj{"advertiseMode": strOr(bgp, "advertiseMode", "DEFAULT"), "advertisedGroups": anyStrings(stringsOf(bgp, "advertisedGroups")),
			"advertisedIpRanges": []any{}, "identifierRange": strOr(bgp, "identifierRange", ""), "keepaliveInterval": keepalive}
		if asn, ok := num(bgp, "asn"); ok {
			b["asn"] = asn
		}
		if k, ok := num(bgp, "keepaliveInterval"); ok {
			b["keepaliveInterval"] = k
		}
		for _, r := range objects(bgp, "advertisedIpRanges") {
			b["advertisedIpRanges"] = append(b["advertisedIpRanges"].([]any), obj{"range": strOr(r, "range", ""), "description": strOr(r, "description", "")})
		}
		out["bgps"] = []any{b}
	}
	return out, nil
}

func anyStrings(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
