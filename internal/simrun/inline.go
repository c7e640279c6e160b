package simrun

import (
	"context"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// InlineStack selects or creates a stack of an inline Go program of its own project (no configuration
// declaration) in the world, with the world's backend, passphrase and environment: the hub and spoke
// programs of the end-to-end tests, each a stack another reads through a StackReference
// ("organization/<project>/<stack>" on this backend).
func (w *World) InlineStack(ctx context.Context, project, stackName string, prog pulumi.RunFunc, cfg auto.ConfigMap) (auto.Stack, error) {
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: w.Root, SkipVersionCheck: true})
	if err != nil {
		return auto.Stack{}, err
	}
	proj := workspace.Project{
		Name:    tokens.PackageName(project),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: w.BackendURL()},
	}
	work := filepath.Join(w.Dir, "work-"+project+"-"+stackName)
	if err := os.MkdirAll(work, 0o755); err != nil {
		return auto.Stack{}, err
	}
	st, err := auto.UpsertStackInlineSource(ctx, stackName, project, prog,
		auto.Project(proj), auto.WorkDir(work), auto.EnvVars(w.Env), auto.Pulumi(cmd),
		auto.PulumiHome(w.Env["PULUMI_HOME"]), auto.SecretsProvider("passphrase"))
	if err != nil {
		return auto.Stack{}, err
	}
	if len(cfg) > 0 {
		err = st.SetAllConfig(ctx, cfg)
	}
	return st, err
}

// StackReferenceName is how a program in the world names another project's stack.
func StackReferenceName(project, stackName string) string {
	return "organization/" + project + "/" + stackName
}
