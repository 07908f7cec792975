"""Every public name and call form of everruns-sdk 0.3.1 works with this package.

`surface_0_3_1.json` is generated from the 0.3.1 package itself by
`scripts/surface_0_3_1.py` (names and signatures read with `inspect`). Here, every
name must import from the same module, and every method of every sub-client must
exist on the async and the blocking client and accept both call forms: the
positional one (each positional-or-keyword parameter by position, the keyword-only
ones by name) and the all-keywords one. Old keyword names must be real parameters,
not swallowed by `**options`.
"""

from __future__ import annotations

import importlib
import inspect
import json
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from compat_programs import SURFACE

from everruns_sdk import Everruns, SyncEverruns, _options
from everruns_sdk._compat._warn import NotOfferedError

DATA: dict[str, Any] = json.loads(SURFACE.read_text())

# Parameters we name differently; 0.3.x programs pass them positionally, where the
# name does not matter (docs/migrating.md lists them). (sub-client, method) -> renames
RENAMED_PARAMETERS: dict[tuple[str, str], dict[str, str]] = {
    ("harnesses", "get"): {"id": "harness_id"},
    ("harnesses", "update"): {"id": "harness_id"},
    ("harnesses", "delete"): {"id": "harness_id"},
    ("models", "get"): {"id": "model_id"},
}
# Sub-clients and methods whose endpoints the spec does not define: they raise.
NOT_OFFERED_CLIENTS = {"budgets", "connections"}
NOT_OFFERED_METHODS = {
    ("sessions", m) for m in ("budgets", "budget_check", "resume", "set_secrets")
}


@pytest.fixture(autouse=True)
def quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _names() -> list[tuple[str, str]]:
    return [(module, name) for module, names in DATA["modules"].items() for name in names]


def _methods() -> list[tuple[str, str]]:
    return [(sub, method) for sub, info in DATA["resources"].items() for method in info["methods"]]


def test_the_data_file_is_the_0_3_1_surface() -> None:
    assert (DATA["package"], DATA["version"]) == ("everruns-sdk", "0.3.1")
    assert len(DATA["modules"]["everruns_sdk"]) == 82
    assert len(_methods()) == 93


@pytest.mark.parametrize(("module", "name"), _names(), ids=lambda v: str(v))
def test_every_name_imports(module: str, name: str) -> None:
    value = getattr(importlib.import_module(module), name)
    assert value is not None or name == "TYPE_CHECKING"


def _keyword_names(func: Callable[..., Any]) -> set[str]:
    """Names `func` accepts by keyword: its named parameters and the keys of an
    `**options: Unpack[SomeTypedDict]` (resolved in the function's module)."""
    names: set[str] = set()
    for param in inspect.signature(func).parameters.values():
        if param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
            names.add(param.name)
        elif param.kind is param.VAR_KEYWORD:
            annotation = str(param.annotation)
            if annotation.startswith("Unpack["):
                name = annotation[len("Unpack[") : -1]
                typed = func.__globals__.get(name) or getattr(_options, name)
                names.update(typed.__required_keys__ | typed.__optional_keys__)
    return names


def _clients() -> list[Any]:
    return [
        Everruns(api_key="evr_surface", base_url="http://127.0.0.1:9/api"),
        SyncEverruns(api_key="evr_surface", base_url="http://127.0.0.1:9/api"),
    ]


@pytest.mark.parametrize(("sub", "method"), _methods(), ids=lambda v: str(v))
def test_every_method_accepts_both_call_forms(sub: str, method: str) -> None:
    params = DATA["resources"][sub]["methods"][method]["params"]
    renames = RENAMED_PARAMETERS.get((sub, method), {})
    positional = [p["name"] for p in params if p["kind"] == "POSITIONAL_OR_KEYWORD"]
    keyword_only = [p["name"] for p in params if p["kind"] == "KEYWORD_ONLY"]
    for client in _clients():
        func = getattr(getattr(client, sub), method)
        signature = inspect.signature(func)
        signature.bind(*positional, **{k: k for k in keyword_only})
        signature.bind(**{renames.get(k, k): k for k in [*positional, *keyword_only]})
        missing = {renames.get(k, k) for k in keyword_only} - _keyword_names(func)
        assert not missing, f"{sub}.{method} has no parameter {sorted(missing)}"


def _not_offered() -> list[tuple[str, str]]:
    return [
        (sub, method)
        for sub, method in _methods()
        if sub in NOT_OFFERED_CLIENTS or (sub, method) in NOT_OFFERED_METHODS
    ]


@pytest.mark.parametrize(("sub", "method"), _not_offered(), ids=lambda v: str(v))
async def test_methods_without_an_endpoint_say_so(sub: str, method: str) -> None:
    params = DATA["resources"][sub]["methods"][method]["params"]
    args = [p["name"] for p in params if p["required"]]
    async_client, sync_client = _clients()
    with pytest.raises(NotOfferedError, match="does not offer") as raised:
        await getattr(getattr(async_client, sub), method)(*args)
    assert isinstance(raised.value, NotImplementedError)
    with pytest.raises(NotOfferedError, match="does not offer"):
        getattr(getattr(sync_client, sub), method)(*args)


def test_the_client_takes_key_url_and_org_positionally_and_by_name() -> None:
    init = [p["name"] for p in DATA["client"]["init"]]
    assert init == ["api_key", "base_url", "org_id"]
    for cls in (Everruns, SyncEverruns):
        by_position = cls("evr_surface", "http://127.0.0.1:9/api/", "org_surface")
        by_name = cls(
            api_key="evr_surface", base_url="http://127.0.0.1:9/api", org_id="org_surface"
        )
        for client in (by_position, by_name):
            assert (client.base_url, client.org_id) == ("http://127.0.0.1:9/api", "org_surface")
    for name in DATA["client"]["methods"]:
        assert callable(getattr(Everruns, name)) and callable(getattr(SyncEverruns, name))


def test_the_model_helpers_take_their_call_forms() -> None:
    models = importlib.import_module("everruns_sdk.models")
    for model, helpers in DATA["model_helpers"].items():
        for helper, info in helpers.items():
            args = [f"{p['name']}-value" for p in info["params"]]
            built = getattr(getattr(models, model), helper)(*args)
            assert built is not None


def test_the_old_stream_classes_take_their_call_forms() -> None:
    sse = importlib.import_module("everruns_sdk.sse")
    for cls_name, info in DATA["sse"].items():
        cls = getattr(sse, cls_name)
        names = [p["name"] for p in info["init"]]
        inspect.signature(cls).bind(*names)
        for member in info["members"]:
            assert hasattr(cls, member), f"{cls_name}.{member}"
    options = sse.StreamOptions(["turn.completed"], [], "evt_1", 3, 2, 10)
    assert (options.types, options.since_id, options.idle_timeout) == (
        ["turn.completed"],
        "evt_1",
        10,
    )
    assert sse.StreamOptions.exclude_deltas().exclude == [
        "output.message.delta",
        "reason.thinking.delta",
    ]
