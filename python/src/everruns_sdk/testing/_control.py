"""The control API: the emulator's test hooks over HTTP, under ``/_emulator``.

A test suite in another language (or a conformance runner) starts the server with
``python -m everruns_sdk.testing --port 0 --json`` and drives it with these calls,
thin over the in-process objects (`Faults`, `Script`, `Store`, the request log):

* ``POST /_emulator/reset`` - forget every resource, reply, fault and logged request;
* ``POST /_emulator/faults/<method>`` - ``Faults.<method>(**body)``, answers the rule;
* ``POST /_emulator/faults/clear``; ``GET /_emulator/faults`` - the rules left;
* ``POST /_emulator/script/add`` - queue scripted model replies;
* ``GET /_emulator/requests`` (``DELETE`` clears it) - the request log;
* ``GET /_emulator/violations`` - responses of a ``--strict`` server that broke the spec;
* ``PATCH /_emulator/config`` - SSE heartbeat and cycle intervals;
* ``POST /_emulator/sessions/<id>/events`` - append an event to a session.

It needs no key (the server binds loopback), bypasses fault rules and is not logged.
Bad input is a 400 problem body naming the field.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._control_input import ControlInputError, call_kwargs, parse_replies
from ._faults import FaultRule
from ._problems import ApiError, bad_request, not_found
from ._state import RequestRecord, ServerState

__all__ = ["CONTROL_PREFIX", "FAULT_METHODS", "control_routes", "record_json"]

CONTROL_PREFIX = "/_emulator"
FAULT_METHODS = (
    "rate_limit",
    "error",
    "reset_connection",
    "delay",
    "sse_cut",
    "sse_drop",
    "sse_stall",
    "sse_cycle",
)
JSON = dict[str, Any]


def _ok(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status_code=status, media_type="application/json")


async def _object_body(request: Request) -> JSON:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(f"body: invalid JSON: {exc}", code="invalid_json") from None
    if not isinstance(body, dict):
        raise bad_request("body: expected a JSON object", code="invalid_json")
    return body


def rule_json(rule: FaultRule) -> JSON:
    return {f.name: getattr(rule, f.name) for f in dataclasses.fields(rule) if f.init}


def record_json(record: RequestRecord) -> JSON:
    """One logged request as JSON; ``body`` is the decoded JSON when it parses."""
    out: JSON = {
        "method": record.method,
        "path": record.path,
        "raw_path": record.raw_path,
        "query": record.query,
        "status": record.status,
        "request_id": record.request_id,
        "fault": record.fault,
        "headers": None,
        "body": None,
        "body_text": None,
        "query_pairs": [list(p) for p in parse_qsl(record.query, keep_blank_values=True)],
    }
    if record.headers is not None:
        out["headers"] = dict(record.headers)
    if record.body:
        text = record.body.decode("utf-8", errors="replace")
        out["body_text"] = text
        with contextlib.suppress(ValueError):
            out["body"] = json.loads(text)
    return out


Handler = Callable[[Request, ServerState], Awaitable[Response]]


def _wrap(handler: Handler, state: ServerState) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request, state)
        except ControlInputError as exc:
            extra = {"field": exc.field}
            raise ApiError(400, "invalid_control_input", str(exc), extra=extra) from None

    endpoint.__name__ = handler.__name__
    return endpoint


async def _reset(request: Request, state: ServerState) -> Response:
    await state.reset()
    return Response(status_code=204)


async def _add_fault(request: Request, state: ServerState) -> Response:
    name = request.path_params["method"]
    if name == "clear":
        state.faults.clear()
        return Response(status_code=204)
    if name not in FAULT_METHODS:
        raise not_found("fault_method", name, None)
    method = getattr(state.faults, name)
    kwargs = call_kwargs(method, await _object_body(request))
    return _ok(rule_json(method(**kwargs)), 201)


async def _list_faults(request: Request, state: ServerState) -> Response:
    return _ok([rule_json(r) for r in state.faults.rules])


async def _add_script(request: Request, state: ServerState) -> Response:
    replies, session_id, agent = parse_replies(await _object_body(request))
    state.script.add(*replies, session_id=session_id, agent=agent)
    pending = state.script.pending(session_id=session_id, agent=agent)
    return _ok({"queued": len(replies), "pending": pending}, 201)


async def _violations(request: Request, state: ServerState) -> Response:
    found = list(state.strict.violations) if state.strict is not None else []
    return _ok({"strict": state.strict is not None, "data": [dataclasses.asdict(v) for v in found]})


async def _requests(request: Request, state: ServerState) -> Response:
    if request.method == "DELETE":
        state.clear_log()
        return Response(status_code=204)
    with state.log_lock:
        records = list(state.request_log)
    return _ok({"recording": state.config.record, "data": [record_json(r) for r in records]})


def _interval(body: JSON, name: str) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ControlInputError(name, "expected a positive number of seconds")
    return float(value)


async def _config(request: Request, state: ServerState) -> Response:
    config = state.config
    if request.method == "PATCH":
        body = await _object_body(request)
        for key in body:
            if key not in ("heartbeat_interval", "cycle_interval"):
                raise ControlInputError(key, "unknown field")
        heartbeat = _interval(body, "heartbeat_interval")
        cycle = _interval(body, "cycle_interval")
        if heartbeat is not None:
            config.heartbeat_interval = heartbeat
        if cycle is not None:
            config.cycle_interval = cycle
    current = {
        "heartbeat_interval": config.heartbeat_interval,
        "cycle_interval": config.cycle_interval,
        "record": config.record,
    }
    return _ok(current)


async def _emit(request: Request, state: ServerState) -> Response:
    session_id = request.path_params["session_id"]
    body = await _object_body(request)
    for key in body:
        if key not in ("type", "data", "context"):
            raise ControlInputError(key, "unknown field")
    type_ = body.get("type")
    if not isinstance(type_, str) or not type_:
        raise ControlInputError("type", "expected a non-empty string")
    data = body.get("data", {})
    context = body.get("context")
    if not isinstance(data, dict):
        raise ControlInputError("data", "expected an object")
    if context is not None and not isinstance(context, dict):
        raise ControlInputError("context", "expected an object")
    try:
        event = state.store.append_event(session_id, type_, data, context=context)
    except KeyError:
        raise not_found("session", session_id, None) from None
    return _ok(event, 201)


def control_routes(state: ServerState) -> list[BaseRoute]:
    """The ``/_emulator`` routes over ``state`` (relative to the server root)."""
    table: list[tuple[str, list[str], Handler]] = [
        ("/reset", ["POST"], _reset),
        ("/faults", ["GET"], _list_faults),
        ("/faults/{method}", ["POST"], _add_fault),
        ("/script/add", ["POST"], _add_script),
        ("/requests", ["GET", "DELETE"], _requests),
        ("/violations", ["GET"], _violations),
        ("/config", ["GET", "PATCH"], _config),
        ("/sessions/{session_id}/events", ["POST"], _emit),
    ]
    return [
        Route(CONTROL_PREFIX + path, _wrap(handler, state), methods=methods)
        for path, methods, handler in table
    ]
