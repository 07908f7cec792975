"""EventStream over real HTTP on loopback: reconnects, resume, faults, shutdown.

The server (tests/streaming_server.py) is scripted per test. Backoff is shortened with
`backoff_base`, never by patching time; no assert depends on how long something took
(a `wait_for` only turns a hang into a failure).
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import random
import warnings
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from streaming_server import (
    HEARTBEAT,
    SESSION_ID,
    Conn,
    Request,
    StreamingServer,
    connected_frame,
    disconnecting_frame,
    event_id,
    frame,
    make_event,
)

from everruns_sdk import _aio
from everruns_sdk._config import ClientConfig, Secret
from everruns_sdk._errors import (
    APIConnectionError,
    ApiError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    ResponseValidationError,
    StreamRetriesExhaustedError,
)
from everruns_sdk._transport import Transport
from everruns_sdk.streaming._stream import EventStream
from everruns_sdk.types.events import ConnectedEvent, DisconnectingEvent

PATH = f"/v1/sessions/{SESSION_ID}/sse"
WAIT = 10.0  # liveness guard only: a hang fails the test instead of blocking the run


@pytest.fixture
async def server() -> AsyncIterator[StreamingServer]:
    async with StreamingServer() as s:
        yield s


@pytest.fixture
async def transport(server: StreamingServer) -> AsyncIterator[Transport]:
    t = Transport(ClientConfig(api_key=Secret("evr_pat_test0123"), base_url=server.url))
    yield t
    await t.aclose()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every sleep the stream asks for (it still sleeps, for real and briefly)."""
    delays: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(seconds: float) -> None:
        delays.append(seconds)
        await real_sleep(seconds)

    monkeypatch.setattr(_aio, "sleep", recording_sleep)
    return delays


def open_stream(transport: Transport, **kwargs: Any) -> EventStream:
    kwargs.setdefault("backoff_base", 0.01)
    kwargs.setdefault("jitter", 0.0)
    return EventStream(transport, PATH, **kwargs)


async def take(stream: EventStream, n: int) -> list[str]:
    """IDs of the next `n` events."""

    async def run() -> list[str]:
        ids = []
        async for event in stream:
            ids.append(event.id)
            if len(ids) == n:
                break
        return ids

    return await asyncio.wait_for(run(), WAIT)


def after(since: str | None, total: int) -> range:
    """Event numbers after `since` (all of 1..total without it)."""
    start = 1 if since is None else int(since.removeprefix("event_"), 16) + 1
    return range(start, total + 1)


def ids(numbers: range | list[int]) -> list[str]:
    return [event_id(n) for n in numbers]


# -- request shape and lifecycle --------------------------------------------------------


async def test_request_carries_headers_filters_and_since_id(
    server: StreamingServer, transport: Transport
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        await conn.send(connected_frame() + frame(make_event(6)))
        await conn.stall()

    server.handler = handler
    async with open_stream(
        transport, since_id=event_id(5), types=["turn.started", "turn.completed"], exclude=["x"]
    ) as stream:
        assert await take(stream, 1) == [event_id(6)]
        assert stream.last_event_id == event_id(6)
    request = server.requests[0]
    assert request.method == "GET"
    assert request.path == f"/api{PATH}"
    assert request.params == [
        ("since_id", event_id(5)),
        ("types", "turn.started"),
        ("types", "turn.completed"),
        ("exclude", "x"),
    ]
    assert request.headers["accept"] == "text/event-stream"
    assert request.headers["cache-control"] == "no-cache"
    assert request.headers["authorization"] == "evr_pat_test0123"


async def test_lifecycle_events_are_internal_unless_asked_for(
    server: StreamingServer, transport: Transport
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        n = after(request.param("since_id"), 9)[0]
        await conn.send(connected_frame() + frame(make_event(n)) + disconnecting_frame(1))
        await conn.end()

    server.handler = handler
    async with open_stream(transport) as stream:
        assert await take(stream, 2) == ids([1, 2])
    async with open_stream(transport, include_lifecycle=True) as stream:
        got = []
        async for event in stream:
            got.append(event)
            if len(got) == 4:
                break
    assert [type(e) for e in got] == [
        ConnectedEvent,
        type(got[1]),
        DisconnectingEvent,
        ConnectedEvent,
    ]
    assert got[1].id == event_id(1)
    assert isinstance(got[2], DisconnectingEvent)
    assert got[2].data.retry_ms == 1
    assert got[0].session_id == SESSION_ID
    # lifecycle events never move the resume point
    assert server.since_ids[-1] == event_id(1)


async def test_planned_cycles_do_not_consume_max_retries(
    server: StreamingServer, transport: Transport
) -> None:
    total = 100

    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        await conn.send(connected_frame(retry_ms=1))
        numbers = after(request.param("since_id"), total)
        if numbers:
            await conn.send(frame(make_event(numbers[0])))
        await conn.send(disconnecting_frame(retry_ms=1))
        await conn.end()

    server.handler = handler
    async with open_stream(transport, max_retries=1) as stream:
        assert await take(stream, total) == ids(range(1, total + 1))
        assert stream.reconnects == total - 1
        assert stream.consecutive_failures == 0
    assert server.since_ids == [None, *ids(range(1, total))]
    # clean ends keep the connection alive: reconnects reuse the pool's connection
    assert len(server.conns) < total


async def test_retry_hint_is_the_planned_delay_without_retry_ms(
    server: StreamingServer, transport: Transport, sleeps: list[float]
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        numbers = after(request.param("since_id"), 2)
        await conn.send(connected_frame(retry_ms=7) + frame(make_event(numbers[0])))
        await conn.send(disconnecting_frame(retry_ms=None))
        await conn.end()

    server.handler = handler
    async with open_stream(transport) as stream:
        assert await take(stream, 2) == ids([1, 2])
    assert sleeps == [0.007]


# -- backoff and failures ---------------------------------------------------------------


async def test_backoff_grows_and_resets_after_connected(
    server: StreamingServer, transport: Transport, sleeps: list[float]
) -> None:
    script = ["503", "503", "connected-then-cut", "503", "503", "503", "ok"]

    async def handler(conn: Conn, request: Request) -> None:
        step = script[len(server.requests) - 1]
        if step == "503":
            await conn.respond_problem(503)
            return
        await conn.start_stream()
        await conn.send(connected_frame())
        if step == "ok":
            await conn.send(frame(make_event(1)))
            await conn.stall()
        else:
            conn.abort()

    server.handler = handler
    async with open_stream(transport, backoff_base=0.01) as stream:
        assert await take(stream, 1) == [event_id(1)]
    assert sleeps == pytest.approx([0.01, 0.02, 0.01, 0.02, 0.04, 0.08])


async def test_backoff_is_capped_and_jitter_only_shortens(
    server: StreamingServer, transport: Transport, sleeps: list[float]
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        if len(server.requests) <= 6:
            await conn.respond_problem(502)
            return
        await conn.start_stream()
        await conn.send(connected_frame() + frame(make_event(1)))
        await conn.stall()

    server.handler = handler
    async with open_stream(transport, backoff_base=0.01, backoff_max=0.03, jitter=0.5) as s:
        await take(s, 1)
    assert len(sleeps) == 6
    caps = [0.01, 0.02, 0.03, 0.03, 0.03, 0.03]
    assert all(cap / 2 <= d <= cap for d, cap in zip(sleeps, caps, strict=True)), sleeps


async def test_retry_after_is_honoured_when_longer(
    server: StreamingServer, transport: Transport, sleeps: list[float]
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        if len(server.requests) == 1:
            await conn.respond_problem(429, headers={"Retry-After": "0.25"})
            return
        await conn.start_stream()
        await conn.send(connected_frame() + frame(make_event(1)))
        await conn.stall()

    server.handler = handler
    async with open_stream(transport, backoff_base=0.01) as stream:
        await take(stream, 1)
    assert sum(sleeps) == pytest.approx(0.25)


async def test_a_long_retry_after_waits_the_limit_requests_keep(
    server: StreamingServer, transport: Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One retry policy: a stream waits at most the policy's max_retry_after, the limit
    beyond which a plain request raises instead of waiting."""
    from everruns_sdk._retry import RETRY_POLICY

    limit = RETRY_POLICY.max_retry_after

    waited: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(_aio, "sleep", no_sleep)

    async def handler(conn: Conn, request: Request) -> None:
        if len(server.requests) == 1:
            await conn.respond_problem(429, headers={"Retry-After": "3600"})
            return
        await conn.start_stream()
        await conn.send(connected_frame() + frame(make_event(1)))
        await conn.stall()

    server.handler = handler
    async with open_stream(transport, backoff_base=0.01) as stream:
        await take(stream, 1)
    assert sum(waited) == pytest.approx(limit) and limit == 60.0


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_retryable_statuses_reconnect(
    server: StreamingServer, transport: Transport, status: int
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        if len(server.requests) == 1:
            await conn.respond_problem(status)
            return
        await conn.start_stream()
        await conn.send(connected_frame() + frame(make_event(1)))
        await conn.stall()

    server.handler = handler
    async with open_stream(transport) as stream:
        assert await take(stream, 1) == [event_id(1)]
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (410, ApiError),
    ],
)
async def test_final_status_on_reconnect_raises_at_once(
    server: StreamingServer, transport: Transport, status: int, error: type[ApiError]
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        if len(server.requests) == 1:
            await conn.start_stream()
            await conn.send(connected_frame() + frame(make_event(1)))
            conn.abort()
        else:
            await conn.respond_problem(status)

    server.handler = handler
    stream = open_stream(transport)  # max_retries=None: unbounded, yet it must not loop
    assert await take(stream, 1) == [event_id(1)]
    with pytest.raises(error) as info:
        await asyncio.wait_for(stream.__anext__(), WAIT)
    assert info.value.status_code == status
    assert len(server.requests) == 2
    with pytest.raises(StopAsyncIteration):  # the stream is over
        await stream.__anext__()


async def test_final_status_on_first_connect_raises_at_once(
    server: StreamingServer, transport: Transport
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.respond_problem(401)

    server.handler = handler
    with pytest.raises(AuthenticationError):
        await take(open_stream(transport), 1)
    assert len(server.requests) == 1


async def test_max_retries_exhausted_raises_with_the_count(
    server: StreamingServer, transport: Transport
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.respond_problem(503)

    server.handler = handler
    with pytest.raises(StreamRetriesExhaustedError) as info:
        await take(open_stream(transport, max_retries=3), 1)
    assert info.value.attempts == 4
    assert "4 consecutive" in str(info.value)
    assert isinstance(info.value, APIConnectionError)
    assert isinstance(info.value.__cause__, InternalServerError)
    assert len(server.requests) == 4


async def test_max_retries_counts_unexpected_ends_without_connected(
    server: StreamingServer, transport: Transport
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        await conn.send(b": hello\n\n")
        await conn.end()  # EOF without `disconnecting`, and never `connected`

    server.handler = handler
    with pytest.raises(StreamRetriesExhaustedError) as info:
        await take(open_stream(transport, max_retries=2), 1)
    assert info.value.attempts == 3
    assert "disconnecting" in str(info.value.__cause__)


async def test_max_retries_zero_raises_on_the_first_failure(
    server: StreamingServer, transport: Transport
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        conn.abort()

    server.handler = handler
    with pytest.raises(StreamRetriesExhaustedError) as info:
        await take(open_stream(transport, max_retries=0), 1)
    assert info.value.attempts == 1
    assert isinstance(info.value.__cause__, APIConnectionError)


async def test_delivered_events_reset_the_failure_count(
    server: StreamingServer, transport: Transport
) -> None:
    # Every connection delivers one event then breaks: with max_retries=1 this goes on
    # for as long as events keep coming, because each event resets the count.
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        numbers = after(request.param("since_id"), 20)
        await conn.send(frame(make_event(numbers[0])))  # no `connected` at all
        conn.abort()

    server.handler = handler
    async with open_stream(transport, max_retries=1) as stream:
        assert await take(stream, 20) == ids(range(1, 21))


async def test_content_type_other_than_event_stream_is_an_error(
    server: StreamingServer, transport: Transport
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.respond(200, b"<html>login</html>", content_type="text/html")

    server.handler = handler
    with pytest.raises(ResponseValidationError):
        await take(open_stream(transport), 1)
    assert len(server.requests) == 1


# -- resume: idle connections and torn events -------------------------------------------


async def test_silent_connection_is_dropped_after_idle_timeout_and_resumed(
    server: StreamingServer, transport: Transport
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        await conn.send(connected_frame())
        since = request.param("since_id")
        batch = after(since, 4)[:2]
        await conn.send(b"".join(frame(make_event(n)) for n in batch))
        await conn.stall()  # half-open: nothing more, ever

    server.handler = handler
    async with open_stream(transport, idle_timeout=0.3, max_retries=1) as stream:
        assert await take(stream, 4) == ids([1, 2, 3, 4])
        assert stream.reconnects == 1
    assert server.since_ids[:2] == [None, event_id(2)]
    await asyncio.wait_for(server.conns[0].closed_by_client.wait(), WAIT)


async def test_heartbeats_keep_a_quiet_connection_alive(
    server: StreamingServer, transport: Transport
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        await conn.send(connected_frame())
        for _ in range(4):
            await asyncio.sleep(0.1)
            await conn.send(HEARTBEAT)
        await conn.send(frame(make_event(1)))
        await conn.stall()

    server.handler = handler
    async with open_stream(transport, idle_timeout=0.3) as stream:
        assert await take(stream, 1) == [event_id(1)]
    assert len(server.requests) == 1  # 0.4 s of heartbeats, no idle reconnect


@pytest.mark.parametrize("end", ["abort", "clean-eof"])
async def test_torn_event_is_not_delivered_and_comes_again_once(
    server: StreamingServer, transport: Transport, end: str
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        await conn.send(connected_frame())
        numbers = after(request.param("since_id"), 3)
        if len(server.requests) == 1:
            torn = frame(make_event(2))
            await conn.send(frame(make_event(1)) + torn[: len(torn) // 2])
            await asyncio.sleep(0.05)
            await conn.send(torn[len(torn) // 2 : -1])  # all but the final blank line
            if end == "abort":
                conn.abort()
            else:
                await conn.end()
            return
        await conn.send(b"".join(frame(make_event(n)) for n in numbers))
        await conn.stall()

    server.handler = handler
    async with open_stream(transport) as stream:
        assert await take(stream, 3) == ids([1, 2, 3])
    assert server.since_ids[:2] == [None, event_id(1)]


async def test_events_split_across_many_small_writes(
    server: StreamingServer, transport: Transport
) -> None:
    payload = connected_frame() + b"".join(frame(make_event(n)) for n in range(1, 51))
    payload = payload.replace(b"\n", b"\r\n")

    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        rng = random.Random(7)
        i = 0
        while i < len(payload):
            step = rng.randint(1, 40)
            await conn.send(payload[i : i + step])
            i += step
        await conn.stall()

    server.handler = handler
    async with open_stream(transport) as stream:
        assert await take(stream, 50) == ids(range(1, 51))


async def test_5000_events_through_random_faults_arrive_exactly_once_in_order(
    server: StreamingServer, transport: Transport
) -> None:
    total = 5000
    rng = random.Random(20240611)
    faults = {"cycle": 4, "cut": 3, "cut-mid-event": 3, "abort": 2, "503": 2, "stall": 1}
    kinds = list(faults)
    weights = list(faults.values())
    seen_faults: list[str] = []
    frames = {n: frame(make_event(n)) for n in range(1, total + 1)}

    async def handler(conn: Conn, request: Request) -> None:
        fault = rng.choices(kinds, weights)[0]
        seen_faults.append(fault)
        if fault == "503":
            await conn.respond_problem(503, headers={"Retry-After": "0"})
            return
        await conn.start_stream()
        await conn.send(connected_frame(retry_ms=1))
        numbers = after(request.param("since_id"), total)
        batch = numbers[: rng.randint(0, 250)]
        body = b"".join(frames[n] for n in batch)
        if rng.random() < 0.3:
            body += HEARTBEAT
        # deliver in a few writes with arbitrary boundaries
        cuts = sorted(rng.randrange(len(body) + 1) for _ in range(3))
        for a, b in itertools.pairwise([0, *cuts, len(body)]):
            await conn.send(body[a:b])
        if not numbers or len(batch) == len(numbers):
            fault = "cycle"  # nothing left: end the way the server would
        if fault == "cycle":
            await conn.send(disconnecting_frame(retry_ms=1))
            await conn.end()
        elif fault == "cut":
            await conn.end()
        elif fault == "cut-mid-event":
            nxt = numbers[len(batch)]
            await conn.send(frames[nxt][: rng.randint(1, len(frames[nxt]) - 1)])
            conn.abort() if rng.random() < 0.5 else await conn.end()
        elif fault == "abort":
            conn.abort()
        else:  # stall: the idle timeout must notice
            await conn.stall()

    server.handler = handler
    got: list[str] = []
    async with open_stream(
        transport, idle_timeout=0.2, backoff_base=0.001, max_retries=8
    ) as stream:

        async def consume() -> None:
            async for event in stream:
                got.append(event.id)
                if len(got) == total:
                    break

        await asyncio.wait_for(consume(), 60)
    assert got == ids(range(1, total + 1))
    assert set(seen_faults) == set(kinds)  # the seed exercises every fault
    # every (re)connect resumed from the last delivered event
    since = [s for s in server.since_ids if s is not None]
    assert since == sorted(since)


# -- ending a stream --------------------------------------------------------------------


def _stalling_handler(events: int = 3) -> Callable[[Conn, Request], Any]:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        await conn.send(connected_frame())
        await conn.send(b"".join(frame(make_event(n)) for n in range(1, events + 1)))
        await conn.stall()

    return handler


def _resource_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


async def test_break_inside_async_with_closes_the_connection(
    server: StreamingServer, transport: Transport
) -> None:
    server.handler = _stalling_handler()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with open_stream(transport) as stream:
            async for _event in stream:
                break
        await asyncio.wait_for(server.conns[0].closed_by_client.wait(), WAIT)
        gc.collect()
        await asyncio.sleep(0)
    assert _resource_warnings(caught) == []
    with pytest.raises(StopAsyncIteration):
        await stream.__anext__()


async def test_break_without_async_with_still_releases_the_connection(
    server: StreamingServer, transport: Transport
) -> None:
    server.handler = _stalling_handler()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        async def consume() -> None:
            async for _event in open_stream(transport):
                break

        await consume()
        gc.collect()
        await asyncio.wait_for(server.conns[0].closed_by_client.wait(), WAIT)
        for _ in range(5):  # let the loop run httpx's finalisers
            await asyncio.sleep(0.01)
        gc.collect()
    assert _resource_warnings(caught) == []


async def test_aclose_is_idempotent_and_ends_iteration(
    server: StreamingServer, transport: Transport
) -> None:
    server.handler = _stalling_handler()
    stream = open_stream(transport)
    assert await take(stream, 1) == [event_id(1)]
    await stream.aclose()
    await stream.aclose()
    await asyncio.wait_for(server.conns[0].closed_by_client.wait(), WAIT)
    assert [e async for e in stream] == []


async def test_stop_from_another_task_ends_a_blocked_read(
    server: StreamingServer, transport: Transport
) -> None:
    server.handler = _stalling_handler(events=1)
    stream = open_stream(transport, idle_timeout=300.0)
    got: list[str] = []
    first = asyncio.Event()

    async def consume() -> None:
        async for event in stream:
            got.append(event.id)
            first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), WAIT)
    await asyncio.sleep(0.05)  # the consumer is now blocked reading a silent socket
    stream.stop()
    await asyncio.wait_for(task, WAIT)  # ends well before the 300 s idle timeout
    assert got == [event_id(1)]
    assert len(server.requests) == 1  # no reconnect after stop()
    await asyncio.wait_for(server.conns[0].closed_by_client.wait(), WAIT)
    await stream.aclose()


async def test_aclose_from_another_task_ends_a_blocked_read(
    server: StreamingServer, transport: Transport
) -> None:
    server.handler = _stalling_handler(events=1)
    stream = open_stream(transport, idle_timeout=300.0)
    first = asyncio.Event()

    async def consume() -> None:
        async for _event in stream:
            first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), WAIT)
    await asyncio.sleep(0.05)
    await stream.aclose()
    await asyncio.wait_for(task, WAIT)
    await asyncio.wait_for(server.conns[0].closed_by_client.wait(), WAIT)


async def test_stop_during_backoff_ends_iteration(
    server: StreamingServer, transport: Transport
) -> None:
    asked = asyncio.Event()

    async def handler(conn: Conn, request: Request) -> None:
        await conn.respond_problem(503)
        asked.set()

    server.handler = handler
    stream = open_stream(transport, backoff_base=300.0)  # a very long first backoff

    async def consume() -> list[Any]:
        return [e async for e in stream]

    task = asyncio.create_task(consume())
    await asyncio.wait_for(asked.wait(), WAIT)
    await asyncio.sleep(0.05)
    stream.stop()
    assert await asyncio.wait_for(task, WAIT) == []
    assert len(server.requests) == 1


async def test_stop_inside_the_loop_ends_it_without_reconnecting(
    server: StreamingServer, transport: Transport
) -> None:
    server.handler = _stalling_handler(events=5)
    got = []
    async with open_stream(transport) as stream:
        async for event in stream:
            got.append(event.id)
            if len(got) == 2:
                stream.stop()
    assert got == ids([1, 2])
    assert stream.last_event_id == event_id(2)  # resume point: nothing skipped
    assert len(server.requests) == 1


async def test_cancelled_next_resumes_without_loss_or_failure(
    server: StreamingServer, transport: Transport
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        await conn.send(connected_frame())
        if len(server.requests) == 1:
            await conn.send(frame(make_event(1)))
            await conn.stall()
        else:
            numbers = after(request.param("since_id"), 3)
            await conn.send(b"".join(frame(make_event(n)) for n in numbers))
            await conn.stall()

    server.handler = handler
    async with open_stream(transport, max_retries=0) as stream:
        assert await take(stream, 1) == [event_id(1)]
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(stream.__anext__(), 0.2)  # cancels a blocked read
        assert await take(stream, 2) == ids([2, 3])
        assert stream.consecutive_failures == 0
    assert server.since_ids == [None, event_id(1)]


async def test_idle_timeout_surfaces_as_api_timeout_error_when_retries_run_out(
    server: StreamingServer, transport: Transport
) -> None:
    server.handler = _stalling_handler(events=0)
    with pytest.raises(StreamRetriesExhaustedError) as info:
        await take(open_stream(transport, idle_timeout=0.1, max_retries=0), 1)
    assert isinstance(info.value.__cause__, APITimeoutError)


async def test_a_malformed_event_is_logged_and_skipped(
    server: StreamingServer, transport: Transport, caplog: pytest.LogCaptureFixture
) -> None:
    """One malformed event never ends a stream: the next one arrives."""

    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        await conn.send(
            connected_frame()
            + b"event: x\nid: e\ndata: {not json\n\n"
            + b"event: turn.started\nid: e2\ndata: [1, 2]\n\n"
            + frame(make_event(3))
        )
        await conn.stall()

    server.handler = handler
    with caplog.at_level("WARNING", logger="everruns_sdk"):
        assert await take(open_stream(transport), 1) == [event_id(3)]
    assert caplog.text.count("skipped a malformed") == 2


def test_invalid_arguments_are_rejected() -> None:
    config = ClientConfig(api_key=Secret("evr_pat_x"), base_url="http://127.0.0.1:9")
    transport = Transport(config)
    with pytest.raises(ValueError):
        EventStream(transport, PATH, max_retries=-1)
    with pytest.raises(ValueError):
        EventStream(transport, PATH, idle_timeout=0)
    stream = EventStream(transport, PATH, types="turn.started")  # one str is one type
    assert stream._filters == [("types", "turn.started")]
    assert json.loads(json.dumps(repr(stream)))
