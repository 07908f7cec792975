"""Every operation of the SDK's scope has an SDK method and a contract scenario.

The scope is `../shared/openapi/sdk-scope.json` when the shared contract is checked out
next to the repository, else the operation list of the generated `contract.json`.
"""

from __future__ import annotations

import inspect

import pytest
from contract_checks import scope_operations
from contract_scenarios import SCENARIOS
from operations import NOT_COROUTINES, OPERATION_TO_METHOD, resolve

from everruns_sdk import Everruns
from everruns_sdk.testing._contract import load_contract

SCOPE = scope_operations()
SCOPE_IDS = [op["operation_id"] for op in SCOPE]


@pytest.fixture(scope="module")
def offline_client() -> Everruns:
    """A client that never sends anything: only its methods are looked at."""
    return Everruns(api_key="evr_offline", base_url="http://127.0.0.1:9/api")


@pytest.mark.parametrize("entry", SCOPE, ids=SCOPE_IDS)
def test_operation_has_an_sdk_method(entry: dict[str, str], offline_client: Everruns) -> None:
    operation_id = entry["operation_id"]
    dotted = OPERATION_TO_METHOD.get(operation_id)
    assert dotted is not None, f"{operation_id} ({entry['method']} {entry['path']}) has no method"
    assert dotted.split(".")[0] == entry["resource"], (
        f"{operation_id} belongs to client.{entry['resource']}, not client.{dotted}"
    )
    try:
        method = resolve(offline_client, dotted)
    except AttributeError as exc:
        pytest.fail(f"{operation_id}: client.{dotted} does not exist ({exc})")
    assert callable(method), f"client.{dotted} is not callable"
    if operation_id in NOT_COROUTINES:
        assert not inspect.iscoroutinefunction(method), f"client.{dotted} must not be async"
    elif dotted.endswith(".list"):  # returns an AsyncPager: awaited or iterated
        assert not inspect.iscoroutinefunction(method), f"client.{dotted} returns a pager"
    else:
        assert inspect.iscoroutinefunction(method), f"client.{dotted} must be a coroutine"


def test_mapping_names_only_scope_operations() -> None:
    assert sorted(set(OPERATION_TO_METHOD) - set(SCOPE_IDS)) == []
    assert len(set(OPERATION_TO_METHOD.values())) == len(OPERATION_TO_METHOD), "one method each"


def test_every_operation_has_a_call_scenario() -> None:
    assert sorted(set(SCOPE_IDS) - set(SCENARIOS)) == [], "operations without a scenario"
    assert sorted(set(SCENARIOS) - set(SCOPE_IDS)) == [], "scenarios of unknown operations"


def test_contract_describes_the_scope() -> None:
    """contract.json (generated) has each scope operation with the same method and path."""
    operations = load_contract()["operations"]
    assert sorted(operations) == sorted(SCOPE_IDS)
    for entry in SCOPE:
        described = operations[entry["operation_id"]]
        assert (described["method"], described["path"]) == (entry["method"], entry["path"])
