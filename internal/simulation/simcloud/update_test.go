package simcloud

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// azureOn saves a hand-built world into a state directory and serves the simulated Azure on it.
func azureOn(t *testing.T, w *world) (*session, string) {
	t.Helper()
	dir := t.TempDir()
	store, err := OpenStore(dir)
	require.NoError(t, err)
	require.NoError(t, store.save(w.st))
	return &session{t: t, c: serve(t, NewServer(Azure, Config{StateDir: dir})), ctx: context.Background()}, dir
}

// inputsOf renders a record's inputs as the engine sends them, with the listed keys secret.
func inputsOf(in obj, secret ...string) resource.PropertyMap {
	pm := resource.NewPropertyMapFromMap(in)
	for _, k := range secret {
		if v, ok := pm[resource.PropertyKey(k)]; ok {
			pm[resource.PropertyKey(k)] = resource.MakeSecret(v)
		}
	}
	return pm
}

func sessionOf(t *testing.T, dir, logical string) Session {
	t.Helper()
	rep, err := ReadReport(dir)
	require.NoError(t, err)
	for _, s := range rep.Sessions {
		if s.LogicalName == logical {
			return s
		}
	}
	t.Fatalf("no session for %s in %+v", logical, rep.Sessions)
	return Session{}
}

// TestConnectionPutKeepsTheSharedKey: a connection PUT with a new sharedKey is accepted and the old key
// stays (only SetSharedKey changes it: azurerm #11673, PR #11742): after a rotation by plain update the
// session report shows the key mismatch; a connection created anew with the new key brings it back.
func TestConnectionPutKeepsTheSharedKey(t *testing.T) {
	const rotated = "rotated-key-rotated-key-rotated-0"
	w := linkWorld(t)
	w.rec["link-t0"].Inputs["sharedSecret"] = rotated // the Google tunnel was replaced with the new key
	s, dir := azureOn(t, w)
	conn := w.rec["link-conn0"]
	urn := urnOf(azureConnection, "link-conn0")

	news := clone(conn.Inputs)
	news["sharedKey"] = rotated
	news["dpdTimeoutSeconds"] = 30.0
	up, err := s.c.Update(s.ctx, &pulumirpc.UpdateRequest{Id: conn.ID, Urn: urn, Olds: toStruct(t, inputsOf(conn.Outputs)), News: toStruct(t, inputsOf(news, "sharedKey"))})
	require.NoError(t, err, "the API accepts the PUT")
	out := fromStruct(t, up.Properties)
	assert.True(t, out["sharedKey"].IsSecret())
	assert.Equal(t, testPsk, out["sharedKey"].SecretValue().Element.StringValue(), "the PUT kept the old key")
	assert.Equal(t, 30.0, out["dpdTimeoutSeconds"].NumberValue(), "the rest of the PUT is applied")
	t0 := sessionOf(t, dir, "link-t0")
	assert.Equal(t, IpsecDown, t0.Ipsec)
	assert.Contains(t, strings.Join(t0.Reasons, "; "), "pre-shared key of tunnel")
	assert.Equal(t, BgpEstablished, sessionOf(t, dir, "link-t1").Bgp, "the other tunnel keeps its key")

	// A replacement (delete, then create with the new key) is what the real API honours.
	_, err = s.c.Delete(s.ctx, &pulumirpc.DeleteRequest{Id: conn.ID, Urn: urn})
	require.NoError(t, err)
	created, err := s.c.Create(s.ctx, &pulumirpc.CreateRequest{Urn: urn, Properties: toStruct(t, inputsOf(news, "sharedKey"))})
	require.NoError(t, err)
	assert.Equal(t, conn.ID, created.Id)
	assert.Equal(t, BgpEstablished, sessionOf(t, dir, "link-t0").Bgp, sessionOf(t, dir, "link-t0").Reasons)
}

// TestUpdatesTheAPIRefuses: changes azure-native plans as updates but the API refuses fail in the API's
// words, labelled simulated, and change nothing.
func TestUpdatesTheAPIRefuses(t *testing.T) {
	w := linkWorld(t)
	rg := w.name("rg")
	cases := []struct {
		logical, token string
		change         obj
		want           string
	}{
		{"link-vgw", azureGateway, obj{"location": "northeurope"},
			"InvalidResourceLocation: The resource 'link-vgw' already exists in location 'westeurope' in resource group '" + rg +
				"'. A resource with the same name cannot be created in location 'northeurope'. Please select a new resource name."},
		{"link-vgw", azureGateway, obj{"vpnType": "PolicyBased"}, "An Azure Vnet gateway type cannot be changed from policy-based to route-based"},
		{"link-conn0", azureConnection, obj{"connectionProtocol": "IKEv1"}, "the connection protocol of an existing connection cannot be changed"},
		{"link-lng0", azureLng, obj{"location": "northeurope"}, "InvalidResourceLocation"},
		{"link-pip0", azurePublicIp, obj{"zones": []any{"1"}}, "the availability zones of an existing public IP address cannot be changed"},
	}
	for _, c := range cases {
		t.Run(c.logical+" "+strings.Join(keysOfObj(c.change), ","), func(t *testing.T) {
			s, dir := azureOn(t, w)
			rec := w.rec[c.logical]
			news := clone(rec.Inputs)
			for k, v := range c.change {
				news[k] = v
			}
			_, err := s.c.Update(s.ctx, &pulumirpc.UpdateRequest{Id: rec.ID, Urn: urnOf(c.token, c.logical), Olds: toStruct(t, inputsOf(rec.Outputs)),
				News: toStruct(t, inputsOf(news, "sharedKey"))})
			require.Error(t, err)
			assert.Equal(t, codes.FailedPrecondition, status.Code(err))
			msg := status.Convert(err).Message()
			assert.True(t, strings.HasPrefix(msg, "simcloud (simulated Azure): update of "+c.token), msg)
			assert.Contains(t, msg, "refused by the API: "+c.want)
			assert.Contains(t, msg, "(source: ")
			_, statErr := os.Stat(filepath.Join(dir, TimelineFile))
			assert.True(t, os.IsNotExist(statErr), "nothing was applied")
		})
	}
	// The same resource updates fine when only an accepted input changes.
	s, _ := azureOn(t, w)
	vgw := w.rec["link-vgw"]
	news := clone(vgw.Inputs)
	news["sku"] = obj{"name": "VpnGw2AZ", "tier": "VpnGw2AZ"}
	_, err := s.c.Update(s.ctx, &pulumirpc.UpdateRequest{Id: vgw.ID, Urn: urnOf(azureGateway, "link-vgw"), Olds: toStruct(t, inputsOf(vgw.Outputs)), News: toStruct(t, inputsOf(news))})
	assert.NoError(t, err)
}

func keysOfObj(m obj) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
