"""How events look in a terminal: one-line summaries (`events tail`) and a streamed
reply with its tool calls (`chat`, `messages send --wait`)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from everruns_sdk.cli._short import ellipsis
from everruns_sdk.cli._style import event_style, paint
from everruns_sdk.types.events import (
    InputMessageEvent,
    OutputMessageCompletedEvent,
    OutputMessageDeltaEvent,
    ReasonThinkingDeltaEvent,
    ToolCallRequestedEvent,
    ToolCompletedEvent,
    ToolStartedEvent,
    TurnFailedEvent,
)

if TYPE_CHECKING:
    from everruns_sdk.types.events import Event

__all__ = ["THINKING", "TURN_END", "TurnPrinter", "message_text", "summary", "tail_line"]

TURN_END = frozenset({"turn.completed", "turn.failed", "turn.cancelled"})
MAX_SUMMARY = 120
THINKING = "thinking…"  # shown on a terminal until the reply starts
THINKING_ASCII = "thinking..."  # the same, where stdout cannot write `…`
CLEAR_LINE = "\r\x1b[K"  # back to the start of the line, erase it


def _short(text: str, limit: int = MAX_SUMMARY) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


def message_text(message: Any) -> str:
    """The text parts of a message, joined."""
    parts = getattr(message, "content", None) or []
    return "".join(text for part in parts if isinstance(text := getattr(part, "text", None), str))


def summary(event: Event) -> str:
    """The interesting part of an event, in one short line ('' when there is none)."""
    if isinstance(event, (OutputMessageDeltaEvent, ReasonThinkingDeltaEvent)):
        return repr(event.data.delta)
    if isinstance(event, (OutputMessageCompletedEvent, InputMessageEvent)):
        return _short(message_text(event.data.message))
    if isinstance(event, ToolStartedEvent):
        call = event.data.tool_call
        return _short(f"{call.name}({_json(call.arguments)})")
    if isinstance(event, ToolCompletedEvent):
        error = f": {event.data.error}" if event.data.error else ""
        return _short(f"{event.data.tool_name} {event.data.status}{error}")
    if isinstance(event, ToolCallRequestedEvent):
        return _short(", ".join(f"{c.name}({_json(c.arguments)})" for c in event.data.tool_calls))
    if isinstance(event, TurnFailedEvent):
        code = f" [{event.data.error_code}]" if event.data.error_code else ""
        return _short(f"{event.data.error}{code}")
    return ""


def tail_line(event: Event, *, color: bool = False) -> str:
    """`12:00:01.234  #5    output.message.delta        'Hel'`; with `color`, the type
    in its family's colour, the clock dimmed, and a thinking delta dimmed."""
    clock = event.ts[11:23] if len(event.ts) >= 23 else event.ts
    sequence = f"#{event.sequence}" if event.sequence is not None else "-"
    text = summary(event)
    kind = f"{event.type:<26}" if text else event.type
    if isinstance(event, ReasonThinkingDeltaEvent):
        text = paint(text, "dim", enabled=color)
    line = f"{paint(clock, 'dim', enabled=color)}  {sequence:<5} "
    return f"{line}{paint(kind, event_style(event.type), enabled=color)} {text}".rstrip()


class TurnPrinter:
    """Writes one turn as it happens: the reply text as it streams, tool calls on their
    own lines. `feed` returns True at the end of the turn started by `message_id`
    (events of other turns are ignored). With `quiet`, nothing is written: the reply is
    only collected in `reply`.

    With `color`, tool lines and turn failures are coloured and the model's thinking
    streams in dim before the reply (without colour it is not shown: the transcript is
    the reply). With `spinner` (a terminal), `waiting()` shows `thinking…` until the
    first thing of the reply arrives, which erases it."""

    def __init__(
        self,
        message_id: str | None,
        *,
        quiet: bool = False,
        color: bool = False,
        spinner: bool = False,
    ) -> None:
        self.message_id = message_id
        self.quiet = quiet
        self.color = color
        self.spinner = spinner and not quiet
        self._spinning = False
        self._thinking = False  # the last thing written is thinking text
        self.reply_parts: list[str] = []
        self.outcome: str | None = None  # turn.completed / turn.failed / turn.cancelled
        self.error: str | None = None
        self._mid_line = False
        self._streamed = False  # the current output message arrived as deltas

    @property
    def reply(self) -> str:
        return "\n".join(part for part in self.reply_parts if part)

    def ours(self, event: Event) -> bool:
        """Whether the event belongs to the turn we follow (unknown: assume it does)."""
        owner = event.context.input_message_id
        return self.message_id is None or owner is None or owner == self.message_id

    def waiting(self) -> None:
        """Show `thinking…` (on a terminal) until the reply starts."""
        if self.spinner and not self._spinning:
            self.end_line()
            text = THINKING if ellipsis() == "…" else THINKING_ASCII
            sys.stdout.write(paint(text, "dim", enabled=self.color))
            sys.stdout.flush()
            self._spinning = True

    def _unspin(self) -> None:
        if self._spinning:
            sys.stdout.write(CLEAR_LINE)
            self._spinning = False

    def _write(self, text: str, style: str = "") -> None:
        if not self.quiet and text:
            self._unspin()
            sys.stdout.write(paint(text, style, enabled=self.color))
            sys.stdout.flush()
            self._mid_line = not text.endswith("\n")

    def _line(self, text: str, style: str = "") -> None:
        self.end_line()
        self._write(text, style)
        self._write("\n")

    def end_line(self) -> None:
        self._unspin()
        if self._mid_line:
            self._write("\n")
        self._thinking = False

    def _think(self, delta: str) -> None:
        if self.color and delta:
            if not self._thinking:
                self.end_line()
                self._thinking = True
            self._write(delta, "dim")

    def _reply(self, text: str) -> None:
        if self._thinking:  # the reply goes on a line of its own
            self.end_line()
        self._write(text)

    def feed(self, event: Event) -> bool:
        if not self.ours(event):
            return False
        if event.type == "output.message.started":
            self._streamed = False
            self.reply_parts.append("")
        elif isinstance(event, ReasonThinkingDeltaEvent):
            self._think(event.data.delta)
        elif isinstance(event, OutputMessageDeltaEvent):
            if not self.reply_parts:
                self.reply_parts.append("")
            self._streamed = True
            self.reply_parts[-1] += event.data.delta
            self._reply(event.data.delta)
        elif isinstance(event, OutputMessageCompletedEvent):
            text = message_text(event.data.message)
            if not self._streamed and text:
                self._reply(text)
            if self.reply_parts:
                self.reply_parts[-1] = text or self.reply_parts[-1]
            else:
                self.reply_parts.append(text)
            self._streamed = False
            self.end_line()
        elif isinstance(event, (ToolStartedEvent, ToolCompletedEvent, ToolCallRequestedEvent)):
            label = "client tool" if isinstance(event, ToolCallRequestedEvent) else "tool"
            self._line(f"  [{label}] {summary(event)}", event_style(event.type))
        elif event.type in TURN_END:
            self.outcome = event.type
            if isinstance(event, TurnFailedEvent):
                self.error = summary(event)
                self._line(f"  [turn failed] {self.error}", event_style(event.type))
            elif event.type == "turn.cancelled":
                self._line("  [turn cancelled]", event_style(event.type))
            self.end_line()
            return True
        return False
