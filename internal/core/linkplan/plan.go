package linkplan

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// Plan is everything havpn decides about one link before any resource exists.
type Plan struct {
	Name        string
	Topology    Topology
	Gcp         GcpSide
	Azure       AzureSide
	Tunnels     []Tunnel
	IpsecPolicy cloudrules.IpsecPolicy
}

// GcpSide is the Google Cloud half of the plan.
type GcpSide struct {
	Asn                int64
	KeepaliveInterval  int
	AdvertisedIpRanges []netip.Prefix
	// RouterName is the Cloud Router's logical name, or the existing router's name when ExistingRouter.
	RouterName          string
	ExistingRouter      bool
	ExternalGatewayName string
	Gateways            []GcpGateway
	Firewall            FirewallRule
}

// GcpGateway is one HA VPN gateway; each has interfaces 0 and 1.
type GcpGateway struct {
	Index int
	Name  string
	// SelfLink is set when the gateway exists already (gcp.existingGateways): the link reads it, never creates it.
	SelfLink string
}

// GcpInterface is one interface of one HA VPN gateway.
type GcpInterface struct {
	Gateway   int
	Interface int
}

// FailureDomain names the interface as a unit that can fail.
func (i GcpInterface) FailureDomain() string {
	return fmt.Sprintf("gcp-gw%d-if%d", i.Gateway, i.Interface)
}

// FirewallRule is the ingress rule admitting the Azure address prefixes.
type FirewallRule struct {
	Enabled bool
	Name    string
	Allow   []FirewallAllowSpec
}

// AzureSide is the Azure half of the plan.
type AzureSide struct {
	Asn               int64
	GatewayName       string
	Sku               string // "" for an existing gateway (read at deployment)
	Generation        string
	Zones             []string
	DpdTimeoutSeconds int
	Instances         []AzureInstance
	// Source says whose the gateway is: the link's own, a hub's, or one havpn did not create.
	Source GatewaySource
	// Hub is the hub and slot the link uses when Source is HubGateway.
	Hub *HubUse
	// ExistingGatewayId is the gateway's ARM ID when Source is ExistingGateway.
	ExistingGatewayId string
}

// GatewaySource says where a link's Azure gateway comes from.
type GatewaySource string

const (
	// OwnGateway: the link creates the gateway and its two public IPs.
	OwnGateway GatewaySource = "own"
	// HubGateway: an AzureVpnHub owns the gateway; the link takes one of its slots.
	HubGateway GatewaySource = "hub"
	// ExistingGateway: a gateway havpn did not create, checked through the provider at deployment.
	ExistingGateway GatewaySource = "existing"
)

// HubUse is the hub slot a link takes.
type HubUse struct {
	Hub   string
	Slot  int
	Spoke string // the spoke the hub's registry records on the slot, or ""
}

// AzureInstance is one instance of the active-active gateway: one ipConfiguration, one public IP.
type AzureInstance struct {
	Index        int
	IpConfigName string       // "" for an existing gateway: read from it at deployment
	PublicIpName string       // the public IP's logical name; "" when the gateway is not the link's
	CustomBgpIps []netip.Addr // APIPA addresses this instance carries for the link's tunnels, in tunnel order
}

// FailureDomain names the instance as a unit that can fail.
func (a AzureInstance) FailureDomain() string { return AzureFailureDomain(a.Index) }

// AzureFailureDomain names Azure instance n as a failure domain.
func AzureFailureDomain(n int) string { return fmt.Sprintf("azure-inst%d", n) }

// Tunnel is one IPsec tunnel between a Google interface and an Azure instance, carrying one BGP session.
type Tunnel struct {
	Index         int
	Name          string
	GcpInterface  GcpInterface
	AzureInstance int
	Session       BgpSession
	// ConnectionBgpIps is, per Azure instance, the APIPA address that instance uses on this tunnel's
	// Azure connection (gatewayCustomBgpIpAddresses); only AzureInstance's entry carries the session.
	ConnectionBgpIps []netip.Addr
	// RotationStage is the step of a staged secret rotation in which this tunnel's key changes.
	RotationStage           int
	RouterInterfaceName     string
	BgpPeerName             string
	LocalNetworkGatewayName string
	ConnectionName          string
}

// BgpSession is the BGP session one tunnel carries: Azure is the first host of the /30, Google the second.
type BgpSession struct {
	Range    netip.Prefix
	GcpIp    netip.Addr
	AzureIp  netip.Addr
	GcpAsn   int64
	AzureAsn int64
}

// GcpInterfaceCount is the number of HA VPN interfaces each gateway has.
// Source: Google HA VPN docs (two interfaces per HA VPN gateway).
const GcpInterfaceCount = 2

// AzureInstanceCount is the number of instances of an active-active gateway.
// Source: Azure about-active-active gateways (exactly two ipConfigurations).
const AzureInstanceCount = 2

// tunnelEnds are the two ends of one tunnel: a Google HA VPN interface and an Azure instance.
type tunnelEnds struct {
	gcp   GcpInterface
	azure int
}

// TunnelInstances lists, in tunnel order, the Azure instance each tunnel of a topology ends on.
func TunnelInstances(t Topology) []int {
	var out []int
	for _, w := range wiring(t) {
		out = append(out, w.azure)
	}
	return out
}

// wiring returns, for a topology, the ends of each tunnel: interface I of every gateway goes to
// Azure instance I.
func wiring(t Topology) []tunnelEnds {
	var out []tunnelEnds
	for g := 0; g < t.GcpGatewayCount(); g++ {
		for i := 0; i < GcpInterfaceCount; i++ {
			out = append(out, tunnelEnds{GcpInterface{g, i}, i})
		}
	}
	return out
}

// Build validates the spec and computes the plan; on invalid input it returns every problem as Problems.
func Build(spec Spec) (*Plan, error) {
	if problems := Validate(spec); len(problems) > 0 {
		return nil, problems
	}
	return assemble(spec), nil
}

// assemble computes the plan of a spec that passed Validate.
func assemble(spec Spec) *Plan {
	topo := topologyOf(spec.Topology)
	ranges := sessionRanges(spec, topo)
	gcpAsn, azureAsn := gcpAsnOf(spec), azureAsnOf(spec)
	source := gatewaySourceOf(spec.Azure)
	p := &Plan{
		Name:        spec.Name,
		Topology:    topo,
		IpsecPolicy: ipsecPolicyOf(spec.IpsecPolicy),
		Gcp: GcpSide{
			Asn:                 gcpAsn,
			KeepaliveInterval:   intOr(spec.Gcp.KeepaliveInterval, cloudrules.DefaultKeepalive),
			AdvertisedIpRanges:  mustPrefixes(spec.Gcp.AdvertisedIpRanges),
			RouterName:          routerNameOf(spec),
			ExistingRouter:      spec.Gcp.ExistingRouter != "",
			ExternalGatewayName: spec.Name + "-azure-peer",
			Firewall: FirewallRule{
				Enabled: spec.Gcp.Firewall.Enabled == nil || *spec.Gcp.Firewall.Enabled,
				Name:    spec.Name + "-from-azure",
				Allow:   firewallAllowOf(spec.Gcp.Firewall.Allow),
			},
		},
		Azure: AzureSide{
			Asn:               azureAsn,
			GatewayName:       gatewayNameOf(spec),
			Sku:               skuOf(spec.Azure.Sku),
			Generation:        spec.Azure.Generation,
			Zones:             zonesOf(spec.Azure),
			DpdTimeoutSeconds: intOr(spec.Azure.DpdTimeoutSeconds, cloudrules.DefaultDpdTimeout),
			Source:            source,
		},
	}
	for g := 0; g < topo.GcpGatewayCount(); g++ {
		gw := GcpGateway{Index: g, Name: fmt.Sprintf("%s-gw%d", spec.Name, g)}
		if len(spec.Gcp.ExistingGateways) > 0 {
			gw.SelfLink = spec.Gcp.ExistingGateways[g]
		}
		p.Gcp.Gateways = append(p.Gcp.Gateways, gw)
	}
	for n := 0; n < AzureInstanceCount; n++ {
		inst := AzureInstance{Index: n, IpConfigName: IpConfigName(n)}
		if source == OwnGateway {
			inst.PublicIpName = publicIpName(spec.Name, n)
		}
		if source == ExistingGateway {
			inst.IpConfigName = ""
		}
		p.Azure.Instances = append(p.Azure.Instances, inst)
	}
	applyGatewaySource(p, spec)
	for k, w := range wiring(topo) {
		r := ranges[k]
		t := Tunnel{
			Index:         k,
			Name:          fmt.Sprintf("%s-t%d", spec.Name, k),
			GcpInterface:  w.gcp,
			AzureInstance: w.azure,
			Session: BgpSession{
				Range:    r,
				AzureIp:  r.Addr().Next(),
				GcpIp:    r.Addr().Next().Next(),
				GcpAsn:   gcpAsn,
				AzureAsn: azureAsn,
			},
			RotationStage:           rotationStageOf(w.azure),
			RouterInterfaceName:     fmt.Sprintf("%s-if%d", spec.Name, k),
			BgpPeerName:             fmt.Sprintf("%s-bgp%d", spec.Name, k),
			LocalNetworkGatewayName: fmt.Sprintf("%s-lng%d", spec.Name, k),
			ConnectionName:          fmt.Sprintf("%s-conn%d", spec.Name, k),
		}
		p.Tunnels = append(p.Tunnels, t)
		inst := &p.Azure.Instances[w.azure]
		inst.CustomBgpIps = append(inst.CustomBgpIps, t.Session.AzureIp)
	}
	for k := range p.Tunnels {
		p.Tunnels[k].ConnectionBgpIps = connectionBgpIps(p, p.Tunnels[k])
	}
	return p
}

// connectionBgpIps picks, per Azure instance, the APIPA it uses on tunnel t's connection: the tunnel's own
// address on its instance; on the other instance, the address of the tunnel from the same Google gateway
// (that instance's tunnel to this Google interface cannot come up, so any of its addresses is valid).
func connectionBgpIps(p *Plan, t Tunnel) []netip.Addr {
	out := make([]netip.Addr, AzureInstanceCount)
	for _, o := range p.Tunnels {
		if o.GcpInterface.Gateway == t.GcpInterface.Gateway {
			out[o.AzureInstance] = o.Session.AzureIp
		}
	}
	out[t.AzureInstance] = t.Session.AzureIp
	return out
}

// Stages of a staged secret rotation. While nextSharedSecret is set, the tunnels of stage 1 (those
// ending on Azure instance 0) take their keys from it; once sharedSecret takes the new value, the
// tunnels of stage 2 follow. Each `up` thus replaces only the tunnels of one Azure instance, a loss the
// link survives because the other instance carries the rest (analysis checks it for every plan).
const (
	RotationStageFirst  = 1
	RotationStageSecond = 2
)

func rotationStageOf(azureInstance int) int {
	if azureInstance == 0 {
		return RotationStageFirst
	}
	return RotationStageSecond
}

// MasterSecretFor returns the master secret tunnel t derives its key from: nextSharedSecret for the
// tunnels of stage 1 while a rotation is staged, sharedSecret otherwise.
func (t Tunnel) MasterSecretFor(current, next string) string {
	if next != "" && t.RotationStage == RotationStageFirst {
		return next
	}
	return current
}

// TunnelsOfRotationStage lists the names of the tunnels whose key changes in one rotation stage.
func (p *Plan) TunnelsOfRotationStage(stage int) []string {
	var out []string
	for _, t := range p.Tunnels {
		if t.RotationStage == stage {
			out = append(out, t.Name)
		}
	}
	return out
}

// publicIpName is the logical name of the public IP of Azure instance n of a gateway named after owner.
func publicIpName(owner string, n int) string { return fmt.Sprintf("%s-pip%d", owner, n) }

// PublicIpName is the logical name of the public IP of Azure instance n of a hub's or a link's gateway.
func PublicIpName(owner string, n int) string { return publicIpName(owner, n) }

// IpConfigName is the name havpn gives the ipConfiguration of Azure instance n of a gateway it creates.
func IpConfigName(n int) string { return fmt.Sprintf("instance%d", n) }

// sessionRanges returns the /30 of each tunnel: the hub slot's, the explicit ranges, or the allocation of the block.
func sessionRanges(spec Spec, topo Topology) []netip.Prefix {
	if index, ok := hubSlotOf(spec.Azure); ok {
		slot, _ := spec.Azure.Hub.SlotByIndex(index) // Validate refused a slot the hub does not have
		return mustPrefixes(slot.BgpSessionRanges)
	}
	if len(spec.BgpSessionRanges) > 0 {
		return mustPrefixes(spec.BgpSessionRanges)
	}
	return BlockRanges(topo, intOr(spec.BgpSessionBlock, 0))
}

// BlockRanges is havpn's default allocation, in tunnel order: block b gives the k-th tunnel on Azure
// instance n the /30 at 169.254.(21+n).(8b + 4k). A hub's slot s is block s of the slot topology.
func BlockRanges(topo Topology, block int) []netip.Prefix {
	perInstance := make([]int, AzureInstanceCount)
	var out []netip.Prefix
	for _, w := range wiring(topo) {
		k := perInstance[w.azure]
		perInstance[w.azure]++
		base := cloudrules.InstanceBlock[w.azure].Addr().As4()
		base[3] = byte(4 * (cloudrules.ApipaSlotsPerInstance*block + k))
		out = append(out, netip.PrefixFrom(netip.AddrFrom4(base), 30))
	}
	return out
}

// AzureGatewayResourceName is the Azure gateway's Pulumi name: the link's, whatever azure.gatewayName
// says, so a new gateway name replaces the gateway instead of creating a second one beside it.
func (p *Plan) AzureGatewayResourceName() string { return GatewayResourceName(p.Name) }

// GatewayResourceName is the Pulumi name of the gateway a link or a hub named owner creates.
func GatewayResourceName(owner string) string { return owner + "-vgw" }

// TunnelCount is the number of tunnels a topology builds.
func (t Topology) TunnelCount() int { return t.GcpGatewayCount() * GcpInterfaceCount }

// FailureDomains lists the link's failure domains: every Google interface, then every Azure instance.
func (p *Plan) FailureDomains() []string {
	var out []string
	for _, i := range p.GcpInterfaces() {
		out = append(out, i.FailureDomain())
	}
	for _, a := range p.Azure.Instances {
		out = append(out, a.FailureDomain())
	}
	return out
}

// GcpInterfaces lists every Google interface in gateway, interface order.
func (p *Plan) GcpInterfaces() []GcpInterface {
	var out []GcpInterface
	for _, g := range p.Gcp.Gateways {
		for i := 0; i < GcpInterfaceCount; i++ {
			out = append(out, GcpInterface{g.Index, i})
		}
	}
	return out
}

// TunnelFor returns the tunnel that starts at a Google interface.
func (p *Plan) TunnelFor(i GcpInterface) (Tunnel, bool) {
	k := slices.IndexFunc(p.Tunnels, func(t Tunnel) bool { return t.GcpInterface == i })
	if k < 0 {
		return Tunnel{}, false
	}
	return p.Tunnels[k], true
}

func topologyOf(s string) Topology {
	if s == "" {
		return Paired
	}
	return Topology(s)
}

func gcpAsnOf(spec Spec) int64 {
	if spec.Gcp.Asn == nil {
		return cloudrules.DefaultGcpAsn
	}
	return *spec.Gcp.Asn
}

// azureAsnOf is the Azure gateway's ASN: the hub's, the existing gateway's expected one, azure.asn, or Azure's default.
func azureAsnOf(spec Spec) int64 {
	a := spec.Azure
	switch {
	case a.Hub != nil:
		return a.Hub.Asn
	case a.ExistingGateway != nil && a.ExistingGateway.Asn != nil:
		return *a.ExistingGateway.Asn
	case a.Asn == nil:
		return cloudrules.DefaultAzureAsn
	}
	return *a.Asn
}

func skuOf(s string) string {
	if s == "" {
		return cloudrules.DefaultSku
	}
	return s
}

func zonesOf(a AzureSpec) []string {
	if a.Zones != nil {
		return slices.Clone(a.Zones)
	}
	if cloudrules.AzureSkus[skuOf(a.Sku)].Zonal {
		return slices.Clone(cloudrules.AzureZones)
	}
	return nil
}

// gatewayNameOf is fixed (never auto-named): the ipConfiguration IDs must be known before the gateway exists.
// A hub's or an existing gateway's name is theirs.
func gatewayNameOf(spec Spec) string {
	switch a := spec.Azure; {
	case a.Hub != nil:
		return a.Hub.GatewayName
	case a.ExistingGateway != nil:
		id, _ := ParseGatewayID(a.ExistingGateway.Id)
		return id.Name
	}
	if spec.Azure.GatewayName != "" {
		return spec.Azure.GatewayName
	}
	return spec.Name + "-vgw"
}

func firewallAllowOf(allow []FirewallAllowSpec) []FirewallAllowSpec {
	if len(allow) == 0 {
		return []FirewallAllowSpec{{Protocol: "all"}}
	}
	out := make([]FirewallAllowSpec, len(allow))
	for i, a := range allow {
		// Google's API lists protocol names in lowercase.
		out[i] = FirewallAllowSpec{Protocol: strings.ToLower(a.Protocol), Ports: slices.Clone(a.Ports)}
	}
	return out
}

func ipsecPolicyOf(s *IpsecPolicySpec) cloudrules.IpsecPolicy {
	p := cloudrules.DefaultIpsecPolicy
	if s == nil {
		return p
	}
	setIf(&p.IkeEncryption, s.IkeEncryption)
	setIf(&p.IkeIntegrity, s.IkeIntegrity)
	setIf(&p.DhGroup, s.DhGroup)
	setIf(&p.IpsecEncryption, s.IpsecEncryption)
	setIf(&p.IpsecIntegrity, s.IpsecIntegrity)
	setIf(&p.PfsGroup, s.PfsGroup)
	p.SaLifeTimeSeconds = intOr(s.SaLifeTimeSeconds, p.SaLifeTimeSeconds)
	p.SaDataSizeKilobytes = intOr(s.SaDataSizeKilobytes, p.SaDataSizeKilobytes)
	return p
}

func setIf(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func intOr(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

func mustPrefixes(ss []string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(ss))
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}
