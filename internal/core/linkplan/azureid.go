package linkplan

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// SubnetID is the parsed ARM ID of the GatewaySubnet.
type SubnetID struct {
	Subscription   string
	ResourceGroup  string
	VirtualNetwork string
	Subnet         string
}

// subnetIDPattern is the ARM ID of a subnet. Source: Azure Resource Manager resource ID format.
var subnetIDPattern = regexp.MustCompile(`(?i)^/subscriptions/([0-9a-f-]{36})/resourceGroups/([-\w._()]{1,90})/providers/Microsoft\.Network/virtualNetworks/([-\w.]{2,64})/subnets/([-\w.]{1,80})$`)

// ParseSubnetID parses the ARM ID of a subnet; it does not check the subnet's name.
func ParseSubnetID(id string) (SubnetID, error) {
	m := subnetIDPattern.FindStringSubmatch(id)
	if m == nil {
		return SubnetID{}, fmt.Errorf("not the ARM ID of a subnet: want /subscriptions/<subscription GUID>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/%s", cloudrules.GatewaySubnetName)
	}
	return SubnetID{Subscription: m[1], ResourceGroup: m[2], VirtualNetwork: m[3], Subnet: m[4]}, nil
}

// ParseGatewaySubnetID parses the ID and checks that it names the GatewaySubnet.
func ParseGatewaySubnetID(id string) (SubnetID, error) {
	s, err := ParseSubnetID(id)
	if err != nil {
		return s, err
	}
	if !strings.EqualFold(s.Subnet, cloudrules.GatewaySubnetName) {
		return s, fmt.Errorf("the subnet is named %q; an Azure VPN gateway needs the subnet named %s", s.Subnet, cloudrules.GatewaySubnetName)
	}
	return s, nil
}

// IpConfigurationID is the ARM ID of one of the gateway's own ipConfigurations, built before the gateway exists.
// Source: Azure bgpSettings.bgpPeeringAddresses[].ipconfigurationId format.
func IpConfigurationID(subnet SubnetID, gatewayName, ipConfigName string) string {
	gateway := cloudrules.AzureNetworkID(subnet.Subscription, subnet.ResourceGroup, cloudrules.Collections["azure-native:network:VirtualNetworkGateway"], gatewayName)
	return cloudrules.AzureIpConfigurationID(gateway, ipConfigName)
}
