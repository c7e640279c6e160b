package simrun

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
	"github.com/havpn/pulumi-havpn/internal/simulation/simcloud"
)

// spokesKey is the hub stack's spoke registry.
var spokesKey = envconfig.Qualify("spokes")

// Spokes reads a hub stack configuration's spoke registry.
func Spokes(cfg auto.ConfigMap) ([]envconfig.HubSpoke, error) {
	var spokes []envconfig.HubSpoke
	if v, ok := cfg[spokesKey]; ok && strings.TrimSpace(v.Value) != "" {
		if err := json.Unmarshal([]byte(v.Value), &spokes); err != nil {
			return nil, fmt.Errorf("%s: %w", spokesKey, err)
		}
	}
	return spokes, nil
}

// RegisterSpoke adds a spoke to a hub stack configuration's registry (havpn:spokes), as the hub team
// would with pulumi config set --path 'havpn:spokes[n].name' (and .slot, .asn); SetConfig then stores it.
func RegisterSpoke(cfg auto.ConfigMap, spoke envconfig.HubSpoke) error {
	spokes, err := Spokes(cfg)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(spokes, func(s envconfig.HubSpoke) bool { return s.Name == spoke.Name }) {
		return fmt.Errorf("%s already registers %s", spokesKey, spoke.Name)
	}
	return setSpokes(cfg, append(spokes, spoke))
}

// UnregisterSpoke removes a spoke from a hub stack configuration's registry.
func UnregisterSpoke(cfg auto.ConfigMap, name string) error {
	spokes, err := Spokes(cfg)
	if err != nil {
		return err
	}
	kept := slices.DeleteFunc(spokes, func(s envconfig.HubSpoke) bool { return s.Name == name })
	if len(kept) == len(spokes) {
		return fmt.Errorf("%s does not register %s", spokesKey, name)
	}
	return setSpokes(cfg, kept)
}

func setSpokes(cfg auto.ConfigMap, spokes []envconfig.HubSpoke) error {
	raw, err := json.Marshal(spokes)
	if err != nil {
		return err
	}
	cfg[spokesKey] = auto.ConfigValue{Value: string(raw)}
	return nil
}

// StackOfURN is the stack a resource URN belongs to (urn:pulumi:<stack>::<project>::<type>::<name>).
func StackOfURN(urn string) string {
	return strings.SplitN(strings.TrimPrefix(urn, "urn:pulumi:"), "::", 2)[0]
}

// OpsOnStack lists the timeline's operations on a stack's resources that happened after a moment (Unix
// nanoseconds), optionally only those of some resource types.
func OpsOnStack(entries []simcloud.TimelineEntry, stack string, after int64, types ...string) []simcloud.TimelineEntry {
	var out []simcloud.TimelineEntry
	for _, e := range entries {
		if e.At() > after && StackOfURN(e.URN) == stack && (len(types) == 0 || slices.Contains(types, e.Type)) {
			out = append(out, e)
		}
	}
	return out
}

// LinkTunnels lists the Google names of a link's tunnels in a session report (its tunnels' Pulumi names
// are <link>-t<k>), for simcloud.MeasureDisruption.
func LinkTunnels(r *SessionReport, link string) []string {
	var out []string
	for _, s := range r.Sessions {
		if rest, ok := strings.CutPrefix(s.LogicalName, link+"-t"); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			out = append(out, s.Tunnel)
		}
	}
	return out
}
