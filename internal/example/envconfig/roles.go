package envconfig

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// checkRole refuses an unknown role, a key the role does not read that a stack sets to anything but its
// default (the value would be ignored), a key the role needs left at its default, and a hub stack name
// that is not fully qualified.
func (r *reader) checkRole(e *Environment) {
	if !slices.Contains(Roles, e.Role) {
		r.bad("role", string(e.Role), `the example program builds one of three roles: "link" (one link with its own Azure gateway), "hub" or "spoke" (team stacks around an AzureVpnHub)`,
			"set it to link, hub or spoke")
		return
	}
	for _, k := range Keys {
		set := r.isSet(k)
		switch {
		case set && !k.ReadBy(e.Role):
			r.errs = append(r.errs, fmt.Sprintf("%s = %s: a %s stack does not read this key (%s), so its value would be ignored. Fix: remove it from this stack (pulumi config rm %s)%s.",
				k.Qualified(), r.shown(k), e.Role, readers(k), k.Qualified(), elsewhere(k, e.Role)))
		case !set && k.RequiredBy(e.Role):
			r.errs = append(r.errs, fmt.Sprintf("%s is not set: a %s stack needs it: %s.", k.Qualified(), e.Role, k.Need))
		}
	}
	if e.Role == RoleSpoke && e.HubStack != "" && !fullyQualified(e.HubStack) {
		r.bad("hubStack", e.HubStack, "a spoke names its hub stack fully qualified, <organization>/<project>/<stack>, so the StackReference resolves the same stack from any project and on any backend (a shorter name resolves in the reading stack's own project: pulumi/pulumi v3.274.1, pkg/backend/diy/store.go)",
			"use organization/havpn/hub on a DIY backend (file://, azblob://), <org>/havpn/hub on Pulumi Cloud")
	}
}

// isSet reports whether the stack gives the key a value other than its declared default. The Pulumi CLI
// hands a program the declared defaults of unset keys too, so a value equal to the default counts as unset.
func (r *reader) isSet(k Key) bool {
	v, ok := r.get(k.Name)
	if !ok || v == "" {
		return false
	}
	return !sameValue(k, v, EngineValue(k.Default))
}

// sameValue compares two values of a key as the engine hands them over: numbers by value, lists and
// objects by content (their JSON may order keys differently).
func sameValue(k Key, a, b string) bool {
	switch k.Type {
	case Integer:
		x, errX := strconv.Atoi(a)
		y, errY := strconv.Atoi(b)
		return errX == nil && errY == nil && x == y
	case Array, Object:
		var x, y any
		return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && reflect.DeepEqual(x, y)
	}
	return a == b
}

// shown is a refused key's value for a message; a secret's is never shown.
func (r *reader) shown(k Key) string {
	if k.Secret || k.Encrypt {
		return "(secret)"
	}
	v, _ := r.get(k.Name)
	return show(v)
}

// readers names the roles that read a key.
func readers(k Key) string {
	names := make([]string, len(k.Roles))
	for i, r := range k.Roles {
		names[i] = string(r)
	}
	return "only " + strings.Join(names, " and ") + " stacks do"
}

// elsewhere says where a key a spoke or a hub does not read belongs in team stacks.
func elsewhere(k Key, role Role) string {
	switch {
	case role == RoleSpoke && k.ReadBy(RoleHub):
		return "; in team stacks it is the hub stack's"
	case role == RoleHub && k.ReadBy(RoleSpoke):
		return "; in team stacks each spoke stack sets its own"
	}
	return ""
}

// fullyQualified reports whether a stack name has its organization, project and stack.
func fullyQualified(name string) bool {
	parts := strings.Split(name, "/")
	return len(parts) == 3 && !slices.Contains(parts, "")
}
