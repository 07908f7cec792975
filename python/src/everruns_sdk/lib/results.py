"""What a whole turn comes to: `TurnResult`, and the errors of the turn helpers.

Shared by `Everruns` and `SyncEverruns` (no async code here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from everruns_sdk._errors import EverrunsError

if TYPE_CHECKING:
    from everruns_sdk.lib.tools import ToolInput
    from everruns_sdk.types import Message, TokenUsage
    from everruns_sdk.types.events import Event

__all__ = ["TurnFailedError", "TurnResult", "TurnTimeoutError"]


class TurnOptions(TypedDict, total=False):
    """Keyword options of `sessions.run` and `sessions.stream_turn`."""

    tools: Sequence[ToolInput] | None
    raise_on_failure: bool
    timeout: float | None
    tool_timeout: float | None


@dataclass(frozen=True)
class TurnResult:
    """The outcome of one turn (`client.sessions.run`, `turn.final()`).

    `status` is `completed`, `failed` or `cancelled` (or a newer status a server may
    send); `message` is the agent's final message (None when the turn produced none);
    `events` are every event of this turn, in order, from `input.message` to the
    event that ended it. `error`/`error_code` are set when the turn failed; `usage`
    when the events report token usage.
    """

    status: str
    turn_id: str | None
    message: Message | None
    events: list[Event] = field(default_factory=list)
    input_message: Message | None = None
    error: str | None = None
    error_code: str | None = None
    usage: TokenUsage | None = None

    @property
    def text(self) -> str:
        """The text of the final message (its text parts joined); "" without one."""
        if self.message is None:
            return ""
        return "".join(
            text
            for part in self.message.content
            if getattr(part, "type", None) == "text"
            and isinstance(text := getattr(part, "text", None), str)
        )

    @property
    def ok(self) -> bool:
        """True when the turn completed."""
        return self.status == "completed"

    def raise_for_status(self) -> TurnResult:
        """Raise `TurnFailedError` if the turn failed; return the result otherwise."""
        if self.status == "failed":
            raise TurnFailedError(self)
        return self

    def __repr__(self) -> str:
        detail = f" error={self.error!r}" if self.error else f" text={self.text[:60]!r}"
        return (
            f"<TurnResult {self.status} turn_id={self.turn_id!r}{detail} events={len(self.events)}>"
        )


class TurnFailedError(EverrunsError):
    """The turn ended with `turn.failed` (raised with `raise_on_failure=True`)."""

    def __init__(self, result: TurnResult) -> None:
        self.result = result
        self.turn_id = result.turn_id
        self.error = result.error
        self.error_code = result.error_code
        code = f" [{result.error_code}]" if result.error_code else ""
        super().__init__(f"turn {result.turn_id} failed: {result.error or 'unknown error'}{code}")


class TurnTimeoutError(EverrunsError, TimeoutError):
    """The turn did not end within the `timeout` given to `run`/`stream_turn`.

    The turn keeps running on the server; `client.sessions.cancel(session_id)` stops
    it. `events` are the events of the turn seen so far.
    """

    def __init__(self, timeout: float, turn_id: str | None, events: list[Event]) -> None:
        self.timeout = timeout
        self.turn_id = turn_id
        self.events = events
        super().__init__(f"turn {turn_id} did not end within {timeout:g} s")
