"""Retries end to end: real SDK methods against the local server with injected faults.

- 429/500/502/503/connection reset on GET, PUT, DELETE (and a POST the SDK marks
  idempotent): retried until they succeed;
- POST/PATCH: retried only when the server says it did nothing (429, 503 with
  Retry-After); 500/502/reset raise at once, so `messages.create` never sends a message
  twice, even when the failure comes *after* the server processed it (a proxy in front
  of the local server lets the request through, then answers 500/502 or resets);
- Retry-After in seconds and as an HTTP date is what the SDK waits (every wait is
  recorded through `_aio.sleep`/`_syncio.sleep`, which are patched to skip it);
- `max_retries=0` raises on the first failure;
- 401/403/404 on an event stream raise at once instead of reconnecting.

Server-side counts (`emulator.count(...)`, the store) are the ground truth.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from hostile_server import Conn, HostileServer, Request
from reliability_support import WAIT, SleepRecorder, report

from everruns_sdk import (
    APIConnectionError,
    AuthenticationError,
    Everruns,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SyncEverruns,
)
from everruns_sdk._retry import exception_is_retryable, status_is_retryable
from everruns_sdk.testing import EverrunsEmulator

FAULT_KINDS = ["429", "500", "502", "503", "503+retry-after", "reset"]


@pytest.fixture
def emu(everruns_emulator: EverrunsEmulator) -> EverrunsEmulator:
    return everruns_emulator


@pytest.fixture
async def client(emu: EverrunsEmulator) -> AsyncIterator[Everruns]:
    async with Everruns(api_key=emu.api_key, base_url=emu.url, timeout=WAIT) as c:
        yield c


@pytest.fixture
def sync_client(emu: EverrunsEmulator) -> Iterator[SyncEverruns]:
    with SyncEverruns(api_key=emu.api_key, base_url=emu.url, timeout=WAIT) as c:
        yield c


def inject(emu: EverrunsEmulator, kind: str, method: str, path: str, times: int) -> None:
    faults = emu.faults
    if kind == "429":
        faults.rate_limit(path, method=method, retry_after=0, times=times)
    elif kind == "503+retry-after":
        faults.error(503, path, method=method, retry_after=0, times=times)
    elif kind == "reset":
        faults.reset_connection(path, method=method, times=times)
    else:
        faults.error(int(kind), path, method=method, html=kind == "502", times=times)


async def new_agent(client: Everruns, name: str = "retry-target") -> str:
    agent = await client.agents.create(name=name, system_prompt="Be brief.")
    return agent.id


# What each kind of request is, through which SDK method, and whether the SDK may
# repeat it. (name, HTTP method, path pattern, retried on every transient fault)
Call = Callable[[Everruns, dict[str, str]], Awaitable[Any]]
CALLS: list[tuple[str, str, str, bool, Call]] = [
    ("agents.get", "GET", "/v1/agents/*", True, lambda c, ids: c.agents.get(ids["agent"])),
    (
        "sessions.pin",
        "PUT",
        "/v1/sessions/*/pin",
        True,
        lambda c, ids: c.sessions.pin(ids["session"]),
    ),
    (
        "sessions.delete",
        "DELETE",
        "/v1/sessions/*",
        True,
        lambda c, ids: c.sessions.delete(ids["session"]),
    ),
    (
        "agents.apply (POST with client id)",
        "POST",
        "/v1/agents",
        True,
        lambda c, ids: c.agents.apply(ids["new_agent_id"], "applied", "Be brief."),
    ),
    (
        "sessions.create",
        "POST",
        "/v1/sessions",
        False,
        lambda c, ids: c.sessions.create(title="retry"),
    ),
    (
        "agents.update",
        "PATCH",
        "/v1/agents/*",
        False,
        lambda c, ids: c.agents.update(ids["agent"], description="patched"),
    ),
]


async def setup_ids(client: Everruns) -> dict[str, str]:
    session = await client.sessions.create(title="fixture")
    return {
        "agent": await new_agent(client),
        "session": session.id,
        "new_agent_id": client.agents.generate_id(),
    }


@pytest.mark.parametrize("kind", FAULT_KINDS)
@pytest.mark.parametrize(
    ("name", "method", "path", "safe", "call"), CALLS, ids=[c[0] for c in CALLS]
)
async def test_transient_faults_on_every_kind_of_request(
    emu: EverrunsEmulator,
    client: Everruns,
    sleeps: SleepRecorder,
    name: str,
    method: str,
    path: str,
    safe: bool,
    call: Call,
    kind: str,
) -> None:
    ids = await setup_ids(client)
    emu.clear_request_log()
    # 429 and 503 + Retry-After mean "not processed, come back": always retried.
    retried = safe or kind in ("429", "503+retry-after")
    inject(emu, kind, method, path, times=2)
    if retried:
        await call(client, ids)
        assert emu.count(method, path) == 3  # two faults, then the real answer
        assert len(sleeps.delays) == 2
    else:
        expected = APIConnectionError if kind == "reset" else InternalServerError
        with pytest.raises(expected):
            await call(client, ids)
        assert emu.count(method, path) == 1  # never repeated
        assert sleeps.delays == []


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_sync_get_succeeds_after_transient_faults(
    emu: EverrunsEmulator, sync_client: SyncEverruns, sleeps: SleepRecorder, kind: str
) -> None:
    agent = sync_client.agents.create(name="sync-target", system_prompt="Be brief.")
    emu.clear_request_log()
    inject(emu, kind, "GET", "/v1/agents/*", times=3)
    assert sync_client.agents.get(agent.id).id == agent.id
    assert emu.count("GET", "/v1/agents/*") == 4  # default max_retries=3: just enough
    assert len(sleeps.delays) == 3


@pytest.mark.parametrize("kind", ["500", "502", "503", "reset"])
def test_sync_post_is_not_repeated_on_ambiguous_failures(
    emu: EverrunsEmulator, sync_client: SyncEverruns, sleeps: SleepRecorder, kind: str
) -> None:
    session = sync_client.sessions.create(title="sync")
    emu.clear_request_log()
    inject(emu, kind, "POST", "/v1/sessions/*/messages", times=1)
    with pytest.raises((InternalServerError, APIConnectionError)):
        sync_client.messages.create(session.id, "hello")
    assert emu.count("POST", "/v1/sessions/*/messages") == 1
    assert sleeps.delays == []


# -- messages.create: never two messages --------------------------------------------------


def user_messages(emu: EverrunsEmulator, session_id: str) -> int:
    return sum(1 for m in emu.store.messages(session_id) if m["role"] == "user")


@pytest.mark.parametrize("kind", ["500", "502", "503", "reset"])
async def test_message_create_is_not_retried_when_the_failure_is_ambiguous(
    emu: EverrunsEmulator, client: Everruns, sleeps: SleepRecorder, kind: str
) -> None:
    """Failures before the server processed it: still not repeated (the client cannot
    know), so the message is sent at most once."""
    session = await client.sessions.create()
    inject(emu, kind, "POST", "/v1/sessions/*/messages", times=None)
    with pytest.raises((InternalServerError, APIConnectionError)):
        await client.messages.create(session.id, "hello")
    assert emu.count("POST", "/v1/sessions/*/messages") == 1
    assert user_messages(emu, session.id) == 0
    assert sleeps.delays == []


@pytest.mark.parametrize("kind", ["429", "503+retry-after"])
async def test_message_create_is_retried_when_the_server_says_so(
    emu: EverrunsEmulator, client: Everruns, sleeps: SleepRecorder, kind: str
) -> None:
    session = await client.sessions.create()
    inject(emu, kind, "POST", "/v1/sessions/*/messages", times=2)
    message = await client.messages.create(session.id, "hello")
    assert emu.count("POST", "/v1/sessions/*/messages") == 3
    assert user_messages(emu, session.id) == 1
    assert [m["id"] for m in emu.store.messages(session.id) if m["role"] == "user"] == [message.id]
    assert sleeps.delays == [0.0, 0.0]


class BreakingProxy:
    """Forwards every request to the local server; for the messages POST, lets the
    server process it and then throws the answer away: 500, 502 (HTML) or a reset."""

    def __init__(self, upstream: str, after_processing: str) -> None:
        self.upstream = upstream
        self.after_processing = after_processing
        self.http: httpx.AsyncClient | None = None

    async def handler(self, conn: Conn, request: Request) -> None:
        if self.http is None:
            self.http = httpx.AsyncClient(timeout=WAIT)
        headers = {k: v for k, v in request.headers.items() if k not in ("host",)}
        upstream = await self.http.request(
            request.method, self.upstream + request.target, headers=headers, content=request.body
        )
        if request.method == "POST" and request.path.endswith("/messages"):
            if self.after_processing == "reset":
                conn.abort()
                return
            if self.after_processing == "502":
                await conn.respond(502, "<HTML><BODY>Bad Gateway</BODY></HTML>", content_type="")
                return
            await conn.respond_problem(500, detail="processed, then failed")
            return
        await conn.respond(
            upstream.status_code,
            upstream.content,
            content_type=upstream.headers.get("content-type", ""),
        )


@pytest.mark.parametrize("after_processing", ["500", "502", "reset"])
async def test_message_create_failing_after_processing_creates_exactly_one(
    emu: EverrunsEmulator, hostile: HostileServer, sleeps: SleepRecorder, after_processing: str
) -> None:
    proxy = BreakingProxy(f"http://127.0.0.1:{emu.port}", after_processing)
    hostile.handler = proxy.handler
    async with Everruns(api_key=emu.api_key, base_url=hostile.url, timeout=WAIT) as client:
        session = await client.sessions.create()
        with pytest.raises((InternalServerError, APIConnectionError)):
            await client.messages.create(session.id, "hello")
        assert user_messages(emu, session.id) == 1  # processed once, never sent again
        assert emu.count("POST", "/v1/sessions/*/messages") == 1
        assert sleeps.delays == []
        # the client is still usable after the reset
        assert (await client.sessions.get(session.id)).id == session.id
    assert proxy.http is not None
    await hostile_call(hostile, proxy.http.aclose())


async def hostile_call(server: HostileServer, coro: Any) -> None:
    """Run `coro` in the hostile server's loop (where the proxy's client lives)."""
    await asyncio.to_thread(server.call, coro)


# -- Retry-After ----------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [7, 2.5])
async def test_retry_after_seconds_is_the_wait(
    emu: EverrunsEmulator, client: Everruns, sleeps: SleepRecorder, seconds: float
) -> None:
    agent_id = await new_agent(client)
    emu.faults.rate_limit("/v1/agents/*", method="GET", retry_after=seconds)
    await client.agents.get(agent_id)
    assert sleeps.delays == [seconds]


def test_retry_after_seconds_is_the_wait_sync(
    emu: EverrunsEmulator, sync_client: SyncEverruns, sleeps: SleepRecorder
) -> None:
    session = sync_client.sessions.create()
    emu.faults.rate_limit("/v1/sessions/*/messages", method="POST", retry_after=3)
    sync_client.messages.create(session.id, "hi")
    assert sleeps.delays == [3.0]
    assert user_messages(emu, session.id) == 1


@pytest.mark.parametrize(("delta", "low", "high"), [(20, 18.0, 21.0), (-30, 0.0, 0.0)])
async def test_retry_after_http_date_is_the_wait(
    hostile: HostileServer, sleeps: SleepRecorder, delta: float, low: float, high: float
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        if len(hostile.requests) == 1:
            when = email.utils.formatdate(time.time() + delta, usegmt=True)
            await conn.respond_problem(429, headers={"Retry-After": when})
        else:
            await conn.respond_json(200, {"data": []})

    hostile.handler = handler
    async with Everruns(api_key="evr_pat_x", base_url=hostile.url) as client:
        await client.agents.list()
    assert len(hostile.requests) == 2
    assert len(sleeps.delays) == 1
    # an HTTP date has one-second resolution: the wait is the remaining time, +-1 s
    assert low <= sleeps.delays[0] <= high


def test_retry_after_http_date_is_the_wait_sync(
    hostile: HostileServer, sleeps: SleepRecorder
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        if len(hostile.requests) == 1:
            when = email.utils.formatdate(time.time() + 20, usegmt=True)
            await conn.respond_problem(503, headers={"Retry-After": when})
        else:
            await conn.respond_json(200, {"data": []})

    hostile.handler = handler
    with SyncEverruns(api_key="evr_pat_x", base_url=hostile.url) as client:
        client.workspaces.list()
    assert len(sleeps.delays) == 1 and 18.0 <= sleeps.delays[0] <= 21.0


async def test_retry_after_beyond_the_cap_raises_instead_of_waiting(
    emu: EverrunsEmulator, client: Everruns, sleeps: SleepRecorder
) -> None:
    agent_id = await new_agent(client)
    emu.clear_request_log()
    emu.faults.rate_limit("/v1/agents/*", method="GET", retry_after=3600)
    with pytest.raises(RateLimitError) as info:
        await client.agents.get(agent_id)
    assert info.value.retry_after == 3600
    assert emu.count("GET", "/v1/agents/*") == 1
    assert sleeps.delays == []


# -- max_retries=0 ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", FAULT_KINDS)
async def test_max_retries_zero_raises_at_once(
    emu: EverrunsEmulator, sleeps: SleepRecorder, kind: str
) -> None:
    async with Everruns(api_key=emu.api_key, base_url=emu.url, max_retries=0) as client:
        agent_id = await new_agent(client)
        emu.clear_request_log()
        inject(emu, kind, "GET", "/v1/agents/*", times=1)
        expected = {"429": RateLimitError, "reset": APIConnectionError}.get(
            kind, InternalServerError
        )
        with pytest.raises(expected):
            await client.agents.get(agent_id)
        assert emu.count("GET", "/v1/agents/*") == 1
        assert sleeps.delays == []
        # and with_options(max_retries=...) turns retries back on for one call site
        inject(emu, kind, "GET", "/v1/agents/*", times=1)
        await client.with_options(max_retries=1).agents.get(agent_id)
        assert emu.count("GET", "/v1/agents/*") == 3


def test_max_retries_zero_raises_at_once_sync(emu: EverrunsEmulator, sleeps: SleepRecorder) -> None:
    with SyncEverruns(api_key=emu.api_key, base_url=emu.url, max_retries=0) as client:
        emu.faults.error(503, "/v1/sessions", method="GET")
        with pytest.raises(InternalServerError):
            client.sessions.list()
        assert emu.count("GET", "/v1/sessions") == 1
        assert sleeps.delays == []


# -- final statuses on a stream ---------------------------------------------------------------


async def session_with_events(client: Everruns, emu: EverrunsEmulator, n: int = 5) -> str:
    session = await client.sessions.create()
    for i in range(n):
        emu.emit_event(session.id, "test.tick", {"i": i})
    return session.id


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthenticationError), (403, PermissionDeniedError), (404, NotFoundError)],
)
async def test_stream_final_status_raises_at_once(
    emu: EverrunsEmulator, client: Everruns, status: int, error: type[Exception]
) -> None:
    session_id = await session_with_events(client, emu)
    emu.clear_request_log()
    if status == 401:
        target = Everruns(api_key="evr_pat_wrong", base_url=emu.url)
    else:
        target = client
        if status == 404:
            session_id = "session_" + "0" * 32
        else:
            emu.faults.error(403, "/v1/sessions/*/sse", times=None)
    with pytest.raises(error):
        async with target.events.stream(session_id) as stream:  # max_retries: unbounded
            async for _event in stream:
                pass
    assert emu.count("GET", "/v1/sessions/*/sse") == 1
    if target is not client:
        await target.close()


@pytest.mark.parametrize(
    ("status", "error"), [(401, AuthenticationError), (403, PermissionDeniedError)]
)
async def test_stream_final_status_on_reconnect_raises_at_once(
    emu: EverrunsEmulator,
    client: Everruns,
    sleeps: SleepRecorder,
    status: int,
    error: type[Exception],
) -> None:
    session_id = await session_with_events(client, emu)
    emu.clear_request_log()
    emu.faults.sse_cut(after_events=3)  # the first connection ends unexpectedly
    got = []
    with pytest.raises(error):
        async with client.events.stream(session_id) as stream:
            async for event in stream:
                got.append(event.id)
                if len(got) == 1:  # from now on the server refuses
                    emu.faults.error(status, "/v1/sessions/*/sse", times=None)
    assert len(got) == 3
    assert emu.count("GET", "/v1/sessions/*/sse") == 2
    # one backoff (1 s, minus up to 25 % jitter; slept in 0.1 s slices), then no more
    assert 0.74 <= sum(sleeps.delays) <= 1.0 + 1e-9


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthenticationError), (403, PermissionDeniedError), (404, NotFoundError)],
)
def test_stream_final_status_raises_at_once_sync(
    emu: EverrunsEmulator, sync_client: SyncEverruns, status: int, error: type[Exception]
) -> None:
    session = sync_client.sessions.create()
    emu.emit_event(session.id, "test.tick", {})
    emu.clear_request_log()
    emu.faults.error(status, "/v1/sessions/*/sse", times=None)
    with pytest.raises(error), sync_client.events.stream(session.id) as stream:
        for _event in stream:
            pass
    assert emu.count("GET", "/v1/sessions/*/sse") == 1


def _marked_parameters(test: Callable[..., Any]) -> list[tuple[str, list[Any]]]:
    """(argument names, values) of each `parametrize` mark of `test`."""
    return [
        (str(mark.args[0]), list(mark.args[1]))
        for mark in getattr(test, "pytestmark", [])
        if mark.name == "parametrize"
    ]


def test_summary_of_retry_matrix() -> None:
    """The matrix is what its summary line says, and its expectations are the SDK's
    retry rules: fails when the table and the rules (or the line) disagree."""
    marks = _marked_parameters(test_transient_faults_on_every_kind_of_request)
    assert sorted(len(values) for _, values in marks) == sorted([len(CALLS), len(FAULT_KINDS)])
    sync_kinds = _marked_parameters(test_sync_get_succeeds_after_transient_faults)
    assert sync_kinds == [("kind", FAULT_KINDS)]
    assert {method for _, method, *_ in CALLS} == {"GET", "PUT", "DELETE", "POST", "PATCH"}
    faults = {
        "429": (429, None),
        "500": (500, None),
        "502": (502, None),
        "503": (503, None),
        "503+retry-after": (503, 0.0),
    }
    assert set(FAULT_KINDS) == {*faults, "reset"}
    for name, method, _, safe, _ in CALLS:
        sent_as = "PUT" if "client id" in name else method  # idempotent=True
        for kind, (status, retry_after) in faults.items():
            expected = safe or kind in ("429", "503+retry-after")
            assert status_is_retryable(sent_as, status, retry_after) is expected, (name, kind)
        reset = httpx.ReadError("connection reset by peer")
        assert exception_is_retryable(sent_as, reset) is safe, name
        assert safe is (method not in ("POST", "PATCH") or sent_as == "PUT"), name
    kinds = len(FAULT_KINDS)
    report(
        f"retries: {len(CALLS)} request kinds x {kinds} faults (async), "
        f"{kinds} faults on GET (sync); POST/PATCH repeated only on 429 / 503+Retry-After"
    )
