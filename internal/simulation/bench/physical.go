// Package bench measures deployment time with the real Pulumi engine against the SIMULATED clouds and
// compares it with a lower bound: the longest path through the dependencies that are physically
// necessary, weighted by the simulated provisioning times. The bound is computed from the deployed
// resources and the table below, never from the component's own dependency graph, so a needless
// dependency in the component shows up as a ratio above 1.
package bench

import (
	"fmt"
	"sort"
	"strings"
)

// Resource is one deployed resource as the simulator stores it.
type Resource struct {
	ID      string         `json:"id"`
	Type    string         `json:"type"`
	Name    string         `json:"name"` // logical name
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
}

// need is one physically necessary dependency: the value at Path in a resource of type From can only
// exist once a resource of type To exists (it is To's ID, name or address).
type need struct {
	From, Path, To string
	Why            string
}

const (
	rg         = "azure-native:resources:ResourceGroup"
	vnet       = "azure-native:network:VirtualNetwork"
	subnet     = "azure-native:network:Subnet"
	pip        = "azure-native:network:PublicIPAddress"
	vgw        = "azure-native:network:VirtualNetworkGateway"
	lng        = "azure-native:network:LocalNetworkGateway"
	conn       = "azure-native:network:VirtualNetworkGatewayConnection"
	network    = "gcp:compute/network:Network"
	subnetwork = "gcp:compute/subnetwork:Subnetwork"
	haGateway  = "gcp:compute/haVpnGateway:HaVpnGateway"
	extGateway = "gcp:compute/externalVpnGateway:ExternalVpnGateway"
	router     = "gcp:compute/router:Router"
	tunnel     = "gcp:compute/vPNTunnel:VPNTunnel"
	routerIf   = "gcp:compute/routerInterface:RouterInterface"
	routerPeer = "gcp:compute/routerPeer:RouterPeer"
	firewall   = "gcp:compute/firewall:Firewall"
)

// Needs is the table of physically necessary dependencies (the README lists it).
var Needs = []need{
	{vnet, "resourceGroupName", rg, "a VNet lives in its resource group"},
	{subnet, "resourceGroupName", rg, "a subnet lives in its resource group"},
	{subnet, "virtualNetworkName", vnet, "a subnet lives in its VNet"},
	{pip, "resourceGroupName", rg, "a public IP lives in its resource group"},
	{vgw, "ipConfigurations[].publicIPAddress.id", pip, "the gateway needs its public IPs"},
	{vgw, "ipConfigurations[].subnet.id", subnet, "the gateway needs the GatewaySubnet"},
	{lng, "gatewayIpAddress", haGateway, "an LNG needs its Google interface's IP"},
	{lng, "resourceGroupName", rg, "an LNG lives in its resource group"},
	{conn, "virtualNetworkGateway1.id", vgw, "a connection needs its gateway"},
	{conn, "localNetworkGateway2.id", lng, "a connection needs its LNG"},
	{subnetwork, "network", network, "a subnet lives in its VPC"},
	{haGateway, "network", network, "an HA VPN gateway lives in its VPC"},
	{router, "network", network, "a Cloud Router lives in its VPC"},
	{firewall, "network", network, "a firewall rule lives in its VPC"},
	{extGateway, "interfaces[].ipAddress", pip, "the external gateway holds the Azure public IPs"},
	{tunnel, "vpnGateway", haGateway, "a tunnel needs its HA VPN gateway"},
	{tunnel, "peerExternalGateway", extGateway, "a tunnel needs the external gateway"},
	{tunnel, "router", router, "a tunnel needs its Cloud Router"},
	{routerIf, "router", router, "a router interface lives on its router"},
	{routerIf, "vpnTunnel", tunnel, "a router interface binds its tunnel"},
	{routerPeer, "router", router, "a BGP peer lives on its router"},
	{routerPeer, "interface", routerIf, "a BGP peer needs its interface"},
}

// values returns the strings at a path; "[]" walks every element of a list.
func values(v any, path string) []string {
	if path == "" {
		if s, ok := v.(string); ok {
			return []string{s}
		}
		return nil
	}
	head, rest, _ := strings.Cut(path, ".")
	list := strings.HasSuffix(head, "[]")
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	next := m[strings.TrimSuffix(head, "[]")]
	if !list {
		return values(next, rest)
	}
	var out []string
	items, _ := next.([]any)
	for _, item := range items {
		out = append(out, values(item, rest)...)
	}
	return out
}

// identifiers are the values by which other resources refer to r: its ID, self link, name, addresses.
func identifiers(r Resource) []string {
	ids := []string{r.ID}
	for _, key := range []string{"selfLink", "name", "ipAddress", "id"} {
		ids = append(ids, values(r.Outputs, key)...)
	}
	ids = append(ids, values(r.Outputs, "vpnInterfaces[].ipAddress")...)
	return ids
}

// Edges returns, for each resource ID, the IDs of the resources it physically needs.
func Edges(resources []Resource) (map[string][]string, error) {
	byType := map[string][]Resource{}
	for _, r := range resources {
		byType[r.Type] = append(byType[r.Type], r)
	}
	edges := map[string][]string{}
	for _, r := range resources {
		for _, n := range Needs {
			if n.From != r.Type {
				continue
			}
			refs := values(r.Inputs, n.Path)
			if len(refs) == 0 {
				// A renamed or missing input would otherwise drop the dependency, and lower the bound, silently.
				return nil, fmt.Errorf("%s %s has no %s, which the physical table expects (%s)", r.Type, r.Name, n.Path, n.Why)
			}
			for _, ref := range refs {
				target, ok := find(byType[n.To], ref)
				if !ok {
					return nil, fmt.Errorf("%s %s: %s = %q names no %s", r.Type, r.Name, n.Path, ref, n.To)
				}
				edges[r.ID] = append(edges[r.ID], target.ID)
			}
		}
	}
	return edges, nil
}

func find(candidates []Resource, ref string) (Resource, bool) {
	for _, c := range candidates {
		for _, id := range identifiers(c) {
			if id != "" && (id == ref || strings.HasSuffix(ref, "/"+id)) {
				return c, true
			}
		}
	}
	return Resource{}, false
}

// LowerBound is the longest path through the physical dependencies, each resource weighted by its
// simulated provisioning time; it returns the length and the path's logical names.
func LowerBound(resources []Resource, seconds func(typ string) float64) (float64, []string, error) {
	edges, err := Edges(resources)
	if err != nil {
		return 0, nil, err
	}
	byID := map[string]Resource{}
	for _, r := range resources {
		byID[r.ID] = r
	}
	finish := map[string]float64{}
	via := map[string]string{}
	var visit func(id string, depth int) (float64, error)
	visit = func(id string, depth int) (float64, error) {
		if f, ok := finish[id]; ok {
			return f, nil
		}
		if depth > len(resources) {
			return 0, fmt.Errorf("dependency cycle through %s", id)
		}
		start := 0.0
		for _, dep := range edges[id] {
			f, err := visit(dep, depth+1)
			if err != nil {
				return 0, err
			}
			if f > start {
				start, via[id] = f, dep
			}
		}
		finish[id] = start + seconds(byID[id].Type)
		return finish[id], nil
	}
	best, last := 0.0, ""
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		f, err := visit(id, 0)
		if err != nil {
			return 0, nil, err
		}
		if f > best {
			best, last = f, id
		}
	}
	var path []string
	for id := last; id != ""; id = via[id] {
		path = append([]string{byID[id].Name}, path...)
	}
	return best, path, nil
}
