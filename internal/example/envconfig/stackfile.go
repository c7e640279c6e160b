package envconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// StackFile is the configuration held in stacks/Pulumi.<stack>.yaml, keys qualified with their
// namespace ("havpn:gcpRegion").
type StackFile struct {
	// Values are the plain values as the CLI checks them: scalars as text, lists and objects decoded.
	Values map[string]any
	// Plain are the same values as the Pulumi engine hands them to programs: lists and objects as JSON.
	Plain map[string]string
	// Encrypted lists the keys held as `secure:` ciphertext. Only the Pulumi CLI with the stack's
	// secrets provider can read them; offline runs leave them out.
	Encrypted []string
	// Ciphertexts holds each encrypted key's ciphertext as stored: offline tools can tell that a
	// secret changed between two commits without reading it.
	Ciphertexts map[string]string
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
	sf := StackFile{Values: map[string]any{}, Plain: map[string]string{}, Ciphertexts: map[string]string{}}
	for k, v := range file.Config {
		k = Qualify(k)
		if m, ok := v.(map[string]any); ok && m["secure"] != nil {
			sf.Encrypted = append(sf.Encrypted, k)
			sf.Ciphertexts[k] = fmt.Sprint(m["secure"])
			continue
		}
		if err := sf.Set(k, v); err != nil {
			return StackFile{}, fmt.Errorf("%s: %s: %w", path, k, err)
		}
	}
	sort.Strings(sf.Encrypted)
	return sf, nil
}

// Set sets one plain value (a decoded YAML or JSON value), as a stack file would hold it.
func (sf *StackFile) Set(key string, v any) error {
	n, err := normalize(v)
	if err != nil {
		return err
	}
	key = Qualify(key)
	sf.Values[key] = n
	sf.Plain[key] = EngineValue(n)
	return nil
}

// Qualify adds the project namespace to a bare key, as `pulumi config set` does.
func Qualify(k string) string {
	if strings.Contains(k, ":") {
		return k
	}
	return Namespace + ":" + k
}

// Role is the stack's havpn:role, or the declared default when the file leaves it out.
func (sf StackFile) Role() Role {
	if v, ok := sf.Plain[Qualify("role")]; ok && v != "" {
		return Role(v)
	}
	k, _ := Declared("role")
	return Role(EngineValue(k.Default))
}
