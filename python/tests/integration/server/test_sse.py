"""GET /v1/sessions/{id}/sse: the wire format, replay, resume, filters, heartbeats, cycling."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from emulator_helpers import (
    TURN_TYPES,
    Frame,
    collapse_deltas,
    new_session,
    run_turn,
    sse_frames,
    user_message,
)

from everruns_sdk.testing import EverrunsEmulator, Reply

SSE_HEADERS = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}


def open_stream(client: httpx.Client, sid: str, **params: Any) -> Any:
    return client.stream(
        "GET",
        f"/v1/sessions/{sid}/sse",
        params=params,
        headers=SSE_HEADERS,
        timeout=httpx.Timeout(5, read=5),
    )


def read_until(frames: Iterator[Frame], stop: Callable[[Frame], bool]) -> list[Frame]:
    seen = []
    for frame in frames:
        seen.append(frame)
        if stop(frame):
            break
    return seen


def is_end_of_turn(frame: Frame) -> bool:
    return frame.event == "session.idled"


def test_stream_replays_the_whole_turn(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("Hi there"))
    with open_stream(client, sid) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["x-request-id"]
        frames = read_until(sse_frames(response), is_end_of_turn)
    assert frames[0].event == "connected" and frames[0].id is None
    assert frames[0].json() == {"status": "connected"} and frames[0].retry is not None
    events = frames[1:]
    assert collapse_deltas([f.event or "" for f in events]) == TURN_TYPES
    for frame in events:
        payload = frame.json()
        assert payload["id"] == frame.id and payload["type"] == frame.event
        assert payload["session_id"] == sid and "context" in payload
        assert "\n" not in (frame.data or "")
    assert [f.json() for f in events] == emu.store.events(sid)


def test_live_events_reach_many_subscribers(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    emu.script.add(Reply("a reply streamed slowly", delay=0.005, chunk_size=3), session_id=sid)
    results: list[list[str]] = [[], [], []]
    ready = threading.Barrier(len(results) + 1)

    def listen(slot: list[str]) -> None:
        with (
            httpx.Client(base_url=emu.url, headers=emu.headers) as own,
            open_stream(own, sid) as response,
        ):
            frames = sse_frames(response)
            next(frames)  # connected
            ready.wait()
            slot.extend(f.event or "" for f in read_until(frames, is_end_of_turn))

    threads = [threading.Thread(target=listen, args=(slot,)) for slot in results]
    for thread in threads:
        thread.start()
    ready.wait()
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("go"))
    for thread in threads:
        thread.join(10)
    stored = [e["type"] for e in emu.store.events(sid)]
    assert results == [stored] * 3


def test_since_id_resumes_exactly_after(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    events = run_turn(emu, client, sid)
    middle = events[5]["id"]
    with open_stream(client, sid, since_id=middle) as response:
        frames = read_until(sse_frames(response), is_end_of_turn)
    assert [f.id for f in frames[1:]] == [e["id"] for e in events[6:]]
    assert client.get(f"/v1/sessions/{sid}/sse", params={"since_id": "bad"}).status_code == 400


def test_type_filters(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    run_turn(emu, client, sid)
    params = {"types": ["turn.started", "session.idled"], "exclude": ["turn.started"]}
    with open_stream(client, sid, **params) as response:
        frames = read_until(sse_frames(response), is_end_of_turn)
    assert [f.event for f in frames] == ["connected", "session.idled"]
    bad = client.get(f"/v1/sessions/{sid}/sse", params={"types": ["nope.nope"]})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_event_type"
    too_many = client.get(f"/v1/sessions/{sid}/sse", params={"exclude": ["turn.started"] * 26})
    assert too_many.status_code == 400
    unknown = client.get("/v1/sessions/session_" + "0" * 32 + "/sse")
    assert unknown.status_code == 404


def test_heartbeats(emu: EverrunsEmulator, client: httpx.Client) -> None:
    emu.heartbeat_interval = 0.02
    sid = new_session(client)["id"]
    with open_stream(client, sid) as response:
        frames = read_until(sse_frames(response), lambda f: len(f.comments) > 0)
    assert frames[-1].comments == ["heartbeat"] and frames[-1].event is None


def test_connection_cycling(emu: EverrunsEmulator, client: httpx.Client) -> None:
    emu.cycle_interval = 0.05
    sid = new_session(client)["id"]
    events = run_turn(emu, client, sid)
    with open_stream(client, sid) as response:
        frames = list(sse_frames(response))  # ends by itself
    assert frames[-1].event == "disconnecting"
    assert frames[-1].json() == {"reason": "connection_cycle", "retry_ms": 100}
    assert [f.id for f in frames[1:-1]] == [e["id"] for e in events]


def test_reconnect_after_cycle_loses_nothing(emu: EverrunsEmulator, client: httpx.Client) -> None:
    emu.cycle_interval = 0.03
    sid = new_session(client)["id"]
    emu.script.add(Reply("x" * 40, delay=0.004, chunk_size=1), session_id=sid)
    client.post(f"/v1/sessions/{sid}/messages", json=user_message("go"))
    received: list[str] = []
    last: str | None = None
    cycles = 0
    while not received or received[-1] != "session.idled":
        params = {"since_id": last} if last else {}
        with open_stream(client, sid, **params) as response:
            for frame in sse_frames(response):
                if frame.event == "disconnecting":
                    cycles += 1
                elif frame.id:
                    received.append(frame.event or "")
                    last = frame.id
    assert received == [e["type"] for e in emu.store.events(sid)]
    assert cycles >= 1


def test_stream_ends_on_server_shutdown(everruns_emulator_factory: Any) -> None:
    emu: EverrunsEmulator = everruns_emulator_factory()
    with httpx.Client(base_url=emu.url, headers=emu.headers) as client:
        sid = new_session(client)["id"]
        with open_stream(client, sid) as response:
            frames = sse_frames(response)
            assert next(frames).event == "connected"
            stopper = threading.Thread(target=emu.stop)
            stopper.start()
            rest = list(frames)
            stopper.join(10)
    assert not stopper.is_alive()
    assert [f.event for f in rest] == ["disconnecting"]
    assert rest[0].json()["reason"] == "server_shutdown"


def test_reset_ends_open_streams(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    with open_stream(client, sid) as response:
        frames = sse_frames(response)
        assert next(frames).event == "connected"
        emu.reset()
        rest = list(frames)
    assert [f.event for f in rest] == ["disconnecting"]


@pytest.mark.parametrize("busy", [False, True])
def test_retry_hint_depends_on_activity(
    emu: EverrunsEmulator, client: httpx.Client, busy: bool
) -> None:
    sid = new_session(client)["id"]
    if busy:
        emu.script.add(Reply.hanging(), session_id=sid)
        client.post(f"/v1/sessions/{sid}/messages", json=user_message("x"))
        emu.wait_for_status(sid, "active")
    with open_stream(client, sid) as response:
        connected = next(sse_frames(response))
    assert connected.retry == (100 if busy else 500)
