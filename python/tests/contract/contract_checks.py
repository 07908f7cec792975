"""What the contract suite checks: requests the SDK sent and responses it parsed.

`Recorder` is an httpx event hook pair that keeps every exchange of the client under
test (the request with its body, the response, and the raw bytes of an event stream).
`check_request` and `check_response` compare one exchange with the operation's entry
in `everruns_sdk/testing/contract.json` and return the list of problems found (empty:
the exchange matches). `check_return` compares the value an SDK method returned with
the method's return annotation.
"""

from __future__ import annotations

import builtins
import email
import email.policy
import json
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
from pydantic import BaseModel
from repo_paths import SCOPE

from everruns_sdk._pagination import Page
from everruns_sdk.streaming._stream import EventStream
from everruns_sdk.testing._contract import (
    ContractViolation,
    load_contract,
    operation,
    request_validator,
    response_validator,
)
from everruns_sdk.types.events import Event

JSON_TYPES = ("application/json", "application/problem+json")
# One percent-encoded path segment: unreserved and sub-delimiters, or %XX escapes.
_SEGMENT = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$")


# -- recording ---------------------------------------------------------------------


@dataclass
class Exchange:
    """One request the SDK sent and the response it got (None: no answer)."""

    request: httpx.Request
    response: httpx.Response | None = None
    stream_bytes: bytearray | None = None  # what an event stream delivered

    @property
    def request_body(self) -> bytes:
        return self.request.content

    @property
    def response_body(self) -> bytes:
        if self.response is None:
            return b""
        if self.stream_bytes is not None:
            return bytes(self.stream_bytes)
        try:
            return self.response.content
        except httpx.ResponseNotRead:
            return b""

    def describe(self) -> str:
        status = "no response" if self.response is None else str(self.response.status_code)
        return f"{self.request.method} {self.request.url.raw_path.decode('ascii')} -> {status}"


class _TeeStream(httpx.AsyncByteStream):
    """Passes a streamed body through, keeping a copy of every chunk."""

    def __init__(self, inner: Any, sink: bytearray) -> None:
        self._inner = inner
        self._sink = sink

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._sink.extend(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class Recorder:
    """httpx event hooks that record every exchange of one `httpx.AsyncClient`."""

    exchanges: list[Exchange] = field(default_factory=list)

    async def on_request(self, request: httpx.Request) -> None:
        await request.aread()  # a multipart body is a stream until read
        self.exchanges.append(Exchange(request))

    async def on_response(self, response: httpx.Response) -> None:
        for exchange in reversed(self.exchanges):
            if exchange.request is response.request:
                exchange.response = response
                if "text/event-stream" in response.headers.get("content-type", ""):
                    exchange.stream_bytes = bytearray()
                    response.stream = _TeeStream(response.stream, exchange.stream_bytes)
                return

    def clear(self) -> None:
        self.exchanges.clear()

    def take(self) -> list[Exchange]:
        taken = list(self.exchanges)
        self.exchanges.clear()
        return taken

    @property
    def hooks(self) -> dict[str, list[Any]]:
        return {"request": [self.on_request], "response": [self.on_response]}


# -- schemas -----------------------------------------------------------------------


@cache
def _param_validator(schema_json: str) -> Any:
    import jsonschema

    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **json.loads(schema_json),
        "components": load_contract()["components"],
    }
    return jsonschema.Draft202012Validator(root)


def _fits(schema: Mapping[str, Any], value: object) -> bool:
    return bool(_param_validator(json.dumps(schema, sort_keys=True)).is_valid(value))


def _query_candidates(text: str) -> list[object]:
    """A query value as the JSON values it may stand for (`"5"` may be 5, `"true"` True)."""
    found: list[object] = [text]
    if re.fullmatch(r"-?[0-9]+", text):
        found.append(int(text))
    if text in ("true", "false"):
        found.append(text == "true")
    return found


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _media_matches(pattern: str, media: str) -> bool:
    """`image/*` matches `image/png`; `*/*` matches anything."""
    if pattern in ("*/*", media):
        return True
    if pattern.endswith("/*"):
        return media.split("/", 1)[0] == pattern[:-2]
    return False


def _accepts(accept: str, media: str) -> bool:
    """Whether an Accept header admits `media` (which may itself be a range: `image/*`)."""
    for item in accept.split(","):
        rng = _media_type(item)
        if not rng:
            continue
        if re.search(r";\s*q=0(?:\.0*)?\s*(?:;|$)", item):
            continue
        if _media_matches(rng, media) or _media_matches(media, rng):
            return True
    return False


# -- requests ----------------------------------------------------------------------


def _string_args(args: Sequence[object], kwargs: Mapping[str, object]) -> set[str]:
    return {v.strip("/") for v in (*args, *kwargs.values()) if isinstance(v, str)}


def _match_path(template: str, path: str) -> tuple[dict[str, str] | None, list[str]]:
    """Decoded path parameters if `path` (raw, encoded) fits `template`; else problems."""
    problems: list[str] = []
    wanted = template.split("/")
    got = path.split("/")
    params: dict[str, str] = {}
    for index, part in enumerate(wanted):
        if part == "{path}" and index == len(wanted) - 1:  # a file path: 1+ segments
            segments = got[index:]
        elif index < len(got):
            segments = [got[index]]
        else:
            return None, [f"path {path!r} is shorter than {template!r}"]
        if not part.startswith("{"):
            if segments[0] != part:
                return None, [f"path {path!r} does not match {template!r} at {part!r}"]
            continue
        decoded: list[str] = []
        for segment in segments:
            if not segment or not _SEGMENT.match(segment) or segment in (".", ".."):
                problems.append(f"path parameter {part} has a badly encoded segment {segment!r}")
                continue
            try:
                decoded.append(unquote(segment, encoding="utf-8", errors="strict"))
            except UnicodeDecodeError:
                problems.append(f"path parameter {part} segment {segment!r} is not UTF-8")
        params[part[1:-1]] = "/".join(decoded)
    if len(got) > len(wanted) and wanted[-1] != "{path}":
        return None, [f"path {path!r} is longer than {template!r}"]
    return params, problems


def _expected_query(value: object) -> list[str] | None:
    """How the SDK must send a keyword argument as a query parameter."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, Sequence):
        return [str(item) for item in value]
    return None


def check_request(
    operation_id: str,
    exchange: Exchange,
    *,
    base_url: str,
    args: Sequence[object] = (),
    kwargs: Mapping[str, object] | None = None,
    org_id: str | None = None,
) -> list[str]:
    """Problems of one request the SDK sent for `operation_id` (empty: it fits)."""
    kwargs = kwargs or {}
    entry = operation(operation_id)
    request = exchange.request
    problems: list[str] = []

    if request.method != entry["method"]:
        problems.append(f"method {request.method}, the contract says {entry['method']}")

    # The path: the base URL's prefix, then the template with each parameter encoded.
    raw = request.url.raw_path.decode("ascii").split("?", 1)[0]
    prefix = urlsplit(base_url).path.rstrip("/")
    if not raw.startswith(prefix + "/"):
        problems.append(f"path {raw!r} lost the base URL prefix {prefix!r}")
        return problems
    path_params, path_problems = _match_path(entry["path"], raw[len(prefix) :])
    problems += path_problems
    declared = {p["name"]: p for p in entry["parameters"]}
    if path_params is not None:
        passed = _string_args(args, kwargs)
        for name, value in path_params.items():
            spec = declared.get(name)
            if spec is None or spec["in"] != "path":
                problems.append(f"path parameter {name} is not declared")
                continue
            if value.strip("/") not in passed:
                problems.append(f"path parameter {name}={value!r} is none of the arguments")
            if not _fits(spec.get("schema") or {}, value):
                problems.append(f"path parameter {name}={value!r} breaks {spec.get('schema')}")

    # The query: declared names only, arrays as repeated keys, values of the right type.
    query = request.url.query.decode("ascii")
    pairs = parse_qsl(query, keep_blank_values=True)
    sent: dict[str, list[str]] = {}
    for key, value in pairs:
        sent.setdefault(key, []).append(value)
    for key, values in sent.items():
        spec = declared.get(key)
        if key.endswith("[]"):
            problems.append(f"query parameter {key!r}: arrays must be repeated keys, not key[]")
            continue
        if spec is None or spec["in"] != "query":
            problems.append(f"query parameter {key!r} is not declared")
            continue
        schema = spec.get("schema") or {}
        if spec.get("array") or schema.get("type") == "array":
            if not _fits(schema, values):
                problems.append(f"query parameter {key}={values!r} breaks {schema}")
            continue
        if len(values) > 1:
            problems.append(f"query parameter {key!r} sent {len(values)} times")
        for value in values:
            if not any(_fits(schema, c) for c in _query_candidates(value)):
                problems.append(f"query parameter {key}={value!r} breaks {schema}")
    for name, spec in declared.items():
        if spec["in"] == "query" and spec.get("required") and name not in sent:
            problems.append(f"required query parameter {name!r} is missing")
    for name, value in kwargs.items():
        key = name if name in declared else name.replace("_", "-")
        spec = declared.get(key)
        if spec is None or spec["in"] != "query":
            continue
        expected = _expected_query(value)
        if sent.get(key) != expected:
            problems.append(f"argument {name}={value!r} was sent as {key}={sent.get(key)!r}")

    # Headers: the token as it is, the organization, an Accept that admits the answer.
    token = request.headers.get("authorization", "")
    if not token or token.lower().startswith("bearer "):
        problems.append("Authorization must be the bare token")
    if org_id and request.headers.get("x-org-id") != org_id:
        problems.append(f"X-Org-Id is {request.headers.get('x-org-id')!r}, not {org_id!r}")
    success = [c for s, c in entry["responses"].items() if s.startswith("2") and c]
    media = {m for content in success for m in content}
    accept = request.headers.get("accept", "")
    if media and not any(_accepts(accept, m) for m in media):
        problems.append(f"Accept {accept!r} admits none of {sorted(media)}")

    # The body: present when required, of a declared content type, fitting its schema.
    problems += _check_request_body(operation_id, entry, request, exchange.request_body)
    return problems


def _check_request_body(
    operation_id: str, entry: Mapping[str, Any], request: httpx.Request, body: bytes
) -> list[str]:
    spec = entry["request_body"]
    content_type = request.headers.get("content-type")
    if spec is None:
        if body:
            return [f"the operation takes no body, the SDK sent {len(body)} bytes"]
        return []
    if not body:
        return ["the request body is missing"] if spec.get("required") else []
    media = _media_type(content_type)
    if media not in spec["content"]:
        return [f"Content-Type {content_type!r} is none of {sorted(spec['content'])}"]
    if media == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            return ["the JSON body is not JSON"]
        try:
            request_validator(operation_id, media)(data)
        except ContractViolation as exc:
            return list(exc.problems)
        return []
    if media == "text/plain":
        charset = re.search(r"charset=([\w-]+)", content_type or "")
        try:
            body.decode(charset.group(1) if charset else "utf-8")
        except (LookupError, UnicodeDecodeError):
            return [f"the text/plain body does not decode as {content_type!r}"]
        return []
    if media == "multipart/form-data":
        return _check_multipart(spec["content"][media] or {}, content_type or "", body)
    return []


def _check_multipart(schema: Mapping[str, Any], content_type: str, body: bytes) -> list[str]:
    if "boundary=" not in content_type:
        return ["multipart/form-data without a boundary"]
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.message_from_bytes(head + body, policy=email.policy.HTTP)
    if not message.is_multipart():
        return ["the multipart body does not parse"]
    problems: list[str] = []
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            problems.append("a multipart part has no name")
            continue
        fields[name] = part
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        if name not in fields:
            problems.append(f"multipart field {name!r} is missing")
    for name, part in fields.items():
        prop = properties.get(name)
        if prop is None:
            problems.append(f"multipart field {name!r} is not declared")
        elif ("contentMediaType" in prop or prop.get("format") == "binary") and (
            not part.get_filename() or not part.get_payload(decode=True)
        ):
            problems.append(f"multipart field {name!r} must be a non-empty file")
    return problems


# -- responses ---------------------------------------------------------------------


def sse_events(raw: bytes) -> list[tuple[str, str | None, str]]:
    """(event type, id, data) of each event in an SSE body; comments and retries dropped."""
    events: list[tuple[str, str | None, str]] = []
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    for block in text.split("\n\n"):
        kind, event_id, data = "message", None, []
        for line in block.split("\n"):
            if line.startswith(":") or not line:
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "event":
                kind = value
            elif name == "id":
                event_id = value
            elif name == "data":
                data.append(value)
        if data:
            events.append((kind, event_id, "\n".join(data)))
    return events


def check_response(operation_id: str, exchange: Exchange) -> list[str]:
    """Problems of the response to one exchange (status, content type, body schema)."""
    entry = operation(operation_id)
    response = exchange.response
    if response is None:
        return ["no response was recorded"]
    status = response.status_code
    declared = entry["responses"].get(str(status))
    media = _media_type(response.headers.get("content-type"))
    body = exchange.response_body
    problems: list[str] = []
    if 200 <= status < 300:
        if declared is None:
            return [f"status {status} is not declared (declared: {sorted(entry['responses'])})"]
        if status == 204 or not declared:
            if status == 204 and body:
                problems.append(f"204 with a {len(body)}-byte body")
            return problems
        if not any(_media_matches(m, media) for m in declared):
            problems.append(f"Content-Type {media!r} is none of {sorted(declared)}")
            return problems
    elif media not in JSON_TYPES:
        return problems  # an error without a JSON body: nothing more to check
    try:
        problems += _check_body(operation_id, status, media, body)
    except ContractViolation as exc:
        problems += exc.problems
    return problems


def _check_body(operation_id: str, status: int, media: str, body: bytes) -> list[str]:
    if media in JSON_TYPES:
        try:
            data = json.loads(body)
        except ValueError:
            return ["the JSON response is not JSON"]
        response_validator(operation_id, status, media)(data)
        return []
    if media == "text/event-stream":
        validate = response_validator(operation_id, status, media)
        lifecycle = set(load_contract()["sse_only_event_types"])
        problems: list[str] = []
        for kind, event_id, data in sse_events(body):
            try:
                event = json.loads(data)
            except ValueError:
                problems.append(f"SSE {kind!r} data is not JSON")
                continue
            if kind in lifecycle:
                continue
            if event.get("type") != kind:
                problems.append(f"SSE event: {kind!r} carries type {event.get('type')!r}")
            if event_id is not None and event.get("id") != event_id:
                problems.append(f"SSE id: {event_id!r} carries id {event.get('id')!r}")
            validate(event)
        return problems
    if media == "application/x-ndjson":
        for number, line in enumerate(body.decode("utf-8").splitlines(), start=1):
            if line.strip() and not isinstance(json.loads(line), dict):
                return [f"JSON Lines line {number} is not an object"]
    return []


def response_json(exchange: Exchange) -> Any:
    """The decoded JSON of a response, or None."""
    response = exchange.response
    if response is None or _media_type(response.headers.get("content-type")) not in JSON_TYPES:
        return None
    try:
        return json.loads(exchange.response_body)
    except ValueError:
        return None


# -- return values -----------------------------------------------------------------


def return_hint(method: Any) -> Any:
    """The return annotation of an SDK method, resolved (TYPE_CHECKING names included)."""
    function = getattr(method, "__func__", method)
    namespace = {**function.__globals__, "Page": Page, "EventStream": EventStream, "Event": Event}
    namespace["AsyncPager"] = Page  # a `list()` returns an AsyncPager, which gives a Page
    hint = function.__annotations__["return"]
    # Only the return annotation: parameters may name TYPE_CHECKING-only types.
    return eval(hint, namespace) if isinstance(hint, str) else hint


def conforms(value: object, hint: Any, where: str = "result") -> list[str]:
    """Problems of `value` against the type `hint` (models, unions, lists, pages)."""
    if hint is Any or hint is object:
        return []
    if hint is None or hint is type(None):
        return [] if value is None else [f"{where} is {type(value).__name__}, expected None"]
    origin = typing.get_origin(hint)
    hint_args = typing.get_args(hint)
    if origin is typing.Annotated:
        return conforms(value, hint_args[0], where)
    if origin in (typing.Union, types.UnionType):
        for branch in hint_args:
            if not conforms(value, branch, where):
                return []
        return [f"{where} ({type(value).__name__}) fits no branch of {hint}"]
    if origin is typing.Literal:
        return [] if value in hint_args else [f"{where}={value!r} is not one of {hint_args}"]
    if origin in (list, builtins.list):
        if not isinstance(value, list):
            return [f"{where} is {type(value).__name__}, expected a list"]
        item_hint = hint_args[0]
        return [p for i, v in enumerate(value) for p in conforms(v, item_hint, f"{where}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where} is {type(value).__name__}, expected a dict"]
        return [
            p
            for k, v in value.items()
            for p in conforms(k, hint_args[0], where) + conforms(v, hint_args[1], f"{where}[{k!r}]")
        ]
    if origin is Page:
        if not isinstance(value, Page):
            return [f"{where} is {type(value).__name__}, expected a Page"]
        return conforms(value.data, list[hint_args[0]], where + ".data")
    if isinstance(hint, type):
        if isinstance(value, hint):
            return []
        return [f"{where} is {type(value).__name__}, expected {hint.__name__}"]
    return [f"{where}: cannot check against {hint!r}"]


def agrees_with_body(result: object, body: Any) -> list[str]:
    """Light consistency between the parsed result and the JSON it came from."""
    if isinstance(result, Page):
        result = result.data
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        body = body["data"]
    if (
        isinstance(result, BaseModel)
        and isinstance(body, dict)
        and getattr(result, "id", body.get("id")) != body.get("id")
    ):
        return [f"parsed id {getattr(result, 'id', None)!r} != body id {body['id']!r}"]
    if isinstance(result, list) and isinstance(body, list) and len(result) != len(body):
        return [f"parsed {len(result)} items from a body of {len(body)}"]
    return []


# -- the scope -----------------------------------------------------------------------

SHARED_SCOPE = SCOPE


def scope_operations() -> list[dict[str, Any]]:
    """The operations the SDK must cover: `../shared/openapi/sdk-scope.json` when it is
    there, else the operation list of the generated contract.json."""
    if SHARED_SCOPE.is_file():
        operations: list[dict[str, Any]] = json.loads(SHARED_SCOPE.read_text("utf-8"))["operations"]
        return operations
    return [
        {k: entry[k] for k in ("operation_id", "method", "path", "resource")}
        for entry in load_contract()["operations"].values()
    ]
