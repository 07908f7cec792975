"""The 0.3.x streaming classes: `everruns_sdk.sse.EventStream(client, session_id,
StreamOptions(...))` and the events it yields, whose `data` is a dict.

This is a thin layer over our `client.events.stream(...)` (same reconnects, same
resume point); only the shape of what it yields differs. Async only, as in 0.3.x.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from everruns_sdk._compat._warn import deprecated

if TYPE_CHECKING:
    from types import TracebackType

    from everruns_sdk._client import Everruns
    from everruns_sdk.streaming._stream import EventStream as TypedEventStream
    from everruns_sdk.types.events import Event

DEFAULT_IDLE_TIMEOUT_SECS = 45
READ_TIMEOUT_SECS = 45
DEFAULT_RETRY_MS = 1000
INITIAL_BACKOFF_MS = 1000
MAX_RETRY_MS = 30000

_DELTA_TYPES = ("output.message.delta", "reason.thinking.delta")


class EventData(dict[str, Any]):
    """The `data` of a 0.3.x-style event: a real dict (so `data.get("message")` and
    `json.dumps(event.data)` work) whose keys can also be read as attributes."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class LegacyEvent:
    """An event as 0.3.x programs read it: `id`, `type`, `ts`, `session_id`,
    `sequence`, `context`, `metadata`, `tags`, and `data` as a dict (`EventData`;
    `context` too). `model_dump()` gives the event as the wire sent it, as the 0.3.x
    model did. `typed` is our typed event, for code moving to the new API."""

    id: str
    type: str
    ts: str
    session_id: str
    data: EventData
    sequence: int | None = None
    context: EventData = field(default_factory=EventData)
    metadata: Any = None
    tags: list[str] | None = None
    typed: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_event(cls, event: Event) -> LegacyEvent:
        wire = event.model_dump(mode="json", by_alias=True, exclude_unset=True)
        data = wire.get("data")
        return cls(
            id=event.id,
            type=event.type,
            ts=event.ts,
            session_id=event.session_id,
            data=EventData(data if isinstance(data, dict) else {}),
            sequence=event.sequence,
            context=EventData(wire.get("context") or {}),
            metadata=event.metadata,
            tags=event.tags,
            typed=event,
        )

    def model_dump(self, **_: Any) -> dict[str, Any]:
        """The event as a plain dict (the 0.3.x event was a pydantic model)."""
        if self.typed is None:  # built by hand, not from a stream
            return {k: v for k, v in asdict(self).items() if k != "typed"}
        wire: dict[str, Any] = self.typed.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return wire


@dataclass
class StreamOptions:
    """Filters and resume point of a 0.3.x `EventStream` (ours: keyword arguments of
    `client.events.stream`)."""

    types: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    since_id: str | None = None
    after_sequence: int | None = None
    max_retries: int | None = None
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT_SECS

    @classmethod
    def exclude_deltas(cls) -> StreamOptions:
        """Options that leave out the token-by-token delta events."""
        return cls(exclude=list(_DELTA_TYPES))


class EventStream:
    """The 0.3.x event stream: `async for event in EventStream(client, session_id,
    StreamOptions())`; `stop()` ends it, `aclose()` releases the connection.

    `sse_path` is accepted for call compatibility; the stream always reads the
    session's own event stream.
    """

    def __init__(
        self,
        client: Everruns,
        session_id: str,
        options: StreamOptions | None = None,
        sse_path: str | None = None,
    ) -> None:
        deprecated(
            "everruns_sdk.sse.EventStream(client, session_id, StreamOptions(...))",
            "client.events.stream(session_id, types=..., exclude=..., since_id=...)",
        )
        opts = options if options is not None else StreamOptions()
        self._after_sequence = opts.after_sequence
        self._stream: TypedEventStream = client.events.stream(
            session_id,
            since_id=opts.since_id,
            types=_or_none(opts.types),
            exclude=_or_none(opts.exclude),
            max_retries=opts.max_retries,
            idle_timeout=opts.idle_timeout,
        )

    @property
    def last_event_id(self) -> str | None:
        return self._stream.last_event_id

    @property
    def retry_count(self) -> int:
        """Reconnections so far (ours: `reconnects`)."""
        return self._stream.reconnects

    def stop(self) -> None:
        self._stream.stop()

    async def aclose(self) -> None:
        await self._stream.aclose()

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> LegacyEvent:
        while True:
            event = await self._stream.__anext__()
            after = self._after_sequence
            if after is not None and event.sequence is not None and event.sequence <= after:
                continue
            return LegacyEvent.from_event(event)

    async def __aenter__(self) -> EventStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _or_none(values: Sequence[str]) -> list[str] | None:
    return list(values) if values else None
