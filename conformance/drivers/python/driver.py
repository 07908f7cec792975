"""The Python conformance driver: scenario calls through `everruns_sdk`'s public API.

Reads one JSON request per line on stdin, answers one JSON line on stdout (protocol in
conformance/README.md). The server and key come from ``EVERRUNS_API_URL`` /
``EVERRUNS_API_KEY``.
"""

from __future__ import annotations

import asyncio
import base64
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import everruns_sdk
from everruns_sdk import Everruns, Page

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calls import ADAPT, METHODS

STREAM_SECONDS = 20.0

# Most specific first: the error kinds of the protocol.
_KINDS: list[tuple[type[BaseException], str]] = [
    (everruns_sdk.BadRequestError, "bad_request"),
    (everruns_sdk.AuthenticationError, "authentication"),
    (everruns_sdk.PermissionDeniedError, "permission_denied"),
    (everruns_sdk.NotFoundError, "not_found"),
    (everruns_sdk.ConflictError, "conflict"),
    (everruns_sdk.UnprocessableEntityError, "unprocessable_entity"),
    (everruns_sdk.RateLimitError, "rate_limit"),
    (everruns_sdk.InternalServerError, "server"),
    (everruns_sdk.ApiError, "api"),
    (everruns_sdk.ValidationError, "invalid_argument"),
    (everruns_sdk.StreamRetriesExhaustedError, "stream_retries_exhausted"),
    (everruns_sdk.APITimeoutError, "timeout"),
    (everruns_sdk.APIConnectionError, "connection"),
    (everruns_sdk.ResponseValidationError, "invalid_response"),
]


def result_json(value: Any) -> Any:
    """The result of a call: a list (a page or not) is ``{"data": [...], ...}``."""
    if isinstance(value, (list, tuple)):
        return {"data": to_json(value)}
    return to_json(value)


def to_json(value: Any) -> Any:
    """A value as JSON, with the wire's field names."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, Page):
        page = {"total": value.total, "offset": value.offset, "limit": value.limit}
        return {"data": [to_json(v) for v in value.data], **page}
    if isinstance(value, (bytes, bytearray)):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


def error_json(exc: BaseException) -> dict[str, Any]:
    kind = next((k for cls, k in _KINDS if isinstance(exc, cls)), "unexpected")
    out: dict[str, Any] = {"kind": kind, "message": str(exc), "type": type(exc).__name__}
    if isinstance(exc, everruns_sdk.ApiError):
        out.update(
            status=exc.status_code,
            code=exc.code,
            message=exc.message,
            retry_after=exc.retry_after,
            request_id=exc.request_id,
        )
    return out


def _method(client: Everruns, operation: str) -> Any:
    target: Any = client
    for name in METHODS[operation].split("."):
        target = getattr(target, name)
    return target


async def _stream(client: Everruns, args: dict[str, Any], spec: dict[str, Any]) -> Any:
    options = {k: spec[k] for k in ("idle_timeout", "max_retries") if k in spec}
    stream = client.events.stream(**args, **options)
    events: list[dict[str, Any]] = []
    error: dict[str, Any] | None = None

    async def consume() -> None:
        async for event in stream:
            events.append({"id": event.id, "type": event.type})
            if len(events) >= spec["count"]:
                stream.stop()

    try:
        await asyncio.wait_for(consume(), STREAM_SECONDS)
    except TimeoutError:
        error = {"kind": "driver_timeout", "message": f"no end within {STREAM_SECONDS} s"}
    except everruns_sdk.EverrunsError as exc:
        error = error_json(exc)
    return {"events": events, "error": error}


async def handle(request: dict[str, Any]) -> dict[str, Any]:
    operation = request["operation"]
    if operation not in METHODS:
        return {"status": "unsupported", "reason": f"no method for {operation}"}
    args = dict(request.get("args") or {})
    try:
        adapt = ADAPT.get(operation)
        if adapt is not None:
            args = adapt(args)
    except NotImplementedError as exc:
        return {"status": "unsupported", "reason": str(exc)}
    client_options = request.get("client") or {}
    async with Everruns(**client_options) as client:
        try:
            if operation == "stream_sse":
                result = await _stream(client, args, request.get("stream") or {"count": 1})
            else:
                result = result_json(await _method(client, operation)(**args))
        except everruns_sdk.EverrunsError as exc:
            return {"status": "error", "error": error_json(exc)}
    return {"status": "ok", "result": result}


async def main() -> None:
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        request = json.loads(line)
        try:
            answer = await handle(request)
        except Exception as exc:  # a driver bug or an SDK crash: report it, keep going
            answer = {"status": "error", "error": {**error_json(exc), "kind": "crash"}}
        print(json.dumps({"id": request["id"], **answer}), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
