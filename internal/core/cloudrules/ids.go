package cloudrules

import "fmt"

// Collections maps each resource type havpn and its example program use to the collection name in
// that cloud's resource IDs. Source: Compute Engine REST resource names; Azure Resource Manager
// resource types (Microsoft.Network/...).
var Collections = map[string]string{
	"gcp:compute/network:Network":                          "networks",
	"gcp:compute/subnetwork:Subnetwork":                    "subnetworks",
	"gcp:compute/haVpnGateway:HaVpnGateway":                "vpnGateways",
	"gcp:compute/externalVpnGateway:ExternalVpnGateway":    "externalVpnGateways",
	"gcp:compute/router:Router":                            "routers",
	"gcp:compute/vPNTunnel:VPNTunnel":                      "vpnTunnels",
	"gcp:compute/routerInterface:RouterInterface":          "routerInterfaces",
	"gcp:compute/routerPeer:RouterPeer":                    "routerPeers",
	"gcp:compute/firewall:Firewall":                        "firewalls",
	"azure-native:network:VirtualNetwork":                  "virtualNetworks",
	"azure-native:network:Subnet":                          "virtualNetworks/subnets",
	"azure-native:network:PublicIPAddress":                 "publicIPAddresses",
	"azure-native:network:VirtualNetworkGateway":           "virtualNetworkGateways",
	"azure-native:network:LocalNetworkGateway":             "localNetworkGateways",
	"azure-native:network:VirtualNetworkGatewayConnection": "connections",
}

// GcpID is a Compute Engine resource ID: projects/P/regions/R/<collection>/NAME, or .../global/...
// when region is empty. Source: Compute Engine REST resource names.
func GcpID(project, region, collection, name string) string {
	if region == "" {
		return fmt.Sprintf("projects/%s/global/%s/%s", project, collection, name)
	}
	return fmt.Sprintf("projects/%s/regions/%s/%s/%s", project, region, collection, name)
}

// GcpSelfLink is the self link of a Compute Engine resource ID.
func GcpSelfLink(id string) string { return "https://www.googleapis.com/compute/v1/" + id }

// AzureResourceGroupID is the ARM ID of a resource group. Source: Azure Resource Manager resource ID format.
func AzureResourceGroupID(subscription, group string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", subscription, group)
}

// AzureNetworkID is the ARM ID of a Microsoft.Network resource; child resources name their parent
// in the collection path, e.g. "virtualNetworks/VNET/subnets".
func AzureNetworkID(subscription, group, collection, name string) string {
	return fmt.Sprintf("%s/providers/Microsoft.Network/%s/%s", AzureResourceGroupID(subscription, group), collection, name)
}

// azureNameKeys is the input that holds each Azure resource's name: the last path parameter of its
// ARM URL. Google resources take "name". Source: azure-native resource inputs (ARM REST path parameters).
var azureNameKeys = map[string]string{
	"azure-native:resources:ResourceGroup":                 "resourceGroupName",
	"azure-native:network:VirtualNetwork":                  "virtualNetworkName",
	"azure-native:network:Subnet":                          "subnetName",
	"azure-native:network:PublicIPAddress":                 "publicIpAddressName",
	"azure-native:network:VirtualNetworkGateway":           "virtualNetworkGatewayName",
	"azure-native:network:LocalNetworkGateway":             "localNetworkGatewayName",
	"azure-native:network:VirtualNetworkGatewayConnection": "virtualNetworkGatewayConnectionName",
}

// NameKey is the input that holds a resource's name in its cloud.
func NameKey(token string) string {
	if k, ok := azureNameKeys[token]; ok {
		return k
	}
	return "name"
}

// AzureID is the ARM ID of a resource of type token named name; input reads the resource group
// and, for a subnet, the VNet. ok is false when one of those is missing (the ID then has it empty).
func AzureID(subscription, token, name string, input func(key string) (string, bool)) (id string, ok bool) {
	if token == "azure-native:resources:ResourceGroup" {
		return AzureResourceGroupID(subscription, name), true
	}
	rg, ok := input("resourceGroupName")
	collection := Collections[token]
	if token == "azure-native:network:Subnet" {
		vnet, vnetOk := input("virtualNetworkName")
		collection, ok = "virtualNetworks/"+vnet+"/subnets", ok && vnetOk
	}
	return AzureNetworkID(subscription, rg, collection, name), ok
}

// AzureIpConfigurationID is the ARM ID of one ipConfiguration of a virtual network gateway.
// Source: Azure REST reference (.../virtualNetworkGateways/{gw}/ipConfigurations/{cfg}).
func AzureIpConfigurationID(gatewayID, name string) string {
	return gatewayID + "/ipConfigurations/" + name
}
