"""Following one turn on the live stream (shared by `chat` and `messages send --wait`)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from everruns_sdk._errors import ConflictError
from everruns_sdk.types.events import ToolCallRequestedEvent

if TYPE_CHECKING:
    from collections.abc import Iterable

    from everruns_sdk._sync._client import SyncEverruns
    from everruns_sdk.cli._render import TurnPrinter
    from everruns_sdk.types.events import Event

__all__ = ["DECLINED", "last_event_id", "pump"]

DECLINED = "the everruns command line cannot run client-side tools"


def last_event_id(api: SyncEverruns, session_id: str) -> str | None:
    """The ID of the session's latest event: a stream opened `since_id` it shows only
    what happens next (None for a session without events)."""
    events = api.events.list(session_id, limit=1)
    return events[-1].id if events else None


def pump(api: SyncEverruns, session_id: str, events: Iterable[Event], printer: TurnPrinter) -> bool:
    """Feed `events` to `printer` until its turn ends (True) or the events run out.

    A client-side tool call is answered with an error, so the turn goes on instead of
    waiting for results that the command line has no way to compute.
    """
    for event in events:
        if printer.feed(event):
            return True
        if isinstance(event, ToolCallRequestedEvent) and printer.ours(event):
            results = [api.messages.tool_error(call.id, DECLINED) for call in event.data.tool_calls]
            # A 409: no longer waiting (answered elsewhere, or cancelled).
            with contextlib.suppress(ConflictError):
                api.messages.submit_tool_results(session_id, results)
    return False
