"""Colour and the waiting indicator: on for a terminal (or FORCE_COLOR), off for a pipe,
with NO_COLOR or with --no-color; event types coloured by family, thinking dimmed,
`thinking…` until the reply starts."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator

import pytest
from cli_helpers import ok, on_terminal, parse
from conftest import Run

from everruns_sdk.cli import _render, _style
from everruns_sdk.cli._render import CLEAR_LINE, THINKING, THINKING_ASCII, TurnPrinter, tail_line
from everruns_sdk.cli._style import event_style, paint
from everruns_sdk.testing import EverrunsEmulator, Reply
from everruns_sdk.types.events import Event, parse_event

ESC = "\x1b["


@pytest.fixture(autouse=True)
def _no_colour_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    yield
    _style.set_no_color(False)


def _event(kind: str, data: dict[str, object], sequence: int = 1) -> Event:
    return parse_event(
        {
            "id": "event_" + f"{sequence:032x}",
            "type": kind,
            "ts": "2026-01-01T12:00:01.234Z",
            "session_id": "session_" + "1" * 32,
            "sequence": sequence,
            "context": {},
            "data": data,
        }
    )


def _turn(emu: EverrunsEmulator, run: Run, reply: Reply) -> str:
    sid = str(parse(run("sessions", "create", "--json"))["id"])
    emu.script.add(reply)
    ok(run("messages", "send", sid, "Hello!", "--wait"))
    return sid


def test_the_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    assert not _style.color_enabled(pipe)  # a pipe: off
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert _style.color_enabled(pipe)  # forced
    monkeypatch.setenv("FORCE_COLOR", "0")
    assert not _style.color_enabled(pipe)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _style.color_enabled(pipe)  # NO_COLOR wins
    monkeypatch.delenv("NO_COLOR")
    _style.set_no_color(True)
    assert not _style.color_enabled(pipe)  # --no-color wins


def test_event_types_are_coloured_by_family() -> None:
    assert event_style("output.message.delta") == event_style("output.message.completed")
    assert event_style("turn.started") != event_style("output.message.delta")
    assert event_style("tool.started") == event_style("act.started")
    assert "red" in event_style("turn.failed")
    assert "dim" in event_style("reason.thinking.delta")
    assert event_style("some.future.type") == ""


def test_tail_line_colours_the_type_and_dims_thinking() -> None:
    delta = _event("output.message.delta", {"delta": "Hel", "accumulated": "Hel"})
    assert ESC not in tail_line(delta)
    coloured = tail_line(delta, color=True)
    assert paint(f"{'output.message.delta':<26}", "green", enabled=True) in coloured
    thinking = _event("reason.thinking.delta", {"delta": "hmm", "accumulated": "hmm"})
    assert paint("'hmm'", "dim", enabled=True) in tail_line(thinking, color=True)
    assert tail_line(thinking) == "12:00:01.234  #1    reason.thinking.delta      'hmm'"


def test_events_tail_in_colour_when_forced(run: Run, emu: EverrunsEmulator) -> None:
    sid = _turn(emu, run, Reply(text="Hi", thinking="let me see", chunk_size=100))
    plain = ok(run("events", "tail", sid, "--until-turn-end")).stdout
    assert ESC not in plain and "reason.thinking.delta" in plain
    forced = ok(run("events", "tail", sid, "--until-turn-end", env={"FORCE_COLOR": "1"})).stdout
    assert paint("turn.completed", event_style("turn.completed"), enabled=True) in forced
    assert paint("'let me see'", "dim", enabled=True) in forced
    for env in ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, {"FORCE_COLOR": "1"}):
        args = ["events", "tail", sid, "--until-turn-end"]
        if "NO_COLOR" not in env:
            args = ["--no-color", *args]
        assert ok(run(*args, env=env)).stdout == plain


def test_tables_have_a_styled_header_when_coloured(run: Run) -> None:
    ok(run("agents", "create", "billing-bot", "-p", "x"))
    plain = ok(run("agents", "list")).stdout
    assert ESC not in plain and plain.splitlines()[0].split() == [
        "ID",
        "NAME",
        "DISPLAY",
        "NAME",
        "STATUS",
    ]
    forced = ok(run("agents", "list", env={"FORCE_COLOR": "1"})).stdout
    assert ESC in forced
    assert paint("active", "green", enabled=True) in forced
    assert ok(run("--no-color", "agents", "list", env={"FORCE_COLOR": "1"})).stdout == plain


class _Terminal(io.StringIO):
    encoding = "utf-8"  # a StringIO has none: it would get the ASCII indicator


def _printer(monkeypatch: pytest.MonkeyPatch, **kwargs: bool) -> tuple[TurnPrinter, io.StringIO]:
    out = _Terminal()
    monkeypatch.setattr(_render.sys, "stdout", out)
    return TurnPrinter(None, **kwargs), out


THINK = _event("reason.thinking.delta", {"delta": "hmm", "accumulated": "hmm"}, 1)
DELTA = _event("output.message.delta", {"delta": "Hi", "accumulated": "Hi"}, 2)
DONE = _event("turn.completed", {"turn_id": "turn_" + "2" * 32, "iterations": 1}, 3)


def test_thinking_shows_until_the_reply_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    printer, out = _printer(monkeypatch, spinner=True)
    printer.waiting()
    assert out.getvalue() == THINKING
    for event in (THINK, DELTA):
        printer.feed(event)
    assert printer.feed(DONE)
    # erased before the reply, which is all that stays on the line (no colour: no thinking)
    assert out.getvalue() == THINKING + CLEAR_LINE + "Hi\n"


def test_thinking_deltas_are_dimmed_in_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    printer, out = _printer(monkeypatch, spinner=True, color=True)
    printer.waiting()
    for event in (THINK, DELTA, DONE):
        printer.feed(event)
    dim = paint(THINKING, "dim", enabled=True)
    assert out.getvalue() == dim + CLEAR_LINE + paint("hmm", "dim", enabled=True) + "\nHi\n"
    assert printer.reply == "Hi"


def test_the_indicator_is_ascii_where_stdout_is_not_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(_render.sys, "stdout", out)
    printer = TurnPrinter(None, spinner=True)
    printer.waiting()
    printer.feed(DELTA)
    out.flush()
    assert out.buffer.getvalue().decode() == THINKING_ASCII + CLEAR_LINE + "Hi"


def test_no_indicator_off_a_terminal_or_when_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    for kwargs in ({}, {"spinner": True, "quiet": True}):
        printer, out = _printer(monkeypatch, **kwargs)
        printer.waiting()
        for event in (THINK, DELTA, DONE):
            printer.feed(event)
        assert out.getvalue() == ("" if kwargs else "Hi\n")


def test_piped_chat_shows_no_indicator(run: Run, emu: EverrunsEmulator) -> None:
    emu.script.add(Reply(text="Hi there", thinking="hmm", chunk_size=100))
    out = ok(run("chat", input="hello\n")).stdout
    assert THINKING not in out and ESC not in out and "hmm" not in out
    assert "Hi there" in out


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX terminal")
def test_chat_on_a_terminal_waits_visibly_and_in_colour(emu: EverrunsEmulator) -> None:
    emu.script.add(Reply(text="Hi there", thinking="hmm", chunk_size=100, delay=0.05))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(EVERRUNS_API_URL=emu.url, EVERRUNS_API_KEY=emu.api_key, TERM="xterm")
    returncode, seen = on_terminal(["chat"], env, stdin=b"hello\n")
    text = seen.decode("utf-8", "replace")
    assert returncode == 0
    assert paint(THINKING, "dim", enabled=True) + CLEAR_LINE in text
    assert paint("hmm", "dim", enabled=True) in text.replace("\r\n", "\n")
    assert "Hi there" in text
