package component

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/stretchr/testify/assert"

	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// TestSimulatedLookupsHaveTheSdkShapes: the properties simcloud's lookups return are exactly those of
// the SDK result types the component decodes them into (pinned SDK versions), so a simulated lookup
// cannot return a shape the real provider would not.
func TestSimulatedLookupsHaveTheSdkShapes(t *testing.T) {
	for _, c := range []struct {
		sdk  reflect.Type
		keys []string
	}{
		{reflect.TypeFor[network.LookupVirtualNetworkGatewayResult](), simcloud.GatewayLookupKeys},
		{reflect.TypeFor[compute.LookupRouterResult](), simcloud.RouterLookupKeys},
		{reflect.TypeFor[compute.GetRouterBgp](), simcloud.RouterBgpKeys},
	} {
		var tags []string
		for i := 0; i < c.sdk.NumField(); i++ {
			if tag, ok := c.sdk.Field(i).Tag.Lookup("pulumi"); ok {
				tags = append(tags, strings.Split(tag, ",")[0])
			}
		}
		keys := append([]string(nil), c.keys...)
		sort.Strings(tags)
		sort.Strings(keys)
		assert.Equal(t, tags, keys, c.sdk.String())
	}
}
