"""Strict mode: the local server as an independent referee of the spec.

With ``EverrunsEmulator(strict=True)`` (``--strict``; on in the pytest fixtures and the
conformance suite) every request to a spec operation is checked against the spec's
request schemas before any route sees it - JSON body (types, enums, patterns, required
fields, and unknown fields, which the spec's open objects would let through) and query
parameters - and a mismatch is a 400 problem body naming the field. Every JSON response
the server sends is checked against the spec's response schemas; a mismatch (a bug of
this server) is recorded in ``violations`` and answered as a 500 ``contract_violation``,
so the test that caused it fails. Each event an SSE stream sends is checked too (a
mismatch is recorded; the stream goes on).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._contract import ContractViolation, load_contract, request_validator, response_validator
from ._problems import ApiError, problem_response
from ._strict_schema import coerce_query, unknown_fields

__all__ = ["StrictChecker", "Violation", "serve_strictly"]

JSON = dict[str, Any]
_JSON_TYPES = ("application/json", "application/problem+json")
_AT = re.compile(r"^at \$(?P<loc>\S*): (?P<msg>.*)$", re.S)
_REQUIRED = re.compile(r"^'(?P<name>[^']+)' is a required property")


@dataclass(frozen=True)
class Violation:
    """A response of this server that does not match the spec."""

    operation: str
    method: str
    path: str
    status: int
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Route:
    operation: str
    method: str
    regex: re.Pattern[str]
    literal_segments: int


@cache
def _routes() -> list[_Route]:
    routes = []
    for op_id, entry in load_contract()["operations"].items():
        parts = []
        literal = 0
        for seg in entry["path"].strip("/").split("/"):
            if seg == "{path}":
                parts.append(r".+")
            elif seg.startswith("{") and seg.endswith("}"):
                parts.append(r"[^/]+")
            else:
                parts.append(re.escape(seg))
                literal += 1
        regex = re.compile("/" + "/".join(parts) + "/?")
        routes.append(_Route(op_id, entry["method"], regex, literal))
    # Fixed paths (".../fs/_/move") before templates that would also match them.
    return sorted(routes, key=lambda r: -r.literal_segments)


def _field(problem: str) -> tuple[str, str]:
    match = _AT.match(problem)
    if not match:
        return "body", problem
    loc, message = match.group("loc").lstrip("."), match.group("msg")
    missing = _REQUIRED.match(message)
    if missing:  # name the missing field itself, not the object that lacks it
        name = missing.group("name")
        return (f"{loc}.{name}" if loc else name), "required"
    return loc or "body", message


def _bad_request(errors: list[JSON]) -> ApiError:
    first = errors[0]
    return ApiError(
        400,
        "validation_error",
        f"{first['field']}: {first['message']}",
        extra={"errors": errors},
    )


class StrictChecker:
    """The request and response checks of one strict server (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.violations: list[Violation] = []
        self._components = load_contract()["components"]

    def operation(self, method: str, api_path: str) -> str | None:
        """The spec operation a request is for, or None (not an operation of the scope)."""
        for route in _routes():
            if route.method == method and route.regex.fullmatch(api_path):
                return route.operation
        return None

    # -- requests ----------------------------------------------------------------------

    def check_request(self, operation: str, query: str, content_type: str, body: bytes) -> None:
        """Raise a 400 `ApiError` naming the field when the request breaks the spec."""
        errors = self._query_errors(operation, query)
        errors += self._body_errors(operation, content_type, body)
        if errors:
            raise _bad_request(errors)

    def _query_errors(self, operation: str, query: str) -> list[JSON]:
        params = [p for p in load_contract()["operations"][operation]["parameters"]]
        pairs = parse_qsl(query, keep_blank_values=True)
        errors: list[JSON] = []
        for param in params:
            if param.get("in") != "query":
                continue
            name = param["name"]
            values = [v for k, v in pairs if k == name]
            if not values:
                continue
            schema = param.get("schema") or {}
            is_array = bool(param.get("array")) or schema.get("type") == "array"
            check = _param_validator(operation, name)
            if is_array:
                items = schema.get("items") or {}
                value: Any = [coerce_query(v, items, self._components) for v in values]
            else:
                value = coerce_query(values[0], schema, self._components)
            try:
                check(value)
            except ContractViolation as exc:
                errors += [{"field": name, "message": _field(p)[1]} for p in exc.problems]
        return errors

    def _body_errors(self, operation: str, content_type: str, body: bytes) -> list[JSON]:
        entry = load_contract()["operations"][operation]
        declared = entry["request_body"]
        base = content_type.split(";", 1)[0].strip().lower()
        if declared is None or base not in _JSON_TYPES:
            return []  # no body, or text/plain / multipart: the route checks those
        try:
            value = json.loads(body) if body.strip() else None
        except (ValueError, UnicodeDecodeError):
            return []  # the route answers invalid JSON itself
        if value is None:
            return (
                []
                if not declared.get("required")
                else [{"field": "body", "message": "a JSON body is required"}]
            )
        errors: list[JSON] = []
        try:
            request_validator(operation, base)(value)
        except ContractViolation as exc:
            for problem in exc.problems:
                where, message = _field(problem)
                errors.append({"field": where, "message": message})
        except KeyError:
            return []
        schema = declared["content"].get(base) or declared["content"].get("application/json")
        for where in unknown_fields(value, schema, self._components):
            errors.append({"field": where, "message": "unknown field"})
        return errors

    # -- responses ---------------------------------------------------------------------

    def check_response(
        self, operation: str, method: str, path: str, status: int, content_type: str, body: bytes
    ) -> Violation | None:
        """The violation (also recorded) when a JSON response breaks the spec."""
        base = content_type.split(";", 1)[0].strip().lower()
        if base not in _JSON_TYPES:
            return None
        try:
            value = json.loads(body) if body else None
            response_validator(operation, status, base)(value)
        except ContractViolation as exc:
            violation = Violation(operation, method, path, status, list(exc.problems))
        except KeyError as exc:  # a status the operation does not declare
            violation = Violation(operation, method, path, status, [str(exc)])
        except ValueError as exc:
            violation = Violation(operation, method, path, status, [f"not JSON: {exc}"])
        else:
            return None
        with self._lock:
            self.violations.append(violation)
        return violation

    def event_checker(self, path: str) -> Callable[[JSON], None]:
        """For one SSE connection: each event sent checked against the spec's Event
        (its ``data`` by its type); a mismatch is recorded, the stream goes on."""
        check = response_validator("stream_sse", 200, "text/event-stream")

        def check_event(event: JSON) -> None:
            try:
                check(event)
            except ContractViolation as exc:
                with self._lock:
                    self.violations.append(
                        Violation("stream_sse", "GET", path, 200, list(exc.problems))
                    )

        return check_event

    def clear(self) -> None:
        with self._lock:
            self.violations.clear()


@cache
def _param_validator(operation: str, name: str) -> Any:
    from ._contract import _schema_validator

    for param in load_contract()["operations"][operation]["parameters"]:
        if param["name"] == name and param.get("in") == "query":
            schema = param.get("schema") or {}
            return _schema_validator(schema, f"{operation} query {name}")
    raise KeyError(name)


async def serve_strictly(
    app: ASGIApp,
    checker: StrictChecker,
    operation: str,
    body: bytes,
    scope: Scope,
    receive: Receive,
    send: Send,
) -> None:
    """Run ``app`` for one request of ``operation``: a 400 instead when the request breaks
    the spec, a 500 ``contract_violation`` instead of a JSON response that breaks it."""
    request_headers = {
        k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
    }
    query = scope.get("query_string", b"").decode("latin-1")
    try:
        checker.check_request(operation, query, request_headers.get("content-type", ""), body)
    except ApiError as error:
        await problem_response(error, instance=scope["path"])(scope, receive, send)
        return
    held: list[Message] = []
    content_type = ""

    async def checked_send(message: Message) -> None:
        nonlocal content_type
        if message["type"] == "http.response.start":
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1")
                for k, v in message.get("headers", [])
            }
            content_type = headers.get("content-type", "")
            if content_type.split(";", 1)[0].strip().lower() in _JSON_TYPES:
                held.append(message)  # hold the answer until its body is checked
                return
        elif held and message["type"] == "http.response.body":
            held.append(message)
            if message.get("more_body", False):
                return
            start, parts = held[0], held[1:]
            payload = b"".join(m.get("body", b"") for m in parts)
            held.clear()
            status = int(start["status"])
            violation = checker.check_response(
                operation, scope["method"], scope["path"], status, content_type, payload
            )
            if violation is None:
                await send(start)
                await send({"type": "http.response.body", "body": payload})
                return
            detail = f"This server answered {status} against the spec: " + "; ".join(
                violation.problems[:5]
            )
            error = ApiError(
                500, "contract_violation", detail, extra={"problems": violation.problems}
            )
            await problem_response(error, instance=scope["path"])(scope, receive, send)
            return
        await send(message)

    await app(scope, receive, checked_send)
