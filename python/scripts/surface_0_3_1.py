"""Write the public surface of everruns-sdk 0.3.1 (the package on PyPI) as data.

Run it with a Python that has `everruns-sdk==0.3.1` installed, outside this repository:

    python3 -m venv /tmp/official-0.3.1
    /tmp/official-0.3.1/bin/pip install everruns-sdk==0.3.1
    /tmp/official-0.3.1/bin/python scripts/surface_0_3_1.py > tests/compat/surface_0_3_1.json

Only facts are recorded, read with `inspect`: the public names of each module, the
constructor of the client, every method of every sub-client (parameter names, kinds,
whether each is required, async or not) and the static helpers of the models. The
compatibility tests (`tests/compat/`) check our package against this file.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from typing import Any

MODULES = (
    "everruns_sdk",
    "everruns_sdk.models",
    "everruns_sdk.sse",
    "everruns_sdk.errors",
    "everruns_sdk.client",
)


def public_names(module_name: str) -> list[str]:
    """Names a program can import: `__all__` when there is one, else what the module
    defines itself (not what it imports from elsewhere)."""
    module = importlib.import_module(module_name)
    declared = getattr(module, "__all__", None)
    if declared is not None:
        return sorted(declared)
    names = []
    for name, value in vars(module).items():
        if name.startswith("_") or inspect.ismodule(value):
            continue
        if getattr(value, "__module__", module_name) == module_name:
            names.append(name)
    return sorted(names)


def parameters(func: Any) -> list[dict[str, Any]]:
    """The parameters of `func` without `self`: name, kind, required."""
    out = []
    for param in inspect.signature(func).parameters.values():
        if param.name == "self":
            continue
        out.append(
            {
                "name": param.name,
                "kind": param.kind.name,
                "required": param.default is inspect.Parameter.empty
                and param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD),
            }
        )
    return out


def is_async(func: Any) -> bool:
    return inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func)


def sub_clients(client_class: type) -> dict[str, dict[str, Any]]:
    """Every property of the client whose value is a sub-client, with its methods."""
    found: dict[str, dict[str, Any]] = {}
    hints = {}
    for name, member in vars(client_class).items():
        if isinstance(member, property) and not name.startswith("_"):
            hints[name] = inspect.signature(member.fget).return_annotation
    client_module = importlib.import_module("everruns_sdk.client")
    for name, annotation in sorted(hints.items()):
        cls = getattr(client_module, str(annotation).strip("'\""), None)
        if not inspect.isclass(cls):
            continue
        methods = {}
        for method_name, member in sorted(vars(cls).items()):
            if method_name.startswith("_") or not callable(member):
                continue
            methods[method_name] = {"async": is_async(member), "params": parameters(member)}
        found[name] = {"class": cls.__name__, "methods": methods}
    return found


def model_helpers() -> dict[str, dict[str, Any]]:
    """Static and class methods of the models (`ContentPart.make_tool_result`, ...)."""
    models = importlib.import_module("everruns_sdk.models")
    helpers: dict[str, dict[str, Any]] = {}
    for name in public_names("everruns_sdk.models"):
        cls = getattr(models, name)
        if not inspect.isclass(cls):
            continue
        own = {}
        for attr, member in sorted(vars(cls).items()):
            if attr.startswith("_") or not isinstance(member, (staticmethod, classmethod)):
                continue
            own[attr] = {"params": parameters(member.__func__)}
            if isinstance(member, classmethod):
                own[attr]["params"] = own[attr]["params"][1:]  # cls
        if own:
            helpers[name] = own
    return helpers


def main() -> int:
    sdk = importlib.import_module("everruns_sdk")
    version = getattr(sdk, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version("everruns-sdk")
    client_class = sdk.Everruns
    sse = importlib.import_module("everruns_sdk.sse")
    surface = {
        "package": "everruns-sdk",
        "version": version,
        "generated_by": "scripts/surface_0_3_1.py",
        "modules": {name: public_names(name) for name in MODULES},
        "client": {
            "init": parameters(client_class.__init__),
            "methods": {
                name: {"async": is_async(member), "params": parameters(member)}
                for name, member in sorted(vars(client_class).items())
                if not name.startswith("_") and inspect.isfunction(member)
            },
        },
        "resources": sub_clients(client_class),
        "model_helpers": model_helpers(),
        "sse": {
            "EventStream": {
                "init": parameters(sse.EventStream.__init__),
                "members": sorted(n for n in vars(sse.EventStream) if not n.startswith("_")),
            },
            "StreamOptions": {
                "init": parameters(sse.StreamOptions.__init__),
                "members": sorted(n for n in vars(sse.StreamOptions) if not n.startswith("_")),
            },
        },
    }
    json.dump(surface, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
