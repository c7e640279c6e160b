package simcloud

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/havpn/pulumi-havpn/internal/core/cloudrules"
)

// Failure is one rule violation, returned to the engine as a CheckFailure.
type Failure struct {
	Property string `json:"property"`
	Reason   string `json:"reason"`
}

// Checker evaluates the rules of one resource against its inputs and the simulated cloud.
type Checker struct {
	Kind     *Kind
	Set      Settings
	In       obj
	St       *State
	Strict   bool   // Create/Update: every referenced resource must exist
	SelfID   string // the resource's own ID, excluded from uniqueness rules
	Failures []Failure
}

// newChecker prepares the rules of one resource.
func newChecker(k *Kind, set Settings, in obj, st *State, strict bool) *Checker {
	c := &Checker{Kind: k, Set: set, In: in, St: st, Strict: strict}
	c.SelfID, _ = k.ID(set, in)
	return c
}

// run evaluates the Check rules, and the create-time rules when asked.
func (c *Checker) run(atCreate bool) []Failure {
	c.Kind.Rules(c)
	if atCreate && c.Kind.CreateRules != nil {
		c.Kind.CreateRules(c)
	}
	return c.Failures
}

// fail records a violation, labelled simulated and citing the rule's source.
func (c *Checker) fail(prop, source, format string, args ...any) {
	reason := fmt.Sprintf("%s: %s (Source: %s)", c.Kind.Cloud.Label, fmt.Sprintf(format, args...), source)
	c.Failures = append(c.Failures, Failure{Property: prop, Reason: reason})
}

// require fails for every listed input that is missing (unknown values pass).
func (c *Checker) require(source string, keys ...string) {
	for _, k := range keys {
		if absent(c.In, k) {
			c.fail(k, source, "%s is required", k)
		}
	}
}

// oneOf fails when a known string input is not an allowed value.
func (c *Checker) oneOf(key, source string, allowed ...string) {
	if v, ok := str(c.In, key); ok && !slices.Contains(allowed, v) {
		c.fail(key, source, "%s %q is not one of %s", key, v, strings.Join(allowed, ", "))
	}
}

// others lists the records of a type other than this resource.
func (c *Checker) others(token string) []*Record {
	var out []*Record
	for _, r := range c.St.OfType(token) {
		if !strings.EqualFold(r.ID, c.SelfID) {
			out = append(out, r)
		}
	}
	return out
}

// missing fails, at Create and Update only, for a known reference that names no existing resource.
func (c *Checker) missing(prop, what, ref string) {
	if c.Strict {
		c.fail(prop, "simulated cloud state", "%s %q does not exist", what, ref)
	}
}

// prefix parses a CIDR that must be in canonical (network address) form.
func (c *Checker) prefix(prop, source, s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		c.fail(prop, source, "%q is not a valid CIDR range", s)
		return netip.Prefix{}, false
	}
	if p.Masked() != p {
		c.fail(prop, source, "%q is not a network address; use %s", s, p.Masked())
		return netip.Prefix{}, false
	}
	return p, true
}

// ipv4 parses an IPv4 address.
func (c *Checker) ipv4(prop, source, s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		c.fail(prop, source, "%q is not a valid IPv4 address", s)
		return netip.Addr{}, false
	}
	return a, true
}

// asnProblem says why an ASN is refused: outside 1..2^32-1 or in one of the reserved tables.
func asnProblem(asn float64, reserved ...[]cloudrules.AsnRange) string {
	if asn != float64(int64(asn)) || asn < 1 || asn > cloudrules.MaxAsn {
		return fmt.Sprintf("ASN %v is not an integer between 1 and %d", asn, int64(cloudrules.MaxAsn))
	}
	for _, table := range reserved {
		if r, ok := cloudrules.FindAsn(int64(asn), table); ok {
			return fmt.Sprintf("ASN %d is %s", int64(asn), r.Why)
		}
	}
	return ""
}

// overlaps reports whether two prefixes share an address.
func overlaps(a, b netip.Prefix) bool { return a.Overlaps(b) }

// defaultsKey records which inputs Check filled in, so autonames stay stable and replacements know
// whether the name was chosen by the user (the bridged providers keep the same key).
const defaultsKey = "__defaults"

// autoname fills the kind's name input when absent: the old name when there is one (stable across
// updates; the engine checks again without olds before a replacement), else a new one
// from the logical name and random hex (Google "<name>-<7 hex>", Azure "<name><8 hex>").
func autoname(k *Kind, logical string, olds, news obj, seed []byte) {
	if !absent(news, k.NameKey) {
		return
	}
	if old, ok := str(olds, k.NameKey); ok && old != "" {
		news[k.NameKey] = old
	} else if k.Cloud == Google {
		news[k.NameKey] = logical + "-" + randomHex(seed, logical, 7)
	} else {
		news[k.NameKey] = logical + randomHex(seed, logical, 8)
	}
	news[defaultsKey] = []any{k.NameKey}
}

// wasDefaulted reports whether Check filled in a key.
func wasDefaulted(in obj, key string) bool { return slices.Contains(stringsOf(in, defaultsKey), key) }

// randomHex returns n hex digits: from the engine's random seed when it sends one, else from crypto/rand.
func randomHex(seed []byte, salt string, n int) string {
	var b []byte
	if len(seed) > 0 {
		sum := sha256.Sum256(append(append([]byte{}, seed...), salt...))
		b = sum[:]
	} else {
		b = make([]byte, 16)
		_, _ = rand.Read(b)
	}
	return hex.EncodeToString(b)[:n]
}
