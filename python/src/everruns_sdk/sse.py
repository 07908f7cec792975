"""The 0.3.x module `everruns_sdk.sse` (deprecated): `EventStream(client, session_id,
StreamOptions(...))`. Ours is `client.events.stream(session_id, ...)`, which yields
typed events; this one yields events whose `data` is a dict, as 0.3.x did."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from everruns_sdk._compat._warn import deprecated
from everruns_sdk._compat.stream import (
    DEFAULT_IDLE_TIMEOUT_SECS,
    DEFAULT_RETRY_MS,
    INITIAL_BACKOFF_MS,
    MAX_RETRY_MS,
    READ_TIMEOUT_SECS,
    EventData,
    EventStream,
    LegacyEvent,
    StreamOptions,
)

if TYPE_CHECKING:
    from everruns_sdk.types import DisconnectingData

deprecated("the module everruns_sdk.sse", "client.events.stream(session_id, ...)")

__all__ = [
    "DEFAULT_IDLE_TIMEOUT_SECS",
    "DEFAULT_RETRY_MS",
    "INITIAL_BACKOFF_MS",
    "MAX_RETRY_MS",
    "READ_TIMEOUT_SECS",
    "TYPE_CHECKING",
    "DisconnectingData",
    "EventData",
    "EventStream",
    "LegacyEvent",
    "StreamOptions",
]


def __getattr__(name: str) -> Any:
    if name == "DisconnectingData":  # a model: loaded on first use
        from everruns_sdk.types import DisconnectingData

        return DisconnectingData
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
