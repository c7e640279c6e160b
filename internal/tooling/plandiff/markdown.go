package plandiff

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/havpn/pulumi-havpn/internal/core/analysis"
)

// Label says where the plans come from; every stack section carries it.
const Label = "Offline plan (Pulumi mocks, no cloud contacted)"

// Marker starts every document, so a bot can find and update its own comment.
const Marker = "<!-- havpn-plan-diff -->"

// MaxValue is how many characters of a value a table cell shows before it is cut with "…".
const MaxValue = 80

// maxError is how many characters of a failed plan's message are shown.
const maxError = 4000

// Markdown renders the report of one stack as a pull-request comment section.
func Markdown(stack string, r Report) string {
	var b strings.Builder
	if r.BaseError != "" || r.HeadError != "" {
		fmt.Fprintf(&b, "### havpn plan %s: not compared, the plan failed\n\n", code(stack))
		fmt.Fprintf(&b, "_%s._\n\n", Label)
		for _, side := range []struct{ name, err string }{{"base", r.BaseError}, {"head", r.HeadError}} {
			if side.err == "" {
				fmt.Fprintf(&b, "The %s plan succeeded.\n\n", side.name)
				continue
			}
			fmt.Fprintf(&b, "The %s plan failed:\n\n%s\n", side.name, fenced(clip(side.err, maxError)))
		}
		return b.String()
	}

	add, remove, change := r.Counts()
	fmt.Fprintf(&b, "### havpn plan %s: %d to add, %d to remove, %d to change\n\n", code(stack), add, remove, change)
	fmt.Fprintf(&b, "_%s. IDs and public addresses (203.0.113.0/24, 198.51.100.0/24) are mock values._\n\n", Label)
	if r.BaseStack != r.HeadStack {
		fmt.Fprintf(&b, "> [!WARNING]\n> The documents are of different stacks: base %s, head %s.\n\n", code(r.BaseStack), code(r.HeadStack))
	}
	if r.Empty() {
		b.WriteString("No changes: the resources, their inputs and dependencies, the wiring, the survivability and the warnings are identical.\n")
		return b.String()
	}

	short := shortTypes(r)
	if add+remove+change > 0 {
		b.WriteString("#### Resources\n\n| | type | name | what changed |\n|---|---|---|---|\n")
		for _, id := range r.Added {
			fmt.Fprintf(&b, "| + add | %s | %s | |\n", code(short(id.Type)), code(id.Name))
		}
		for _, id := range r.Removed {
			fmt.Fprintf(&b, "| - remove | %s | %s | |\n", code(short(id.Type)), code(id.Name))
		}
		for _, c := range r.Changed {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", verdictMark(c), code(short(c.Type)), code(c.Name), whatChanged(c))
		}
		b.WriteString("\n")
	}
	if kc := r.KeyChange; kc != nil {
		kind := "NOTE"
		if kc.Step == StepOneStep {
			kind = "WARNING"
		}
		fmt.Fprintf(&b, "> [!%s]\n> Pre-shared keys change (%s): %s. Tunnels re-keyed: %s.\n\n", kind, kc.Step, inline(kc.Note), codes(kc.Tunnels))
	}
	if r.Disruption != nil && add+remove+change > 0 {
		writeDisruption(&b, *r.Disruption, short)
	}
	for _, c := range r.Changed {
		fmt.Fprintf(&b, "#### %s %s %s\n\n", verdictMark(c), code(short(c.Type)), code(c.Name))
		writeVerdict(&b, c)
		if len(c.Fields) > 0 {
			b.WriteString("| input | old | new |\n|---|---|---|\n")
			for _, f := range c.Fields {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", code(f.Path), cell(f.Old, f.Kind == Added), cell(f.New, f.Kind == Removed))
			}
			b.WriteString("\n")
			for _, f := range c.Fields {
				if f.SecretnessChanged {
					fmt.Fprintf(&b, "%s is secret in one plan only: neither value is shown.\n\n", code(f.Path))
				}
			}
		}
		if len(c.DependsOnAdded)+len(c.DependsOnRemoved) > 0 {
			b.WriteString("dependsOn:")
			if len(c.DependsOnAdded) > 0 {
				fmt.Fprintf(&b, " added %s", codes(c.DependsOnAdded))
			}
			if len(c.DependsOnAdded) > 0 && len(c.DependsOnRemoved) > 0 {
				b.WriteString(";")
			}
			if len(c.DependsOnRemoved) > 0 {
				fmt.Fprintf(&b, " removed %s", codes(c.DependsOnRemoved))
			}
			b.WriteString("\n\n")
		}
	}

	if len(r.Tunnels) > 0 {
		writeTunnels(&b, r.Tunnels)
	}
	if len(r.Failures) > 0 {
		writeFailures(&b, r.Failures, r.UnchangedFailures)
	}
	if len(r.WarningsAdded)+len(r.WarningsRemoved) > 0 {
		b.WriteString("#### Warnings\n\n")
		for _, w := range r.WarningsAdded {
			fmt.Fprintf(&b, "- added: %s\n", inline(w))
		}
		for _, w := range r.WarningsRemoved {
			fmt.Fprintf(&b, "- removed: %s\n", inline(w))
		}
		b.WriteString("\n")
	}
	b.WriteString("Secret inputs show as `[secret]` in both plans: a new key shows only as a rotation, told from the fingerprints of the stack's secret settings.\n")
	return b.String()
}

func whatChanged(c ResourceChange) string {
	var parts []string
	if n := len(c.Fields); n == 1 {
		parts = append(parts, "1 input")
	} else if n > 1 {
		parts = append(parts, fmt.Sprintf("%d inputs", n))
	}
	if len(c.DependsOnAdded)+len(c.DependsOnRemoved) > 0 {
		parts = append(parts, "dependsOn")
	}
	if len(c.Fields)+len(c.DependsOnAdded)+len(c.DependsOnRemoved) == 0 && len(c.Reasons) > 0 {
		parts = append(parts, "dragged along")
	}
	if len(c.Refused) > 0 {
		parts = append(parts, "**refused by the API**")
	}
	return strings.Join(parts, ", ")
}

// verdictMark is the Resources table's first column: how the engine carries the change out.
func verdictMark(c ResourceChange) string {
	if c.Verdict == VerdictReplace {
		return "+- replace"
	}
	return "~ update"
}

// writeVerdict says why a resource is replaced or what else its update does, and what the API refuses.
func writeVerdict(b *strings.Builder, c ResourceChange) {
	if len(c.Reasons) > 0 {
		label := "Replaced"
		if c.Verdict == VerdictUpdate {
			label = "Updated in place"
		}
		if c.Verdict == VerdictReplace && c.DeleteBeforeReplace {
			label += " (the old resource is deleted first)"
		}
		fmt.Fprintf(b, "%s:\n", label)
		for _, why := range c.Reasons {
			fmt.Fprintf(b, "- %s\n", inline(why))
		}
		b.WriteString("\n")
	}
	for _, ref := range c.Refused {
		fmt.Fprintf(b, "> [!CAUTION]\n> The API refuses to update %s in place: %s\n\n", code(ref.Input), inline(ref.Message))
	}
}

// writeDisruption renders the Disruption section: which sessions go down while the change is applied.
func writeDisruption(b *strings.Builder, d Disruption, short func(string) string) {
	b.WriteString("#### Disruption\n\n")
	if d.Total == 0 {
		b.WriteString("No BGP session exists before the change.\n\n")
		return
	}
	if len(d.Outages) == 0 {
		b.WriteString("No resource that carries a BGP session is replaced, removed or updated.\n\n")
	} else {
		b.WriteString("| resource | action | tunnels down | why |\n|---|---|---|---|\n")
		for _, o := range d.Outages {
			fmt.Fprintf(b, "| %s %s | %s | %s | %s |\n", code(short(o.Type)), code(o.Name), o.Action, codes(o.Tunnels), cellText(o.Why))
		}
		b.WriteString("\n")
		fmt.Fprintf(b, "Tunnels down while the change is applied (worst case: every outage above that can run at once; an update waits for the resources it depends on): %s.\n\n", codes(d.Down))
	}
	verdict := ""
	if d.Up == 0 {
		verdict = " — **LINK DOWN**"
	}
	fmt.Fprintf(b, "BGP sessions up during the change: %d/%d%s\n\n", d.Up, d.Total, verdict)
}

// cellText renders free text in a table cell: one line, pipes escaped.
func cellText(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`).Replace(s)
}

var tunnelColumns = []string{"tunnel", "GCP gateway", "GCP interface", "Azure instance", "/30", "GCP BGP IP", "Azure BGP IP"}

func tunnelCells(t *analysis.TunnelRow) []string {
	if t == nil {
		return make([]string, len(tunnelColumns))
	}
	return []string{t.Name, strconv.Itoa(t.GcpGateway), strconv.Itoa(t.GcpInterface), strconv.Itoa(t.AzureInstance), t.BgpSessionRange, t.GcpBgpIp, t.AzureBgpIp}
}

func writeTunnels(b *strings.Builder, rows []TunnelDiff) {
	b.WriteString("#### Wiring (tunnels) changed\n\n| | " + strings.Join(tunnelColumns, " | ") + " |\n|---" + strings.Repeat("|---", len(tunnelColumns)) + "|\n")
	for _, d := range rows {
		var cells []string
		switch d.Kind {
		case Added:
			cells = append([]string{"+"}, codeAll(tunnelCells(d.Head))...)
		case Removed:
			cells = append([]string{"-"}, codeAll(tunnelCells(d.Base))...)
		default:
			mark := ""
			if d.Kind == Modified {
				mark = "~"
			}
			cells = []string{mark}
			old, cur := tunnelCells(d.Base), tunnelCells(d.Head)
			for i := range old {
				cells = append(cells, change(old[i], cur[i]))
			}
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	b.WriteString("\n")
}

func writeFailures(b *strings.Builder, rows []FailureDiff, unchanged int) {
	b.WriteString("#### Survivability changed\n\n| | failed | BGP sessions up | verdict |\n|---|---|---|---|\n")
	show := func(o *Outcome) (string, string) {
		v := o.Verdict()
		if v == "LINK DOWN" {
			v = "**LINK DOWN**"
		}
		return fmt.Sprintf("%d/%d", o.Up, o.Total), v
	}
	arrow := func(old, cur string) string {
		if old == cur {
			return old
		}
		return old + " → " + cur
	}
	for _, d := range rows {
		failed := code(strings.Join(d.Failed, " + "))
		switch d.Kind {
		case Added:
			up, v := show(d.Head)
			fmt.Fprintf(b, "| + | %s | %s | %s |\n", failed, up, v)
		case Removed:
			up, v := show(d.Base)
			fmt.Fprintf(b, "| - | %s | %s | %s |\n", failed, up, v)
		default:
			bu, bv := show(d.Base)
			hu, hv := show(d.Head)
			fmt.Fprintf(b, "| ~ | %s | %s | %s |\n", failed, arrow(bu, hu), arrow(bv, hv))
		}
	}
	if unchanged > 0 {
		fmt.Fprintf(b, "\n%d unchanged failure case(s) not shown.\n", unchanged)
	}
	b.WriteString("\n")
}

// change renders one table cell: the value if unchanged, else old -> new.
func change(old, cur string) string {
	if old == cur {
		return code(old)
	}
	return code(old) + " → " + code(cur)
}

// shortTypes shortens type tokens to their last segment (HaVpnGateway, VirtualNetworkGateway),
// keeping the full token where two tokens in the report would shorten alike.
func shortTypes(r Report) func(string) string {
	full := map[string]map[string]bool{}
	note := func(t string) {
		s := ShortType(t)
		if full[s] == nil {
			full[s] = map[string]bool{}
		}
		full[s][t] = true
	}
	for _, id := range r.Added {
		note(id.Type)
	}
	for _, id := range r.Removed {
		note(id.Type)
	}
	for _, c := range r.Changed {
		note(c.Type)
	}
	return func(t string) string {
		if s := ShortType(t); len(full[s]) <= 1 {
			return s
		}
		return t
	}
}

// ShortType returns the last segment of a Pulumi type token: "gcp:compute/vPNTunnel:VPNTunnel" -> "VPNTunnel".
func ShortType(t string) string {
	if i := strings.LastIndex(t, ":"); i >= 0 && i < len(t)-1 {
		return t[i+1:]
	}
	return t
}

// cell renders a value in a table cell: compact, cut at MaxValue characters, as code; absent values
// as an italic dash.
func cell(v string, absent bool) string {
	if absent {
		return "_(absent)_"
	}
	return code(clip(v, MaxValue))
}

// clip cuts s to at most n characters, ending with "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// code renders s as an inline code span that is safe inside a table cell: no line breaks, pipes
// escaped, and a backtick fence longer than any backtick run inside.
func code(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`).Replace(s)
	if s == "" {
		return "` `"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func codeAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = code(x)
	}
	return out
}

func codes(xs []string) string { return strings.Join(codeAll(xs), ", ") }

// inline renders free text (a warning) on one line; its own `code` spans are kept.
func inline(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// fenced renders a block of text in a fenced code block longer than any backtick run inside.
func fenced(s string) string {
	fence := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	return fence + "text\n" + strings.TrimRight(s, "\n") + "\n" + fence + "\n"
}

func longestRun(s string, c rune) int {
	best, cur := 0, 0
	for _, r := range s {
		if r == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}
