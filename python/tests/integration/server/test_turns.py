"""Turns driven by the scripted model: events, messages, tools, failures, cancel."""

from __future__ import annotations

import httpx
from emulator_helpers import (
    TURN_TYPES,
    collapse_deltas,
    new_session,
    run_turn,
    user_message,
    wait_for_count,
)

from everruns_sdk.testing import EverrunsEmulator, Reply, ScriptedToolCall, TurnContext


def types_of(events: list[dict[str, object]]) -> list[str]:
    return [str(e["type"]) for e in events]


def test_default_turn_event_sequence(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    events = run_turn(emu, client, sid, "Hello there, how are you today?")
    assert collapse_deltas(types_of(events)) == TURN_TYPES
    assert [e["sequence"] for e in events] == list(range(1, len(events) + 1))
    ids = [str(e["id"]) for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    deltas = [e["data"] for e in events if e["type"] == "output.message.delta"]
    assert len(deltas) > 1
    reply = "Echo: Hello there, how are you today?"
    assert deltas[-1]["accumulated"] == reply  # type: ignore[index]
    assert "".join(d["delta"] for d in deltas) == reply  # type: ignore[index]
    completed = next(e for e in events if e["type"] == "output.message.completed")
    message = completed["data"]["message"]  # type: ignore[index]
    assert message["role"] == "agent" and message["content"] == [{"type": "text", "text": reply}]
    turn_id = events[1]["data"]["turn_id"]  # type: ignore[index]
    assert all(e["context"]["turn_id"] == turn_id for e in events)  # type: ignore[index]
    for e in events:
        assert str(e["ts"]).endswith("Z") and len(str(e["ts"])) == 24
    messages = client.get(f"/v1/sessions/{sid}/messages").json()["data"]
    assert [m["role"] for m in messages] == ["user", "agent"]
    assert [m["sequence"] for m in messages] == [1, 2]
    assert messages[1]["id"] == message["id"]
    session = client.get(f"/v1/sessions/{sid}").json()
    assert session["status"] == "idle" and session["usage"]["output_tokens"] > 0


def test_status_moves_started_active_idle(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    assert emu.store.session(sid)["status"] == "started"  # type: ignore[index]
    emu.script.add(Reply.hanging(), session_id=sid)
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("wait"))
    emu.wait_for_status(sid, "active")
    assert client.get(f"/v1/sessions/{sid}").json()["status"] == "active"
    client.post(f"/v1/sessions/{sid}/cancel")
    assert client.get(f"/v1/sessions/{sid}").json()["status"] == "idle"


def test_scripted_text_chunks_and_thinking(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    emu.script.add(Reply(text="abcdef", thinking="hmm, ok", chunk_size=2), session_id=sid)
    events = run_turn(emu, client, sid)
    deltas = [e["data"]["delta"] for e in events if e["type"] == "output.message.delta"]
    assert deltas == ["ab", "cd", "ef"]
    kinds = collapse_deltas(types_of(events))
    assert kinds[4:7] == [
        "reason.thinking.started",
        "reason.thinking.delta",
        "reason.thinking.completed",
    ]
    assert client.get(f"/v1/sessions/{sid}/messages").json()["data"][1]["thinking"] == "hmm, ok"


def test_scripts_by_session_agent_and_global(emu: EverrunsEmulator, client: httpx.Client) -> None:
    client.post("/v1/agents", json={"name": "bot", "system_prompt": "x"})
    with_agent = new_session(client, agent_name="bot")["id"]
    plain = new_session(client)["id"]
    emu.script.add("global")
    emu.script.add("for the agent", agent="bot")
    emu.script.add("for the session", session_id=plain)

    def final_text(sid: str) -> str:
        events = run_turn(emu, client, sid)
        done = [e for e in events if e["type"] == "turn.completed"][-1]
        return str(done["data"]["final_answer_preview"])  # type: ignore[index]

    assert final_text(plain) == "for the session"
    assert final_text(with_agent) == "for the agent"
    assert final_text(with_agent) == "global"
    assert final_text(with_agent) == "Echo: Hello!"
    assert emu.script.pending() == 0


def test_callable_reply_sees_the_input(emu: EverrunsEmulator, client: httpx.Client) -> None:
    seen: list[TurnContext] = []

    def shout(ctx: TurnContext) -> str:
        seen.append(ctx)
        return ctx.input_text.upper()

    emu.script.set_default(shout)
    sid = new_session(client)["id"]
    events = run_turn(emu, client, sid, "quiet")
    assert events[-2]["data"]["final_answer_preview"] == "QUIET"  # type: ignore[index]
    assert seen[0].session_id == sid and seen[0].iteration == 1


def test_server_side_tool_call(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    emu.script.add(
        Reply.tool("get_weather", {"city": "Paris"}, result=lambda args: {"temp": 21, **args}),
        session_id=sid,
    )
    events = run_turn(emu, client, sid, "Weather?")
    kinds = collapse_deltas(types_of(events))
    assert kinds == [
        "input.message",
        "turn.started",
        "session.activated",
        "reason.started",
        "output.message.started",
        "output.message.completed",
        "reason.completed",
        "act.started",
        "tool.started",
        "tool.completed",
        "act.completed",
        "reason.started",
        "output.message.started",
        "output.message.delta",
        "output.message.completed",
        "reason.completed",
        "turn.completed",
        "session.idled",
    ]
    completed = next(e for e in events if e["type"] == "tool.completed")["data"]
    assert completed["tool_name"] == "get_weather" and completed["success"] is True  # type: ignore[index]
    final = events[-2]["data"]
    assert final["final_answer_preview"] == (  # type: ignore[index]
        'Tool results: get_weather -> {"city": "Paris", "temp": 21}'
    )
    assert final["iterations"] == 2 and final["tool_call_count"] == 1  # type: ignore[index]
    roles = [m["role"] for m in client.get(f"/v1/sessions/{sid}/messages").json()["data"]]
    assert roles == ["user", "agent", "tool_result", "agent"]


def test_failing_server_tool(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    emu.script.add(Reply.tool("search", error="backend down"), session_id=sid)
    events = run_turn(emu, client, sid)
    completed = next(e for e in events if e["type"] == "tool.completed")["data"]
    assert completed["success"] is False and completed["error"] == "backend down"  # type: ignore[index]
    act = next(e for e in events if e["type"] == "act.completed")["data"]
    assert act["error_count"] == 1  # type: ignore[index]
    assert "backend down" in events[-2]["data"]["final_answer_preview"]  # type: ignore[index]


def test_client_side_tool_round_trip(emu: EverrunsEmulator, client: httpx.Client) -> None:
    tool = {"type": "client_side", "name": "get_location", "description": "d", "parameters": {}}
    sid = new_session(client, tools=[tool])["id"]
    emu.script.add(Reply.tool("get_location", {"precise": True}), session_id=sid)
    assert (
        client.post(
            f"/v1/sessions/{sid}/tool-results", json={"tool_results": [{"tool_call_id": "x"}]}
        ).status_code
        == 409
    )
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("Where am I?"))
    emu.wait_for_status(sid, "waiting_for_tool_results")
    requested = emu.wait_for_event(sid, "tool.call_requested")["data"]
    call = requested["tool_calls"][0]
    assert call["name"] == "get_location" and call["arguments"] == {"precise": True}
    assert client.get(f"/v1/sessions/{sid}").json()["status"] == "waiting_for_tool_results"
    unknown = client.post(
        f"/v1/sessions/{sid}/tool-results", json={"tool_results": [{"tool_call_id": "nope"}]}
    )
    assert unknown.status_code == 400
    response = client.post(
        f"/v1/sessions/{sid}/tool-results",
        json={"tool_results": [{"tool_call_id": call["id"], "result": {"city": "Kyiv"}}]},
    )
    assert response.json() == {"accepted": 1, "status": "resumed"}
    emu.wait_for_event(sid, "session.idled")
    final = emu.wait_for_event(sid, "turn.completed")["data"]
    assert final["final_answer_preview"] == 'Tool results: get_location -> {"city": "Kyiv"}'
    again = client.post(
        f"/v1/sessions/{sid}/tool-results",
        json={"tool_results": [{"tool_call_id": call["id"], "result": 1}]},
    )
    assert again.status_code == 409
    roles = [m["role"] for m in client.get(f"/v1/sessions/{sid}/messages").json()["data"]]
    assert roles == ["user", "agent", "tool_result", "agent"]


def test_client_tool_results_may_arrive_in_parts(
    emu: EverrunsEmulator, client: httpx.Client
) -> None:
    sid = new_session(client)["id"]
    emu.script.add(
        Reply.tools(
            ScriptedToolCall("a", client_side=True, id="call_a"),
            ScriptedToolCall("b", client_side=True, id="call_b"),
        ),
        session_id=sid,
    )
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("go"))
    emu.wait_for_status(sid, "waiting_for_tool_results")
    url = f"/v1/sessions/{sid}/tool-results"
    first = client.post(url, json={"tool_results": [{"tool_call_id": "call_a", "result": 1}]})
    assert first.json() == {"accepted": 1, "status": "waiting"}
    second = client.post(url, json={"tool_results": [{"tool_call_id": "call_b", "error": "no"}]})
    assert second.json()["status"] == "resumed"
    final = emu.wait_for_event(sid, "turn.completed")["data"]
    assert final["final_answer_preview"] == 'Tool results: a -> 1; b -> {"error": "no"}'


def test_failed_turn(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    emu.script.add(Reply.failure("Provider exploded", error_code="provider_error"), session_id=sid)
    events = run_turn(emu, client, sid)
    assert events[-1]["type"] == "turn.failed"
    assert events[-1]["data"]["error"] == "Provider exploded"  # type: ignore[index]
    assert events[-1]["data"]["error_code"] == "provider_error"  # type: ignore[index]
    assert client.get(f"/v1/sessions/{sid}").json()["status"] == "idle"
    emu.script.add(lambda ctx: 1 / 0, session_id=sid)  # type: ignore[arg-type,return-value]
    events = run_turn(emu, client, sid)
    assert events[-1]["type"] == "turn.failed"
    assert events[-1]["data"]["error_code"] == "script_error"  # type: ignore[index]


def test_cancel_running_turn(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    emu.script.add(Reply.hanging(), session_id=sid)
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("long job"))
    emu.wait_for_event(sid, "reason.started")
    response = client.post(f"/v1/sessions/{sid}/cancel")
    assert response.json()["status"] == "cancelled"
    events = emu.store.events(sid)
    assert events[-1]["type"] == "turn.cancelled"
    assert client.get(f"/v1/sessions/{sid}").json()["status"] == "idle"
    assert client.post(f"/v1/sessions/{sid}/cancel").json()["status"] == "no_op"
    # the session works again afterwards
    assert run_turn(emu, client, sid)[-1]["type"] == "session.idled"


def test_cancel_while_waiting_for_tool_results(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    emu.script.add(Reply.client_tool("ask_user"), session_id=sid)
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("hi"))
    emu.wait_for_status(sid, "waiting_for_tool_results")
    assert client.post(f"/v1/sessions/{sid}/cancel").json()["status"] == "cancelled"
    assert emu.store.events(sid)[-1]["type"] == "turn.cancelled"
    response = client.post(
        f"/v1/sessions/{sid}/tool-results", json={"tool_results": [{"tool_call_id": "x"}]}
    )
    assert response.status_code == 409


def test_messages_posted_during_a_turn_queue_up(
    emu: EverrunsEmulator, client: httpx.Client
) -> None:
    sid = new_session(client)["id"]
    emu.script.add(Reply(text="slow reply", delay=0.01, chunk_size=1), session_id=sid)
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("one"))
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("two"))
    wait_for_count(emu, sid, lambda evs: sum(e["type"] == "session.idled" for e in evs) == 2)
    finals = [
        e["data"]["final_answer_preview"]
        for e in emu.store.events(sid)
        if e["type"] == "turn.completed"
    ]
    assert finals == ["slow reply", "Echo: two"]


def test_max_iterations(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client, max_iterations=2)["id"]
    emu.script.add(Reply.tool("loop"), Reply.tool("loop"), Reply.tool("loop"), session_id=sid)
    events = run_turn(emu, client, sid)
    assert events[-1]["type"] == "turn.failed"
    assert events[-1]["data"]["error_code"] == "max_iterations_exceeded"  # type: ignore[index]


def test_message_validation(client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    url = f"/v1/sessions/{sid}/messages"
    assert client.post(url, json={}).status_code == 400
    assert client.post(url, json={"message": {"content": []}}).status_code == 400
    bad_part = {"message": {"content": [{"type": "video", "url": "x"}]}}
    assert client.post(url, json=bad_part).status_code == 400
    agent_role = {"message": {"role": "agent", "content": [{"type": "text", "text": "x"}]}}
    assert client.post(url, json=agent_role).status_code == 400
    missing = "/v1/sessions/session_00000000000000000000000000000000/messages"
    assert client.post(missing, json=user_message("x")).status_code == 404


def test_deleting_a_session_stops_its_turn(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    emu.script.add(Reply.hanging(), session_id=sid)
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("x"))
    emu.wait_for_status(sid, "active")
    assert client.delete(f"/v1/sessions/{sid}").status_code == 204
    assert emu.store.session(sid) is None


def test_emit_custom_event(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    event = emu.emit_event(sid, "brand.new.type", {"x": 1}, turn_id="turn_x")
    listed = client.get(f"/v1/sessions/{sid}/events").json()["data"]
    assert listed == [event] and event["sequence"] == 1
