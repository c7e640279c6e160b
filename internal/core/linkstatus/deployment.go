package linkstatus

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// ComponentType is the HaVpnLink's Pulumi type token.
const ComponentType = "havpn:index:HaVpnLink"

// deployment is the part of a Pulumi deployment (`pulumi stack export`) status reads.
type deployment struct {
	Resources []struct {
		URN     string          `json:"urn"`
		Type    string          `json:"type"`
		Outputs json.RawMessage `json:"outputs"`
	} `json:"resources"`
}

// linkOutputs are the HaVpnLink outputs status needs (component/link.go, schema.json).
type linkOutputs struct {
	Tunnels            []PlannedTunnel   `json:"tunnels"`
	AzurePublicIps     []string          `json:"azurePublicIps"`
	AzureGatewayId     string            `json:"azureGatewayId"`
	GcpRouterName      string            `json:"gcpRouterName"`
	GcpProject         string            `json:"gcpProject"`
	GcpRegion          string            `json:"gcpRegion"`
	GcpTunnelNames     map[string]string `json:"gcpTunnelNames"`
	AzureConnectionIds map[string]string `json:"azureConnectionIds"`
}

// LinkFromDeployment finds the HaVpnLink named name (any, when there is exactly one) in an exported
// deployment and returns the link its outputs describe, checked.
func LinkFromDeployment(raw []byte, name string) (Link, error) {
	var d deployment
	if err := json.Unmarshal(raw, &d); err != nil {
		return Link{}, fmt.Errorf("reading the stack's deployment: %w", err)
	}
	found := map[string]json.RawMessage{}
	for _, r := range d.Resources {
		if r.Type == ComponentType {
			found[r.URN[strings.LastIndex(r.URN, "::")+2:]] = r.Outputs
		}
	}
	names := make([]string, 0, len(found))
	for n := range found {
		names = append(names, n)
	}
	sort.Strings(names)
	switch {
	case len(found) == 0:
		return Link{}, fmt.Errorf("the stack has no %s resource (deployed yet?)", ComponentType)
	case name == "" && len(found) > 1:
		return Link{}, fmt.Errorf("the stack has %d links (%s): choose one with --link", len(found), strings.Join(names, ", "))
	case name == "":
		name = names[0]
	case found[name] == nil:
		return Link{}, fmt.Errorf("the stack has no link named %q; it has %s", name, strings.Join(names, ", "))
	}
	var out linkOutputs
	if err := json.Unmarshal(found[name], &out); err != nil {
		return Link{}, fmt.Errorf("link %q: reading its outputs: %w", name, err)
	}
	link := Link{
		Name: name, GcpProject: out.GcpProject, GcpRegion: out.GcpRegion, GcpRouter: out.GcpRouterName,
		AzureGatewayID: out.AzureGatewayId, AzurePublicIps: out.AzurePublicIps, Tunnels: out.Tunnels,
	}
	for k := range link.Tunnels {
		t := &link.Tunnels[k]
		t.GcpTunnelName, t.AzureConnectionID = out.GcpTunnelNames[t.Name], out.AzureConnectionIds[t.Name]
	}
	if err := link.Check(); err != nil {
		return Link{}, fmt.Errorf("%w (a stack deployed before havpn exported gcpProject, gcpRegion, gcpTunnelNames and azureConnectionIds needs one `pulumi up`)", err)
	}
	return link, nil
}
