"""The ASGI application: routes under ``/api`` plus the emulator middleware
(request IDs, request log, fault injection, authentication, problem details)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._control import CONTROL_PREFIX, control_routes
from ._faults import FaultRule
from ._ids import new_id
from ._problems import ApiError, problem_response
from ._state import RequestRecord, ServerState
from .routes import all_routes

__all__ = ["build_app"]

_FAULT_CODES = {
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


def _retry_after(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"


def _fault_response(rule: FaultRule) -> Response:
    headers = {}
    if rule.retry_after is not None:
        headers["Retry-After"] = _retry_after(rule.retry_after)
    if rule.html:
        phrase = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
        title = f"{rule.status} {phrase.get(rule.status, 'Error')}"
        page = (
            f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
            "</body>\r\n</html>\r\n"
        )
        return Response(page, status_code=rule.status, media_type="text/html", headers=headers)
    extra: dict[str, Any] = {}
    if rule.retry_after is not None:
        extra["retry_after_seconds"] = rule.retry_after
    code = rule.code or _FAULT_CODES.get(rule.status, "injected_fault")
    detail = rule.detail or ("Rate limit exceeded." if rule.status == 429 else "Injected fault.")
    if rule.legacy:
        body = json.dumps({"error": {"code": code, "message": detail}})
        return Response(body, rule.status, media_type="application/json", headers=headers)
    return problem_response(ApiError(rule.status, code, detail, headers=headers, extra=extra))


def _abort_for(receive: Receive) -> tuple[Callable[[], None], Callable[[], bool]]:
    """(abort, is_gone) for the connection behind ``receive`` (uvicorn's protocol cycle)."""
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)

    def abort() -> None:
        if not isinstance(transport, asyncio.Transport):
            raise RuntimeError("cannot reach the connection to reset it")
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):  # RST instead of FIN
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()

    def gone() -> bool:
        return bool(getattr(cycle, "disconnected", False))

    return abort, gone


def _mask(name: str, value: str, state: ServerState) -> str:
    """A header value for the log: the API key never appears in it."""
    if name != "authorization":
        return value
    for prefix in ("", "Bearer ", "bearer "):
        if value.startswith(prefix) and value[len(prefix) :] in state.config.api_keys:
            return prefix + "<api-key>"
    return "<redacted>" if value else ""


async def _read_ahead(receive: Receive, chunks: list[bytes]) -> Receive:
    """Read the whole request body into ``chunks`` (``record=True``, so that even a
    request answered by a fault is logged with its body) and return a ``receive``
    that hands the same body to the app."""
    pending: list[Message] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: tell the app so
            pending.append(message)
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            pending.append({"type": "http.request", "body": b"".join(chunks)})
            break

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


class EmulatorMiddleware:
    def __init__(self, app: ASGIApp, state: ServerState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = self.state
        if scope["path"].startswith(CONTROL_PREFIX + "/"):  # test hooks: no key, no faults
            await self.app(scope, receive, send)
            return
        headers = dict(
            (k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"]
        )
        request_id = headers.get("x-request-id") or new_id("req")
        method = scope["method"]
        path = scope["path"]
        api_path = path[4:] if path.startswith("/api/") else path
        query = scope.get("query_string", b"").decode("latin-1")
        logged = False
        recording = state.config.record
        read_ahead = recording or state.strict is not None
        chunks: list[bytes] | None = [] if read_ahead else None

        def log(status: int | None, fault: str | None = None) -> None:
            nonlocal logged
            if logged:
                return
            logged = True
            if chunks is None or not recording:
                state.record(RequestRecord(method, api_path, query, status, request_id, fault))
                return
            seen = tuple((k, _mask(k, v, state)) for k, v in headers.items())
            body = b"".join(chunks)
            raw = scope.get("raw_path") or path.encode()
            raw_path = raw.decode("latin-1").split("?", 1)[0]
            raw_path = raw_path[4:] if raw_path.startswith("/api/") else raw_path
            entry = RequestRecord(
                method, api_path, query, status, request_id, fault, seen, body, raw_path
            )
            state.record(entry)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-Id"] = request_id
                log(message["status"])
            await send(message)

        abort, gone = _abort_for(receive)
        if chunks is not None:
            receive = await _read_ahead(receive, chunks)
        scope["everruns.abort"] = abort
        try:
            faults = state.faults.take_http(method, api_path)
            if faults.delay:
                await asyncio.sleep(faults.delay)
                if gone():  # the client gave up meanwhile
                    log(None, "delay")
                    return
            rule = faults.response
            if rule is not None and rule.kind == "reset":
                log(None, "reset")
                abort()
                for _ in range(50):  # let uvicorn see the connection is gone
                    if gone():
                        break
                    await asyncio.sleep(0)
                return
            if rule is not None:
                log(rule.status, "status")
                await _fault_response(rule)(scope, receive, send_with_id)
                return
            key = headers.get("authorization", "")
            if key not in state.config.api_keys:
                if not key:
                    detail = "Missing Authorization header."
                elif key.lower().startswith("bearer "):
                    detail = "Invalid token: send the token itself, without a 'Bearer' prefix."
                else:
                    detail = "Invalid API token."
                error = ApiError(401, "unauthorized", detail)
                await problem_response(error, instance=path)(scope, receive, send_with_id)
                return
            operation = state.strict.operation(method, api_path) if state.strict else None
            if state.strict is not None and operation is not None:
                from ._strict import serve_strictly

                body = b"".join(chunks or ())
                await serve_strictly(
                    self.app, state.strict, operation, body, scope, receive, send_with_id
                )
                return
            await self.app(scope, receive, send_with_id)
        finally:
            log(None)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return problem_response(exc, instance=request.url.path)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    detail = {404: f"No route for {request.url.path}.", 405: "Method not allowed."}
    error = ApiError(
        exc.status_code,
        codes.get(exc.status_code, "http_error"),
        detail.get(exc.status_code, str(exc.detail)),
        headers=dict(exc.headers or {}),
    )
    return problem_response(error, instance=request.url.path)


async def _server_error(request: Request, exc: Exception) -> Response:
    error = ApiError(500, "internal_error", f"Internal error: {type(exc).__name__}: {exc}")
    return problem_response(error, instance=request.url.path)


def build_app(state: ServerState) -> ASGIApp:
    """The emulator's ASGI app over ``state``."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.loop = asyncio.get_running_loop()
        state.hub.bind(state.loop)
        try:
            yield
        finally:
            state.hub.close()
            await state.runner.shutdown()

    app = Starlette(
        routes=[*control_routes(state), Mount("/api", routes=all_routes())],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
        lifespan=lifespan,
    )
    app.state.everruns = state
    return EmulatorMiddleware(app, state)
