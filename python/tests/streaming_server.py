"""A tiny scriptable HTTP/1.1 server for event-stream tests, on 127.0.0.1:<free port>,
in the test's own event loop, plus the SSE frames such tests send.

The connection and request machinery (raw asyncio, so a test controls every byte and
every failure) is tests/http_test_server.py. A test supplies `handler(conn, request)`;
the server records every request and tells when a client goes away
(`Conn.closed_by_client`). `Conn.abort()` drops the connection without the final
chunk, error responses carry the reason phrase "X", and a handler's exception
propagates (asyncio reports it).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from http_test_server import Conn as Conn  # re-exported: the tests' handlers take them
from http_test_server import RawHttpServer
from http_test_server import Request as Request

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


class StreamingServer(RawHttpServer):
    """`async with StreamingServer(handler) as server:`; `server.url` is the base URL."""

    async def __aenter__(self) -> StreamingServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._shutdown()
