"""A raw, scriptable HTTP/1.1 server on 127.0.0.1 that runs in its own thread.

Like tests/streaming_server.py (raw asyncio, so a test controls every byte and every
failure), but:

- it runs its event loop in a background thread, so the blocking client
  (`SyncEverruns`) can talk to it as well as the async one;
- it reads request bodies (Content-Length or chunked), so POST/PUT/PATCH requests can
  share a keep-alive connection;
- it keeps the raw request target (still percent-encoded), for path-safety checks;
- it counts the connections that are open on the server side.

A test supplies `handler(conn, request)`, an `async def` that runs in the server's
loop. An exception in a handler is recorded in `server.errors` (and the connection is
dropped), so tests can assert that the server itself behaved.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
import struct
import threading
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl

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


@dataclass
class Request:
    method: str
    target: str  # as sent on the request line: raw path (percent-encoded) + query
    headers: dict[str, str]
    body: bytes
    conn: Conn

    @property
    def path(self) -> str:
        """The raw (still percent-encoded) path."""
        return self.target.split("?", 1)[0]

    @property
    def params(self) -> list[tuple[str, str]]:
        _, _, query = self.target.partition("?")
        return parse_qsl(query, keep_blank_values=True)

    def param(self, name: str) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return None

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Conn:
    """One TCP connection, seen from the server."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    buf: bytearray = field(default_factory=bytearray)
    data_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    closed_by_client: asyncio.Event = field(default_factory=asyncio.Event)
    streaming: bool = False
    finished: bool = False  # the server is done with this connection (closed it)
    pump: asyncio.Task[None] | None = None

    async def _pump(self) -> None:
        try:
            while True:
                data = await self.reader.read(65536)
                if not data:
                    break
                self.buf += data
                self.data_arrived.set()
        except (ConnectionError, OSError):
            pass
        finally:
            self.closed_by_client.set()
            self.data_arrived.set()

    async def read_until(self, sep: bytes) -> bytes | None:
        while True:
            i = self.buf.find(sep)
            if i >= 0:
                out = bytes(self.buf[:i])
                del self.buf[: i + len(sep)]
                return out
            if self.closed_by_client.is_set():
                return None
            self.data_arrived.clear()
            await self.data_arrived.wait()

    async def read_exactly(self, n: int) -> bytes | None:
        while len(self.buf) < n:
            if self.closed_by_client.is_set():
                return None
            self.data_arrived.clear()
            await self.data_arrived.wait()
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    async def _read_body(self, headers: dict[str, str]) -> bytes | None:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = bytearray()
            while True:
                size_line = await self.read_until(b"\r\n")
                if size_line is None:
                    return None
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    await self.read_until(b"\r\n")
                    return bytes(body)
                chunk = await self.read_exactly(size + 2)
                if chunk is None:
                    return None
                body += chunk[:-2]
        length = int(headers.get("content-length", "0") or "0")
        return await self.read_exactly(length) if length else b""

    async def write(self, data: bytes) -> None:
        """Raw bytes on the socket (for hand-made, possibly broken, responses)."""
        if self.writer.is_closing():
            return
        self.writer.write(data)
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.drain()

    async def respond(
        self,
        status: int,
        body: bytes | str = b"",
        *,
        content_type: str = "application/problem+json",
        headers: dict[str, str] | None = None,
        reason: str | None = None,
    ) -> None:
        """A complete, non-streaming response (the connection stays open)."""
        if isinstance(body, str):
            body = body.encode()
        lines = [
            f"HTTP/1.1 {status} {REASONS.get(status, 'X') if reason is None else reason}",
            f"Content-Length: {len(body)}",
            *(f"{k}: {v}" for k, v in (headers or {}).items()),
        ]
        if content_type:
            lines.insert(1, f"Content-Type: {content_type}")
        await self.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    async def respond_json(self, status: int, data: Any, **kwargs: Any) -> None:
        kwargs.setdefault("content_type", "application/json")
        await self.respond(status, json.dumps(data).encode(), **kwargs)

    async def respond_problem(
        self, status: int, headers: dict[str, str] | None = None, **fields: Any
    ) -> None:
        problem = {"title": f"status {status}", "status": status, **fields}
        await self.respond(status, json.dumps(problem).encode(), headers=headers)

    async def start_stream(
        self, content_type: str = "text/event-stream", headers: dict[str, str] | None = None
    ) -> None:
        head = [
            "HTTP/1.1 200 OK",
            f"Content-Type: {content_type}",
            "Cache-Control: no-cache",
            "Transfer-Encoding: chunked",
            *(f"{k}: {v}" for k, v in (headers or {}).items()),
        ]
        await self.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        self.streaming = True

    async def send(self, data: bytes) -> None:
        """One chunk of the streaming body."""
        if data:
            await self.write(b"%x\r\n%s\r\n" % (len(data), data))

    async def end(self) -> None:
        """A clean end of the streaming body (the connection may be reused)."""
        await self.write(b"0\r\n\r\n")
        self.streaming = False

    def abort(self) -> None:
        """Drop the connection at once with a TCP reset (no final chunk, no FIN)."""
        self.streaming = False
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()

    def close(self) -> None:
        """Close the connection (FIN) after what was written."""
        self.streaming = False
        self.writer.close()

    async def stall(self) -> None:
        """Half-open: say nothing more until the client goes away."""
        await self.closed_by_client.wait()


Handler = Callable[[Conn, Request], Awaitable[None]]


async def not_found(conn: Conn, request: Request) -> None:
    await conn.respond_problem(404, detail="nothing here")


class HostileServer:
    """`with HostileServer(handler) as server:` (or `async with`); `server.url` is the
    base URL (`http://127.0.0.1:<port>/api`)."""

    def __init__(
        self, handler: Handler | None = None, *, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self.handler: Handler = handler or not_found
        self.ssl_context = ssl_context
        self.requests: list[Request] = []
        self.conns: list[Conn] = []
        self.errors: list[BaseException] = []
        self.url = ""
        self.origin = ""
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

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

    async def _shutdown(self) -> None:
        assert self._server is not None
        self._server.close()
        for conn in self.conns:
            conn.writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for conn in self.conns:
            if conn.pump is not None:
                conn.pump.cancel()
                with contextlib.suppress(BaseException):
                    await conn.pump
        await self._server.wait_closed()

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

    @property
    def since_ids(self) -> list[str | None]:
        return [r.param("since_id") for r in list(self.requests)]

    def reset_log(self) -> None:
        self.requests.clear()

    # -- serving --------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = Conn(reader, writer)
        conn.pump = asyncio.create_task(conn._pump())
        self.conns.append(conn)
        try:
            while True:
                head = await conn.read_until(b"\r\n\r\n")
                if head is None:
                    return
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                headers: dict[str, str] = {}
                for line in header_lines:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await conn._read_body(headers)
                if body is None:
                    return
                request = Request(method, target, headers, body, conn)
                self.requests.append(request)
                await self.handler(conn, request)
                if conn.streaming:  # the handler left the body open: end it cleanly
                    await conn.end()
                if conn.writer.is_closing():
                    return
        except (ConnectionError, OSError, asyncio.CancelledError):
            pass
        except Exception as exc:  # a bug in a test handler: make it visible
            self.errors.append(exc)
        finally:
            self._tasks.discard(task)
            conn.writer.transport.abort()
            conn.finished = True
            if conn.pump is not None:
                conn.pump.cancel()
