package envconfig

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// projectHeader is Pulumi.yaml before its config block.
const projectHeader = `# The example environment's Pulumi project (main.go). Its config block declares every havpn: stack key
# the program reads (type, description, default; no default = required), so the Pulumi CLI checks the
# stack files against it. Generated from internal/example/envconfig/keys.go, do not edit by hand:
#   go test ./internal/example/envconfig -run TestProjectDeclaration -update
name: havpn
description: Example environment for havpn - a Google Cloud VPC and an Azure VNet joined by one HaVpnLink (HA VPN + BGP), or, by havpn:role, the hub or a spoke of team stacks around an AzureVpnHub.
runtime: go
stackConfigDir: stacks
`

// declaration is one key as Pulumi.yaml declares it (pulumi/pulumi sdk/go/common/workspace
// ProjectConfigType: type, items, description, default, secret; keys written without the namespace).
type declaration struct {
	Type        string            `yaml:"type"`
	Items       *itemsDeclaration `yaml:"items,omitempty"`
	Secret      bool              `yaml:"secret,omitempty"`
	Default     any               `yaml:"default,omitempty"`
	Description string            `yaml:"description"`
}

type itemsDeclaration struct {
	Type string `yaml:"type"`
}

// ProjectFile renders Pulumi.yaml: the project and the declaration of every key, in table order.
func ProjectFile() []byte {
	config := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range Keys {
		d := declaration{Type: string(k.Type), Secret: k.Secret, Default: k.Default, Description: k.Description}
		if k.Type == Array {
			d.Items = &itemsDeclaration{Type: string(k.Items)}
		}
		var value yaml.Node
		if err := value.Encode(d); err != nil {
			panic(err)
		}
		config.Content = append(config.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k.Name}, &value)
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "config"}, config}}
	var buf bytes.Buffer
	buf.WriteString(projectHeader)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// KeysTable renders the README's table of stack keys from the declaration.
func KeysTable() string {
	var b strings.Builder
	b.WriteString("| Key | Type | Default | Roles | Sets | Description |\n|---|---|---|---|---|---|\n")
	for _, k := range Keys {
		def := "*(required, secret)*"
		if k.Default != nil {
			raw, _ := json.Marshal(k.Default)
			def = "`" + string(raw) + "`"
		}
		if len(k.RequiredIn) > 0 {
			def += " *(required: " + roleList(k.RequiredIn) + ")*"
		}
		if k.Secret || k.Encrypt {
			def += " *(secret)*"
		}
		roles := "all"
		if k.Roles != nil {
			roles = roleList(k.Roles)
		}
		arg := ""
		if k.Arg != "" {
			arg = "`" + k.Arg + "`"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s | %s |\n", k.Qualified(), k.TypeName(), def, roles, arg, strings.ReplaceAll(k.Description, "|", `\|`))
	}
	return b.String()
}

func roleList(roles []Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
