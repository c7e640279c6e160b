package linkplan

// GatewayPlan is an active-active, BGP-enabled Azure VPN gateway and its two Standard public IPs as havpn
// creates them: a link's own gateway, or an AzureVpnHub's. Rendering either reads only this.
type GatewayPlan struct {
	// ResourceName is the gateway's Pulumi logical name; Name its fixed Azure name (the ipConfiguration
	// IDs embed it, so they are known before the gateway exists).
	ResourceName string
	Name         string
	Asn          int64
	Sku          string
	Generation   string
	Zones        []string
	// Instances carry the ipConfiguration names, the public IPs' logical names and every custom APIPA
	// address each instance holds.
	Instances []AzureInstance
	// Adopted, when set, names the resources of a single link this gateway was created as; rendering
	// aliases them so the engine moves them instead of replacing them.
	Adopted *Adoption
}

// Adoption is where a gateway and its public IPs were before: the logical names they had as the
// children of a top-level HaVpnLink.
type Adoption struct {
	Link                string
	GatewayResourceName string
	PublicIpNames       []string
}

// OwnGateway is the gateway of a link that creates it (Source OwnGateway).
func (p *Plan) OwnGateway() GatewayPlan {
	return GatewayPlan{
		ResourceName: p.AzureGatewayResourceName(),
		Name:         p.Azure.GatewayName,
		Asn:          p.Azure.Asn,
		Sku:          p.Azure.Sku,
		Generation:   p.Azure.Generation,
		Zones:        p.Azure.Zones,
		Instances:    p.Azure.Instances,
	}
}

// AdoptionOf is how a top-level HaVpnLink named link names its gateway and public IPs, for a hub that
// takes them over.
func AdoptionOf(link string) *Adoption {
	a := &Adoption{Link: link, GatewayResourceName: GatewayResourceName(link)}
	for n := 0; n < AzureInstanceCount; n++ {
		a.PublicIpNames = append(a.PublicIpNames, publicIpName(link, n))
	}
	return a
}
