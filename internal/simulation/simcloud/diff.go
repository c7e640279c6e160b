package simcloud

import (
	"slices"
	"sort"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// diffInputs compares old and new inputs key by key (deep, as JSON, secrets by their plaintext): a
// changed key replaces the resource where the real provider at the pinned version does
// (cloudrules.Replaces), any other change updates it. With onlyNewKeys (no old inputs from the
// engine, only old outputs) keys absent from the new inputs are not compared.
func diffInputs(k *Kind, olds, news obj, ignore []string, onlyNewKeys bool) *pulumirpc.DiffResponse {
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE, DetailedDiff: map[string]*pulumirpc.PropertyDiff{}, HasDetailedDiff: true}
	for _, key := range diffKeys(olds, news, onlyNewKeys) {
		if slices.Contains(ignore, key) {
			continue
		}
		kind, changed := keyChange(olds, news, key)
		if !changed || k.Cloud == Azure && sameLocation(key, olds[key], news[key]) {
			continue
		}
		replace := cloudrules.Replaces(k.Token, key, olds[key], news[key], !isUnknown(news[key]))
		if replace {
			kind = replaceKind(kind)
			resp.Replaces = append(resp.Replaces, key)
		}
		resp.Diffs = append(resp.Diffs, key)
		resp.DetailedDiff[key] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	if len(resp.Diffs) > 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	// A user-chosen name cannot exist twice: the old resource must go first (as the bridged providers do).
	resp.DeleteBeforeReplace = len(resp.Replaces) > 0 && !wasDefaulted(news, k.NameKey)
	return resp
}

// diffKeys lists the input keys to compare, sorted; internal keys (such as __defaults) are skipped.
func diffKeys(olds, news obj, onlyNewKeys bool) []string {
	set := map[string]bool{}
	for key := range news {
		set[key] = true
	}
	if !onlyNewKeys {
		for key := range olds {
			set[key] = true
		}
	}
	var out []string
	for key := range set {
		if !strings.HasPrefix(key, "__") {
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}

// keyChange classifies one key: added, deleted or updated, or unchanged. An unknown new value counts as a change.
func keyChange(olds, news obj, key string) (pulumirpc.PropertyDiff_Kind, bool) {
	oldAbsent, newAbsent := absent(olds, key), absent(news, key)
	switch {
	case oldAbsent && newAbsent:
		return 0, false
	case oldAbsent:
		return pulumirpc.PropertyDiff_ADD, true
	case newAbsent:
		return pulumirpc.PropertyDiff_DELETE, true
	case isUnknown(news[key]) || canonical(olds[key]) != canonical(news[key]):
		return pulumirpc.PropertyDiff_UPDATE, true
	}
	return 0, false
}

func replaceKind(k pulumirpc.PropertyDiff_Kind) pulumirpc.PropertyDiff_Kind {
	switch k {
	case pulumirpc.PropertyDiff_ADD:
		return pulumirpc.PropertyDiff_ADD_REPLACE
	case pulumirpc.PropertyDiff_DELETE:
		return pulumirpc.PropertyDiff_DELETE_REPLACE
	}
	return pulumirpc.PropertyDiff_UPDATE_REPLACE
}

// sameLocation: azure-native compares a top-level location without case and spaces ("West US 2" is
// "westus2"). Source: pulumi/pulumi-azure-native provider/pkg/provider/diff.go applyAzureSpecificDiff.
func sameLocation(key string, old, new any) bool {
	o, ok1 := old.(string)
	n, ok2 := new.(string)
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }
	return key == "location" && ok1 && ok2 && norm(o) == norm(n)
}
