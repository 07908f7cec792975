"""`everruns chat`, driven by input lines (CliRunner), and by a terminal-like process
that gets a real SIGINT."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import ok, one_error_line, parse
from conftest import Run

from everruns_sdk.cli import _render
from everruns_sdk.testing import EverrunsEmulator, Reply


def _session_id(stdout: str) -> str:
    first = stdout.splitlines()[0]
    assert first.startswith("Session session_"), first
    return first.split()[1]


def test_each_line_is_a_turn_and_the_reply_streams(run: Run, emu: EverrunsEmulator) -> None:
    ok(run("agents", "create", "helper", "-p", "Help."))
    emu.script.add("Hi! How can I help?", "Sure.", agent="helper")
    result = ok(run("chat", "--agent", "helper", input="hello\n\nthanks\n"))
    lines = result.stdout.splitlines()
    sid = _session_id(result.stdout)
    assert "with agent helper" in lines[0]
    assert lines[1:] == [
        "you> hello",
        "Hi! How can I help?",
        "you> ",
        "you> thanks",
        "Sure.",
        "you> ",
    ]
    assert [m.get("role") for m in emu.store.messages(sid)] == ["user", "agent", "user", "agent"]
    assert f"everruns chat --session {sid}" in result.stderr


def test_tool_calls_are_shown(run: Run, emu: EverrunsEmulator) -> None:
    emu.script.add(Reply.tool("search", {"q": "rust"}, result={"hits": 3}), "Found 3.")
    out = ok(run("chat", input="search rust\n/exit\n")).stdout
    assert '  [tool] search({"q": "rust"})' in out
    assert "  [tool] search success" in out or "  [tool] search completed" in out
    assert "Found 3." in out


def test_a_client_side_tool_is_declined_so_the_turn_ends(run: Run, emu: EverrunsEmulator) -> None:
    emu.script.add(Reply.client_tool("get_weather", {"city": "Paris"}))
    out = ok(run("chat", input="weather?\n")).stdout
    assert '  [client tool] get_weather({"city": "Paris"})' in out
    assert "cannot run client-side tools" in out  # the default model echoes the tool error


def test_a_failed_turn_keeps_the_chat_going(run: Run, emu: EverrunsEmulator) -> None:
    emu.script.add(Reply.failure("boom"), "recovered")
    out = ok(run("chat", input="one\ntwo\n")).stdout
    assert "[turn failed] boom" in out
    assert "recovered" in out


def test_a_request_error_is_reported_and_the_chat_goes_on(run: Run, emu: EverrunsEmulator) -> None:
    emu.faults.error(500, "/v1/sessions/*/messages", method="POST")
    result = ok(run("chat", input="one\ntwo\n"))
    assert "error: HTTP 500" in result.stderr
    assert "Echo: one" not in result.stdout
    assert "Echo: two" in result.stdout


def test_ctrl_c_during_a_turn_cancels_it_and_keeps_the_session(
    run: Run, emu: EverrunsEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu.script.add(Reply.hanging(), "after the cancel")
    feed = _render.TurnPrinter.feed
    pressed: list[str] = []

    def feed_then_ctrl_c(self: _render.TurnPrinter, event: Any) -> bool:
        if event.type == "reason.started" and not pressed:
            pressed.append(event.id)
            raise KeyboardInterrupt  # what Ctrl-C raises while the reply streams
        return feed(self, event)

    monkeypatch.setattr(_render.TurnPrinter, "feed", feed_then_ctrl_c)
    result = ok(run("chat", input="hang\nnext\n"))
    sid = _session_id(result.stdout)
    assert pressed
    assert "cancelling the turn" in result.stderr
    assert "[turn cancelled]" in result.stdout
    assert "after the cancel" in result.stdout  # the same session went on
    types = [e["type"] for e in emu.store.events(sid)]
    assert types.count("turn.cancelled") == 1 and types.count("turn.completed") == 1
    assert emu.count("POST", f"/v1/sessions/{sid}/cancel") == 1


def test_continue_a_session(run: Run, emu: EverrunsEmulator) -> None:
    session = parse(run("sessions", "create", "--json"))
    ok(run("messages", "send", session["id"], "earlier", "--wait"))
    out = ok(run("chat", "--session", session["id"], input="later\n")).stdout
    assert "Echo: earlier" not in out  # only what happens now is shown
    assert "Echo: later" in out


def test_chat_errors(run: Run) -> None:
    assert "nobody" in one_error_line(run("chat", "--agent", "nobody"))
    assert "404" in one_error_line(run("chat", "--session", "session_" + "0" * 32))


def _everruns() -> str:
    found = Path(sys.executable).with_name("everruns")
    if not found.exists():
        pytest.skip("the everruns console script is not installed in this environment")
    return str(found)


def _wait_for_stream(emu: EverrunsEmulator, session_id: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not emu.count("GET", f"/v1/sessions/{session_id}/sse"):
        assert time.monotonic() < deadline, "the chat never opened the event stream"
        time.sleep(0.01)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_during_a_turn_in_a_real_process(emu: EverrunsEmulator) -> None:
    emu.script.add(Reply.hanging())
    env = dict(os.environ, EVERRUNS_API_URL=emu.url, EVERRUNS_API_KEY=emu.api_key)
    proc = subprocess.Popen(
        [_everruns(), "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None
        sid = _session_id(proc.stdout.readline())
        proc.stdin.write("wait for me\n")
        proc.stdin.flush()
        emu.wait_for_event(sid, "reason.started", timeout=20)
        _wait_for_stream(emu, sid)  # the reply is streaming: Ctrl-C now means "cancel it"
        proc.send_signal(signal.SIGINT)
        emu.wait_for_event(sid, "turn.cancelled", timeout=20)
        out, err = proc.communicate("still here\n", timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "[turn cancelled]" in out
    assert "Echo: still here" in out
    assert "Traceback" not in err
