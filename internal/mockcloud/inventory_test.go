package mockcloud

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"

	"github.com/havpn/pulumi-havpn/internal/plandoc"
)

func TestPlainMasksEverySecretForm(t *testing.T) {
	psk := resource.NewStringProperty("psk-value")
	m := resource.PropertyMap{
		"secret":       resource.MakeSecret(psk),
		"secretOutput": resource.NewOutputProperty(resource.Output{Element: psk, Known: true, Secret: true}),
		"nested":       resource.NewObjectProperty(resource.PropertyMap{"key": resource.MakeSecret(psk)}),
		"unknown":      resource.MakeComputed(resource.NewStringProperty("")),
		"plain":        resource.NewStringProperty("rg"),
	}
	assert.Equal(t, map[string]any{
		"secret": plandoc.SecretMask, "secretOutput": plandoc.SecretMask, "nested": map[string]any{"key": plandoc.SecretMask},
		"unknown": Unknown, "plain": "rg",
	}, Plain(m))
	assert.Equal(t, map[string]any{
		"secret": "psk-value", "secretOutput": "psk-value", "nested": map[string]any{"key": "psk-value"},
		"unknown": Unknown, "plain": "rg",
	}, Revealed(m))
}
