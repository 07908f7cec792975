"""Server-Sent Events: wake-ups across threads and the per-connection stream.

The store is the only source of events: a connection keeps a cursor (the last
event ID it has seen) and, whenever `Hub` wakes it, sends every stored
event after the cursor. That gives replay from the first event, resume after
``since_id`` and any number of subscribers per session for free.

Wire format (see API-NOTES): every connection starts with ``connected``
(``retry:`` hint, no ``id``), each event is ``event:``/``id:``/``data:`` with one
JSON line, ``: heartbeat`` comments every ``heartbeat`` seconds, and after
``cycle`` seconds ``disconnecting`` then the end of the body.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from ._faults import SseFault
from ._store import Store

__all__ = ["Hub", "StreamOptions", "event_frame", "event_stream"]

JSON = dict[str, Any]

ACTIVE_RETRY_MS = 100
IDLE_RETRY_MS = 500
CYCLE_RETRY_MS = 100


class Hub:
    """Wakes the SSE connections of a session when its events change.

    ``notify`` and ``close`` may be called from any thread; waiters live in the
    server's event loop.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self.closing = False
        self.generation = 0  # bumped by reset(): older connections end

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._loop_thread = threading.get_ident()
        self.closing = False

    def _call(self, fn: Callable[[], None]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if threading.get_ident() == self._loop_thread:
            fn()
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(fn)

    def notify(self, session_id: str) -> None:
        self._call(lambda: self._wake(self._waiters.get(session_id, set())))

    def wake_all(self) -> None:
        self._call(lambda: self._wake({w for ws in self._waiters.values() for w in ws}))

    def close(self) -> None:
        """End every stream (server shutdown)."""
        self.closing = True
        self.wake_all()

    def reset(self) -> None:
        """End the streams opened before now (state reset)."""
        self.generation += 1
        self.wake_all()

    @staticmethod
    def _wake(waiters: set[asyncio.Event]) -> None:
        for waiter in list(waiters):
            waiter.set()

    def subscribe(self, session_id: str) -> asyncio.Event:
        waiter = asyncio.Event()
        self._waiters.setdefault(session_id, set()).add(waiter)
        return waiter

    def unsubscribe(self, session_id: str, waiter: asyncio.Event) -> None:
        waiters = self._waiters.get(session_id)
        if waiters is not None:
            waiters.discard(waiter)
            if not waiters:
                del self._waiters[session_id]


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def event_frame(event: JSON) -> bytes:
    return f"event: {event['type']}\nid: {event['id']}\ndata: {_dumps(event)}\n\n".encode()


def _lifecycle_frame(type_: str, data: JSON, retry_ms: int) -> bytes:
    return f"event: {type_}\nretry: {retry_ms}\ndata: {_dumps(data)}\n\n".encode()


HEARTBEAT = b": heartbeat\n\n"


@dataclass
class StreamOptions:
    session_id: str
    since_id: str | None
    types: set[str] | None
    exclude: set[str]
    heartbeat: float
    cycle: float
    fault: SseFault | None
    abort: Callable[[], None]
    check: Callable[[JSON], None] | None = None  # strict mode: each event against the spec


def _wanted(event: JSON, opts: StreamOptions) -> bool:
    if opts.types is not None and event["type"] not in opts.types:
        return False
    return event["type"] not in opts.exclude


async def event_stream(store: Store, hub: Hub, opts: StreamOptions) -> AsyncIterator[bytes]:
    """The body of one SSE connection."""
    sid = opts.session_id
    waiter = hub.subscribe(sid)
    generation = hub.generation
    try:
        session = store.session(sid)
        busy = session is not None and session["status"] in ("active", "waiting_for_tool_results")
        retry = ACTIVE_RETRY_MS if busy else IDLE_RETRY_MS
        yield _lifecycle_frame("connected", {"status": "connected"}, retry)
        start = time.monotonic()
        next_beat = start + opts.heartbeat
        cycle_at = start + opts.cycle
        cursor = opts.since_id
        sent = 0
        fault = opts.fault
        while True:
            waiter.clear()
            if hub.closing or hub.generation != generation:
                reason = "server_shutdown" if hub.closing else "reset"
                yield _lifecycle_frame(
                    "disconnecting", {"reason": reason, "retry_ms": CYCLE_RETRY_MS}, CYCLE_RETRY_MS
                )
                return
            if fault is not None and sent >= fault.after_events and fault.kind != "cut_mid_event":
                async for chunk in _apply_fault(fault, hub, opts, generation):
                    yield chunk
                return
            events = store.events_after(sid, cursor)
            if events is None:  # session deleted
                return
            for event in events:
                cursor = event["id"]
                if not _wanted(event, opts):
                    continue
                if opts.check is not None:
                    opts.check(event)
                frame = event_frame(event)
                if (
                    fault is not None
                    and fault.kind == "cut_mid_event"
                    and sent >= fault.after_events
                ):
                    yield frame[: max(1, len(frame) // 2)]
                    opts.abort()
                    await asyncio.sleep(3600)  # until the disconnect cancels us
                    return
                yield frame
                sent += 1
                if (
                    fault is not None
                    and fault.kind != "cut_mid_event"
                    and sent >= fault.after_events
                ):
                    break
            if fault is not None and sent >= fault.after_events and fault.kind != "cut_mid_event":
                continue
            now = time.monotonic()
            if now >= cycle_at:
                yield _lifecycle_frame(
                    "disconnecting",
                    {"reason": "connection_cycle", "retry_ms": CYCLE_RETRY_MS},
                    CYCLE_RETRY_MS,
                )
                return
            if now >= next_beat:
                yield HEARTBEAT
                while next_beat <= now:
                    next_beat += opts.heartbeat
            timeout = max(0.0, min(next_beat, cycle_at) - time.monotonic())
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(waiter.wait(), timeout)
    finally:
        hub.unsubscribe(sid, waiter)


async def _apply_fault(
    fault: SseFault, hub: Hub, opts: StreamOptions, generation: int
) -> AsyncIterator[bytes]:
    if fault.kind == "cycle":
        yield _lifecycle_frame(
            "disconnecting",
            {"reason": "connection_cycle", "retry_ms": CYCLE_RETRY_MS},
            CYCLE_RETRY_MS,
        )
    elif fault.kind == "stall":
        # Half-open: the socket stays open, nothing more is ever written, until the
        # client goes away or the server stops.
        waiter = hub.subscribe(opts.session_id)
        try:
            while not hub.closing and hub.generation == generation:
                waiter.clear()
                await waiter.wait()
        finally:
            hub.unsubscribe(opts.session_id, waiter)
    elif fault.kind == "drop":
        opts.abort()
        await asyncio.sleep(3600)
    # "cut": a clean end of the body, without ``disconnecting``.
