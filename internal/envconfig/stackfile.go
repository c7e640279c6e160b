package envconfig

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// StackFile is the configuration held in stacks/Pulumi.<stack>.yaml, keys qualified with their
// namespace ("havpn:gcpRegion"), structured values as JSON (as the Pulumi engine hands them to
// programs).
type StackFile struct {
	Plain map[string]string
	// Encrypted lists the keys held as `secure:` ciphertext. Only the Pulumi CLI with the stack's
	// secrets provider can read them; offline runs leave them out.
	Encrypted []string
}

// ReadStackFile reads stacks/Pulumi.<stack>.yaml under dir.
func ReadStackFile(dir, stack string) (StackFile, error) {
	path := filepath.Join(dir, fmt.Sprintf("Pulumi.%s.yaml", stack))
	raw, err := os.ReadFile(path)
	if err != nil {
		return StackFile{}, fmt.Errorf("stack %q: %w", stack, err)
	}
	var file struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return StackFile{}, fmt.Errorf("%s: %w", path, err)
	}
	sf := StackFile{Plain: map[string]string{}}
	for k, v := range file.Config {
		k = Qualify(k)
		if m, ok := v.(map[string]any); ok && m["secure"] != nil {
			sf.Encrypted = append(sf.Encrypted, k)
			continue
		}
		s, err := configString(v)
		if err != nil {
			return StackFile{}, fmt.Errorf("%s: %s: %w", path, k, err)
		}
		sf.Plain[k] = s
	}
	sort.Strings(sf.Encrypted)
	return sf, nil
}

// Qualify adds the project namespace to a bare key, as `pulumi config set` does.
func Qualify(k string) string {
	if strings.Contains(k, ":") {
		return k
	}
	return Namespace + ":" + k
}

func configString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int, bool, float64:
		return fmt.Sprint(x), nil
	default:
		b, err := json.Marshal(x)
		return string(b), err
	}
}
