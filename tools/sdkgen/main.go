// Command sdkgen writes the TypeScript, Python and Go SDKs of havpn from schema.json with Pulumi's
// code generators, without the language hosts (which this environment cannot download).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "havpn-sdkgen"

// generators maps each SDK directory to its code generator.
var generators = map[string]func(*schema.Package) (map[string][]byte, error){
	"nodejs": func(p *schema.Package) (map[string][]byte, error) {
		return nodejs.GeneratePackage(tool, p, nil, nil, false, noPackages{})
	},
	"python": func(p *schema.Package) (map[string][]byte, error) {
		return python.GeneratePackage(tool, p, nil, noPackages{})
	},
	"go": func(p *schema.Package) (map[string][]byte, error) { return gogen.GeneratePackage(tool, p, nil) },
}

func main() {
	schemaPath := flag.String("schema", "schema.json", "the package schema")
	out := flag.String("out", "sdk", "directory that receives one SDK per language")
	flag.Parse()
	if err := run(*schemaPath, *out); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	langs := make([]string, 0, len(generators))
	for lang := range generators {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		// Each generator records its language info on the package, so bind a fresh one per language.
		var spec schema.PackageSpec
		if err := json.Unmarshal(raw, &spec); err != nil {
			return fmt.Errorf("%s: %w", schemaPath, err)
		}
		pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
		if err != nil {
			return err
		}
		if diags.HasErrors() {
			return fmt.Errorf("%s: %s", schemaPath, diags.Error())
		}
		files, err := generators[lang](pkg)
		if err != nil {
			return fmt.Errorf("%s SDK: %w", lang, err)
		}
		if err := write(filepath.Join(out, lang), files); err != nil {
			return err
		}
		fmt.Printf("sdkgen: wrote %d files to %s\n", len(files), filepath.Join(out, lang))
	}
	return nil
}

// kept are the files in an SDK directory that are not generated: installed packages, the lockfile
// that pins them, and build output.
var kept = map[string]bool{"node_modules": true, "package-lock.json": true, "bin": true}

// write replaces dir's generated files with exactly the new ones, so a regeneration leaves nothing stale.
func write(dir string, files map[string][]byte) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	for _, e := range entries {
		if !kept[e.Name()] {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
