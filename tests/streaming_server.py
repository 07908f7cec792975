"""A tiny scriptable HTTP/1.1 server for event-stream tests, on 127.0.0.1:<free port>.

Raw asyncio rather than a framework, so that a test controls every byte and every
failure: an event cut in the middle, a connection aborted without the final chunk, a
half-open connection that stays silent, an error status with Retry-After. Responses
are chunked and keep-alive, so a clean end of a stream lets httpx reuse the connection.

A test supplies `handler(conn, request)`; the server records every request and tells
when a client goes away (`Conn.closed_by_client`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

SESSION_ID = "session_0123456789abcdef0123456789abcdef"


def event_id(n: int) -> str:
    return f"event_{n:032x}"


def make_event(n: int, type_: str = "test.tick") -> dict[str, Any]:
    """A well-formed event (the envelope of the API), number `n` of the session."""
    return {
        "id": event_id(n),
        "type": type_,
        "ts": "2025-01-01T00:00:00.000Z",
        "session_id": SESSION_ID,
        "sequence": n,
        "context": {},
        "data": {"n": n},
    }


def frame(event: dict[str, Any]) -> bytes:
    body = json.dumps(event, separators=(",", ":"))
    return f"event: {event['type']}\nid: {event['id']}\ndata: {body}\n\n".encode()


def connected_frame(retry_ms: int = 100) -> bytes:
    return f'event: connected\nretry: {retry_ms}\ndata: {{"status":"connected"}}\n\n'.encode()


def disconnecting_frame(retry_ms: int | None = 100) -> bytes:
    data: dict[str, Any] = {"reason": "connection_cycle"}
    if retry_ms is not None:
        data["retry_ms"] = retry_ms
    return f"event: disconnecting\ndata: {json.dumps(data)}\n\n".encode()


HEARTBEAT = b": heartbeat\n\n"


@dataclass
class Request:
    method: str
    path: str
    params: list[tuple[str, str]]
    headers: dict[str, str]
    conn: Conn

    def param(self, name: str) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return None

    def params_named(self, name: str) -> list[str]:
        return [value for key, value in self.params if key == name]


@dataclass
class Conn:
    """One TCP connection, seen from the server."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    buf: bytearray = field(default_factory=bytearray)
    data_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    closed_by_client: asyncio.Event = field(default_factory=asyncio.Event)
    streaming: bool = False
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

    async def _write(self, data: bytes) -> None:
        if self.writer.is_closing():
            return
        self.writer.write(data)
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.drain()

    async def respond(
        self,
        status: int,
        body: bytes = b"",
        *,
        content_type: str = "application/problem+json",
        headers: dict[str, str] | None = None,
    ) -> None:
        """A complete, non-streaming response (the connection stays open)."""
        lines = [
            f"HTTP/1.1 {status} X",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
            *(f"{k}: {v}" for k, v in (headers or {}).items()),
        ]
        await self._write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    async def respond_problem(self, status: int, headers: dict[str, str] | None = None) -> None:
        body = json.dumps({"title": f"status {status}", "status": status}).encode()
        await self.respond(status, body, headers=headers)

    async def start_stream(self, content_type: str = "text/event-stream") -> None:
        head = (
            "HTTP/1.1 200 OK\r\n"
            f"Content-Type: {content_type}\r\n"
            "Cache-Control: no-cache\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        await self._write(head.encode())
        self.streaming = True

    async def send(self, data: bytes) -> None:
        """One chunk of the streaming body."""
        if data:
            await self._write(b"%x\r\n%s\r\n" % (len(data), data))

    async def end(self) -> None:
        """A clean end of the streaming body (the connection may be reused)."""
        await self._write(b"0\r\n\r\n")
        self.streaming = False

    def abort(self) -> None:
        """Drop the connection at once, without the final chunk (an unexpected end)."""
        self.streaming = False
        self.writer.transport.abort()

    async def stall(self) -> None:
        """Half-open: say nothing more until the client goes away."""
        await self.closed_by_client.wait()


Handler = Callable[[Conn, Request], Awaitable[None]]


class StreamingServer:
    """`async with StreamingServer(handler) as server:`; `server.url` is the base URL."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.conns: list[Conn] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.url = ""

    async def __aenter__(self) -> StreamingServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api"
        return self

    async def __aexit__(self, *exc: object) -> None:
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
                url = urlsplit(target)
                headers = {}
                for line in header_lines:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                request = Request(
                    method, url.path, parse_qsl(url.query, keep_blank_values=True), headers, conn
                )
                self.requests.append(request)
                assert self.handler is not None
                await self.handler(conn, request)
                if conn.streaming:  # the handler left the body open: end it cleanly
                    await conn.end()
                if conn.writer.is_closing():
                    return
        except (ConnectionError, OSError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            conn.writer.transport.abort()

    @property
    def since_ids(self) -> list[str | None]:
        return [r.param("since_id") for r in self.requests]
