package envconfig

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
)

var update = flag.Bool("update", false, "rewrite Pulumi.yaml and the README's stack key table from the Keys table")

const (
	projectPath = "../../../Pulumi.yaml"
	readmePath  = "../../../README.md"
	tableBegin  = "<!-- stack-keys:begin (generated from internal/example/envconfig/keys.go: go test ./internal/example/envconfig -update) -->\n"
	tableEnd    = "<!-- stack-keys:end -->"
)

// TestProjectDeclaration: Pulumi.yaml is the Keys table, byte for byte.
func TestProjectDeclaration(t *testing.T) {
	want := ProjectFile()
	if *update {
		if err := os.WriteFile(projectPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(projectPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("Pulumi.yaml differs from the Keys table; run go test ./internal/example/envconfig -run TestProjectDeclaration -update\n--- want\n%s", want)
	}
}

// TestProjectLoadsWithPulumi: Pulumi's own loader accepts Pulumi.yaml (its JSON schema and its checks of
// each declaration and default) and reads back exactly the table's declarations.
func TestProjectLoadsWithPulumi(t *testing.T) {
	proj, err := workspace.LoadProject(projectPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := proj.Validate(); err != nil {
		t.Fatal(err)
	}
	if proj.Name.String() != Namespace || proj.StackConfigDir != "stacks" {
		t.Errorf("project %q, stackConfigDir %q", proj.Name, proj.StackConfigDir)
	}
	if len(proj.Config) != len(Keys) {
		t.Errorf("Pulumi.yaml declares %d keys, the table %d", len(proj.Config), len(Keys))
	}
	for _, k := range Keys {
		d, ok := proj.Config[k.Name]
		if !ok {
			t.Errorf("%s is not declared", k.Name)
			continue
		}
		if d.TypeName() != string(k.Type) || d.Description != k.Description || d.Secret != k.Secret || (d.Items == nil) != (k.Type != Array) {
			t.Errorf("%s: declared %+v", k.Name, d)
		}
		if d.Items != nil && d.Items.Type != string(k.Items) {
			t.Errorf("%s: items %q, want %q", k.Name, d.Items.Type, k.Items)
		}
		if !jsonEqual(t, d.Default, k.Default) {
			t.Errorf("%s: default %#v, want %#v", k.Name, d.Default, k.Default)
		}
	}
}

func jsonEqual(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(ja) == string(jb)
}

// TestValidValueAgreesWithPulumi: havpn's type check decides like the CLI's (workspace.ValidateConfigValue
// at the pinned version) on values as the CLI sees them.
func TestValidValueAgreesWithPulumi(t *testing.T) {
	values := []any{
		"", "abc", "65534", "-3", "1.5", "1e3", " 7", "true", "false", "True", "[]", `["a"]`, "{}",
		true, 42, 4.0, 4.5, []any{}, []any{"a", "b"}, []any{1.0}, []any{"a", 2.0}, []any{map[string]any{"region": "r"}},
		[]any{[]any{"a"}}, map[string]any{}, map[string]any{"a": 1.0}, nil,
	}
	types := []struct{ t, items Type }{{String, ""}, {Integer, ""}, {Boolean, ""}, {Object, ""}, {Array, String}, {Array, Object}, {Array, Integer}, {Array, Boolean}}
	for _, ty := range types {
		var items *workspace.ProjectConfigItemsType
		if ty.items != "" {
			items = &workspace.ProjectConfigItemsType{Type: string(ty.items)}
		}
		for _, v := range values {
			want := workspace.ValidateConfigValue(string(ty.t), items, v)
			if got := validOf(ty.t, ty.items, v); got != want {
				t.Errorf("%s<%s> %#v: havpn %v, Pulumi %v", ty.t, ty.items, v, got, want)
			}
		}
	}
}

// TestReadmeKeysTable: the README's table of stack keys is generated from the table.
func TestReadmeKeysTable(t *testing.T) {
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	i, j := strings.Index(text, tableBegin), strings.Index(text, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q ... %q", tableBegin, tableEnd)
	}
	want := KeysTable()
	if *update {
		text = text[:i+len(tableBegin)] + want + text[j:]
		if err := os.WriteFile(readmePath, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := text[i+len(tableBegin) : j]; got != want {
		t.Fatalf("README's stack key table is stale; run go test ./internal/example/envconfig -update\n--- want\n%s", want)
	}
}

// TestDefaultsAreTheComponentsDefaults: the declared defaults of the keys that set a link argument are
// the values the component plans when the argument is left out, so declaring them changes no plan.
func TestDefaultsAreTheComponentsDefaults(t *testing.T) {
	spec := func() linkplan.Spec {
		s, r := "0123456789abcdefghijklmnopqrstuv", "x"
		return linkplan.Spec{Name: "gcp-azure", SharedSecret: &s, Gcp: linkplan.GcpSpec{Region: &r, Network: &r},
			Azure: linkplan.AzureSpec{ResourceGroupName: &r, Location: &r, AddressPrefixes: []string{"10.1.0.0/16"}}}
	}
	bare, err := linkplan.Build(spec())
	if err != nil {
		t.Fatal(err)
	}
	e := mustLoad(t, nil)
	s := spec()
	s.Topology, s.BgpSessionBlock, s.BgpSessionRanges = e.Topology, &e.BgpSessionBlock, e.BgpSessionRanges
	gcpAsn, azureAsn := int64(e.GcpAsn), int64(e.AzureAsn)
	s.Gcp.Asn, s.Gcp.KeepaliveInterval, s.Gcp.AdvertisedIpRanges = &gcpAsn, &e.KeepaliveInterval, e.AdvertisedIpRanges
	s.Gcp.Firewall.Enabled = e.Firewall.Enabled
	for _, a := range e.Firewall.Allow {
		s.Gcp.Firewall.Allow = append(s.Gcp.Firewall.Allow, linkplan.FirewallAllowSpec{Protocol: a.Protocol})
	}
	s.Azure.Asn, s.Azure.Sku, s.Azure.Generation, s.Azure.Zones = &azureAsn, e.AzureSku, e.AzureGeneration, e.AzureZones
	s.Azure.DpdTimeoutSeconds, s.Azure.GatewayName = &e.DpdTimeoutSeconds, e.AzureGatewayName
	p := e.IpsecPolicy
	s.IpsecPolicy = &linkplan.IpsecPolicySpec{IkeEncryption: p.IkeEncryption, IkeIntegrity: p.IkeIntegrity, DhGroup: p.DhGroup,
		IpsecEncryption: p.IpsecEncryption, IpsecIntegrity: p.IpsecIntegrity, PfsGroup: p.PfsGroup,
		SaLifeTimeSeconds: p.SaLifeTimeSeconds, SaDataSizeKilobytes: p.SaDataSizeKilobytes}
	declared, err := linkplan.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(declared, bare) {
		t.Errorf("the declared defaults plan differently from the component's defaults:\n declared %+v\n     bare %+v", declared, bare)
	}
}
