"""EventStream's hot path over real HTTP: the SSE `event:` field picks the class, which
validates the raw data bytes; anything unusual (another `type` inside, invalid UTF-8,
frames in another shape, a gzip body) gives exactly what the general path gives."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from streaming_server import (
    SESSION_ID,
    Conn,
    Request,
    StreamingServer,
    connected_frame,
    event_id,
)

from everruns_sdk._config import ClientConfig, Secret
from everruns_sdk._transport import Transport
from everruns_sdk.streaming._stream import EventStream
from everruns_sdk.types.events import (
    Event,
    OutputMessageDeltaEvent,
    TurnStartedEvent,
    UnknownEvent,
)

PATH = f"/v1/sessions/{SESSION_ID}/sse"
WAIT = 10.0


@pytest.fixture
async def server() -> AsyncIterator[StreamingServer]:
    async with StreamingServer() as s:
        yield s


@pytest.fixture
async def transport(server: StreamingServer) -> AsyncIterator[Transport]:
    t = Transport(ClientConfig(api_key=Secret("evr_pat_test0123"), base_url=server.url))
    yield t
    await t.aclose()


def delta(n: int, text: str = "He", type_: str = "output.message.delta") -> dict[str, Any]:
    return {
        "id": event_id(n),
        "type": type_,
        "ts": "2026-05-25T10:00:00.123Z",
        "session_id": SESSION_ID,
        "sequence": n,
        "data": {"turn_id": "turn_1", "delta": text, "accumulated": text},
    }


def body(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode()


async def collect(transport: Transport, payload: bytes, n: int) -> list[Event]:
    stream = EventStream(transport, PATH, backoff_base=0.01, jitter=0.0, max_retries=0)

    async def run() -> list[Event]:
        got: list[Event] = []
        async with stream:
            async for event in stream:
                got.append(event)
                if len(got) == n:
                    break
        return got

    return await asyncio.wait_for(run(), WAIT)


def serve(server: StreamingServer, payload: bytes, *, split: int = 0) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        data = connected_frame() + payload
        if split:
            for i in range(0, len(data), split):
                await conn.send(data[i : i + split])
        else:
            await conn.send(data)
        await conn.stall()

    server.handler = handler


@pytest.mark.parametrize("split", [0, 1, 7, 500])
async def test_usual_frames_arrive_typed_in_order(
    server: StreamingServer, transport: Transport, split: int
) -> None:
    events = [delta(n, f"w\u00f6rd {n} \u2014") for n in range(1, 41)]
    payload = b"".join(
        b"event: output.message.delta\nid: %s\ndata: %s\n\n" % (e["id"].encode(), body(e))
        for e in events
    )
    serve(server, payload, split=split)
    got = await collect(transport, payload, len(events))
    assert all(isinstance(e, OutputMessageDeltaEvent) for e in got)
    assert [e.to_dict() for e in got] == events


async def test_unusual_cases_match_the_general_path(
    server: StreamingServer, transport: Transport
) -> None:
    turn = {
        "id": event_id(2),
        "type": "turn.started",
        "ts": "t",
        "session_id": SESSION_ID,
        "data": {"turn_id": "turn_1", "input_message_id": "m"},
    }
    invalid_utf8 = body(delta(4)).replace(b'"He"', b'"H\xffe"', 1)
    frames = [
        # another type inside than the SSE name says: the JSON `type` wins
        b"event: output.message.delta\nid: x\ndata: " + body(turn) + b"\n\n",
        # invalid UTF-8 in a string: read as U+FFFD, still typed
        b"event: output.message.delta\nid: y\ndata: " + invalid_utf8 + b"\n\n",
        # bad data for a known type: kept as its class, leniently
        b"event: output.message.delta\ndata: "
        + body({**delta(5), "data": {"surprise": True}})
        + b"\n\n",
        # another frame shape: id first, no space after the colon, data on two lines
        b"id:z\nevent:output.message.delta\ndata:"
        + body(delta(6))[:1]
        + b"\ndata:"
        + body(delta(6))[1:]
        + b"\n\n",
        # an unknown type, and no `event:` at all
        b"event: robot.danced\ndata: " + body({**delta(7), "type": "robot.danced"}) + b"\n\n",
        b"data: " + body(delta(8)) + b"\n\n",
    ]
    serve(server, b"".join(frames))
    got = await collect(transport, b"", len(frames))
    assert [type(e) for e in got] == [
        TurnStartedEvent,
        OutputMessageDeltaEvent,
        OutputMessageDeltaEvent,
        OutputMessageDeltaEvent,
        UnknownEvent,
        OutputMessageDeltaEvent,
    ]
    assert isinstance(got[1], OutputMessageDeltaEvent)
    assert got[1].data.delta == "H\ufffde"
    assert got[2].to_dict()["data"] == {"surprise": True}
    assert got[3].to_dict() == delta(6)
    assert isinstance(got[4], UnknownEvent) and got[4].original_type == "robot.danced"


async def test_event_without_type_is_skipped(server: StreamingServer, transport: Transport) -> None:
    event = delta(1)
    del event["type"]
    serve(
        server,
        b"event: output.message.delta\nid: e\ndata: "
        + body(event)
        + b"\n\nevent: output.message.delta\ndata: "
        + body(delta(2))
        + b"\n\n",
    )
    got = await collect(transport, b"", 1)
    assert [e.id for e in got] == [delta(2)["id"]]


async def test_a_gzip_encoded_stream_is_decoded(
    server: StreamingServer, transport: Transport
) -> None:
    events = [delta(n) for n in range(1, 6)]
    plain = connected_frame() + b"".join(
        b"event: output.message.delta\nid: %s\ndata: %s\n\n" % (e["id"].encode(), body(e))
        for e in events
    )

    async def handler(conn: Conn, request: Request) -> None:
        await conn.respond(
            200,
            gzip.compress(plain),
            content_type="text/event-stream",
            headers={"Content-Encoding": "gzip"},
        )
        await conn.stall()

    server.handler = handler
    got = await collect(transport, b"", len(events))
    assert [e.to_dict() for e in got] == events
