"""The raw HTTP/1.1 machinery shared by the scriptable test servers, on 127.0.0.1.

Raw asyncio rather than a framework, so that a test controls every byte and every
failure: an event cut in the middle, a connection aborted without the final chunk, a
half-open connection that stays silent, an error status with Retry-After. Responses
are keep-alive (streams are chunked), so a clean end lets httpx reuse the connection.

`RawHttpServer` parses requests (head and body: Content-Length or chunked), records
them, and hands each to `handler(conn, request)`; `Conn` is one TCP connection, with
the primitives a handler scripts a response with. Two servers build on it:
tests/streaming_server.py (in the test's own loop) and
tests/reliability/hostile_server.py (in a background thread); the class attributes of
`RawHttpServer` hold what differs between them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl


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
    reasons: dict[int, str] = field(default_factory=dict)  # status -> reason phrase ("X")
    reset_on_abort: bool = False  # `abort()` sends a TCP reset rather than a plain close
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
            f"HTTP/1.1 {status} {self.reasons.get(status, 'X') if reason is None else reason}",
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
        """Drop the connection at once, without the final chunk (an unexpected end);
        with `reset_on_abort`, as a TCP reset (no FIN)."""
        self.streaming = False
        sock = self.writer.get_extra_info("socket")
        if self.reset_on_abort and sock is not None:
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


class RawHttpServer:
    """Serves connections with `handler`, recording `requests` and `conns`. Subclasses
    start the listening socket (`self._server`, with `self._serve`) and stop it with
    `self._shutdown()`."""

    reasons: dict[int, str] = {}  # reason phrases of `Conn.respond` (else "X")
    reset_on_abort = False  # `Conn.abort()` sends a TCP reset
    tcp_nodelay = False  # accepted sockets get TCP_NODELAY
    record_errors = False  # a handler's exception goes to `errors` (else it propagates)

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.conns: list[Conn] = []
        self.errors: list[BaseException] = []
        self.url = ""
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def since_ids(self) -> list[str | None]:
        return [r.param("since_id") for r in list(self.requests)]

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

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        sock = writer.get_extra_info("socket")
        if self.tcp_nodelay and sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = Conn(reader, writer, reasons=self.reasons, reset_on_abort=self.reset_on_abort)
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
                assert self.handler is not None
                await self.handler(conn, request)
                if conn.streaming:  # the handler left the body open: end it cleanly
                    await conn.end()
                if conn.writer.is_closing():
                    return
        except (ConnectionError, OSError, asyncio.CancelledError):
            pass
        except Exception as exc:
            if not self.record_errors:
                raise
            self.errors.append(exc)  # a bug in a test handler: make it visible
        finally:
            self._tasks.discard(task)
            conn.writer.transport.abort()
            conn.finished = True
            if conn.pump is not None:
                conn.pump.cancel()
