package component

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/mockcloud"
)

func TestSmoke(t *testing.T) {
	rec := mockcloud.NewRecorder("havpn", "test")
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := NewHaVpnLink(ctx, "gcp-azure", &HaVpnLinkArgs{
			Topology:     "dualGateway",
			SharedSecret: pulumi.String("0123456789abcdef0123456789"),
			Gcp:          GcpArgs{Region: pulumi.String("asia-northeast1"), Network: pulumi.String("vpc")},
			Azure: AzureArgs{ResourceGroupName: pulumi.String("rg"), Location: pulumi.String("japaneast"),
				GatewaySubnetId: pulumi.String("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet"),
				AddressPrefixes: pulumi.ToStringArray([]string{"10.1.0.0/16"})},
		})
		return err
	}, pulumi.WithMocks("havpn", "test", rec))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rec.Registrations() {
		t.Logf("%s %s deps=%v dbr=%v rw=%v", r.Type, r.Name, len(r.Dependencies), r.DeleteBeforeReplace, r.ReplaceWith)
	}
	t.Log(rec.ByName("gcp-azure-conn1").Inputs)
}
