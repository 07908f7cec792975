"""The benchmark server: raw asyncio HTTP/1.1 on loopback, run as its own process.

    python -m benchmarks._server --max-events 100000 [--port 0] [--cpu 0]

Prints one JSON line (`{"port": ..., "event_bytes": ...}`) once it listens, then serves
until stdin closes or it is terminated. Routes (under `/api`):

- `GET /v1/sessions/{id}/sse`: `connected`, then the first n pre-rendered events, where
  n is encoded in the session ID (`_payloads.session_for`), after `since_id` if given;
  chunked, 64 KiB per chunk, then the connection closes.
- `GET /v1/agents/{id}`: an Agent (200). `POST /v1/sessions/{id}/messages`: a Message
  (201). Both keep the connection alive.

Every response carries `X-Request-Id`. Everything is rendered at start-up, so the server
spends its CPU on moving bytes, never on JSON; it stays far faster than any client.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import sys
from urllib.parse import parse_qs, urlsplit

from benchmarks import _payloads

CHUNK = 64 * 1024
_counter = itertools.count(1)


class Content:
    """The pre-rendered bodies."""

    def __init__(self, max_events: int) -> None:
        self.events, self.offsets = _payloads.render_events(max_events)
        self.view = memoryview(self.events)
        self.agent = _payloads.agent_json()
        self.message = _payloads.message_json()

    def span(self, count: int, since_id: str | None) -> tuple[int, int]:
        """Byte range of the events served to a stream of `count` events."""
        count = max(0, min(count, len(self.offsets)))
        end = self.offsets[count - 1] if count else 0
        start = 0
        index = _payloads.event_index(since_id) if since_id else None
        if index is not None and index >= 0:
            start = self.offsets[index] if index < count else end
        return start, end


def _head(status: str, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"x-request-id: req_{next(_counter):032x}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _json_response(status: str, body: bytes, *, close: bool) -> bytes:
    headers = [
        ("content-type", "application/json"),
        ("content-length", str(len(body))),
        ("connection", "close" if close else "keep-alive"),
    ]
    return _head(status, headers) + body


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if headers.get("transfer-encoding", "").lower() == "chunked":
        parts: list[bytes] = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await reader.readexactly(size + 2))
    length = int(headers.get("content-length", "0") or 0)
    return await reader.readexactly(length) if length else b""


async def _send_stream(
    writer: asyncio.StreamWriter, content: Content, count: int, since_id: str | None
) -> None:
    head = _head(
        "200 OK",
        [
            ("content-type", "text/event-stream"),
            ("cache-control", "no-cache"),
            ("transfer-encoding", "chunked"),
            ("connection", "close"),
        ],
    )
    first = _payloads.CONNECTED_FRAME
    writer.write(head + b"%x\r\n" % len(first) + first + b"\r\n")
    start, end = content.span(count, since_id)
    view = content.view
    for pos in range(start, end, CHUNK):
        piece = view[pos : min(pos + CHUNK, end)]
        writer.writelines((b"%x\r\n" % len(piece), piece, b"\r\n"))
        await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()


async def _handle(
    content: Content, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            try:
                raw = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                return
            request_line, *header_lines = raw.decode("latin-1").split("\r\n")
            method, target, _ = request_line.split(" ", 2)
            headers = {}
            for line in header_lines:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            await _read_body(reader, headers)
            url = urlsplit(target)
            parts = url.path.strip("/").split("/")
            close = headers.get("connection", "").lower() == "close"
            # parts: ["api", "v1", resource, id, (sub)]
            if method == "GET" and len(parts) == 5 and parts[2:5:2] == ["sessions", "sse"]:
                query = parse_qs(url.query)
                since = query.get("since_id", [None])[0]
                await _send_stream(writer, content, _payloads.count_of(parts[3]) or 0, since)
                return
            if method == "GET" and len(parts) == 4 and parts[2] == "agents":
                writer.write(_json_response("200 OK", content.agent, close=close))
            elif method == "POST" and len(parts) == 5 and parts[2:5:2] == ["sessions", "messages"]:
                writer.write(_json_response("201 Created", content.message, close=close))
            else:
                problem = json.dumps({"title": "Not Found", "status": 404}).encode()
                writer.write(_json_response("404 Not Found", problem, close=close))
            await writer.drain()
            if close:
                return
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _serve(content: Content, host: str, port: int) -> None:
    server = await asyncio.start_server(
        lambda r, w: _handle(content, r, w), host, port, backlog=1024, limit=1 << 20
    )
    bound = server.sockets[0].getsockname()[1]
    info = {
        "port": bound,
        "events": len(content.offsets),
        "event_bytes": round(len(content.events) / max(1, len(content.offsets)), 1),
    }
    print(json.dumps(info), flush=True)
    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    async with server:
        await stdin_closed  # the coordinator closes our stdin (or kills us) when done


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-events", type=int, default=100_000)
    parser.add_argument("--cpu", type=int, default=None, help="pin to this CPU")
    args = parser.parse_args(argv)
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {args.cpu})
    content = Content(args.max_events)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(content, args.host, args.port))


if __name__ == "__main__":
    main()
