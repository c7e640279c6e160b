"""End-to-end test driver (SIMULATED clouds): runs a Python program through the Python Automation API as
an inline program, with the havpn Python SDK installed from sdk/python, and prints one JSON object
for the Go test (e2e/python_test.go) to check.

Usage: python run.py dev|example up|destroy <work dir>   (the world comes in the environment: world.py)

  dev      the dev environment (devenv.py), the dev stack's values as the Go program resolves them;
  example  examples/python/__main__.py as an inline program, reading an infrastructure stack
           (devenv.infra_program) through its StackReference.

Prints one JSON object keyed by project name, one entry per stack:
  up       `up`, then a second `up` that must change nothing (expect_no_changes); per run the resource
           changes, the stack outputs (secrets masked) and a SHA-256 of the derived PSKs, and the first
           up's wall time;
  destroy  `destroy` of every stack, last deployed first; the resource types left in each state.
"""
import hashlib
import json
import os
import runpy
import sys
import time

import devenv
import world

EXAMPLE_PROJECT = "havpn-example-python"  # examples/python/Pulumi.yaml
INFRA_PROJECT, INFRA_STACK = "havpn-py-infra", "infra"


def stacks(program: str, work: str):
    """The stacks of a program in the order they are deployed."""
    env = world.environment()
    if program == "dev":
        return [world.stack("havpn-py", "dev", devenv.program(env), os.path.join(work, "dev"),
                            {"havpn:sharedSecret": (world.master_secret(), True)})]
    if program == "example":
        main = os.path.join(world.root(), "examples", "python", "__main__.py")
        infra = world.stack(INFRA_PROJECT, INFRA_STACK, devenv.infra_program(env), os.path.join(work, "infra"))
        example = world.stack(EXAMPLE_PROJECT, "dev", lambda: runpy.run_path(main, run_name="__main__"),
                              os.path.join(work, "example"), {
                                  f"{EXAMPLE_PROJECT}:infraStack": (f"organization/{INFRA_PROJECT}/{INFRA_STACK}", False),
                                  f"{EXAMPLE_PROJECT}:sharedSecret": (world.master_secret(), True),
                              })
        return [infra, example]
    raise SystemExit(f"unknown program {program!r}")


def psk_digest(psks: dict) -> str:
    """SHA-256 of the PSKs by tunnel name, keys sorted and serialized as the Go and TypeScript runs do,
    so the test compares them without printing them."""
    return hashlib.sha256(json.dumps(psks, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def report(result) -> dict:
    outputs = {k: {"value": "[secret]" if v.secret else v.value, "secret": v.secret} for k, v in result.outputs.items()}
    psks = result.outputs.get("sharedSecrets")
    return {
        "summary": result.summary.resource_changes,
        "outputs": outputs,
        "pskSha256": psk_digest(psks.value) if psks else "",
    }


def progress(text: str):
    sys.stderr.write(text)


def up(program: str, work: str) -> dict:
    out = {}
    for st in stacks(program, work):
        started = time.monotonic()
        first = st.up(on_output=progress)
        seconds = time.monotonic() - started
        second = st.up(on_output=progress, expect_no_changes=True)
        out[st.workspace.project_settings().name] = {
            "up": report(first), "upSeconds": round(seconds, 2), "rerun": report(second)}
    return out


def destroy(program: str, work: str) -> dict:
    out = {}
    for st in reversed(stacks(program, work)):
        st.destroy(on_output=progress)
        out[st.workspace.project_settings().name] = {"leftInState": world.resources_in_state(st)}
    return out


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("up", "destroy"):
        raise SystemExit(__doc__)
    if world.missing():
        raise SystemExit(f"run.py runs inside the Go e2e test (go test -tags e2e -run TestPython ./e2e); unset: {world.missing()}")
    program, phase, work = sys.argv[1:]
    result = (up if phase == "up" else destroy)(program, work)
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        main()
    except Exception as err:  # the engine's own output is already on stderr
        sys.stderr.write(f"e2e python program failed (simulated clouds): {err}\n")
        sys.exit(1)
