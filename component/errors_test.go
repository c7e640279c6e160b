package component

import (
	"errors"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

func TestInvalidArgsRegisterNothing(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(a *HaVpnLinkArgs)
		fields []string
		texts  []string // each must appear in the error
	}{
		{
			name: "three problems at once",
			mutate: func(a *HaVpnLinkArgs) {
				a.Gcp.Asn = ptr(65515)
				a.Azure.Sku = "Basic"
				a.Topology = "mesh"
			},
			fields: []string{"topology", "gcp.asn", "azure.sku"},
			texts: []string{
				"havpn: 3 invalid argument(s)",
				`topology = "mesh"`,
				"gcp.asn = 65515",
				`azure.sku = "Basic"`,
				"Basic supports neither BGP nor active-active",
			},
		},
		{
			name:   "plain subnet that is not the GatewaySubnet",
			mutate: func(a *HaVpnLinkArgs) { a.Azure.GatewaySubnetId = pulumi.String(subnetNamed("default")) },
			fields: []string{"azure.gatewaySubnetId"},
			texts:  []string{"the subnet is named \"default\""},
		},
		{
			name:   "plain short secret",
			mutate: func(a *HaVpnLinkArgs) { a.SharedSecret = pulumi.String("tooShortSecret") },
			fields: []string{"sharedSecret"},
			texts:  []string{"(secret, 14 characters)", "at least 16 characters"},
		},
		{
			name:   "plain short next secret",
			mutate: func(a *HaVpnLinkArgs) { a.NextSharedSecret = pulumi.String("tooShortSecret") },
			fields: []string{"nextSharedSecret"},
			texts:  []string{"(secret, 14 characters)", "at least 16 characters"},
		},
		{
			name:   "missing secret and prefixes",
			mutate: func(a *HaVpnLinkArgs) { a.SharedSecret, a.Azure.AddressPrefixes = nil, nil },
			fields: []string{"sharedSecret", "azure.addressPrefixes"},
		},
		{
			name:   "resource group differs from the subnet's",
			mutate: func(a *HaVpnLinkArgs) { a.Azure.ResourceGroupName = pulumi.String("other-rg") },
			fields: []string{"azure.resourceGroupName"},
		},
		{
			name: "plain Google ranges colliding with the VNet",
			mutate: func(a *HaVpnLinkArgs) {
				a.Gcp.AdvertisedIpRanges = []string{testPrefix}
				a.Gcp.SubnetRanges = pulumi.ToStringArray([]string{"172.16.0.0/24", "10.1.2.0/24"})
			},
			fields: []string{"gcp.advertisedIpRanges[0]", "gcp.subnetRanges[1]"},
			texts: []string{
				`gcp.advertisedIpRanges[0] = "10.1.0.0/16": it lies inside azure.addressPrefixes[0] 10.1.0.0/16`,
				`gcp.subnetRanges[1] = "10.1.2.0/24": it overlaps azure.addressPrefixes[0] 10.1.0.0/16: Azure drops the route to 10.1.2.0/24`,
				"give the Google subnet 10.1.2.0/24 and the Azure VNet 10.1.0.0/16 disjoint ranges",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := validArgs("paired")
			tc.mutate(args)
			link, rec, err := render(t, testName, args)
			require.Error(t, err)
			assert.Nil(t, link)
			var problems linkplan.Problems
			require.True(t, errors.As(err, &problems), "error %T %v is not linkplan.Problems", err, err)
			assert.Equal(t, tc.fields, problems.Fields())
			for _, s := range tc.texts {
				assert.Contains(t, err.Error(), s)
			}
			assert.NotContains(t, err.Error(), "tooShortSecret", "the secret must not be echoed")
			assert.Empty(t, rec.Registrations(), "nothing may be registered when arguments are invalid")
			// The same refusal without a program, as the example program asks before it registers the VPC.
			var same linkplan.Problems
			require.True(t, errors.As(ValidateHaVpnLink(testName, args), &same))
			assert.Equal(t, problems, same)
		})
	}
	assert.NoError(t, ValidateHaVpnLink(testName, validArgs("dualGateway")))
	later := validArgs("paired") // the resource references as Outputs: known later, accepted now
	later.Gcp.Network, later.Azure.ResourceGroupName = pulumi.String(testNetwork).ToStringOutput(), pulumi.String(testRG).ToStringOutput()
	later.Azure.GatewaySubnetId = pulumi.String(testSubnetID).ToStringOutput()
	assert.NoError(t, ValidateHaVpnLink(testName, later))
}

func subnetNamed(name string) string {
	return "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/" + name
}

// Values passed as Outputs are not known at construction; they are checked when they resolve and fail the run.
func TestOutputArgsValidatedWhenKnown(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(a *HaVpnLinkArgs)
		texts  []string
		absent []string
	}{
		{
			name:   "short secret as Output",
			mutate: func(a *HaVpnLinkArgs) { a.SharedSecret = pulumi.String("tooShortSecret").ToStringOutput() },
			texts:  []string{"sharedSecret", "at least 16 characters"},
			absent: []string{"tooShortSecret"},
		},
		{
			name: "short next secret as secret Output",
			mutate: func(a *HaVpnLinkArgs) {
				a.NextSharedSecret = pulumi.ToSecret(pulumi.String("tooShortSecret")).(pulumi.StringOutput)
			},
			texts:  []string{"nextSharedSecret", "at least 16 characters"},
			absent: []string{"tooShortSecret"},
		},
		{
			name:   "empty secret as secret Output",
			mutate: func(a *HaVpnLinkArgs) { a.SharedSecret = pulumi.ToSecret(pulumi.String("")).(pulumi.StringOutput) },
			texts:  []string{"sharedSecret", "a master secret is required"},
		},
		{
			name: "subnet other than GatewaySubnet as Output",
			mutate: func(a *HaVpnLinkArgs) {
				a.Azure.GatewaySubnetId = pulumi.String(subnetNamed("workloads")).ToStringOutput()
			},
			texts: []string{"azure.gatewaySubnetId", `the subnet is named "workloads"`, "GatewaySubnet"},
		},
		{
			name: "resource group as Output differing from the subnet's",
			mutate: func(a *HaVpnLinkArgs) {
				a.Azure.ResourceGroupName = pulumi.String("other-rg").ToStringOutput()
			},
			texts: []string{"azure.resourceGroupName", `set azure.resourceGroupName to "rg"`},
		},
		{
			name: "address prefix as Output that is not a CIDR",
			mutate: func(a *HaVpnLinkArgs) {
				a.Azure.AddressPrefixes = pulumi.StringArray{pulumi.String("10.1.0.0/16"), pulumi.String("10.2.0.0").ToStringOutput()}
			},
			texts: []string{`azure.addressPrefixes[1] = "10.2.0.0"`},
		},
		{
			name: "Google subnet ranges as an Output overlapping the VNet",
			mutate: func(a *HaVpnLinkArgs) {
				a.Gcp.SubnetRanges = pulumi.ToStringArray([]string{"10.0.0.0/8"}).ToStringArrayOutput()
			},
			texts: []string{`gcp.subnetRanges[0] = "10.0.0.0/8": it overlaps azure.addressPrefixes[0] 10.1.0.0/16: Google drops the route to the VNet prefix 10.1.0.0/16`},
		},
		{
			name: "one Google subnet range as an Output that is not a CIDR",
			mutate: func(a *HaVpnLinkArgs) {
				a.Gcp.SubnetRanges = pulumi.StringArray{pulumi.String("172.16.0.0/24"), pulumi.String("172.17.0.0").ToStringOutput()}
			},
			texts: []string{`gcp.subnetRanges[1] = "172.17.0.0": not a CIDR`},
		},
		{
			name: "VNet ranges as an Output containing an advertised range",
			mutate: func(a *HaVpnLinkArgs) {
				a.Gcp.AdvertisedIpRanges = []string{"10.9.1.0/24"}
				a.Azure.AddressPrefixes = pulumi.ToStringArray([]string{"10.9.0.0/16"}).ToStringArrayOutput()
			},
			texts: []string{`gcp.advertisedIpRanges[0] = "10.9.1.0/24": it lies inside azure.addressPrefixes[0] 10.9.0.0/16`},
		},
		{
			name: "no address prefixes, as an Output",
			mutate: func(a *HaVpnLinkArgs) {
				a.Azure.AddressPrefixes = pulumi.StringArray{}.ToStringArrayOutput()
			},
			texts: []string{"azure.addressPrefixes", "the VNet ranges are required"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := validArgs("paired")
			tc.mutate(args)
			r := renderWith(t, testName, args, nil)
			require.Error(t, r.err, "the run must fail")
			assert.NotNil(t, r.link, "construction cannot know the value yet")
			for _, s := range tc.texts {
				assert.Contains(t, r.err.Error(), s)
			}
			for _, s := range tc.absent {
				assert.NotContains(t, r.err.Error(), s)
			}
		})
	}
}

// TestFailedSecretRegistersNoKeyedResource: when the master secret turns out invalid, no tunnel or
// connection is created with a key derived from it.
func TestFailedSecretRegistersNoKeyedResource(t *testing.T) {
	args := validArgs("dualGateway")
	args.SharedSecret = pulumi.String("tooShortSecret").ToStringOutput()
	r := renderWith(t, testName, args, nil)
	require.Error(t, r.err)
	assert.Empty(t, r.rec.OfType(tTunnel))
	assert.Empty(t, r.rec.OfType(tConnection))
	// The 45-minute Azure gateway waits on the secret's validation, so it is never created either.
	assert.Empty(t, r.rec.OfType(tVnetGateway))
	assert.Contains(t, r.err.Error(), "sharedSecret")
}

// TestCollidingRangesKnownLaterRegisterNoGateway: when Google ranges known only later collide with the
// VNet, the 45-minute Azure gateway waits on the check and is never created, even without a firewall.
func TestCollidingRangesKnownLaterRegisterNoGateway(t *testing.T) {
	args := validArgs("paired")
	args.Gcp.Firewall = &FirewallArgs{Enabled: ptr(false)}
	args.Gcp.SubnetRanges = pulumi.ToStringArray([]string{testPrefix}).ToStringArrayOutput()
	r := renderWith(t, testName, args, nil)
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), "the ranges are equal")
	assert.Empty(t, r.rec.OfType(tVnetGateway))
	assert.Empty(t, r.rec.OfType(tFirewall))
}

func TestOutputArgsAccepted(t *testing.T) {
	plain := mustRender(t, validArgs("dualGateway"), nil)
	args := validArgs("dualGateway")
	args.SharedSecret = pulumi.ToSecret(pulumi.String(testSecret)).(pulumi.StringOutput)
	args.Gcp.Region = pulumi.String(testRegion).ToStringOutput()
	args.Gcp.Network = pulumi.String(testNetwork).ToStringOutput()
	args.Azure.ResourceGroupName = pulumi.String(testRG).ToStringOutput()
	args.Azure.Location = pulumi.String(testLocation).ToStringOutput()
	args.Azure.GatewaySubnetId = pulumi.String(testSubnetID).ToStringOutput()
	args.Azure.AddressPrefixes = pulumi.ToStringArray([]string{testPrefix}).ToStringArrayOutput()
	args.Gcp.SubnetRanges = pulumi.ToStringArray([]string{"172.16.0.0/24"}).ToStringArrayOutput()
	outputs := mustRender(t, args, nil)
	// The same resources with the same inputs, whichever way the values arrived.
	assert.Equal(t, goldenJSONString(t, plain), goldenJSONString(t, outputs))
}

func goldenJSONString(t *testing.T, r *rendering) string {
	t.Helper()
	return string(goldenJSON(t, r))
}

func TestNilArgsAndBadNameRegisterNothing(t *testing.T) {
	link, rec, err := render(t, "Bad_Name", nil)
	require.Error(t, err)
	assert.Nil(t, link)
	var problems linkplan.Problems
	require.True(t, errors.As(err, &problems), "error %T %v is not linkplan.Problems", err, err)
	assert.Equal(t, []string{
		"name", "sharedSecret", "gcp.region", "gcp.network",
		"azure.resourceGroupName", "azure.location", "azure.gatewaySubnetId", "azure.addressPrefixes",
	}, problems.Fields())
	assert.Empty(t, rec.Registrations())
}
