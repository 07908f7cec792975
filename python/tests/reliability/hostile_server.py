"""A raw, scriptable HTTP/1.1 server on 127.0.0.1 that runs in its own thread.

Built, like tests/streaming_server.py, on tests/http_test_server.py (raw asyncio, so a
test controls every byte and every failure; request bodies, Content-Length or chunked,
are read, so POST/PUT/PATCH requests can share a keep-alive connection; `request.path`
is the raw, still percent-encoded, target, for path-safety checks), but:

- it runs its event loop in a background thread, so the blocking client
  (`SyncEverruns`) can talk to it as well as the async one;
- it can serve TLS (`ssl_context`);
- it counts the connections that are open on the server side;
- responses carry real reason phrases, `Conn.abort()` is a TCP reset, and sockets
  have TCP_NODELAY.

A test supplies `handler(conn, request)`, an `async def` that runs in the server's
loop. An exception in a handler is recorded in `server.errors` (and the connection is
dropped), so tests can assert that the server itself behaved.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from http_test_server import Conn, Handler, RawHttpServer, Request

T = TypeVar("T")

REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request Timeout",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


async def not_found(conn: Conn, request: Request) -> None:
    await conn.respond_problem(404, detail="nothing here")


class HostileServer(RawHttpServer):
    """`with HostileServer(handler) as server:` (or `async with`); `server.url` is the
    base URL (`http://127.0.0.1:<port>/api`)."""

    reasons = REASONS
    reset_on_abort = True
    tcp_nodelay = True
    record_errors = True

    def __init__(
        self, handler: Handler | None = None, *, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        super().__init__(handler or not_found)
        self.ssl_context = ssl_context
        self.origin = ""
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # -- lifetime -------------------------------------------------------------------

    def start(self) -> HostileServer:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="hostile-server")
        self._thread.daemon = True
        self._thread.start()
        self._server = self.call(
            asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=2048, ssl=self.ssl_context)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        scheme = "https" if self.ssl_context is not None else "http"
        self.origin = f"{scheme}://127.0.0.1:{self.port}"
        self.url = self.origin + "/api"
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        with contextlib.suppress(Exception):
            self.call(self._shutdown(), timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        assert self._thread is not None
        self._thread.join(timeout=10)
        self._loop.close()
        self._loop = None

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> HostileServer:
        return await asyncio.to_thread(self.start)

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 10) -> T:
        """Run `coro` in the server's loop and wait for its result (from any thread)."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    # -- observations ---------------------------------------------------------------

    @property
    def open_connections(self) -> int:
        """TCP connections accepted and not yet closed on the server side."""
        return sum(1 for conn in list(self.conns) if not conn.finished)
