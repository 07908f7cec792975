"""Helpers for the local server's tests (plain httpx; no SDK client)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from everruns_sdk.testing import EverrunsEmulator


def user_message(text: str) -> dict[str, Any]:
    return {"message": {"role": "user", "content": [{"type": "text", "text": text}]}}


def new_session(client: httpx.Client, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/sessions", json=body)
    assert response.status_code == 201, response.text
    session: dict[str, Any] = response.json()
    return session


def run_turn(
    emu: EverrunsEmulator, client: httpx.Client, session_id: str, text: str = "Hello!"
) -> list[dict[str, Any]]:
    """Post a message, wait for the turn to end; the session's events."""
    before = len(emu.store.events(session_id))
    response = client.post(f"/v1/sessions/{session_id}/messages", json=user_message(text))
    assert response.status_code == 201, response.text
    emu.wait_for_status(session_id, "idle")
    wait_for_count(
        emu,
        session_id,
        lambda evs: any(
            e["type"] in ("session.idled", "turn.failed", "turn.cancelled") for e in evs[before:]
        ),
    )
    return emu.store.events(session_id)


def wait_for_count(
    emu: EverrunsEmulator,
    session_id: str,
    done: Callable[[list[dict[str, Any]]], bool],
    timeout: float = 5,
) -> None:
    deadline = time.monotonic() + timeout
    while not done(emu.store.events(session_id)):
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(0.005)


@dataclass
class Frame:
    event: str | None = None
    id: str | None = None
    data: str | None = None
    retry: int | None = None
    comments: list[str] = field(default_factory=list)

    def json(self) -> Any:
        assert self.data is not None
        return json.loads(self.data)


def sse_frames(response: httpx.Response) -> Iterator[Frame]:
    """Parse an SSE body into frames; a comment-only block is a frame with ``comments``."""
    frame = Frame()
    for line in response.iter_lines():
        if line == "":
            if frame.event or frame.data is not None or frame.comments or frame.retry:
                yield frame
            frame = Frame()
            continue
        if line.startswith(":"):
            frame.comments.append(line[1:].strip())
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "event":
            frame.event = value
        elif name == "id":
            frame.id = value
        elif name == "data":
            frame.data = value if frame.data is None else frame.data + "\n" + value
        elif name == "retry":
            frame.retry = int(value)
    if frame.event or frame.data is not None:
        yield frame


TURN_TYPES = [
    "input.message",
    "turn.started",
    "session.activated",
    "reason.started",
    "output.message.started",
    "output.message.delta",
    "output.message.completed",
    "reason.completed",
    "turn.completed",
    "session.idled",
]


def collapse_deltas(types: list[str]) -> list[str]:
    out: list[str] = []
    for t in types:
        if not (out and out[-1] == t and t.endswith(".delta")):
            out.append(t)
    return out
