"""The simulated world a Python program runs in, as the Go end-to-end test prepared it (SIMULATED clouds).

The Go test (e2e/python_test.go, internal/simulation/simrun) builds the world and passes it in the environment:
PATH (bin/ first: the pinned CLI, pulumi-resource-havpn, simcloud as pulumi-resource-gcp and
-azure-native), PULUMI_HOME, PULUMI_CONFIG_PASSPHRASE, SIMCLOUD_STATE_DIR, BACKEND_URL (a file://
backend), MASTER_SECRET, HAVPN_ROOT (the repository) and HAVPN_ENV (the dev stack's environment as the
Go program resolves it). Programs run inline through the Python Automation API: the language host
cannot be fetched here, and an inline program hosts the runtime in this process.
"""
import json
import os
from typing import Callable, Optional

from pulumi import automation as auto

# What the CLI and the plugins it starts need from the world; nothing else of this process leaks in.
PASSED_ON = ("PATH", "PULUMI_HOME", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_SKIP_UPDATE_CHECK",
             "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK",
             "SIMCLOUD_STATE_DIR", "SIMCLOUD_TIME_SCALE", "SIMCLOUD_FAULTS")
REQUIRED = ("PATH", "PULUMI_HOME", "PULUMI_CONFIG_PASSPHRASE", "SIMCLOUD_STATE_DIR", "BACKEND_URL",
            "MASTER_SECRET", "HAVPN_ROOT", "HAVPN_ENV")


def missing() -> list:
    """The world's variables that are not set: these programs run only inside the Go e2e test."""
    return [k for k in REQUIRED if not os.environ.get(k)]


def root() -> str:
    return os.environ["HAVPN_ROOT"]


def master_secret() -> str:
    return os.environ["MASTER_SECRET"]


def environment() -> dict:
    """envconfig.Environment as JSON: Go field names, unset numbers and lists are null."""
    return json.loads(os.environ["HAVPN_ENV"])


def stack(project: str, name: str, program: Callable[[], None], work_dir: str,
          config: Optional[dict] = None) -> auto.Stack:
    """Creates or selects an inline stack on the world's backend, with config values as
    {key: (value, secret)}."""
    os.makedirs(work_dir, exist_ok=True)
    env_vars = {k: os.environ[k] for k in PASSED_ON if k in os.environ}
    st = auto.create_or_select_stack(
        stack_name=name,
        project_name=project,
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=work_dir,
            pulumi_home=os.environ["PULUMI_HOME"],
            env_vars=env_vars,
            pulumi_command=auto.PulumiCommand(root=root(), skip_version_check=True),
            secrets_provider="passphrase",
            project_settings=auto.ProjectSettings(
                name=project, runtime="python", backend=auto.ProjectBackend(url=os.environ["BACKEND_URL"])),
        ),
    )
    for key, (value, secret) in (config or {}).items():
        st.set_config(key, auto.ConfigValue(value=value, secret=secret))
    return st


def resources_in_state(st: auto.Stack) -> list:
    """The resource types in the stack's exported state (empty after a full destroy)."""
    deployment = st.export_stack().deployment or {}
    return [r["type"] for r in deployment.get("resources") or []]
