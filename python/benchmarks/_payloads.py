"""Realistic wire payloads for the benchmark server: SSE events, an Agent, a Message.

Shapes follow the spec's `Event`, `Agent` and `Message` schemas. Events cycle through
a typical turn (API-NOTES, "A turn, as events"): mostly `output.message.delta` with a
`delta` and a growing `accumulated`, framed as `event: T`, `id: ID`, `data: JSON`.
Everything is rendered once, at server start-up; nothing here runs per request.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

SESSION_ID = "session_01933b5a000070008000a1b2c3d4e5f6"
AGENT_ID = "agent_01933b5a000070008000a1b2c3d4e5f7"
HARNESS_ID = "harness_01933b5a000070008000a1b2c3d4e5f8"
EVENT_ID_BASE = 0x01933B5A000070008000000000000000
DELTAS_PER_TURN = 40
ACCUMULATED_CAP = 200  # keeps frames near 700 bytes; real text grows without bound

# Text the "model" streams: mixed ASCII and UTF-8 (as a real server writes it, unescaped).
_TEXT = (
    "The refund for order #4521 was approved — it should reach your card within 3 to 5 "
    "business days. I also checked the shipping status: the replacement left our "
    "warehouse in Zürich this morning and the tracking number is attached below. "
    "If anything looks off, reply here and I will escalate it to a human agent. "
)
_WORDS = _TEXT.split(" ")

_START = datetime(2026, 5, 20, 14, 0, 0, tzinfo=timezone.utc)


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _hex_id(prefix: str, n: int) -> str:
    return f"{prefix}_{EVENT_ID_BASE + n:032x}"


def event_id(index: int) -> str:
    """The ID of the `index`-th event (0-based): strictly increasing, like UUIDv7."""
    return _hex_id("event", index)


def event_index(event_id_text: str) -> int | None:
    """The 0-based index of an event ID made by `event_id` (None if foreign)."""
    try:
        return int(event_id_text.removeprefix("event_"), 16) - EVENT_ID_BASE
    except ValueError:
        return None


def _usage() -> dict[str, object]:
    return {"input_tokens": 1843, "output_tokens": 412, "cache_read_tokens": 1024}


def _model_metadata() -> dict[str, object]:
    return {
        "model": "gpt-5.1",
        "model_id": "01933b5a-0000-7000-8000-00000000a1b2",
        "provider_id": "01933b5a-0000-7000-8000-00000000c3d4",
    }


def _turn_events(turn: int) -> list[tuple[str, dict[str, object]]]:
    """(type, data) for one turn: 10 lifecycle events around DELTAS_PER_TURN deltas."""
    turn_id = _hex_id("turn", turn)
    message_id = _hex_id("message", 2 * turn)
    reply_id = _hex_id("message", 2 * turn + 1)
    prompt = "Where is my refund for order #4521, and when does the replacement ship?"
    out: list[tuple[str, dict[str, object]]] = [
        (
            "input.message",
            {
                "message": {
                    "id": message_id,
                    "role": "user",
                    "content": [{"type": "text", "text": prompt}],
                    "created_at": _START.isoformat().replace("+00:00", "Z"),
                }
            },
        ),
        ("turn.started", {"turn_id": turn_id, "input_message_id": message_id}),
        ("session.activated", {"turn_id": turn_id, "input_message_id": message_id}),
        (
            "reason.started",
            {"agent_id": AGENT_ID, "harness_id": HARNESS_ID, "metadata": _model_metadata()},
        ),
        ("output.message.started", {"turn_id": turn_id, "iteration": 1, "model": "gpt-5.1"}),
    ]
    accumulated = ""
    for i in range(DELTAS_PER_TURN):
        words = [_WORDS[(turn * 7 + i * 3 + k) % len(_WORDS)] for k in range(3)]
        delta = " ".join(words) + (" " if i % 9 else "\n")
        accumulated = (accumulated + delta)[-ACCUMULATED_CAP:]
        out.append(
            (
                "output.message.delta",
                {"turn_id": turn_id, "delta": delta, "accumulated": accumulated},
            )
        )
    message = {
        "id": reply_id,
        "role": "agent",
        "content": [{"type": "text", "text": accumulated}],
        "created_at": _START.isoformat().replace("+00:00", "Z"),
        "phase": "final_answer",
    }
    out += [
        (
            "output.message.completed",
            {"message": message, "metadata": _model_metadata(), "usage": _usage()},
        ),
        (
            "reason.completed",
            {
                "success": True,
                "has_tool_calls": False,
                "tool_call_count": 0,
                "duration_ms": 2140,
                "text_preview": accumulated[:200],
                "usage": _usage(),
            },
        ),
        (
            "turn.completed",
            {
                "turn_id": turn_id,
                "iterations": 1,
                "duration_ms": 2311,
                "final_message_id": reply_id,
                "llm_call_count": 1,
                "tool_call_count": 0,
                "time_to_first_token_ms": 388,
                "status": "completed",
            },
        ),
        ("session.idled", {"turn_id": turn_id, "iterations": 1, "usage": _usage()}),
    ]
    return out


def render_events(count: int) -> tuple[bytes, list[int]]:
    """`count` SSE frames in one buffer, and the end offset of each frame.

    Frame i ends at `offsets[i]`, so the first n events are `buffer[:offsets[n - 1]]`.
    """
    frames: list[bytes] = []
    offsets: list[int] = []
    size = 0
    index = 0
    turn = 0
    while index < count:
        turn_id = _hex_id("turn", turn)
        for event_type, data in _turn_events(turn):
            if index >= count:
                break
            eid = event_id(index)
            ts = _START + timedelta(milliseconds=37 * index)
            event = {
                "id": eid,
                "type": event_type,
                "ts": ts.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "session_id": SESSION_ID,
                "sequence": index + 1,
                "context": {
                    "turn_id": turn_id,
                    "input_message_id": _hex_id("message", 2 * turn),
                    "trace_id": turn_id,
                    "span_id": f"{index:016x}",
                },
                "data": data,
            }
            frame = f"event: {event_type}\nid: {eid}\ndata: {_dumps(event)}\n\n".encode()
            frames.append(frame)
            size += len(frame)
            offsets.append(size)
            index += 1
        turn += 1
    return b"".join(frames), offsets


CONNECTED_FRAME = b'retry: 100\nevent: connected\ndata: {"status":"connected"}\n\n'


def agent_json() -> bytes:
    """A realistic `Agent` body for `GET /v1/agents/{id}`."""
    return _dumps(
        {
            "id": AGENT_ID,
            "name": "customer-support",
            "display_name": "Customer Support Agent",
            "description": "Handles refund and shipping questions; escalates billing disputes.",
            "system_prompt": (
                "You are a friendly customer support agent for Acme Corp. Verify orders "
                "before issuing refunds. Escalate any billing disputes to a human."
            ),
            "harness_id": HARNESS_ID,
            "default_model_id": _hex_id("model", 7),
            "status": "active",
            "tags": ["support", "production"],
            "capabilities": [{"ref": "web_fetch"}, {"ref": "current_time"}],
            "tools": [
                {
                    "type": "client_side",
                    "name": "lookup_order",
                    "description": "Look an order up by its number.",
                    "parameters": {
                        "type": "object",
                        "properties": {"order_id": {"type": "string"}},
                        "required": ["order_id"],
                    },
                }
            ],
            "initial_files": [],
            "max_iterations": 25,
            "parallel_tool_calls": True,
            "usage": _usage(),
            "created_at": "2026-04-01T10:00:00Z",
            "updated_at": "2026-05-20T14:00:00Z",
        }
    ).encode()


def message_json() -> bytes:
    """A realistic `Message` body for `POST /v1/sessions/{id}/messages` (201)."""
    return _dumps(
        {
            "id": _hex_id("message", 10_000),
            "role": "user",
            "content": [{"type": "text", "text": "Where is my refund for order #4521?"}],
            "controls": {"model_id": _hex_id("model", 7), "reasoning": {"effort": "low"}},
            "metadata": {"source": "benchmark"},
            "created_at": "2026-05-20T14:00:00.123Z",
        }
    ).encode()


def session_for(count: int) -> str:
    """A session ID whose SSE stream serves `count` events (the count is in the hex)."""
    return f"session_{count:032x}"


def count_of(session_id: str) -> int | None:
    """The event count a `session_for` ID stands for (None if it is not one)."""
    try:
        return int(session_id.removeprefix("session_"), 16)
    except ValueError:
        return None
