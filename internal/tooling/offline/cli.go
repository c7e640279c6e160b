package offline

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

const usage = `usage: havpn plan --stack NAME [--json] [--set key=value ...] [--stacks-dir DIR]

Runs the example program offline under Pulumi mocks and prints the resource inventory, the wiring
table and the survivability table (no cloud, no Pulumi CLI). The stack file and every --set are
checked against Pulumi.yaml's declaration first: an undeclared havpn: key (with the closest declared
key for a likely typo) or a wrongly typed value is refused. --set takes JSON for a list or object key,
e.g. --set 'havpn:bgpSessionRanges=["169.254.21.8/30","169.254.21.12/30"]'.

Exit status: 0 planned; 1 the configuration is refused (undeclared key, wrong type, address-space or
link validation: every problem is printed); 2 usage (bad flags, missing stack file, --set without =).
`

// Main runs `havpn plan` (args[0] == "plan") and returns its exit status: 0 ok, 1 invalid
// configuration, 2 usage.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "plan" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	return plan(args[1:], stdout, stderr)
}

// setFlags collects repeated --set flags.
type setFlags []string

func (s *setFlags) String() string     { return fmt.Sprint(*s) }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

func plan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stack := fs.String("stack", "", "stack name: reads <stacks-dir>/Pulumi.<stack>.yaml")
	asJSON := fs.Bool("json", false, "print one JSON object")
	dir := fs.String("stacks-dir", "stacks", "directory of the stack configuration files")
	var sets setFlags
	fs.Var(&sets, "set", "override a config key as `pulumi config set` would (key=value; repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *stack == "" {
		fmt.Fprint(stderr, "havpn plan: --stack is required\n"+usage)
		return 2
	}
	res, err := Run(Options{Stack: *stack, StacksDir: *dir, Sets: sets})
	if err != nil {
		fmt.Fprintf(stderr, "havpn plan: stack %q is invalid:\n%s\n", *stack, err)
		var pathErr *os.PathError
		var usageErr *UsageError
		if errors.As(err, &pathErr) || errors.As(err, &usageErr) {
			return 2
		}
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		return 0
	}
	WriteText(stdout, res)
	return 0
}
