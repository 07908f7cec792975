"""Every operation of sdk-scope.json is covered by exactly one SDK method."""

from __future__ import annotations

import importlib.util
import inspect
import json
from collections import Counter
from types import ModuleType
from typing import Any

import pytest
from repo_paths import PYTHON_ROOT as REPO
from repo_paths import SCOPE

from everruns_sdk import Everruns


def _load_operations() -> ModuleType:
    path = REPO / "tests" / "contract" / "operations.py"
    spec = importlib.util.spec_from_file_location("_everruns_contract_operations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


operations = _load_operations()
OPERATION_TO_METHOD: dict[str, str] = operations.OPERATION_TO_METHOD
NOT_COROUTINES: frozenset[str] = operations.NOT_COROUTINES


@pytest.fixture
def client() -> Everruns:
    # Never sends a request: only attribute access on sub-clients.
    return Everruns(api_key="evr_x", base_url="http://localhost/api")


@pytest.fixture(scope="module")
def scope() -> list[dict[str, Any]]:
    if not SCOPE.is_file():
        pytest.skip(f"{SCOPE} not found (the shared contract sits next to the repository)")
    ops: list[dict[str, Any]] = json.loads(SCOPE.read_text())["operations"]
    return ops


def test_scope_and_mapping_name_the_same_operations(scope: list[dict[str, Any]]) -> None:
    ids = [op["operation_id"] for op in scope]
    assert len(ids) == len(set(ids)) == 85
    assert set(ids) - set(OPERATION_TO_METHOD) == set(), "operations without a method"
    assert set(OPERATION_TO_METHOD) - set(ids) == set(), "methods for unknown operations"


def test_each_method_lives_on_the_owning_sub_client(scope: list[dict[str, Any]]) -> None:
    wrong = {
        op["operation_id"]: (OPERATION_TO_METHOD[op["operation_id"]], op["resource"])
        for op in scope
        if OPERATION_TO_METHOD[op["operation_id"]].split(".")[0] != op["resource"]
    }
    assert wrong == {}


def test_no_method_covers_two_operations() -> None:
    counts = Counter(OPERATION_TO_METHOD.values())
    assert {method: n for method, n in counts.items() if n > 1} == {}


@pytest.mark.parametrize("operation_id", sorted(OPERATION_TO_METHOD))
def test_method_exists_and_is_async(client: Everruns, operation_id: str) -> None:
    method = operations.resolve(client, OPERATION_TO_METHOD[operation_id])
    assert callable(method)
    assert inspect.ismethod(method), f"{operation_id}: not a bound method"
    if operation_id in NOT_COROUTINES:
        assert not inspect.iscoroutinefunction(method)
    elif OPERATION_TO_METHOD[operation_id].endswith(".list"):
        assert not inspect.iscoroutinefunction(method)  # an AsyncPager: awaited or iterated
        assert inspect.signature(method).return_annotation.startswith("AsyncPager[")
    else:
        assert inspect.iscoroutinefunction(method), f"{operation_id}: not a coroutine function"


def test_nested_sub_clients_are_the_top_level_ones(client: Everruns) -> None:
    assert client.workspaces.files is client.workspace_files
    assert client.memories.files is client.memory_files
    assert client.sessions.databases is client.session_databases
    assert client.sessions.storage is client.session_storage
