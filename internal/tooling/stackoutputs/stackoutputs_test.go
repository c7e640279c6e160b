package stackoutputs

import (
	"bytes"
	"strings"
	"testing"
)

// TestWrite: the demo's outputs as the Automation API returns them (JSON-decoded: numbers are float64).
func TestWrite(t *testing.T) {
	var out bytes.Buffer
	Write(&out, map[string]Value{
		"tunnels": {Value: []any{
			map[string]any{"name": "gcp-azure-t0", "gcpGateway": 0.0, "gcpInterface": 0.0, "azureInstance": 0.0, "bgpSessionRange": "169.254.21.0/30", "gcpBgpIp": "169.254.21.2", "azureBgpIp": "169.254.21.1"},
			map[string]any{"name": "gcp-azure-t1", "gcpGateway": 0.0, "gcpInterface": 1.0, "azureInstance": 1.0, "bgpSessionRange": "169.254.22.0/30", "gcpBgpIp": "169.254.22.2", "azureBgpIp": "169.254.22.1"},
		}},
		"gcpGatewayIps":  {Value: []any{"34.0.0.1", "34.0.0.2"}},
		"gcpRouterName":  {Value: "gcp-azure-router-1a2b3c"},
		"sharedSecrets":  {Value: map[string]any{"gcp-azure-t0": "psk"}, Secret: true},
		"other":          {Value: map[string]any{"a": []any{1.0, map[string]any{"b": true}}}},
		"topologyReport": {Value: "skipped"},
	}, "topologyReport")
	want := `  gcpGatewayIps   34.0.0.1, 34.0.0.2
  gcpRouterName   gcp-azure-router-1a2b3c
  other
    {
      "a": [
        1,
        {
          "b": true
        }
      ]
    }
  sharedSecrets   [secret]
  tunnels
    name          azureBgpIp    azureInstance  bgpSessionRange  gcpBgpIp      gcpGateway  gcpInterface
    gcp-azure-t0  169.254.21.1  0              169.254.21.0/30  169.254.21.2  0           0
    gcp-azure-t1  169.254.22.1  1              169.254.22.0/30  169.254.22.2  0           1
`
	if got := out.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(out.String(), "map[") || strings.Contains(out.String(), "psk") {
		t.Error("Go map text or a secret in the output")
	}
}
