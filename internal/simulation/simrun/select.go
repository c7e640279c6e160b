package simrun

import (
	"context"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
)

// SelectStack selects an existing stack of the world to read it (export, outputs); no program runs.
func (w *World) SelectStack(ctx context.Context, stackName string) (auto.Stack, error) {
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: w.Root, SkipVersionCheck: true})
	if err != nil {
		return auto.Stack{}, err
	}
	work := filepath.Join(w.Dir, "work-"+stackName)
	if err := os.MkdirAll(work, 0o755); err != nil {
		return auto.Stack{}, err
	}
	proj := workspace.Project{
		Name:    envconfig.Namespace,
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: w.BackendURL()},
	}
	ws, err := auto.NewLocalWorkspace(ctx, auto.Project(proj), auto.WorkDir(work), auto.EnvVars(w.Env), auto.Pulumi(cmd),
		auto.PulumiHome(w.Env["PULUMI_HOME"]), auto.SecretsProvider("passphrase"))
	if err != nil {
		return auto.Stack{}, err
	}
	return auto.SelectStack(ctx, stackName, ws)
}

// DemoPassphrase is the passphrase of the demo's simulated world (.demo): its secrets are demo values.
const DemoPassphrase = "havpn-demo-simulated"
