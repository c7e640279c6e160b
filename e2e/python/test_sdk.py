"""What a Python user meets in the installed havpn SDK (pulumi_havpn, installed from sdk/python by
`make pyenv`), checked against the package contract schema.json: argument and output names, which
arguments are required, defaults, enums. No engine needed (make sdk-py); the plugin's answers to bad
arguments are in test_engine.py."""
import importlib.metadata
import inspect
import json
import os
import re
import sys

import pytest

import pulumi_havpn as havpn
from pulumi_havpn import outputs

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
with open(os.path.join(ROOT, "schema.json")) as f:
    SCHEMA = json.load(f)
LINK = SCHEMA["resources"]["havpn:index:HaVpnLink"]
HUB = SCHEMA["resources"]["havpn:index:AzureVpnHub"]

# Every type of the schema and the SDK class a Python user writes or reads for it (the hub's object
# types are both: a hub outputs them, a link takes the `hub` object back as an argument).
INPUT_CLASSES = {
    "havpn:index:Gcp": havpn.GcpArgs,
    "havpn:index:Firewall": havpn.FirewallArgs,
    "havpn:index:FirewallAllow": havpn.FirewallAllowArgs,
    "havpn:index:Azure": havpn.AzureArgs,
    "havpn:index:IpsecPolicy": havpn.IpsecPolicyArgs,
    "havpn:index:ExistingGateway": havpn.ExistingGatewayArgs,
    "havpn:index:AzureVpnHubRef": havpn.AzureVpnHubRefArgs,
    "havpn:index:HubSlot": havpn.HubSlotArgs,
    "havpn:index:HubSpoke": havpn.HubSpokeArgs,
}
OUTPUT_CLASSES = {
    "havpn:index:Tunnel": outputs.Tunnel,
    "havpn:index:AzureVpnHubRef": outputs.AzureVpnHubRef,
    "havpn:index:HubSlot": outputs.HubSlot,
    "havpn:index:HubSpoke": outputs.HubSpoke,
    "havpn:index:HubCapacity": outputs.HubCapacity,
}
COMPONENTS = {"havpn:index:HaVpnLink": (havpn.HaVpnLink, havpn.HaVpnLinkArgs), "havpn:index:AzureVpnHub": (havpn.AzureVpnHub, havpn.AzureVpnHubArgs)}
ENUMS = {"havpn:index:Topology": havpn.Topology, "havpn:index:AzureSku": havpn.AzureSku}


def requirement_pin(name):
    with open(os.path.join(os.path.dirname(__file__), "requirements.txt")) as f:
        return re.search(rf"^{name}==(\S+)", f.read(), re.M).group(1)


def wire_names(cls):
    """{wire name: Python attribute} of the class's Pulumi properties (@pulumi.getter)."""
    names = {}
    for attr, value in vars(cls).items():
        if isinstance(value, property) and hasattr(value.fget, "_pulumi_name"):
            names[value.fget._pulumi_name] = attr
    return names


def keyword_args(fn, skip=("__self__", "self", "resource_name", "opts", "__props__")):
    """{name: has a default} of a function's keyword arguments."""
    params = inspect.signature(fn).parameters.values()
    return {p.name: p.default is not inspect.Parameter.empty for p in params if p.name not in skip}


def test_the_installed_package_is_used():
    # The SDK comes from site-packages (pip install ./sdk/python), not from the source tree.
    assert os.path.realpath(havpn.__file__).startswith(os.path.realpath(sys.prefix) + os.sep), havpn.__file__
    assert importlib.metadata.version("pulumi_havpn") == SCHEMA["version"]
    assert importlib.metadata.version("pulumi") == requirement_pin("pulumi")


def test_every_schema_type_has_its_class():
    types = SCHEMA["types"]
    objects = {k for k, t in types.items() if t["type"] == "object"}
    enums = {k for k, t in types.items() if "enum" in t}
    assert objects == set(INPUT_CLASSES) | set(OUTPUT_CLASSES)
    assert enums == set(ENUMS)


@pytest.mark.parametrize("token", sorted(INPUT_CLASSES))
def test_input_type_arguments(token):
    cls, spec = INPUT_CLASSES[token], SCHEMA["types"][token]
    names = wire_names(cls)
    assert set(names) == set(spec["properties"]), f"{cls.__name__}: wire names"
    args = keyword_args(cls.__init__)
    assert set(args) == set(names.values()), f"{cls.__name__}: keyword arguments"
    required = {names[p] for p in spec.get("required", [])}
    assert {a for a, optional in args.items() if not optional} == required, f"{cls.__name__}: required arguments"
    # A TypedDict form takes the same keys.
    assert set(getattr(havpn, cls.__name__ + "Dict").__annotations__) == set(names.values())


@pytest.mark.parametrize("token", sorted(COMPONENTS))
def test_component_arguments_and_outputs(token):
    component, component_args = COMPONENTS[token]
    spec = SCHEMA["resources"][token]
    names = wire_names(component_args)
    assert set(names) == set(spec["inputProperties"])
    args = keyword_args(component_args.__init__)
    assert set(args) == set(names.values())
    assert {a for a, optional in args.items() if not optional} == {names[p] for p in spec["requiredInputs"]}
    # The component(name, **kwargs) takes the same keywords as its Args class.
    assert set(keyword_args(component._internal_init)) == set(names.values())
    assert set(wire_names(component)) == set(spec["properties"])


@pytest.mark.parametrize("token", sorted(OUTPUT_CLASSES))
def test_output_types(token):
    cls, spec = OUTPUT_CLASSES[token], SCHEMA["types"][token]
    names = wire_names(cls)
    assert set(names) == set(spec["properties"])
    assert set(keyword_args(cls.__init__)) == set(names.values())


def placeholder(prop):
    return ["x"] if prop.get("type") == "array" else "x"


@pytest.mark.parametrize("token", sorted(INPUT_CLASSES) + sorted(COMPONENTS))
def test_defaults_are_the_schemas(token):
    if token in COMPONENTS:
        res = SCHEMA["resources"][token]
        cls, spec = COMPONENTS[token][1], {"properties": res["inputProperties"], "required": res["requiredInputs"]}
    else:
        cls, spec = INPUT_CLASSES[token], SCHEMA["types"][token]
    names = wire_names(cls)
    required = {names[p]: placeholder(spec["properties"][p]) for p in spec.get("required", [])}
    args = cls(**required)
    defaults = {p: s["default"] for p, s in spec["properties"].items() if "default" in s}
    assert {p: getattr(args, names[p]) for p in defaults} == defaults
    unset = set(spec["properties"]) - set(defaults) - set(spec.get("required", []))
    assert all(getattr(args, names[p]) is None for p in unset)


@pytest.mark.parametrize("token", sorted(ENUMS))
def test_enums(token):
    enum, spec = ENUMS[token], SCHEMA["types"][token]["enum"]
    assert [m.value for m in enum] == [e["value"] for e in spec]
    for member in enum:
        assert isinstance(member, str), "an enum member is sent as its string value"
        assert enum(member.value) is member
    with pytest.raises(ValueError):
        enum("not-a-" + token.rsplit(":", 1)[-1])


def test_misspelt_argument_is_a_type_error():
    with pytest.raises(TypeError, match="keepalive"):
        havpn.GcpArgs(region="asia-northeast1", network="vpc", keepalive=20)
