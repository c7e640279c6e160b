package simcloud

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Why a session is not established (Session.Cause): the first layer that fails. The simulated read
// APIs (statusapi) turn these into the status values the real APIs report.
const (
	CauseNotWired         = "not-wired"         // no Azure instance or connection answers the tunnel
	CauseIkeMismatch      = "ike-mismatch"      // IKE version or connection type differ
	CausePskMismatch      = "psk-mismatch"      // the two pre-shared keys differ
	CauseProposalMismatch = "proposal-mismatch" // Google refuses the connection's IPsec/IKE policy (e.g. no PFS)
	CauseBgpMismatch      = "bgp-mismatch"      // IPsec up, BGP addresses or ASNs disagree
	CauseInterrupted      = "interrupted"       // an update or delete is working on a resource it runs through
	CauseTunnelDown       = "tunnel-down"       // injected: no IKE packets reach Google
	CauseBgpDown          = "bgp-down"          // injected: IPsec up, the Cloud Router does not open BGP
	CauseInstanceDown     = "azure-instance-down"
)

// LiveFault is a failure injected into a deployed simulated world (`simcloud fault inject`). The
// session report, the simulated read APIs and the end-to-end tests all read these records.
type LiveFault struct {
	Kind   string `json:"kind"`
	Target string `json:"target"`
}

// LiveFaultKinds maps each kind to what it does and what its target names.
var LiveFaultKinds = map[string]struct{ Effect, Target string }{
	"tunnel-down":         {"the tunnel's IPsec is down: no IKE packets reach Google", "a tunnel (Pulumi name, Google name or all)"},
	"psk-mismatch":        {"the Azure connection's shared key no longer matches the tunnel's", "a tunnel (Pulumi name, Google name or all)"},
	"phase2-mismatch":     {"the Azure connection proposes a phase-2 policy Google refuses (no PFS)", "a tunnel (Pulumi name, Google name or all)"},
	"bgp-down":            {"IPsec stays up but the Cloud Router does not open the BGP session", "a tunnel (Pulumi name, Google name or all)"},
	"azure-instance-down": {"one Azure gateway instance stops answering: its tunnels and BGP peers go away", "an Azure instance: its ipConfiguration name (instance0, instance1)"},
}

// faultCause is the session cause each fault kind produces.
var faultCause = map[string]string{
	"tunnel-down": CauseTunnelDown, "psk-mismatch": CausePskMismatch, "phase2-mismatch": CauseProposalMismatch,
	"bgp-down": CauseBgpDown, "azure-instance-down": CauseInstanceDown,
}

// InstanceDown reports whether a fault takes the Azure instance (gateway name, ipConfiguration name) down.
func (st *State) InstanceDown(gateway, ipConfig string) bool {
	return slices.ContainsFunc(st.LiveFaults, func(f LiveFault) bool {
		return f.Kind == "azure-instance-down" && (f.Target == ipConfig || f.Target == gateway+"/"+ipConfig)
	})
}

// matches reports whether a fault applies to a session.
func (f LiveFault) matches(s *Session) bool {
	if f.Kind == "azure-instance-down" {
		return s.AzureInstance != "" && (f.Target == s.AzureInstance || strings.HasSuffix(s.AzureInstance, "/"+f.Target))
	}
	return f.Target == "all" || f.Target == s.LogicalName || f.Target == s.Tunnel
}

// applyLiveFaults takes a session down the way its injected faults say. A fault on IPsec takes
// BGP down with it; bgp-down keeps IPsec as it was.
func applyLiveFaults(st *State, s *Session) {
	for _, f := range st.LiveFaults {
		if !f.matches(s) {
			continue
		}
		s.Reasons = append(s.Reasons, fmt.Sprintf("injected fault %s (simcloud fault inject): %s", f.Kind, LiveFaultKinds[f.Kind].Effect))
		switch {
		case f.Kind != "bgp-down":
			s.Ipsec, s.Cause = IpsecDown, faultCause[f.Kind]
		case s.Ipsec == IpsecUp:
			s.Cause = CauseBgpDown
		}
		s.Bgp = BgpDown
	}
}

// InjectFault records a live fault in the state directory and rewrites the session report. The
// target must name something deployed.
func (s *Store) InjectFault(f LiveFault) error {
	if _, ok := LiveFaultKinds[f.Kind]; !ok {
		return fmt.Errorf("unknown fault kind %q; kinds: %s", f.Kind, strings.Join(FaultKindNames(), ", "))
	}
	return s.Update(func(st *State) error {
		if targets := faultTargets(st, f.Kind); !slices.Contains(targets, f.Target) {
			return fmt.Errorf("fault %s: target %q is not deployed; targets: %s", f.Kind, f.Target, strings.Join(targets, ", "))
		}
		if !slices.Contains(st.LiveFaults, f) {
			st.LiveFaults = append(st.LiveFaults, f)
		}
		return s.writeSessions(BuildReport(st))
	})
}

// ClearFaults removes the live faults that match kind and target ("" matches any) and rewrites the
// session report; it returns how many were removed.
func (s *Store) ClearFaults(kind, target string) (int, error) {
	removed := 0
	err := s.Update(func(st *State) error {
		kept := st.LiveFaults[:0]
		for _, f := range st.LiveFaults {
			if (kind == "" || f.Kind == kind) && (target == "" || f.Target == target) {
				removed++
				continue
			}
			kept = append(kept, f)
		}
		st.LiveFaults = kept
		return s.writeSessions(BuildReport(st))
	})
	return removed, err
}

// Faults lists the live faults of the state directory.
func (s *Store) Faults() ([]LiveFault, error) {
	var out []LiveFault
	err := s.View(func(st *State) error {
		out = slices.Clone(st.LiveFaults)
		return nil
	})
	return out, err
}

// FaultKindNames lists the fault kinds, sorted.
func FaultKindNames() []string {
	var out []string
	for k := range LiveFaultKinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// faultTargets lists what a fault of this kind can name in the deployed world.
func faultTargets(st *State, kind string) []string {
	var out []string
	if kind == "azure-instance-down" {
		for _, gw := range st.OfType(azureGateway) {
			for _, cfg := range objects(gw.Inputs, "ipConfigurations") {
				name := strOr(cfg, "name", "")
				out = append(out, name, gw.Physical()+"/"+name)
			}
		}
		return out
	}
	for _, t := range st.OfType(gcpTunnel) {
		out = append(out, t.Name, t.Physical())
	}
	return append(out, "all")
}

// because records why the session is not established: the first layer that fails wins.
func (e *sessionEval) because(cause string) {
	if e.s.Cause == "" {
		e.s.Cause = cause
	}
}
