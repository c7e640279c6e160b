package simdemo

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/hubplan"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
)

// The hub8 bench's hub is the committed hub stack resized for its spokes, on the smallest SKU that
// holds them: a smaller one would be refused by the hub's capacity check before anything is created.
func TestHubBenchConfig(t *testing.T) {
	cfg, spokes, err := hubBenchConfig("../../..", Hub8Spokes)
	require.NoError(t, err)
	value := func(key string) string { return cfg[envconfig.Qualify(key)].Value }
	assert.Equal(t, "8", value("linkSlots"))
	assert.Equal(t, hubBenchSku, value("azureSku"))
	assert.GreaterOrEqual(t, hubplan.MaxSlots(linkplan.Paired, hubBenchSku), Hub8Spokes)
	assert.Less(t, hubplan.MaxSlots(linkplan.Paired, "VpnGw3AZ"), Hub8Spokes, "a smaller SKU would do")

	var registry []envconfig.HubSpoke
	require.NoError(t, json.Unmarshal([]byte(value("spokes")), &registry))
	require.Len(t, registry, Hub8Spokes)
	require.Len(t, spokes, Hub8Spokes)
	slots, asns, subnets := map[int]bool{}, map[int]bool{}, map[string]bool{}
	for i, s := range registry {
		env := spokes[i]
		assert.Equal(t, s.Name, env.SpokeName, "registry and spoke agree")
		assert.Equal(t, s.Asn, env.GcpAsn)
		assert.Equal(t, envconfig.RoleSpoke, env.Role)
		slots[s.Slot], asns[s.Asn] = true, true
		for _, sub := range env.Subnets {
			subnets[sub.Cidr] = true
		}
	}
	assert.Len(t, slots, Hub8Spokes, "one slot per spoke")
	assert.Len(t, asns, Hub8Spokes, "distinct ASNs: spokes sharing one drop each other's routes")
	assert.Len(t, subnets, Hub8Spokes, "distinct VPC subnets")
}
