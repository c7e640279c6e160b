package plandiff

import (
	"slices"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
)

// Stack configuration keys of the master secrets (envconfig's declaration).
var (
	sharedSecretKey     = envconfig.Qualify("sharedSecret")
	nextSharedSecretKey = envconfig.Qualify("nextSharedSecret")
)

// KeyChange is a change of the tunnels' pre-shared keys, told from the two plans' secret-config
// fingerprints (the plans never hold a secret): a stage of a staged rotation, or every key at once.
type KeyChange struct {
	Step    string   `json:"step"` // stage 1, stage 2, stage 1 undone, one step
	Tunnels []string `json:"tunnels"`
	Note    string   `json:"note"`
}

// The steps of a key change.
const (
	StepStage1     = "stage 1"
	StepStage2     = "stage 2"
	StepStage1Undo = "stage 1 undone"
	StepOneStep    = "one step"
)

// keyChange compares sharedSecret and nextSharedSecret between the plans; nil when neither changed.
func keyChange(base, head plandoc.Document) *KeyChange {
	curB, curH := base.SecretConfig[sharedSecretKey], head.SecretConfig[sharedSecretKey]
	nextB, nextH := base.SecretConfig[nextSharedSecretKey], head.SecretConfig[nextSharedSecretKey]
	stage := func(s string) []string { return inBoth(head.RotationStages[s], base) }
	switch {
	case curB == curH && nextB == nextH:
		return nil
	case curB == curH && nextH != "":
		return &KeyChange{StepStage1, stage("1"), "nextSharedSecret is set: stage 1 of a staged rotation moves the tunnels on Azure instance 0 to it; the others keep sharedSecret's keys"}
	case curB == curH:
		return &KeyChange{StepStage1Undo, stage("1"), "nextSharedSecret is removed while sharedSecret is unchanged: the tunnels on Azure instance 0 go back to sharedSecret's keys"}
	case nextB != "" && (nextH == "" || nextH == nextB):
		return &KeyChange{StepStage2, stage("2"), "sharedSecret changed after nextSharedSecret was staged: stage 2 moves the remaining tunnels, assuming sharedSecret now holds the staged value (if it does not, the stage-1 tunnels change too)"}
	}
	all := []string{}
	for _, t := range head.Tunnels {
		all = append(all, t.Name)
	}
	return &KeyChange{StepOneStep, inBoth(all, base), "sharedSecret changed with no rotation staged: every tunnel's key changes at once (told from the stored ciphertexts: if the same value was only re-encrypted, nothing changes). Stage it instead: set nextSharedSecret first, then move its value to sharedSecret (README: Rotating the master secret)"}
}

// inBoth keeps the tunnels the base plan has too: a new tunnel is created, not re-keyed.
func inBoth(tunnels []string, base plandoc.Document) []string {
	out := []string{}
	for _, t := range tunnels {
		if slices.ContainsFunc(base.Tunnels, func(r analysis.TunnelRow) bool { return r.Name == t }) {
			out = append(out, t)
		}
	}
	return out
}

// rekeyed are the inputs that hold a tunnel's pre-shared key, per resource type.
var rekeyed = map[string]string{
	cloudrules.TokenVpnTunnel:       "sharedSecret",
	cloudrules.TokenAzureConnection: "sharedKey",
}

// applyKeyChange records, on each re-keyed tunnel's Google tunnel and Azure connection, that its key
// input changed (both values stay masked); the verdicts then follow from the replace-or-update table
// and the component's options like any other change.
func applyKeyChange(r *Report, kc *KeyChange, base, head plandoc.Document) {
	if kc == nil || len(kc.Tunnels) == 0 {
		return
	}
	carried := map[string]string{} // resource -> the one tunnel it carries
	for _, c := range head.Carriers {
		if len(c.Tunnels) == 1 && len(c.Domains) == 0 {
			carried[c.Resource] = c.Tunnels[0]
		}
	}
	baseRes, headRes := index(base.Resources), index(head.Resources)
	for _, id := range sortedIDs(headRes) {
		input, keyed := rekeyed[id.Type]
		if _, inBase := baseRes[id]; !keyed || !inBase || !slices.Contains(kc.Tunnels, carried[id.Name]) {
			continue
		}
		field := FieldChange{Path: input, Kind: Modified, Old: plandoc.SecretMask, New: plandoc.SecretMask + " (new key: " + kc.Step + ")"}
		i := slices.IndexFunc(r.Changed, func(c ResourceChange) bool { return c.ResourceID == id })
		if i < 0 {
			r.Changed = append(r.Changed, ResourceChange{ResourceID: id, Fields: []FieldChange{}, DependsOnAdded: []string{}, DependsOnRemoved: []string{}})
			i = len(r.Changed) - 1
		}
		if !slices.ContainsFunc(r.Changed[i].Fields, func(f FieldChange) bool { return f.Path == input }) {
			r.Changed[i].Fields = append(r.Changed[i].Fields, field)
		}
	}
}
