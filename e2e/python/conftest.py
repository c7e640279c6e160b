import re

import pytest

import world


@pytest.fixture
def new_stack(request, tmp_path):
    """new_stack(program) creates this test's inline stack in the simulated world the Go test prepared."""
    if world.missing():
        pytest.fail(f"engine tests run inside go test -tags e2e -run TestPythonSDK ./e2e; unset: {world.missing()}")
    name = re.sub(r"[^A-Za-z0-9-]+", "-", request.node.name).strip("-")

    def make(program, config=None):
        return world.stack("havpn-py-sdk", name, program, str(tmp_path / "work"), config)

    return make
