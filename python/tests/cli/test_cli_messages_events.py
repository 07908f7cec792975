"""`everruns messages ...` and `everruns events tail` against the local server."""

from __future__ import annotations

import json

from cli_helpers import ok, one_error_line, parse
from conftest import Run

from everruns_sdk.testing import EverrunsEmulator, Reply


def _session(run: Run) -> str:
    return str(parse(run("sessions", "create", "--json"))["id"])


def _turn_done(emu: EverrunsEmulator, session_id: str) -> None:
    emu.wait_for_event(session_id, "turn.completed")


def test_send_without_waiting(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    message = parse(run("messages", "send", sid, "Hello!", "--json"))
    assert message["role"] == "user"
    assert message["content"] == [{"type": "text", "text": "Hello!"}]
    _turn_done(emu, sid)
    assert "Sent message_" in ok(run("messages", "send", sid, "Again")).stdout


def test_send_and_wait_streams_the_reply(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    emu.script.add("Bonjour tout le monde, voici une réponse assez longue.")
    out = ok(run("messages", "send", sid, "Hello!", "--wait")).stdout
    assert out.strip() == "Bonjour tout le monde, voici une réponse assez longue."


def test_second_turn_shows_only_its_own_reply(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    emu.script.add("first reply", "second reply")
    ok(run("messages", "send", sid, "one", "--wait"))
    out = ok(run("messages", "send", sid, "two", "--wait")).stdout
    assert out.strip() == "second reply"


def test_send_and_wait_as_json(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    emu.script.add(Reply.tool("lookup", {"q": "x"}, result={"hits": 1}), "Found one.")
    doc = parse(run("messages", "send", sid, "Find x", "--wait", "--json"))
    assert doc["reply"] == "Found one."
    assert doc["outcome"] == "turn.completed"
    assert doc["message"]["role"] == "user"


def test_send_and_wait_shows_tool_calls(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    emu.script.add(Reply.tool("lookup", {"q": "x"}, result={"hits": 1}), "Found one.")
    out = ok(run("messages", "send", sid, "Find x", "--wait")).stdout
    assert '[tool] lookup({"q": "x"})' in out
    assert out.rstrip().endswith("Found one.")


def test_failed_turn_exits_non_zero(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    emu.script.add(Reply.failure("the model is down", error_code="model_error"))
    result = run("messages", "send", sid, "Hi", "--wait")
    assert result.exit_code == 1
    assert "[turn failed] the model is down" in result.stdout
    assert "turn.failed" in one_error_line(result)


def test_messages_list(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    ok(run("messages", "send", sid, "Hello!", "--wait"))
    messages = parse(run("messages", "list", sid, "--json"))
    assert messages[0]["role"] == "user"
    assert len(messages) == 2
    assert "Echo: Hello!" in ok(run("messages", "list", sid)).stdout


def test_send_to_a_missing_session(run: Run) -> None:
    line = one_error_line(run("messages", "send", "session_" + "0" * 32, "Hi"))
    assert "404" in line


def test_tail_with_types_until_the_turn_ends(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    emu.script.add(Reply("abcdefghij", chunk_size=4))
    ok(run("messages", "send", sid, "Hi"))
    result = ok(
        run("events", "tail", sid, "--types", "output.message.delta", "--until-turn-end", "--json")
    )
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["type"] for e in events] == ["output.message.delta"] * 3
    assert "".join(e["data"]["delta"] for e in events) == "abcdefghij"


def test_tail_human_output_and_comma_separated_types(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    ok(run("messages", "send", sid, "Hi"))
    out = ok(run("events", "tail", sid, "-t", "turn.started,turn.completed", "--until-turn-end"))
    lines = out.stdout.splitlines()
    assert len(lines) == 2
    assert "turn.started" in lines[0] and "turn.completed" in lines[1]


def test_tail_limit_exclude_and_resume(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    ok(run("messages", "send", sid, "Hi"))
    _turn_done(emu, sid)
    first = [
        json.loads(x)
        for x in ok(run("events", "tail", sid, "-n", "3", "--json")).stdout.splitlines()
    ]
    assert len(first) == 3
    rest = ok(
        run(
            "events",
            "tail",
            sid,
            "--since",
            first[-1]["id"],
            "-x",
            "output.message.delta",
            "--until-turn-end",
            "--json",
        )
    ).stdout.splitlines()
    later = [json.loads(x) for x in rest]
    assert later[0]["sequence"] > first[-1]["sequence"]
    assert "output.message.delta" not in {e["type"] for e in later}
    assert later[-1]["type"] == "turn.completed"


def test_tail_reconnects_without_losing_or_repeating(run: Run, emu: EverrunsEmulator) -> None:
    sid = _session(run)
    ok(run("messages", "send", sid, "Hello, a reply long enough for several deltas"))
    _turn_done(emu, sid)
    emu.faults.sse_cycle(after_events=2, session_id=sid)  # a planned reconnect
    emu.faults.sse_cut(after_events=3, session_id=sid, mid_event=True)  # a torn connection
    out = ok(run("events", "tail", sid, "--until-turn-end", "--json")).stdout
    sequences = [json.loads(line)["sequence"] for line in out.splitlines()]
    expected = [e["sequence"] for e in emu.store.events(sid)]
    assert sequences == expected[: len(sequences)]
    assert emu.count("GET", f"/v1/sessions/{sid}/sse") >= 3


def test_tail_unknown_session(run: Run) -> None:
    assert "404" in one_error_line(run("events", "tail", "session_" + "0" * 32, "-n", "1"))
