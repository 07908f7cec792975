"""Fixtures of the contract suite: the server under test, a recording client, the world.

The target is the server at `EVERRUNS_API_URL` (with `EVERRUNS_API_KEY` and the
optional `EVERRUNS_ORG_ID`) when that variable is set: `contract_target == "remote"`,
where nothing is assumed about the server's state. Otherwise the suite starts its own
local server (`EverrunsEmulator`): `contract_target == "local"`, where every operation
must succeed. At the end of the run a one-line summary counts the operations covered.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from contract_checks import Recorder, scope_operations
from contract_world import World

from everruns_sdk import Everruns

OPERATION_TEST = "test_contract_operations.py::test_operation["


def target_from_env() -> str:
    return "remote" if os.environ.get("EVERRUNS_API_URL") else "local"


@dataclass
class Server:
    url: str
    api_key: str
    org_id: str | None
    emulator: Any = None  # the local server, when the suite runs its own


@pytest.fixture(scope="session")
def contract_target() -> str:
    """`"local"`: the suite's own server, success required; `"remote"`: any server."""
    return target_from_env()


@pytest.fixture(scope="session")
def contract_server(contract_target: str) -> Iterator[Server]:
    if contract_target == "remote":
        yield Server(
            os.environ["EVERRUNS_API_URL"],
            # A mock may not check the token; the SDK still needs one to send.
            os.environ.get("EVERRUNS_API_KEY") or "evr_contract_placeholder",
            os.environ.get("EVERRUNS_ORG_ID") or None,
        )
        return
    pytest.importorskip("uvicorn", reason="the local server needs everruns-sdk[testing]")
    from everruns_sdk.testing import DEFAULT_ORG_ID, EverrunsEmulator

    # Strict: the server checks every request against the spec (a sample ID that breaks
    # a pattern, like the spec's own 31-digit event example, is a 400) and every answer.
    with EverrunsEmulator(strict=True) as emulator:
        yield Server(emulator.url, emulator.api_key, DEFAULT_ORG_ID, emulator)


@pytest.fixture(scope="session")
def recorder() -> Recorder:
    """Every exchange of the client under test (`recorder.take()` after a call)."""
    return Recorder()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def contract_client(contract_server: Server, recorder: Recorder) -> AsyncIterator[Everruns]:
    """The async client under test, on an httpx client whose hooks record each exchange.

    No retries: each call is exactly the exchange(s) the SDK sent for it.
    """
    async with httpx.AsyncClient(event_hooks=recorder.hooks) as http:
        yield Everruns(
            api_key=contract_server.api_key,
            base_url=contract_server.url,
            org_id=contract_server.org_id,
            http_client=http,
            max_retries=0,
            timeout=30.0,
        )


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def world(
    contract_client: Everruns, contract_target: str, contract_server: Server
) -> AsyncIterator[World]:
    """The resources the scenarios use, created through the SDK (deleted at the end)."""
    built = World(contract_client, contract_target, contract_server.emulator)
    try:
        await built.build()
        yield built
    finally:
        await built.cleanup()


# -- the summary ---------------------------------------------------------------------

_OUTCOMES: dict[str, str] = {}
_ERROR_STATUSES: dict[str, object] = {}


def _operation_of(nodeid: str) -> str | None:
    if OPERATION_TEST not in nodeid:
        return None
    return nodeid.split("[", 1)[1].rstrip("]")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    operation_id = _operation_of(report.nodeid)
    if operation_id is None or _OUTCOMES.get(operation_id) == "failed":
        return
    if report.failed:
        _OUTCOMES[operation_id] = "failed"
    elif report.skipped:
        _OUTCOMES[operation_id] = "skipped"
    elif report.when == "call":
        properties = dict(report.user_properties)
        _OUTCOMES[operation_id] = str(properties.get("contract_outcome", "succeeded"))
        if _OUTCOMES[operation_id] == "answered with error":
            _ERROR_STATUSES[operation_id] = properties.get("contract_status")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _OUTCOMES:
        return
    scope = {op["operation_id"] for op in scope_operations()}
    counts = {k: sum(1 for v in _OUTCOMES.values() if v == k) for k in set(_OUTCOMES.values())}
    passed = counts.get("succeeded", 0) + counts.get("answered with error", 0)
    line = (
        f"contract ({target_from_env()} server): {len(scope & set(_OUTCOMES))}/{len(scope)} "
        f"operations covered, {passed} passed ({counts.get('succeeded', 0)} succeeded, "
        f"{counts.get('answered with error', 0)} answered with error), "
        f"{counts.get('failed', 0)} failed, {counts.get('skipped', 0)} skipped"
    )
    if _ERROR_STATUSES:  # e.g. 401 everywhere: a wrong key, not a passing suite
        statuses = Counter(_ERROR_STATUSES.values())
        line += "\n  error answers: " + ", ".join(f"{n}x HTTP {s}" for s, n in statuses.items())
    failed = sorted(op for op, v in _OUTCOMES.items() if v == "failed")
    if failed:
        line += "\n  failed: " + ", ".join(failed)
    terminalreporter.write_sep("-", "contract summary")
    terminalreporter.write_line(line)
