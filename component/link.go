// Package component is the HaVpnLink Pulumi component: it validates its arguments and computes the
// link's plan with the pure core (internal/core/linkplan), then renders the plan as Google Cloud and Azure
// resources. Rendering reads only the plan and the resource-reference inputs.
package component

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

// Token is the component's Pulumi type token.
const Token = "havpn:index:HaVpnLink"

// HaVpnLink is a redundant, BGP-routed IPsec VPN between a Google Cloud VPC and an Azure VNet.
type HaVpnLink struct {
	pulumi.ResourceState

	// Tunnels lists each tunnel: name, gcpGateway, gcpInterface, azureInstance, bgpSessionRange, gcpBgpIp, azureBgpIp.
	Tunnels pulumi.MapArrayOutput `pulumi:"tunnels"`
	// GcpGatewayIps are the HA VPN interface addresses, gateway by gateway, interface 0 then 1.
	GcpGatewayIps pulumi.StringArrayOutput `pulumi:"gcpGatewayIps"`
	// AzurePublicIps are the two Azure gateway instances' public addresses.
	AzurePublicIps pulumi.StringArrayOutput `pulumi:"azurePublicIps"`
	// AzureGatewayId is the ARM ID of the Azure virtual network gateway.
	AzureGatewayId pulumi.StringOutput `pulumi:"azureGatewayId"`
	// GcpRouterName is the Cloud Router's name.
	GcpRouterName pulumi.StringOutput `pulumi:"gcpRouterName"`
	// SharedSecrets maps each tunnel's name to its derived pre-shared key (secret).
	SharedSecrets pulumi.StringMapOutput `pulumi:"sharedSecrets"`
	// TopologyReport is the wiring and survivability tables as text.
	TopologyReport pulumi.StringOutput `pulumi:"topologyReport"`
	// GcpProject is the Google project of the link's Google resources (the Cloud Router's).
	GcpProject pulumi.StringOutput `pulumi:"gcpProject"`
	// GcpRegion is the region of the HA VPN gateways, tunnels and Cloud Router.
	GcpRegion pulumi.StringOutput `pulumi:"gcpRegion"`
	// GcpTunnelNames maps each tunnel's name to its VPN tunnel's name in Google Cloud (auto-named).
	GcpTunnelNames pulumi.StringMapOutput `pulumi:"gcpTunnelNames"`
	// AzureConnectionIds maps each tunnel's name to the ARM ID of its Azure connection.
	AzureConnectionIds pulumi.StringMapOutput `pulumi:"azureConnectionIds"`

	// Plan is the link's computed plan, for tools in this module (the offline plan command).
	Plan *linkplan.Plan
	// Warnings are what the link logged as warnings (spokes of one hub sharing an ASN).
	Warnings []string
}

// NewHaVpnLink validates args, computes the plan and registers the link's resources.
// Invalid arguments fail with every problem at once, before any resource is registered; so do conflicts
// with the links constructed before it in the same program (ProgramRegistry). An existing gateway or
// Cloud Router is looked up and checked before any child resource is registered.
func NewHaVpnLink(ctx *pulumi.Context, name string, args *HaVpnLinkArgs, opts ...pulumi.ResourceOption) (*HaVpnLink, error) {
	if args == nil {
		args = &HaVpnLinkArgs{}
	}
	spec := args.spec(name)
	plan, err := linkplan.Build(spec)
	if err != nil {
		return nil, err
	}
	warnings, err := registryOf(ctx).admit(plan.Footprint(spec))
	if err != nil {
		return nil, err
	}
	link := &HaVpnLink{Plan: plan, Warnings: warnings}
	if err := ctx.RegisterComponentResource(Token, name, link, opts...); err != nil {
		return nil, err
	}
	for _, w := range warnings {
		if err := ctx.Log.Warn("havpn: "+w, &pulumi.LogArgs{Resource: link}); err != nil {
			return nil, err
		}
	}
	r := &renderer{ctx: ctx, plan: plan, spec: spec, args: args, link: link, parent: pulumi.Parent(link)}
	var foundGateway *linkplan.FoundGateway
	if plan.Azure.Source == linkplan.ExistingGateway {
		if foundGateway, err = r.lookupExistingGateway(); err != nil {
			return nil, err
		}
	}
	var foundRouter *linkplan.FoundRouter
	if plan.Gcp.ExistingRouter {
		if foundRouter, err = r.lookupExistingRouter(); err != nil {
			return nil, err
		}
	}
	r.psks = r.derivePSKs()
	r.checkAddressSpace()
	// The public IPs of a gateway the link creates come first and stand alone, so the Google side can
	// start as soon as they exist instead of waiting 45+ minutes for the Azure gateway.
	target, err := r.azureTarget(foundGateway)
	if err != nil {
		return nil, err
	}
	gcp, err := r.renderGcp(target.publicIps, foundRouter)
	if err != nil {
		return nil, err
	}
	azure, err := r.renderAzure(target, gcp)
	if err != nil {
		return nil, err
	}
	link.setOutputs(r, target, gcp, azure)
	return link, ctx.RegisterResourceOutputs(link, link.outputMap())
}

// renderer carries what every rendering step reads: the plan and the resource-reference inputs.
type renderer struct {
	ctx    *pulumi.Context
	plan   *linkplan.Plan
	spec   linkplan.Spec
	args   *HaVpnLinkArgs
	link   *HaVpnLink
	parent pulumi.ResourceOption
	psks   map[string]pulumi.StringOutput // by tunnel name, always secret
	// secretChecked resolves once a master secret known only later has passed validation; the Azure
	// gateway waits on it, so a bad secret fails before the 45-minute gateway is created.
	secretChecked pulumi.ResourceArrayOutput
	// addressPrefixes are the VNet ranges once they and the Google ranges against them passed
	// validation; addressSpaceChecked resolves then, and the Azure gateway waits on it too.
	addressPrefixes     pulumi.StringArrayOutput
	addressSpaceChecked pulumi.ResourceArrayOutput
}

// derivePSKs derives each tunnel's pre-shared key from the master secret (or, for the tunnels of
// rotation stage 1 while a rotation is staged, from nextSharedSecret); the result is secret even when
// the secrets were passed as plain text. Secrets known only later are validated here.
func (r *renderer) derivePSKs() map[string]pulumi.StringOutput {
	current := checkedSecret(r.args.SharedSecret, linkplan.ValidateSharedSecret)
	next := pulumi.String("").ToStringOutput()
	if r.args.NextSharedSecret != nil {
		next = checkedSecret(r.args.NextSharedSecret, linkplan.ValidateNextSharedSecret)
	}
	r.secretChecked = pulumi.All(current, next).ApplyT(func([]any) []pulumi.Resource { return nil }).(pulumi.ResourceArrayOutput)
	psks := map[string]pulumi.StringOutput{}
	for _, t := range r.plan.Tunnels {
		psks[t.Name] = pulumi.All(current, next).ApplyT(func(vs []any) string {
			return linkplan.DerivePSK(t.MasterSecretFor(vs[0].(string), vs[1].(string)), t.Name)
		}).(pulumi.StringOutput)
	}
	return psks
}

// checkedSecret marks a secret input secret and fails it, when it resolves, with the core's messages.
func checkedSecret(in pulumi.StringInput, validate func(string) linkplan.Problems) pulumi.StringOutput {
	return pulumi.ToSecret(in.ToStringOutput()).(pulumi.StringOutput).ApplyT(func(secret string) (string, error) {
		if problems := validate(secret); len(problems) > 0 {
			return "", problems
		}
		return secret, nil
	}).(pulumi.StringOutput)
}

func (l *HaVpnLink) setOutputs(r *renderer, target *azureTarget, gcp *gcpResources, azure *azureResources) {
	rows := pulumi.MapArray{}
	for _, t := range analysis.TunnelRows(r.plan) {
		rows = append(rows, pulumi.Map{
			"name":            pulumi.String(t.Name),
			"gcpGateway":      pulumi.Int(t.GcpGateway),
			"gcpInterface":    pulumi.Int(t.GcpInterface),
			"azureInstance":   pulumi.Int(t.AzureInstance),
			"bgpSessionRange": pulumi.String(t.BgpSessionRange),
			"gcpBgpIp":        pulumi.String(t.GcpBgpIp),
			"azureBgpIp":      pulumi.String(t.AzureBgpIp),
		})
	}
	secrets := pulumi.StringMap{}
	for name, psk := range r.psks {
		secrets[name] = psk
	}
	l.Tunnels = rows.ToMapArrayOutput()
	l.GcpGatewayIps = gcp.interfaceIps()
	l.AzurePublicIps = target.publicIpList
	l.AzureGatewayId = target.gatewayId
	l.GcpRouterName = gcp.routerName
	l.SharedSecrets = pulumi.ToSecret(secrets.ToStringMapOutput()).(pulumi.StringMapOutput)
	l.TopologyReport = pulumi.String(analysis.TopologyReport(r.plan)).ToStringOutput()
	// What `havpn status` needs to find the link's resources in both clouds' APIs.
	l.GcpProject, l.GcpRegion = gcp.routerProject, gcp.routerRegion
	tunnelNames, connectionIds := pulumi.StringMap{}, pulumi.StringMap{}
	for k, t := range r.plan.Tunnels {
		tunnelNames[t.Name] = gcp.tunnels[k].Name
		connectionIds[t.Name] = azure.connections[k].ID().ToStringOutput()
	}
	l.GcpTunnelNames, l.AzureConnectionIds = tunnelNames.ToStringMapOutput(), connectionIds.ToStringMapOutput()
}

func (l *HaVpnLink) outputMap() pulumi.Map {
	return pulumi.Map{
		"tunnels":        l.Tunnels,
		"gcpGatewayIps":  l.GcpGatewayIps,
		"azurePublicIps": l.AzurePublicIps,
		"azureGatewayId": l.AzureGatewayId,
		"gcpRouterName":  l.GcpRouterName,
		"sharedSecrets":  l.SharedSecrets,
		"topologyReport": l.TopologyReport,
		// For `havpn status`.
		"gcpProject":         l.GcpProject,
		"gcpRegion":          l.GcpRegion,
		"gcpTunnelNames":     l.GcpTunnelNames,
		"azureConnectionIds": l.AzureConnectionIds,
	}
}
