"""How events look in a terminal: one-line summaries (`events tail`) and a streamed
reply with its tool calls (`chat`, `messages send --wait`)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

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

__all__ = ["TURN_END", "TurnPrinter", "message_text", "summary", "tail_line"]

TURN_END = frozenset({"turn.completed", "turn.failed", "turn.cancelled"})
MAX_SUMMARY = 120


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


def tail_line(event: Event) -> str:
    """`12:00:01.234  #5    output.message.delta        'Hel'`"""
    clock = event.ts[11:23] if len(event.ts) >= 23 else event.ts
    sequence = f"#{event.sequence}" if event.sequence is not None else "-"
    return f"{clock}  {sequence:<5} {event.type:<26} {summary(event)}".rstrip()


class TurnPrinter:
    """Writes one turn as it happens: the reply text as it streams, tool calls on their
    own lines. `feed` returns True at the end of the turn started by `message_id`
    (events of other turns are ignored). With `quiet`, nothing is written: the reply is
    only collected in `reply`."""

    def __init__(self, message_id: str | None, *, quiet: bool = False) -> None:
        self.message_id = message_id
        self.quiet = quiet
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

    def _write(self, text: str) -> None:
        if not self.quiet and text:
            sys.stdout.write(text)
            sys.stdout.flush()
            self._mid_line = not text.endswith("\n")

    def _line(self, text: str) -> None:
        self.end_line()
        self._write(text + "\n")

    def end_line(self) -> None:
        if self._mid_line:
            self._write("\n")

    def feed(self, event: Event) -> bool:
        if not self.ours(event):
            return False
        if event.type == "output.message.started":
            self._streamed = False
            self.reply_parts.append("")
        elif isinstance(event, OutputMessageDeltaEvent):
            if not self.reply_parts:
                self.reply_parts.append("")
            self._streamed = True
            self.reply_parts[-1] += event.data.delta
            self._write(event.data.delta)
        elif isinstance(event, OutputMessageCompletedEvent):
            text = message_text(event.data.message)
            if not self._streamed and text:
                self._write(text)
            if self.reply_parts:
                self.reply_parts[-1] = text or self.reply_parts[-1]
            else:
                self.reply_parts.append(text)
            self._streamed = False
            self.end_line()
        elif isinstance(event, (ToolStartedEvent, ToolCompletedEvent, ToolCallRequestedEvent)):
            label = "client tool" if isinstance(event, ToolCallRequestedEvent) else "tool"
            self._line(f"  [{label}] {summary(event)}")
        elif event.type in TURN_END:
            self.outcome = event.type
            if isinstance(event, TurnFailedEvent):
                self.error = summary(event)
                self._line(f"  [turn failed] {self.error}")
            elif event.type == "turn.cancelled":
                self._line("  [turn cancelled]")
            self.end_line()
            return True
        return False
