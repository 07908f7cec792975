"""Colour: on for a terminal, off for pipes, with `NO_COLOR` or with `--no-color`;
`FORCE_COLOR` turns it on for a pipe too. One decision, used by the tables (rich) and by
the lines `chat` and `events tail` write themselves (ANSI codes from the same styles).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import TextIO

from rich.color import ColorSystem
from rich.style import Style

__all__ = [
    "color_enabled",
    "event_style",
    "is_tty",
    "paint",
    "set_no_color",
    "status_style",
]

_flags = {"no_color": False}  # `--no-color` of the current invocation

# Event types by family (the part before the first dot); a few types of their own.
_FAMILY = {
    "input": "cyan",
    "turn": "bold blue",
    "reason": "magenta",
    "output": "green",
    "act": "yellow",
    "tool": "yellow",
    "session": "dim",
    "connected": "dim",
    "disconnecting": "dim",
}
_TYPES = {
    "turn.failed": "bold red",
    "turn.cancelled": "bold yellow",
    "tool.call_requested": "bold yellow",
}
_STATUS = {
    "active": "green",
    "idle": "cyan",
    "started": "cyan",
    "waiting_for_tool_results": "yellow",
    "archived": "dim",
    "failed": "red",
}


def set_no_color(flag: bool) -> None:
    """Record `--no-color` (the root command calls this at every invocation)."""
    _flags["no_color"] = flag


def _env_on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def is_tty(stream: TextIO | None = None) -> bool:
    stream = sys.stdout if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # a closed stream
        return False


def color_enabled(stream: TextIO | None = None) -> bool:
    """Whether output to `stream` (default: stdout) is coloured. `--no-color` and
    `NO_COLOR` turn it off, then `FORCE_COLOR` turns it on; otherwise a terminal is
    coloured and a pipe or a file is not."""
    if _flags["no_color"] or os.environ.get("NO_COLOR", "") != "":
        return False
    if _env_on("FORCE_COLOR"):
        return True
    return is_tty(stream)


@lru_cache(maxsize=64)
def _style(spec: str) -> Style:
    return Style.parse(spec)


def paint(text: str, style: str, *, enabled: bool) -> str:
    """`text` wrapped in the ANSI codes of the rich `style` ("bold red", "dim", ...),
    or `text` as it is when colour is off or the style is empty."""
    if not enabled or not style or not text:
        return text
    return _style(style).render(text, color_system=ColorSystem.STANDARD)


def event_style(event_type: str) -> str:
    """The style of an event type: its family's colour; thinking is dimmed."""
    if event_type in _TYPES:
        return _TYPES[event_type]
    if event_type.startswith("reason.thinking."):
        return "dim magenta"
    if event_type.endswith(".failed"):
        return "red"
    return _FAMILY.get(event_type.split(".", 1)[0], "")


def status_style(status: str) -> str:
    """The style of a status in a table ('' for one it does not know)."""
    return _STATUS.get(status, "")
