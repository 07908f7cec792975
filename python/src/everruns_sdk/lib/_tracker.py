"""Which events of a session's stream belong to one turn (no async code here).

A turn is identified by the user message that started it: the `input.message` event
carrying that message, `turn.started` naming it as `input_message_id`, or any event
whose context names it. From then on, the events of that turn are the ones whose
`turn_id` (in the context, else in the data) is the turn's; events that carry no turn
ID at all are taken while the turn runs. Events of other turns, older or newer, are
ignored. The turn ends with `turn.completed`, `turn.failed` or `turn.cancelled`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from everruns_sdk.lib.results import TurnResult

if TYPE_CHECKING:
    from pydantic import BaseModel

    from everruns_sdk.types import Message, TokenUsage
    from everruns_sdk.types.events import Event

M = TypeVar("M", bound="BaseModel")

__all__ = ["END_STATUSES", "TurnTracker", "data_field"]

#: Event types that end a turn, and the status each gives the turn.
END_STATUSES = {
    "turn.completed": "completed",
    "turn.failed": "failed",
    "turn.cancelled": "cancelled",
}


def data_field(event: Event, name: str) -> Any:
    """`event.data.<name>`, for typed data models and the dicts of unknown events."""
    data: Any = event.data
    if isinstance(data, dict):
        return data.get(name)
    return getattr(data, name, None)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class TurnTracker:
    """Follows one turn through a session's events; `accept(event)` says if it is ours."""

    def __init__(self, input_message_id: str) -> None:
        self.input_message_id = input_message_id
        self.turn_id: str | None = None
        self.events: list[Event] = []
        self.end: Event | None = None
        self._began = False

    @property
    def ended(self) -> bool:
        return self.end is not None

    def accept(self, event: Event) -> bool:
        """Record `event` and return True if it belongs to this turn (and the turn has
        not ended yet); return False for any other event."""
        if self.end is not None:
            return False
        turn_id = _str(event.context.turn_id) or _str(data_field(event, "turn_id"))
        if self._starts_turn(event):
            self._began = True
            self.turn_id = self.turn_id or turn_id
        elif not self._began:
            return False
        elif turn_id is not None:
            if self.turn_id is None and event.type == "turn.started":
                self.turn_id = turn_id
            if turn_id != self.turn_id:
                return False
        self.events.append(event)
        if event.type in END_STATUSES:
            self.end = event
        return True

    def _starts_turn(self, event: Event) -> bool:
        wanted = self.input_message_id
        if event.context.input_message_id == wanted:
            return True
        if _str(data_field(event, "input_message_id")) == wanted:
            return True
        if event.type == "input.message":
            message = data_field(event, "message")
            found = message.get("id") if isinstance(message, dict) else getattr(message, "id", None)
            return bool(found == wanted)
        return False

    def result(self, input_message: Message | None = None) -> TurnResult:
        """The `TurnResult` of the ended turn."""
        end = self.end
        if end is None:
            raise RuntimeError("the turn has not ended")
        status = END_STATUSES.get(end.type) or _str(data_field(end, "status")) or end.type
        error = error_code = None
        if status == "failed":
            error = _str(data_field(end, "error")) or "the turn failed"
            error_code = _str(data_field(end, "error_code"))
        return TurnResult(
            status=status,
            turn_id=self.turn_id,
            message=self._final_message(end),
            events=list(self.events),
            input_message=input_message,
            error=error,
            error_code=error_code,
            usage=self._usage(end),
        )

    def _final_message(self, end: Event) -> Message | None:
        from everruns_sdk.types import Message

        final_id = _str(data_field(end, "final_message_id"))
        found: Message | None = None
        for event in self.events:
            if event.type != "output.message.completed":
                continue
            message = _as_model(Message, data_field(event, "message"))
            if message is None:
                continue
            if final_id is not None and message.id == final_id:
                return message
            found = message
        return found

    def _usage(self, end: Event) -> TokenUsage | None:
        from everruns_sdk.types import TokenUsage

        usage = _as_model(TokenUsage, data_field(end, "usage"))
        if usage is not None:
            return usage
        parts = [
            part
            for event in self.events
            if event.type == "output.message.completed"
            and (part := _as_model(TokenUsage, data_field(event, "usage"))) is not None
        ]
        if not parts:
            return None
        return TokenUsage(
            input_tokens=sum(p.input_tokens for p in parts),
            output_tokens=sum(p.output_tokens for p in parts),
        )


def _as_model(cls: type[M], value: Any) -> M | None:
    """`value` as a `cls` model (a dict is validated); None when it cannot be."""
    if value is None or isinstance(value, cls):
        return value
    if isinstance(value, dict):
        from pydantic import ValidationError

        try:
            return cls.model_validate(value)
        except ValidationError:
            return None
    return None
