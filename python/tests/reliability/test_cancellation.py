"""Cancellation releases connections: a task cancelled while it awaits a request, sleeps
between retries or iterates an event stream leaves nothing open behind it.

Checked on both ends: the httpx pool of the client (`_transport.http._transport._pool`
holds no connection that is still busy) and the server (hostile_server.py counts the
TCP connections it has not seen closed); and no ResourceWarning ("unclosed ...") after
`gc.collect()`.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from hostile_server import Conn, HostileServer, Request
from reliability_support import WAIT, async_wait_until, report, wait_until
from streaming_server import SESSION_ID, connected_frame, frame, make_event

from everruns_sdk import Everruns, SyncEverruns

STREAMS = 1_000
BATCH = 100


def pool_of(client: Everruns | SyncEverruns) -> Any:
    """The httpcore connection pool under the client's httpx client."""
    return client._transport.http._transport._pool


def busy_connections(client: Everruns | SyncEverruns) -> list[Any]:
    """Connections of the pool that are neither idle (reusable) nor closed."""
    pool = pool_of(client)
    return [c for c in pool.connections if not c.is_idle() and not c.is_closed()]


def open_connections(client: Everruns | SyncEverruns) -> list[Any]:
    return [c for c in pool_of(client).connections if not c.is_closed()]


@pytest.fixture
def resource_warnings() -> Iterator[list[str]]:
    """ResourceWarnings (unclosed sockets, transports, clients) raised during the test,
    including the ones the garbage collector triggers at the end."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found: list[str] = []
        yield found
        gc.collect()
        found.extend(
            str(w.message)
            for w in caught
            if issubclass(w.category, ResourceWarning) or "unclosed" in str(w.message).lower()
        )


async def one_event_then_silence(conn: Conn, request: Request) -> None:
    await conn.start_stream()
    await conn.send(connected_frame() + frame(make_event(1)))
    await conn.stall()


async def test_cancelled_streams_release_their_connections(
    hostile: HostileServer, resource_warnings: list[str]
) -> None:
    """1,000 streams, each cancelled right after its first event; half of them inside
    `async with stream:`, half as a bare `async for` (released by httpx's own cleanup
    and the stream's finaliser)."""
    hostile.handler = one_event_then_silence
    peak_open = 0
    async with Everruns(api_key="evr_pat_cancel", base_url=hostile.url) as client:

        async def consume(first: asyncio.Event, managed: bool) -> None:
            stream = client.events.stream(SESSION_ID, idle_timeout=WAIT)
            if managed:
                async with stream:
                    async for _event in stream:
                        first.set()
            else:
                async for _event in stream:
                    first.set()

        for batch in range(STREAMS // BATCH):
            firsts = [asyncio.Event() for _ in range(BATCH)]
            tasks = [
                asyncio.create_task(consume(first, managed=batch % 2 == 0)) for first in firsts
            ]
            await asyncio.wait_for(asyncio.gather(*(f.wait() for f in firsts)), WAIT)
            peak_open = max(peak_open, len(open_connections(client)))
            for task in tasks:
                task.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
            assert all(isinstance(r, asyncio.CancelledError) for r in results)
            del tasks, results
        gc.collect()
        assert await async_wait_until(lambda: hostile.open_connections == 0), (
            f"{hostile.open_connections} connections still open on the server"
        )
        await asyncio.sleep(0)
        assert busy_connections(client) == []
        assert open_connections(client) == []  # a stream cut short cannot be reused
        assert len(pool_of(client)._requests) == 0
        # one connection per stream: nobody reconnected after being cancelled
        assert len(hostile.requests) == STREAMS
        # and the client still works
        hostile.handler = one_event_then_silence
        async with client.events.stream(SESSION_ID) as stream:
            async for event in stream:
                assert event.id == make_event(1)["id"]
                break
    report(
        f"cancellation: {STREAMS} streams cancelled after their first event "
        f"(batches of {BATCH}; peak {peak_open} open): 0 left open in the pool, "
        f"0 on the server, {len(resource_warnings)} resource warnings"
    )
    assert resource_warnings == []


async def test_cancelled_requests_release_their_connections(
    hostile: HostileServer, resource_warnings: list[str]
) -> None:
    """Requests whose answer never comes, cancelled while they wait for it."""

    async def handler(conn: Conn, request: Request) -> None:
        if "/v1/agents/" in request.path:
            await conn.stall()  # never answers
        else:
            await conn.respond_json(200, {"data": []})

    hostile.handler = handler
    n = 200
    async with Everruns(api_key="evr_pat_cancel", base_url=hostile.url) as client:
        tasks = [asyncio.create_task(client.agents.get(f"agent_{i}")) for i in range(n)]
        assert await async_wait_until(lambda: len(hostile.requests) == n)
        for task in tasks:
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        assert busy_connections(client) == []
        assert open_connections(client) == []
        assert await async_wait_until(lambda: hostile.open_connections == 0)
        # the pool is still usable
        assert await client.workspaces.list() == []
    assert resource_warnings == []


async def test_cancelled_during_retry_backoff_holds_no_connection(
    hostile: HostileServer, resource_warnings: list[str]
) -> None:
    asked = asyncio.Event()
    loop = asyncio.get_running_loop()

    async def handler(conn: Conn, request: Request) -> None:
        await conn.respond_problem(503)
        loop.call_soon_threadsafe(asked.set)

    hostile.handler = handler
    async with Everruns(api_key="evr_pat_cancel", base_url=hostile.url) as client:
        task = asyncio.ensure_future(client.agents.list())  # first backoff: ~0.5 s
        await asyncio.wait_for(asked.wait(), WAIT)
        await asyncio.sleep(0.05)  # now in the backoff sleep
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert busy_connections(client) == []
        assert len(hostile.requests) == 1  # no retry after the cancel
    assert await async_wait_until(lambda: hostile.open_connections == 0)
    assert resource_warnings == []


def test_sync_stream_stopped_from_another_thread_releases_its_connection(
    hostile: HostileServer, resource_warnings: list[str]
) -> None:
    """The blocking client cannot be cancelled; `stop()` from another thread is its way
    out of a read that waits for a silent server."""
    hostile.handler = one_event_then_silence
    with SyncEverruns(api_key="evr_pat_cancel", base_url=hostile.url) as client:
        stream = client.events.stream(SESSION_ID, idle_timeout=300)
        got = []
        first = threading.Event()

        def stop_after_first() -> None:
            first.wait(WAIT)
            # the reader is blocked on the socket (or about to be): stop() must end it
            stream.stop()

        stopper = threading.Thread(target=stop_after_first)
        stopper.start()
        with stream:
            for event in stream:
                got.append(event.id)
                first.set()
        stopper.join(WAIT)
        assert len(got) == 1
        assert busy_connections(client) == []
        assert wait_until(lambda: hostile.open_connections == 0)
        assert len(hostile.requests) == 1
    assert resource_warnings == []
