package envconfig

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func lookupOf(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoadDefaults(t *testing.T) {
	e, err := Load(lookupOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if e.Topology != "paired" || e.RoutingMode != "REGIONAL" || e.GcpRegion != "asia-northeast1" || e.AzureLocation != "japaneast" {
		t.Fatalf("defaults: %+v", e)
	}
	if want := []Subnet{{"asia-northeast1", "172.16.0.0/24"}}; !reflect.DeepEqual(e.Subnets, want) {
		t.Fatalf("subnets = %v, want %v", e.Subnets, want)
	}
	if e.GcpAsn != nil || e.BgpSessionBlock != nil {
		t.Fatal("unset numbers must stay nil so the link's defaults apply")
	}
}

func TestWarnings(t *testing.T) {
	twoRegions := `[{"region":"asia-northeast1","cidr":"172.16.0.0/24"},{"region":"asia-northeast2","cidr":"172.24.0.0/24"}]`
	otherRegion := `[{"region":"asia-northeast2","cidr":"172.24.0.0/24"}]`
	cases := []struct {
		name string
		cfg  map[string]string
		want []string // substrings, one per warning
	}{
		{"one region regional", map[string]string{}, nil},
		{"two regions regional", map[string]string{"subnets": twoRegions}, []string{"asia-northeast2"}},
		{"two regions global", map[string]string{"subnets": twoRegions, "routingMode": "global"}, nil},
		{"subnet only elsewhere", map[string]string{"subnets": otherRegion}, []string{"asia-northeast2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Load(lookupOf(c.cfg))
			if err != nil {
				t.Fatal(err)
			}
			got := e.Warnings()
			if len(got) != len(c.want) {
				t.Fatalf("warnings = %q, want %d", got, len(c.want))
			}
			for i, w := range c.want {
				if !strings.Contains(got[i], w) || !strings.Contains(got[i], "GLOBAL") {
					t.Errorf("warning %q should name %s and the GLOBAL fix", got[i], w)
				}
			}
		})
	}
}

func TestLoadReportsEveryBadKey(t *testing.T) {
	_, err := Load(lookupOf(map[string]string{
		"gcpAsn": "x", "azureAsn": "1.5", "routingMode": "both", "subnets": "[{", "advertisedIpRanges": "10.0.0.0/8",
	}))
	ce, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %v, want *Error", err)
	}
	for _, key := range []string{"havpn:gcpAsn", "havpn:azureAsn", "havpn:routingMode", "havpn:subnets", "havpn:advertisedIpRanges"} {
		if !strings.Contains(ce.Error(), key) {
			t.Errorf("error does not name %s:\n%s", key, ce.Error())
		}
	}
	if len(ce.Problems) != 5 {
		t.Errorf("problems = %d, want 5", len(ce.Problems))
	}
}

func TestLoadRejectsTwoSubnetsInOneRegion(t *testing.T) {
	_, err := Load(lookupOf(map[string]string{"subnets": `[{"region":"asia-northeast1","cidr":"172.16.0.0/24"},{"region":"asia-northeast2","cidr":"172.24.0.0/24"},{"region":"asia-northeast1","cidr":"172.17.0.0/24"}]`}))
	ce, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %v, want *Error", err)
	}
	if len(ce.Problems) != 1 || !strings.Contains(ce.Problems[0], `entries 0 and 2 are both in region "asia-northeast1"`) || !strings.Contains(ce.Problems[0], "one entry per region") {
		t.Errorf("problems = %q", ce.Problems)
	}
}

func TestReadStackFile(t *testing.T) {
	dir := t.TempDir()
	yaml := "config:\n" +
		"  havpn:gcpRegion: asia-northeast1\n" +
		"  gcpAsn: 65001\n" +
		"  havpn:subnets:\n    - region: r1\n      cidr: 10.0.0.0/24\n" +
		"  havpn:sharedSecret:\n    secure: v1:ciphertext\n"
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.s.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	sf, err := ReadStackFile(dir, "s")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"havpn:gcpRegion": "asia-northeast1",
		"havpn:gcpAsn":    "65001", // a bare key is qualified, as `pulumi config set` does
		"havpn:subnets":   `[{"cidr":"10.0.0.0/24","region":"r1"}]`,
	}
	if !reflect.DeepEqual(sf.Plain, want) {
		t.Errorf("plain = %q, want %q", sf.Plain, want)
	}
	if !reflect.DeepEqual(sf.Encrypted, []string{"havpn:sharedSecret"}) {
		t.Errorf("encrypted = %q: a secure value must be listed, never passed on as plain text", sf.Encrypted)
	}
	if _, err := ReadStackFile(dir, "missing"); err == nil || !strings.Contains(err.Error(), `stack "missing"`) {
		t.Errorf("missing file: %v", err)
	}
}
