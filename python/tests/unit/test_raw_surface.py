"""`with_raw_response` covers every sub-client: each API operation's method has its raw
twin (async and blocking), and each public method of a sub-client is either in its raw
class or named here as one that sends no request of its own."""

from __future__ import annotations

import importlib.util
import inspect
from functools import cached_property
from types import ModuleType
from typing import Any

import pytest
from repo_paths import PYTHON_ROOT

from everruns_sdk import Everruns, SyncEverruns
from everruns_sdk._sync.resources._base import SyncResource
from everruns_sdk.resources._base import Resource


def _load_operations() -> ModuleType:
    path = PYTHON_ROOT / "tests" / "contract" / "operations.py"
    spec = importlib.util.spec_from_file_location("_everruns_raw_operations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


operations = _load_operations()
OPERATION_TO_METHOD: dict[str, str] = operations.OPERATION_TO_METHOD

# Public methods without a raw twin, and why.
NO_RAW = {
    ("Agents", "generate_id"): "builds an ID locally",
    ("Harnesses", "generate_id"): "builds an ID locally",
    ("Messages", "tool_result"): "builds a value locally",
    ("Messages", "tool_error"): "builds a value locally",
    ("Events", "stream"): "a live stream of many connections (its .headers are the raw part)",
    ("Events", "iter"): "an iterator over many pages",
    ("Images", "iter_bytes"): "a download in chunks",
    ("Images", "write_to"): "a download into a file",
    ("Sessions", "run"): "a turn: several requests and the event stream",
    ("Sessions", "stream_turn"): "a turn's event stream",
    ("SessionFiles", "workspace_id"): "answered from a cache after the first call",
}


@pytest.fixture(params=[Everruns, SyncEverruns], ids=["async", "sync"])
def client(request: pytest.FixtureRequest) -> Any:
    # Never sends a request: only attribute access on sub-clients.
    return request.param(api_key="evr_x", base_url="http://localhost/api")


def _sub_clients(client: Any) -> list[Any]:
    """Every sub-client reachable from `client`, nested ones included, once each."""
    found: dict[int, Any] = {}
    pending = [getattr(client, n) for n in dir(client) if not n.startswith("_")]
    while pending:
        value = pending.pop()
        if not isinstance(value, (Resource, SyncResource)) or id(value) in found:
            continue
        if "._compat." in type(value).__module__:  # 0.3 names the API no longer offers
            continue
        found[id(value)] = value
        pending.extend(
            getattr(value, name)
            for name, member in vars(type(value)).items()
            if not name.startswith("_")
            and isinstance(member, (property, cached_property))
            and name != "with_raw_response"
        )
    return list(found.values())


def _own_methods(resource: Any) -> list[str]:
    """Public methods a sub-client's class defines itself (not the 0.3 spellings)."""
    return [
        name
        for name, member in vars(type(resource)).items()
        if not name.startswith("_") and inspect.isfunction(member)
    ]


@pytest.mark.parametrize("operation_id", sorted(OPERATION_TO_METHOD))
def test_every_operation_has_a_raw_method(client: Any, operation_id: str) -> None:
    *owner, name = OPERATION_TO_METHOD[operation_id].split(".")
    resource = operations.resolve(client, ".".join(owner))
    base = type(resource).__name__.removeprefix("Sync")
    if (base, name) in NO_RAW:
        assert not hasattr(resource.with_raw_response, name)
        return
    raw = getattr(resource.with_raw_response, name)
    assert callable(raw) and raw.__wrapped__ == getattr(resource, name)
    assert inspect.signature(raw) == inspect.signature(getattr(resource, name))


def test_every_public_method_is_raw_or_named(client: Any) -> None:
    resources = _sub_clients(client)
    assert len(resources) >= 15
    for resource in resources:
        base = type(resource).__name__.removeprefix("Sync")
        raw = resource.with_raw_response
        for name in _own_methods(resource):
            if (base, name) in NO_RAW:
                assert not hasattr(raw, name), f"{base}.{name} is listed in NO_RAW"
            else:
                assert callable(getattr(raw, name, None)), f"{base}.{name} has no raw twin"
        raw_names = {n for n in vars(raw) if not n.startswith("_")}
        subs = {
            n
            for n, m in vars(type(resource)).items()
            if isinstance(m, (property, cached_property)) and not n.startswith("_")
        } - {"with_raw_response"}
        assert raw_names == set(_own_methods(resource)) - {n for b, n in NO_RAW if b == base} | subs


def test_nested_raw_clients_are_the_sub_clients_own(client: Any) -> None:
    raw = client.agents.with_raw_response
    assert type(raw.versions) is type(client.agents.versions.with_raw_response)
    assert raw.versions.list.__wrapped__ == client.agents.versions.list
