package simcloud

import (
	"google.golang.org/grpc/codes"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// apiUpdate is what the simulated API makes of an in-place update, as the real one does
// (cloudrules.ReplaceRules, FieldRule.API): a change it refuses fails with its error, in its words; a
// value it keeps (a connection PUT and its sharedKey) stays as it was, whatever the request said.
func (s *Server) apiUpdate(k *Kind, prev *Record, in obj) (obj, error) {
	out := clone(in)
	for _, key := range diffKeys(prev.Inputs, in, false) {
		if _, changed := keyChange(prev.Inputs, in, key); !changed || k.Cloud == Azure && sameLocation(key, prev.Inputs[key], in[key]) {
			continue
		}
		rule, ok := cloudrules.RuleFor(k.Token, key)
		if !ok || rule.API == nil {
			continue
		}
		switch rule.API.Result {
		case cloudrules.Refused:
			old := prev.Inputs[key]
			if absent(prev.Inputs, key) {
				old = prev.Outputs[key]
			}
			msg := rule.API.APIError(prev.Physical(), strOr(prev.Inputs, "resourceGroupName", ""), old, in[key])
			return nil, s.errorf(codes.FailedPrecondition, "update of %s %q refused by the API: %s (source: %s)", k.Token, prev.Physical(), msg, rule.API.Source)
		case cloudrules.KeptOld:
			if absent(prev.Inputs, key) {
				delete(out, key)
			} else {
				out[key] = prev.Inputs[key]
			}
		}
	}
	return out, nil
}
