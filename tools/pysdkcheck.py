#!/usr/bin/env python3
"""Static check of a Python program against the generated havpn SDK, for machines without PyPI
(the pulumi package cannot be installed, so the program cannot be imported). It checks that every
havpn.Name used exists in the SDK, that every keyword argument passed to an SDK class is one its
__init__ accepts, and that every havpn.Enum.MEMBER exists. Usage: pysdkcheck.py SDK_DIR PROGRAM..."""
import ast
import pathlib
import sys


def sdk_api(sdk_dir):
    classes, enums = {}, {}
    for path in pathlib.Path(sdk_dir).glob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
            if "Enum" in bases:
                enums[node.name] = {t.id for s in node.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    classes[node.name] = {a.arg for a in item.args.args + item.args.kwonlyargs}
                    break
            else:
                classes.setdefault(node.name, set())
    return classes, enums


def check(program, classes, enums):
    errors = []
    for node in ast.walk(ast.parse(program.read_text())):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "havpn":
            if node.attr not in classes and node.attr not in enums:
                errors.append(f"{program}:{node.lineno}: havpn.{node.attr} is not in the SDK")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and getattr(node.value.value, "id", "") == "havpn":
            members = enums.get(node.value.attr)
            if members is not None and node.attr not in members:
                errors.append(f"{program}:{node.lineno}: havpn.{node.value.attr}.{node.attr} is not a member")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", "") == "havpn":
            accepted = classes.get(node.func.attr, set())
            for kw in node.keywords:
                if kw.arg not in accepted:
                    errors.append(f"{program}:{node.lineno}: havpn.{node.func.attr} has no argument {kw.arg!r}")
    return errors


def main():
    classes, enums = sdk_api(sys.argv[1])
    if "HaVpnLink" not in classes:
        sys.exit(f"pysdkcheck: no HaVpnLink class in {sys.argv[1]}")
    errors = [e for p in sys.argv[2:] for e in check(pathlib.Path(p), classes, enums)]
    for e in errors:
        print(e)
    print(f"pysdkcheck: {len(sys.argv) - 2} program(s), {len(errors)} problem(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
