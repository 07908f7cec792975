"""The unique-name check (harness/names.py): a name given to an agent, a harness, a memory
or a workspace embeds ${run}; other names (a session's database) need not."""

from __future__ import annotations

from typing import Any

import pytest

from harness.names import check_names
from harness.scenarios import Scenario, load_scenarios
from harness.spec import Spec


@pytest.fixture(scope="module")
def spec() -> Spec:
    return Spec.load()


def scenario(call: dict[str, Any], given: list[dict[str, Any]] | None = None) -> Scenario:
    return Scenario(id="t", file="t.json", call=call, expect={}, given=given or [])


def test_the_scenarios_use_run(spec: Spec) -> None:
    assert check_names(spec, load_scenarios()) == []


def test_fixed_names_are_refused(spec: Spec) -> None:
    given = [
        {"api": "POST /v1/harnesses", "body": {"name": "deep-research"}},
        {"api": "PATCH /v1/workspaces/${w.id}", "body": {"name": "docs"}},
        {"api": "POST /v1/agents", "body": {"name": "helper-${run}"}},
    ]
    markdown = "---\nname: imported\n---\n\nHi.\n"
    found = check_names(
        spec, [scenario({"operation": "import_agent", "args": {"body": markdown}}, given)]
    )
    assert [p.split(": ")[1] for p in found] == ["given[0]", "given[1]", "call.args"]
    assert "'deep-research'" in found[0] and "'imported'" in found[2]


def test_names_scoped_to_a_session_are_free(spec: Spec) -> None:
    given = [{"api": "POST /v1/sessions/${s.id}/databases", "body": {"name": "orders"}}]
    call = {"operation": "create_database", "args": {"session_id": "${s.id}", "name": "orders"}}
    assert check_names(spec, [scenario(call, given)]) == []
