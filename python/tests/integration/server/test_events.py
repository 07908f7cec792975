"""GET /v1/sessions/{id}/events and its filters."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from emulator_helpers import new_session, run_turn, user_message, wait_for_count

from everruns_sdk.testing import EverrunsEmulator, Reply


@pytest.fixture
def two_turns(emu: EverrunsEmulator, client: httpx.Client) -> tuple[str, list[dict[str, Any]]]:
    sid = new_session(client)["id"]
    emu.script.add(Reply.tool("search", {"q": "cats"}), "Found cats.", session_id=sid)
    run_turn(emu, client, sid, "first question")
    client.post(
        f"/v1/sessions/{sid}/messages", json={**user_message("second question"), "tags": ["vip"]}
    )
    wait_for_count(emu, sid, lambda evs: sum(e["type"] == "session.idled" for e in evs) == 2)
    return sid, emu.store.events(sid)


def get(client: httpx.Client, sid: str, **params: Any) -> httpx.Response:
    return client.get(f"/v1/sessions/{sid}/events", params=params)


def data(client: httpx.Client, sid: str, **params: Any) -> list[dict[str, Any]]:
    response = get(client, sid, **params)
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()["data"]
    return events


def test_all_events_without_limit(client: httpx.Client, two_turns: Any) -> None:
    sid, events = two_turns
    assert data(client, sid) == events
    assert "x-total-count" not in get(client, sid).headers


def test_since_id(client: httpx.Client, two_turns: Any) -> None:
    sid, events = two_turns
    assert data(client, sid, since_id=events[4]["id"]) == events[5:]
    assert data(client, sid, since_id=events[-1]["id"]) == []
    assert get(client, sid, since_id="nope").status_code == 400


def test_types_and_exclude(client: httpx.Client, two_turns: Any) -> None:
    sid, events = two_turns
    turns = data(client, sid, types=["turn.started", "turn.completed"])
    assert [e["type"] for e in turns] == ["turn.started", "turn.completed"] * 2
    no_deltas = data(client, sid, exclude=["output.message.delta"])
    assert no_deltas == [e for e in events if e["type"] != "output.message.delta"]
    both = data(client, sid, types=["turn.started", "turn.completed"], exclude=["turn.started"])
    assert [e["type"] for e in both] == ["turn.completed"] * 2


@pytest.mark.parametrize(
    "params",
    [
        {"types": ["not.a.type"]},
        {"exclude": ["nope"]},
        {"types": "turn.started,turn.completed"},
        {"types[]": "turn.started"},
        {"types": ["turn.started"] * 26},
        {"limit": 0},
        {"limit": 1001},
        {"window": 501, "around": "event_" + "0" * 32},
        {"from_ts": "yesterday"},
        {"order_desc": "maybe"},
    ],
)
def test_bad_parameters_are_400(client: httpx.Client, two_turns: Any, params: Any) -> None:
    sid, _ = two_turns
    assert get(client, sid, **params).status_code == 400


def test_around_excludes_cursors(client: httpx.Client, two_turns: Any) -> None:
    sid, events = two_turns
    centre = events[10]["id"]
    for extra in ({"since_id": events[0]["id"]}, {"after_sequence": 1}, {"before_sequence": 5}):
        response = get(client, sid, around=centre, **extra)
        assert response.status_code == 400
    window = data(client, sid, around=centre, window=4)
    assert [e["sequence"] for e in window] == [9, 10, 11, 12]
    unknown = get(client, sid, around="event_" + "0" * 32)
    assert unknown.status_code == 404


def test_limit_takes_the_last_n_without_deltas(client: httpx.Client, two_turns: Any) -> None:
    sid, events = two_turns
    response = get(client, sid, limit=3)
    non_delta = [e for e in events if not e["type"].endswith(".delta")]
    assert response.headers["x-total-count"] == str(len(non_delta))
    assert response.json()["data"] == non_delta[-3:]


def test_sequence_paging(client: httpx.Client, two_turns: Any) -> None:
    sid, events = two_turns
    assert data(client, sid, before_sequence=4) == events[:3]
    assert data(client, sid, after_sequence=len(events) - 2) == events[-2:]
    assert data(client, sid, after_sequence=2, before_sequence=5) == events[2:4]
    last = data(client, sid, limit=2, before_sequence=10, types=["turn.started", "input.message"])
    assert [e["type"] for e in last] == ["input.message", "turn.started"]
    non_delta = [e for e in events if not e["type"].endswith(".delta")]
    assert data(client, sid, limit=3, after_sequence=2) == non_delta[2:5]
    assert data(client, sid, limit=3, since_id=events[1]["id"]) == non_delta[2:5]
    assert (
        data(client, sid, limit=3, before_sequence=10)
        == [e for e in non_delta if e["sequence"] < 10][-3:]
    )


def test_context_and_content_filters(client: httpx.Client, two_turns: Any) -> None:
    sid, events = two_turns
    second_turn = events[-1]["context"]["turn_id"]
    in_turn = data(client, sid, turn_id=second_turn)
    assert in_turn and all(e["context"]["turn_id"] == second_turn for e in in_turn)
    assert data(client, sid, exec_id=events[0]["context"]["exec_id"])[0] == events[0]
    assert data(client, sid, trace_id=events[0]["context"]["trace_id"])[0] == events[0]
    tagged = data(client, sid, tags=["vip"])
    assert tagged and {e["context"]["turn_id"] for e in tagged} == {second_turn}
    tools = data(client, sid, tool_name="search")
    assert {e["type"] for e in tools} == {"act.started", "tool.started", "tool.completed"}
    found = data(client, sid, q="CATS")
    assert found and all("cats" in str(e["data"]).lower() for e in found)


def test_timestamps_and_order(client: httpx.Client, two_turns: Any) -> None:
    sid, events = two_turns
    assert data(client, sid, from_ts=events[0]["ts"], to_ts=events[-1]["ts"]) == events
    assert data(client, sid, from_ts="2999-01-01T00:00:00Z") == []
    assert data(client, sid, order_desc="true") == list(reversed(events))
    assert data(client, sid, order_desc="true", limit=2, types=["turn.completed"]) == [
        e for e in reversed(events) if e["type"] == "turn.completed"
    ]


def test_unknown_session_is_404(client: httpx.Client) -> None:
    assert get(client, "session_" + "0" * 32).status_code == 404
