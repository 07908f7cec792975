"""The sample-ID check (harness/ids.py): an ID-like word must fit the spec's pattern for
the place it is used in, and one at a place the spec does not describe is refused."""

from __future__ import annotations

from typing import Any

import pytest

from harness.ids import check_ids
from harness.scenarios import Scenario, load_scenarios
from harness.spec import Spec

SPEC_EXAMPLE = "event_01933b5a00007000800000000000001"  # the spec's own: 31 hex digits
GOOD_EVENT = "event_01933b5a000070008000000000000001"
HEX31 = "0193a1b2c3d47000800000000000abc"


@pytest.fixture(scope="module")
def spec() -> Spec:
    return Spec.load()


def scenario(call: dict[str, Any], expect: dict[str, Any] | None = None, **kw: Any) -> Scenario:
    return Scenario(id="t", file="t.json", call=call, expect=expect or {}, **kw)


def problems(spec: Spec, s: Scenario) -> list[str]:
    return check_ids(spec, [s])


def test_the_scenarios_fit_the_spec(spec: Spec) -> None:
    assert check_ids(spec, load_scenarios()) == []


def test_the_spec_example_as_since_id_is_refused(spec: Spec) -> None:
    args = {"session_id": "${s.id}", "since_id": SPEC_EXAMPLE}
    found = problems(spec, scenario({"operation": "list_events", "args": args}))
    assert len(found) == 1
    assert "call.args.since_id" in found[0] and "^event_[0-9a-f]{32}$" in found[0]
    args["since_id"] = GOOD_EVENT
    assert problems(spec, scenario({"operation": "list_events", "args": args})) == []


def test_a_field_whose_description_gives_the_format(spec: Spec) -> None:
    # CreateAgentRequest.id says "(format: agent_{32-hex})", with no pattern keyword.
    call = {"operation": "create_agent", "args": {"id": f"agent_{HEX31}", "name": "x"}}
    found = problems(spec, scenario(call, {"result": {"id": f"agent_{HEX31}"}}))
    assert [p.split(":")[1].strip() for p in found] == ["call.args.id", "expect.result.id"]


def test_run_counts_as_its_hex_digits(spec: Spec) -> None:
    ok = {"operation": "create_agent", "args": {"id": "agent_0193a1b2c3d4700080000000${run}"}}
    short = {"operation": "create_agent", "args": {"id": "agent_0193a1b2c3d47000800000${run}"}}
    assert problems(spec, scenario(ok)) == []
    assert len(problems(spec, scenario(short))) == 1


def test_path_segments_of_given_and_expected_requests(spec: Spec) -> None:
    bad = f"agentver_{HEX31}"
    given = [{"api": f"POST /v1/agents/${{a.id}}/versions/{bad}/fork", "body": {"name": "f"}}]
    call = {"operation": "get_agent", "args": {"agent_id": "${a.id}"}}
    events = "/v1/sessions/x/events"
    expect = {
        "requests": [
            {"method": "GET", "raw_path": events},
            {"method": "GET", "raw_path": events, "query": [["since_id", SPEC_EXAMPLE]]},
        ]
    }
    found = problems(spec, scenario(call, expect, given=given))
    assert len(found) == 2
    assert "given[0]" in found[0] and "{version_id}" in found[0]
    assert "expect.requests[1] query since_id" in found[1]


def test_events_and_emitted_data(spec: Spec) -> None:
    data = {"agent_id": f"agent_{HEX31}"}
    emit = {"session_id": "${s.id}", "type": "reason.started", "data": data}
    call = {"operation": "stream_sse", "args": {"session_id": "${s.id}"}}
    found = problems(spec, scenario(call, {"events": [SPEC_EXAMPLE]}, given=[{"emit": emit}]))
    assert len(found) == 2
    assert "given[0].emit.data.agent_id" in found[0]
    assert "expect.events[0]" in found[1]


def test_an_id_where_the_spec_describes_nothing(spec: Spec) -> None:
    args = {"agent_id": "${a.id}", "nonsense": f"agent_{HEX31}0"}
    call = {"operation": "get_agent", "args": args}
    found = problems(spec, scenario(call, {"error": {"message": "turn_00ff"}}))
    assert len(found) == 2
    assert all("describes nothing" in p for p in found)


def test_control_steps_are_not_the_spec(spec: Spec) -> None:
    given = [{"script": [{"tool_calls": [{"name": "t", "arguments": {}, "id": "call_1"}]}]}]
    call = {"operation": "get_agent", "args": {"agent_id": "${a.id}"}}
    assert problems(spec, scenario(call, given=given)) == []
