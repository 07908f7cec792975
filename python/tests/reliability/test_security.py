"""Security, end to end over loopback:

- the API key never appears in the repr/str of the client and its parts, in any
  exception text (str, repr, args, the whole `__cause__`/`__context__` chain, the
  formatted traceback) or in any log record at DEBUG, on 401/404/500, connection
  refused and reset, hostile servers that echo the key back (in the body, the request
  id, the reason phrase, a redirect URL, a broken status line or chunk header), for
  both clients, event streams included;
- a redirect to another origin never carries `Authorization` or `X-Org-Id`;
- path parameters cannot escape their segment, for every SDK method that takes an
  ID, a name or a file path (the whole surface is enumerated); `..` file-path segments
  are refused client-side;
- TLS certificates are verified by default; turning that off takes an explicit
  `http_client=httpx.AsyncClient(verify=...)` of the caller's.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import itertools
import logging
import os
import shutil
import socket
import ssl
import subprocess
import traceback
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, unquote

import httpx
import pytest
from hostile_server import Conn, HostileServer, Request
from reliability_support import (
    SECRET_FRAGMENT,
    SECRET_KEY,
    SleepRecorder,
    report,
    texts_of_exception,
)

from everruns_sdk import (
    APIConnectionError,
    ApiError,
    Everruns,
    EverrunsError,
    NotFoundError,
    SyncEverruns,
    ValidationError,
)
from everruns_sdk._sync.resources._base import SyncResource
from everruns_sdk._transport import parse_json
from everruns_sdk.resources._base import Resource
from everruns_sdk.testing import EverrunsEmulator

ORG = "org_secret_tenant"


def assert_clean(text: str, where: str) -> None:
    assert SECRET_KEY not in text, f"the API key leaked in {where}: {text[:300]!r}"
    assert SECRET_FRAGMENT not in text, f"part of the API key leaked in {where}: {text[:300]!r}"


def assert_exception_clean(exc: BaseException, where: str) -> None:
    for text in texts_of_exception(exc):
        assert_clean(text, f"{where}: exception text")
    assert_clean("".join(traceback.format_exception(exc)), f"{where}: formatted traceback")


def assert_logs_clean(records: list[logging.LogRecord], where: str) -> None:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in records:
        assert_clean(record.getMessage(), f"{where}: log message")
        assert_clean(str(record.msg), f"{where}: log msg")
        assert_clean(repr(record.args), f"{where}: log args")
        assert_clean(formatter.format(record), f"{where}: formatted log record")


# -- reprs -----------------------------------------------------------------------------------


def parts_of(client: Any) -> Iterator[tuple[str, Any]]:
    """The client and everything reachable from it by public attributes, plus its
    config, transport and httpx client."""
    yield "client", client
    yield "config", client.config
    yield "config.api_key", client.config.api_key
    yield "transport", client._transport
    yield "transport.config", client._transport.config
    yield "http client", client._transport.http
    yield "with_options", client.with_options(timeout=5, max_retries=1)
    todo = [("client", client)]
    while todo:
        name, obj = todo.pop()
        for attr in dir(type(obj)):
            if attr.startswith("_"):
                continue
            descriptor = getattr(type(obj), attr)
            if isinstance(descriptor, (functools.cached_property, property)):
                value = getattr(obj, attr)
                if isinstance(value, (Resource, SyncResource)):
                    yield f"{name}.{attr}", value
                    todo.append((f"{name}.{attr}", value))


async def test_key_not_in_any_repr(hostile: HostileServer) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.respond_json(200, {"data": [], "total": 0, "offset": 0, "limit": 20})

    hostile.handler = handler
    checked = 0
    async with Everruns(api_key=SECRET_KEY, base_url=hostile.url, org=ORG) as client:
        page = await client.sessions.list()
        stream = client.events.stream("session_1")
        for name, part in [*parts_of(client), ("page", page), ("stream", stream)]:
            assert_clean(repr(part), f"repr({name})")
            assert_clean(str(part), f"str({name})")
            checked += 1
        await stream.aclose()
    with SyncEverruns(api_key=SECRET_KEY, base_url=hostile.url, org=ORG) as sync_client:
        sync_page = sync_client.sessions.list()
        sync_stream = sync_client.events.stream("session_1")
        for name, part in [*parts_of(sync_client), ("page", sync_page), ("stream", sync_stream)]:
            assert_clean(repr(part), f"repr(sync {name})")
            assert_clean(str(part), f"str(sync {name})")
            checked += 1
        sync_stream.close()
    assert checked > 30
    report(f"security: key absent from the repr/str of {checked} client parts (async + sync)")


# -- exceptions and logs ------------------------------------------------------------------------


async def echo_everywhere(conn: Conn, request: Request) -> None:
    """A hostile server that echoes the Authorization header back wherever it can."""
    key = request.headers.get("authorization", "")
    segments = request.path.split("/")
    scenario = segments[-2] if segments[-1] == "sse" else segments[-1]
    if scenario.startswith("status-"):
        status = int(scenario.removeprefix("status-"))
        body = {"title": key, "detail": f"bad token {key}", "code": key, "instance": key}
        await conn.respond_json(status, body, headers={"X-Request-Id": key, "Retry-After": "0"})
    elif scenario == "html":
        await conn.respond(500, f"<html><body>{key}</body></html>", content_type="text/html")
    elif scenario == "text":
        await conn.respond(400, f"token {key} rejected", content_type="text/plain")
    elif scenario == "reason":
        await conn.respond(403, b"", content_type="", reason=f"Forbidden for {key}")
    elif scenario == "redirect":
        await conn.respond(302, b"", headers={"Location": f"/api/v1/landing?token={key}"})
    elif scenario == "landing":
        await conn.respond_problem(404, detail="no landing")
    elif scenario == "bad-status-line":
        await conn.write(b"HTTP/1.1 2x0 " + key.encode() + b"\r\n\r\n")
        conn.close()
    elif scenario == "bad-header-line":
        await conn.write(b"HTTP/1.1 200 OK\r\nX-Token " + key.encode() + b"\r\n\r\n")
        conn.close()
    elif scenario == "bad-chunk":  # a chunked body whose chunk header is the key
        await conn.start_stream()
        await conn.write(key.encode() + b"\r\n")
        conn.close()
    elif scenario == "event-type":  # an event whose type is the key
        await conn.start_stream()
        await conn.send(f'event: {key}\nid: {key}\ndata: {{"type":"{key}","id":5}}\n\n'.encode())
        await conn.end()
    elif scenario == "reset":
        conn.abort()
    else:
        await conn.respond_problem(404)


SCENARIOS = [
    "status-401",
    "status-404",
    "status-500",
    "html",
    "text",
    "reason",
    "redirect",
    "bad-status-line",
    "bad-header-line",
    "bad-chunk",
    "event-type",
    "reset",
]


def refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"  # nothing listens there any more


async def async_failures(base_url: str, scenario: str) -> list[BaseException]:
    """The exceptions of a regular request and of an event stream, for `scenario`."""
    errors: list[BaseException] = []
    async with Everruns(api_key=SECRET_KEY, base_url=base_url, org=ORG, max_retries=0) as c:
        resource = Resource(c)
        try:
            path = {"scenario": scenario}
            parse_json(await resource._request("GET", "/v1/echo/{scenario}", path=path))
        except EverrunsError as exc:
            errors.append(exc)
        for max_retries in (0, 2):  # with retries, each failure is logged first
            try:
                async with c.events.stream(scenario, max_retries=max_retries) as stream:
                    async for _event in stream:
                        pass
            except EverrunsError as exc:
                errors.append(exc)
    return errors


def sync_failures(base_url: str, scenario: str) -> list[BaseException]:
    errors: list[BaseException] = []
    with SyncEverruns(api_key=SECRET_KEY, base_url=base_url, org=ORG, max_retries=0) as c:
        try:
            path = {"scenario": scenario}
            parse_json(SyncResource(c)._request("GET", "/v1/echo/{scenario}", path=path))
        except EverrunsError as exc:
            errors.append(exc)
        try:
            with c.events.stream(scenario, max_retries=0) as stream:
                for _event in stream:
                    pass
        except EverrunsError as exc:
            errors.append(exc)
    return errors


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_key_not_in_exceptions_or_debug_logs(
    hostile: HostileServer,
    caplog: pytest.LogCaptureFixture,
    sleeps: SleepRecorder,
    scenario: str,
) -> None:
    hostile.handler = echo_everywhere
    caplog.set_level(logging.DEBUG, logger="everruns_sdk")
    errors = [
        *await async_failures(hostile.url, scenario),
        *await asyncio.to_thread(sync_failures, hostile.url, scenario),
    ]
    assert len(errors) == 5, errors  # request + stream(s), async + sync: all failed
    # the server did get the key (it echoed it): the test is not vacuous
    assert any(r.headers.get("authorization") == SECRET_KEY for r in hostile.requests)
    for exc in errors:
        assert_exception_clean(exc, f"{scenario} {type(exc).__name__}")
    assert_logs_clean(caplog.records, scenario)


async def test_key_not_in_exceptions_or_logs_when_refused(
    caplog: pytest.LogCaptureFixture, sleeps: SleepRecorder
) -> None:
    caplog.set_level(logging.DEBUG, logger="everruns_sdk")
    url = refused_url()
    errors = [
        *await async_failures(url, "refused"),
        *await asyncio.to_thread(sync_failures, url, "refused"),
    ]
    assert len(errors) == 5
    assert all(isinstance(e, APIConnectionError) for e in errors)
    for exc in errors:
        assert_exception_clean(exc, f"refused {type(exc).__name__}")
    assert_logs_clean(caplog.records, "refused")


async def test_key_not_in_exceptions_or_logs_from_the_local_server(
    everruns_emulator: EverrunsEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    """401 (a key the server does not know), then 404 and an injected 500 (a known key),
    on requests and streams, async and sync."""
    caplog.set_level(logging.DEBUG, logger="everruns_sdk")
    emu = everruns_emulator
    missing = "session_" + "0" * 32

    async def run_async() -> list[BaseException]:
        errors: list[BaseException] = []
        async with Everruns(api_key=SECRET_KEY, base_url=emu.url, max_retries=0) as c:
            for call in (c.agents.list(), c.agents.get(missing), c.sessions.get(missing)):
                with pytest.raises(ApiError) as info:
                    await call
                errors.append(info.value)
            with pytest.raises(ApiError) as info:
                async for _event in c.events.stream(missing):
                    pass
            errors.append(info.value)
        return errors

    def run_sync() -> list[BaseException]:
        errors: list[BaseException] = []
        with SyncEverruns(api_key=SECRET_KEY, base_url=emu.url, max_retries=0) as c:
            for call in (
                c.agents.list,
                lambda: c.agents.get(missing),
                lambda: c.sessions.get(missing),
            ):
                with pytest.raises(ApiError) as info:
                    call()
                errors.append(info.value)
            with pytest.raises(ApiError) as info, c.events.stream(missing) as stream:
                for _event in stream:
                    pass
            errors.append(info.value)
        return errors

    errors = [*await run_async(), *await asyncio.to_thread(run_sync)]  # unknown key: 401s
    emu.state.config.api_keys.add(SECRET_KEY)  # now a known key: 404s and a 500
    emu.faults.error(500, "/v1/agents", times=2)
    try:
        errors += [*await run_async(), *await asyncio.to_thread(run_sync)]
    finally:
        emu.state.config.api_keys.discard(SECRET_KEY)
    statuses = sorted(e.status_code for e in errors)  # type: ignore[attr-defined]
    assert statuses == [401] * 8 + [404] * 6 + [500] * 2
    for exc in errors:
        assert_exception_clean(exc, f"local server {exc!r}")
    assert_logs_clean(caplog.records, "local server")


# -- redirects ------------------------------------------------------------------------------------


@pytest.fixture
def other_origin() -> Iterator[HostileServer]:
    """A second server on another port: another origin, which records what it gets."""

    async def handler(conn: Conn, request: Request) -> None:
        if request.path.endswith("/sse"):
            await conn.respond_problem(404, detail="no such session here")
        else:
            await conn.respond_json(200, {"data": [], "total": 0, "offset": 0, "limit": 20})

    with HostileServer(handler) as server:
        yield server


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_to_another_origin_drops_credentials(
    hostile: HostileServer, other_origin: HostileServer, status: int
) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.respond(status, b"", headers={"Location": other_origin.origin + request.target})

    hostile.handler = handler
    async with Everruns(api_key=SECRET_KEY, base_url=hostile.url, org=ORG) as client:
        await client.sessions.list()
        with pytest.raises(EverrunsError):  # not a Message: the request is what counts
            await client.messages.create("session_1", "hello")
        with pytest.raises(NotFoundError):
            async for _event in client.events.stream("session_1"):
                pass

    def sync_calls() -> None:
        with SyncEverruns(api_key=SECRET_KEY, base_url=hostile.url, org=ORG) as client:
            client.sessions.list()
            with pytest.raises(NotFoundError), client.events.stream("session_1") as stream:
                for _event in stream:
                    pass

    await asyncio.to_thread(sync_calls)
    # the first hop carried the credentials; the other origin never saw them
    assert all(r.headers.get("authorization") == SECRET_KEY for r in hostile.requests)
    assert all(r.headers.get("x-org-id") == ORG for r in hostile.requests)
    assert len(other_origin.requests) == 5
    for request in other_origin.requests:
        assert "authorization" not in request.headers, request.target
        assert "x-org-id" not in request.headers, request.target
        assert_clean(repr(request.headers), "headers sent to another origin")


async def test_same_origin_redirect_keeps_credentials(hostile: HostileServer) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        if request.path.endswith("/moved"):
            await conn.respond_json(200, {"data": []})
        else:
            await conn.respond(307, b"", headers={"Location": "/api/v1/moved"})

    hostile.handler = handler
    async with Everruns(api_key=SECRET_KEY, base_url=hostile.url, org=ORG) as client:
        await client.workspaces.list()
    assert [r.path for r in hostile.requests] == ["/api/v1/workspaces", "/api/v1/moved"]
    assert all(r.headers.get("authorization") == SECRET_KEY for r in hostile.requests)
    assert all(r.headers.get("x-org-id") == ORG for r in hostile.requests)


# -- path parameters -------------------------------------------------------------------------------

#: Requests seen by the catch-all server, by their X-Probe header.
by_probe: dict[str, list[Request]] = {}

HOSTILE_IDS = [
    "../x",
    "a/b",
    "x?y",
    "x#y",
    "x%2Fy",
    " a b ",
    "a\r\nb",
    "..",
    ".",
    "%2e%2e",
    "a;b=c&d",
    "x\\y",
    "é/ü",
    "a\x00b",
]
# File paths keep "/" between segments; every segment is encoded on its own.
FILE_PATHS = ["dir/a b.txt", "x?y/z#w", "a%2Fb/c", "/lead/trail/", "é/ü/%2e%2e", "one"]
# ...and any ".." or "." segment (or an empty one) is refused before anything is sent.
BAD_FILE_PATHS = ["../etc/passwd", "a/../../b", "./a", "a/.", "..", "a//b"]

FILE_PARAMS = frozenset({"path", "src_path", "dst_path"})
NO_REQUEST = frozenset({"generate_id", "tool_result", "tool_error"})
NOT_OFFERED_MODULES = ("_compat.not_offered", "_compat.unsupported")
DUMMIES: dict[str, Any] = {
    "system_prompt": "Be brief.",
    "content": "hello",
    "text": "---\nname: x\n---\nBe brief.",
    "pattern": "needle",
    "results": [{"tool_call_id": "call_1", "result": 1}],
    "file": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    "destination": os.devnull,  # a download's target file
}
SESSION_JSON = {
    "id": "session_" + "1" * 32,
    "workspace_id": "wsp_" + "2" * 32,
    "harness_id": "harness_" + "3" * 32,
    "organization_id": "org_1",
    "owner_principal_id": "user_1",
    "status": "idle",
    "created_at": "2025-01-01T00:00:00Z",
    "updated_at": "2025-01-01T00:00:00Z",
}


async def catch_all(conn: Conn, request: Request) -> None:
    """Answers a session lookup (so session file helpers reach their second request),
    404 to everything else."""
    segments = request.path.split("/")
    if request.method == "GET" and len(segments) == 5 and segments[3] == "sessions":
        await conn.respond_json(200, SESSION_JSON)
    else:
        await conn.respond_problem(404, detail="recorded")


def surface(client: Everruns) -> list[tuple[str, Callable[..., Any]]]:
    """Every public method of every sub-client (nested ones too), once each."""
    found: dict[Any, tuple[str, Callable[..., Any]]] = {}

    def walk(obj: Any, prefix: str) -> None:
        for attr in sorted(dir(type(obj))):
            if attr.startswith("_"):
                continue
            descriptor = getattr(type(obj), attr)
            name = f"{prefix}.{attr}" if prefix else attr
            if isinstance(descriptor, (functools.cached_property, property)):
                value = getattr(obj, attr)
                if isinstance(value, Resource):
                    walk(value, name)
            elif isinstance(obj, Resource) and callable(descriptor) and attr not in NO_REQUEST:
                if getattr(descriptor, "__module__", "").endswith(NOT_OFFERED_MODULES):
                    continue  # 0.3.x methods without an endpoint: they raise, send nothing
                found.setdefault(descriptor, (name, getattr(obj, attr)))

    walk(client, "")
    return sorted(found.values())


def id_like(name: str) -> bool:
    return name.endswith("_id") or name in ("id", "name")


async def invoke(method: Callable[..., Any], kwargs: dict[str, Any]) -> BaseException | None:
    """Call an SDK method to completion; return the error it raised (EverrunsError)."""
    try:
        result = method(**kwargs)
        if inspect.isawaitable(result):
            result = await result
        if hasattr(result, "__aiter__"):
            async for _item in result:
                break
            if hasattr(result, "aclose"):
                await result.aclose()
    except EverrunsError as exc:
        return exc
    return None


def arguments(method: Callable[..., Any], ids: dict[str, str], file_path: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for param in inspect.signature(method).parameters.values():
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        if param.kind is param.POSITIONAL_ONLY and param.default is not param.empty:
            continue  # an optional 0.3.x positional (sessions.create's harness_id)
        if param.name == "text" and "content" in kwargs:
            continue  # messages.create: `text=` is the 0.3.x spelling of `content`
        if param.name in FILE_PARAMS:
            kwargs[param.name] = file_path
        elif id_like(param.name):
            kwargs[param.name] = ids[param.name]
        elif param.name in DUMMIES:  # required, or optional but needed (content)
            kwargs[param.name] = DUMMIES[param.name]
        elif param.default is param.empty:
            raise AssertionError(f"no dummy value for required {param.name!r} of {method}")
    return kwargs


@pytest.fixture
async def fresh_client(hostile: HostileServer) -> AsyncIterator[Callable[[str], Everruns]]:
    """`make(probe)`: a new client (no cached lookups from earlier calls) on one shared
    connection pool, whose requests carry `X-Probe: <probe>` so that concurrent checks
    can tell their requests apart on the server."""

    async def handler(conn: Conn, request: Request) -> None:
        by_probe.setdefault(request.headers.get("x-probe", ""), []).append(request)
        await catch_all(conn, request)

    hostile.handler = handler
    async with httpx.AsyncClient() as http:

        def make(probe: str) -> Everruns:
            return Everruns(
                api_key="evr_pat_p",
                base_url=hostile.url,
                max_retries=0,
                http_client=http,
                default_headers={"X-Probe": probe},
            )

        yield make


def resolve(client: Everruns, dotted: str) -> Callable[..., Any]:
    target: Any = client
    for attr in dotted.split("."):
        target = getattr(target, attr)
    return cast("Callable[..., Any]", target)


def compare(
    benign: list[Request], hostile: list[Request], markers: dict[str, str]
) -> tuple[int, int]:
    """Check that `hostile` requests are `benign` ones with each marker segment (or query
    value) replaced by exactly the hostile value; return (segments, query values) checked."""
    assert [r.method for r in hostile] == [r.method for r in benign]
    segments = queries = 0
    for good, bad in zip(benign, hostile, strict=True):
        good_segments, bad_segments = good.path.split("/"), bad.path.split("/")
        assert len(bad_segments) == len(good_segments), (good.path, bad.path)
        for g, b in zip(good_segments, bad_segments, strict=True):
            if g in markers:
                assert unquote(b) == markers[g], (g, b, bad.path)
                assert "/" not in b and "?" not in b and "#" not in b
                segments += 1
            else:
                assert b == g, (good.path, bad.path)
        good_query = parse_qsl(good.target.partition("?")[2], keep_blank_values=True)
        bad_query = parse_qsl(bad.target.partition("?")[2], keep_blank_values=True)
        assert [k for k, _ in bad_query] == [k for k, _ in good_query]
        for (_, g), (_, b) in zip(good_query, bad_query, strict=True):
            if g in markers:
                assert b == markers[g], (g, b)
                queries += 1
    return segments, queries


@dataclass
class PathFigures:
    methods: int = 0
    segments: int = 0
    queries: int = 0
    refused: int = 0
    url_params: set[tuple[str, str]] = field(default_factory=set)


async def check_method(name: str, make: Callable[[str], Everruns], figures: PathFigures) -> None:
    """Every hostile value through one SDK method: compare what reaches the server with
    what a benign call with marker values sends."""
    probes = itertools.count()

    async def sent_by(ids: dict[str, str], path: str) -> tuple[Any, list[Request]]:
        probe = f"{name}:{next(probes)}"
        method = resolve(make(probe), name)
        error = await invoke(method, arguments(method, ids, path))
        return error, by_probe.pop(probe, [])

    signature = inspect.signature(resolve(make("-"), name)).parameters
    params = [p for p in signature if id_like(p)]
    has_file = any(p in FILE_PARAMS for p in signature)
    if not params and not has_file:
        return
    figures.methods += 1
    benign_by_shape: dict[int, list[Request]] = {}
    for round_, value in enumerate(HOSTILE_IDS):
        file_path = FILE_PATHS[round_ % len(FILE_PATHS)]
        parts = [p for p in file_path.split("/") if p]
        marker_parts = [f"p{i}x" for i in range(len(parts))]
        markers = {f"m{i}x": value for i in range(len(params))}
        markers.update(dict(zip(marker_parts, parts, strict=True)))
        benign_ids = {p: f"m{i}x" for i, p in enumerate(params)}
        if len(parts) not in benign_by_shape:
            _, benign_by_shape[len(parts)] = await sent_by(benign_ids, "/".join(marker_parts))
        benign = benign_by_shape[len(parts)]
        error, bad = await sent_by(dict.fromkeys(params, value), file_path)
        if isinstance(error, ValidationError):
            # refused client-side: a dot segment, or a name that must be a slug
            assert bad == [], f"{name} sent a request and raised {error!r}"
            assert value in (".", "..") or "name" in params, f"{name} refused {value!r}: {error}"
            figures.refused += 1
            continue
        try:
            segments, queries = compare(benign, bad, markers)
        except AssertionError as exc:
            raise AssertionError(f"{name} with {value!r} / {file_path!r}: {exc}") from exc
        figures.segments += segments
        figures.queries += queries
        for request in benign:
            for segment in request.path.split("/"):
                if segment in benign_ids.values():
                    figures.url_params.add((name, segment))
    if has_file:
        for bad_path in BAD_FILE_PATHS:
            error, sent = await sent_by(dict.fromkeys(params, "ok"), bad_path)
            assert isinstance(error, ValidationError), (
                f"{name} accepted the file path {bad_path!r}: {error!r}"
            )
            # at most the session lookup of the session file helpers went out
            assert all("fs" not in r.path.split("/") for r in sent), name
            figures.refused += 1


async def test_path_parameters_stay_in_their_segment_across_the_sdk(
    hostile: HostileServer, fresh_client: Callable[[str], Everruns]
) -> None:
    names = [name for name, _ in surface(fresh_client("-"))]
    assert len(names) > 90, names
    figures = PathFigures()
    for name in names:  # one at a time: faster than concurrently (a small pool)
        await check_method(name, fresh_client, figures)
    report(
        f"paths: {figures.methods} SDK methods taking IDs/names/file paths (of {len(names)}) "
        f"x {len(HOSTILE_IDS)} hostile values: {figures.segments} path segments and "
        f"{figures.queries} query values checked on the wire, {len(figures.url_params)} "
        f"(method, URL parameter) pairs, {figures.refused} refusals (ValidationError, "
        "nothing sent)"
    )
    assert figures.segments > 1000
    assert len(figures.url_params) > 80


# -- TLS -------------------------------------------------------------------------------------------


def verify_mode(client: Everruns | SyncEverruns) -> tuple[ssl.VerifyMode, bool]:
    context = client._transport.http._transport._pool._ssl_context
    return context.verify_mode, context.check_hostname


@pytest.mark.real_tls
async def test_tls_verification_is_on_by_default() -> None:
    async with Everruns(api_key=SECRET_KEY) as client:
        assert verify_mode(client) == (ssl.CERT_REQUIRED, True)
    with SyncEverruns(api_key=SECRET_KEY) as sync_client:
        assert verify_mode(sync_client) == (ssl.CERT_REQUIRED, True)


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (made by the openssl command line)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.mark.real_tls
async def test_self_signed_certificate_is_refused_unless_the_caller_opts_out(
    self_signed: tuple[Path, Path], sleeps: SleepRecorder
) -> None:
    cert, key = self_signed
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)

    async def handler(conn: Conn, request: Request) -> None:
        await conn.respond_json(200, {"data": []})

    with HostileServer(handler, ssl_context=server_context) as server:
        assert server.url.startswith("https://")
        async with Everruns(api_key=SECRET_KEY, base_url=server.url) as client:
            with pytest.raises(APIConnectionError) as info:
                await client.workspaces.list()
            assert "CERTIFICATE_VERIFY_FAILED" in repr(info.value.__cause__)
            assert_exception_clean(info.value, "TLS failure")

        def sync_refused() -> None:
            with (
                SyncEverruns(api_key=SECRET_KEY, base_url=server.url) as sync_client,
                pytest.raises(APIConnectionError),
            ):
                sync_client.workspaces.list()

        await asyncio.to_thread(sync_refused)
        assert server.requests == []  # no request (and no key) ever went over the wire
        # Trusting a private CA (or, worse, verify=False) is the caller's explicit choice,
        # made on an httpx client they pass in (and close themselves).
        trusted = ssl.create_default_context(cafile=str(cert))
        async with (
            httpx.AsyncClient(verify=trusted) as http,
            Everruns(api_key=SECRET_KEY, base_url=server.url, http_client=http) as client,
        ):
            assert await client.workspaces.list() == []
        async with (
            httpx.AsyncClient(verify=False) as insecure,
            Everruns(api_key=SECRET_KEY, base_url=server.url, http_client=insecure) as client,
        ):
            assert await client.workspaces.list() == []
        assert len(server.requests) == 2
