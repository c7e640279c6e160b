package mockcloud

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/havpn/pulumi-havpn/internal/tooling/plandoc"
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

// TestInventoryRecordsReplacementOptionsAndInputDependencies: a program's replacement options and
// per-input dependencies reach the plan document by logical name.
func TestInventoryRecordsReplacementOptionsAndInputDependencies(t *testing.T) {
	rec := NewRecorder("havpn", "dev")
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var gw, lng, conn pulumi.CustomResourceState
		if err := ctx.RegisterResource("test:index:Gateway", "gw", pulumi.Map{"sku": pulumi.String("a")}, &gw); err != nil {
			return err
		}
		if err := ctx.RegisterResource("test:index:Lng", "lng", pulumi.Map{}, &lng, pulumi.DeleteBeforeReplace(true)); err != nil {
			return err
		}
		return ctx.RegisterResource("test:index:Connection", "conn", pulumi.Map{
			"gateway": gw.ID(), "lng": lng.ID(), "sharedKey": pulumi.ToSecret(pulumi.String("k")),
		}, &conn, pulumi.ReplaceOnChanges([]string{"sharedKey", "gateway"}), pulumi.DeleteBeforeReplace(true), pulumi.ReplaceWith([]pulumi.Resource{&lng}))
	}, pulumi.WithMocks("havpn", "dev", rec))
	require.NoError(t, err)
	by := map[string]plandoc.Resource{}
	for _, r := range rec.Inventory() {
		by[r.Name] = r
	}
	assert.Nil(t, by["gw"].Options, "no replacement option")
	assert.Nil(t, by["gw"].InputDependsOn)
	assert.Equal(t, &plandoc.Options{DeleteBeforeReplace: true}, by["lng"].Options)
	assert.Equal(t, &plandoc.Options{DeleteBeforeReplace: true, ReplaceOnChanges: []string{"gateway", "sharedKey"}, ReplaceWith: []string{"lng"}}, by["conn"].Options)
	assert.Equal(t, map[string][]string{"gateway": {"gw"}, "lng": {"lng"}}, by["conn"].InputDependsOn)
	assert.Equal(t, plandoc.SecretMask, by["conn"].Inputs["sharedKey"])
}
