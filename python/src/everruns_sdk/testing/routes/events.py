"""Session events: the filtered list (polling) and the SSE stream."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from .._clock import parse_ts
from .._problems import ApiError, bad_request
from .._sse import StreamOptions, event_stream
from .._validation import q_bool, q_int, q_list, q_str
from ._common import JSON, json_response, org_of, path_param, route, session_or_404, state_of

__all__ = ["ROUTES", "known_event_types"]

EVENT_ID = re.compile(r"^event_[0-9a-f]{32}$")
DELTA_TYPES = frozenset({"output.message.delta", "reason.thinking.delta", "tool.output.delta"})

# Used until (and besides) everruns_sdk.types.events.EVENT_TYPES: event-types.json
# plus the SSE lifecycle events.
_LOCAL_EVENT_TYPES = frozenset(
    [
        "input.message",
        "output.message.delta",
        "output.message.started",
        "output.message.replaced",
        "output.message.completed",
        "turn.started",
        "turn.completed",
        "turn.failed",
        "reason.started",
        "reason.completed",
        "reason.recovered",
        "capability.usage",
        "act.started",
        "act.completed",
        "tool.started",
        "tool.completed",
        "tool.progress",
        "tool.output.delta",
        "tool.call_requested",
        "transcript.repaired",
        "tool.call_repaired",
        "llm.generation",
        "reason.thinking.delta",
        "reason.item",
        "reason.thinking.started",
        "reason.thinking.completed",
        "turn.sealed",
        "turn.cancelled",
        "session.started",
        "session.activated",
        "session.idled",
        "task.created",
        "task.updated",
        "task.message.sent",
        "task.message.received",
        "context.compacting",
        "context.compacted",
        "file.written",
        "voice.session.started",
        "voice.session.ended",
        "voice.session.failed",
        "budget.warning",
        "budget.paused",
        "budget.exhausted",
        "budget.resumed",
        "connected",
        "disconnecting",
    ]
)


def known_event_types() -> frozenset[str]:
    """Every event type the server knows (an unknown one in a filter is a 400)."""
    try:
        from ...types.events import EVENT_TYPES
    except Exception:  # not generated yet
        return _LOCAL_EVENT_TYPES
    return _LOCAL_EVENT_TYPES | frozenset(str(t) for t in EVENT_TYPES)


def type_filters(request: Request) -> tuple[set[str] | None, set[str]]:
    known = known_event_types()
    types, exclude = q_list(request, "types"), q_list(request, "exclude")
    for name, values in (("types", types), ("exclude", exclude)):
        for value in values:
            if value not in known:
                raise bad_request(
                    f"{name}: unknown event type '{value}'", code="invalid_event_type"
                )
    return (set(types) if types else None), set(exclude)


def _event_id(request: Request, name: str) -> str | None:
    value = q_str(request, name)
    if value is not None and not EVENT_ID.match(value):
        raise bad_request(f"{name}: '{value}' is not an event ID (event_<32 hex>)")
    return value


def _ts(request: Request, name: str) -> datetime | None:
    value = q_str(request, name)
    if value is None:
        return None
    try:
        return parse_ts(value)
    except ValueError:
        raise bad_request(f"{name}: '{value}' is not an ISO 8601 timestamp") from None


def _tool_names(data: Any) -> set[str]:
    if not isinstance(data, dict):
        return set()
    names = {data.get("tool_name")}
    if isinstance(data.get("tool_call"), dict):
        names.add(data["tool_call"].get("name"))
    for call in data.get("tool_calls") or []:
        if isinstance(call, dict):
            names.add(call.get("name"))
    return {n for n in names if isinstance(n, str)}


def _context_check(key: str, wanted: str) -> Callable[[JSON], bool]:
    return lambda e: bool(e["context"].get(key) == wanted)


async def list_events(request: Request) -> Response:
    """Events of a session, oldest first, filtered (see API-NOTES "Polling events").

    With ``limit``: the last N matching events (the first N after the cursor when
    paging forwards with ``since_id``/``after_sequence``), token deltas left out
    unless ``types`` asks for them, and ``X-Total-Count`` = the matching count.
    """
    org = org_of(request)
    sid = path_param(request, "session_id")
    session_or_404(request, sid)
    types, exclude = type_filters(request)
    since_id, around = _event_id(request, "since_id"), _event_id(request, "around")
    limit = q_int(request, "limit", None, minimum=1, maximum=1000)
    before = q_int(request, "before_sequence")
    after = q_int(request, "after_sequence")
    window = q_int(request, "window", 50, minimum=1, maximum=500) or 50
    if around and (since_id or before is not None or after is not None):
        raise bad_request(
            "around cannot be combined with since_id, before_sequence or after_sequence",
            code="conflicting_parameters",
        )
    from_ts, to_ts = _ts(request, "from_ts"), _ts(request, "to_ts")
    tags = q_list(request, "tags")
    tool_name, text = q_str(request, "tool_name"), (q_str(request, "q") or "").lower()
    ctx_filters = {k: q_str(request, k) for k in ("turn_id", "exec_id", "trace_id")}
    checks: list[Callable[[JSON], bool]] = []
    if types is not None:
        checks.append(lambda e: e["type"] in types)
    if exclude:
        checks.append(lambda e: e["type"] not in exclude)
    for key, wanted in ctx_filters.items():
        if wanted:
            checks.append(_context_check(key, wanted))
    if tags:
        checks.append(lambda e: set(tags) <= set(e.get("tags") or []))
    if tool_name:
        checks.append(lambda e: tool_name in _tool_names(e["data"]))
    if text:
        checks.append(lambda e: text in json.dumps(e["data"], ensure_ascii=False).lower())
    if from_ts is not None:
        checks.append(lambda e: parse_ts(e["ts"]) >= from_ts)
    if to_ts is not None:
        checks.append(lambda e: parse_ts(e["ts"]) <= to_ts)
    if since_id:
        checks.append(lambda e: e["id"] > since_id)
    if after is not None:
        checks.append(lambda e: e["sequence"] > after)
    if before is not None:
        checks.append(lambda e: e["sequence"] < before)
    events = [e for e in org.events[sid] if all(check(e) for check in checks)]
    if around:
        centre = next((e for e in org.events[sid] if e["id"] == around), None)
        if centre is None:
            raise ApiError(404, "event_not_found", f"Event {around} not found.")
        older = [e for e in events if e["sequence"] < centre["sequence"]]
        newer = [e for e in events if e["sequence"] >= centre["sequence"]]
        half = window // 2
        events = older[max(0, len(older) - half) :] + newer[: window - min(half, len(older))]
    headers: dict[str, str] = {}
    if limit is not None:
        if types is None:  # a page of the last N leaves out the token deltas
            events = [e for e in events if e["type"] not in DELTA_TYPES]
        headers["X-Total-Count"] = str(len(events))
        # Paging forwards (since_id / after_sequence) takes the first N after the
        # cursor; otherwise the last N (the tail, or the page before before_sequence).
        forwards = (since_id is not None or after is not None) and before is None
        events = events[:limit] if forwards else events[-limit:]
    if q_bool(request, "order_desc"):
        events.reverse()
    return json_response({"data": events}, headers=headers)


async def stream_sse(request: Request) -> Response:
    state = state_of(request)
    sid = path_param(request, "session_id")
    with state.store.lock:
        session_or_404(request, sid)
    types, exclude = type_filters(request)
    since_id = _event_id(request, "since_id")
    api_path = request.url.path[len("/api") :]
    abort: Callable[[], None] = request.scope.get("everruns.abort") or (lambda: None)
    opts = StreamOptions(
        session_id=sid,
        since_id=since_id,
        types=types,
        exclude=exclude,
        heartbeat=state.config.heartbeat_interval,
        cycle=state.config.cycle_interval,
        fault=state.faults.take_sse(api_path),
        abort=abort,
        check=state.strict.event_checker(request.url.path) if state.strict else None,
    )
    return StreamingResponse(
        event_stream(state.store, state.hub, opts),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


ROUTES = [
    route("GET", "/v1/sessions/{session_id}/events", list_events),
    route("GET", "/v1/sessions/{session_id}/sse", stream_sse, lock=False),
]
