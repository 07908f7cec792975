"""`APIResponse`: an API answer as received (status, headers, request ID) plus its model.

    raw = await client.agents.with_raw_response.get(agent_id)
    raw.status_code, raw.headers["content-type"], raw.request_id
    agent = raw.parse()

`detached(response)` is the copy of an httpx response that the SDK hands out (here and
as `ApiError.response`): its body already read, and the request it answers without the
Authorization and X-Org-Id headers, so it can be kept, pickled or printed without
leaking the key.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import httpx

if TYPE_CHECKING:
    from pydantic import BaseModel

R = TypeVar("R")
M = TypeVar("M", bound="BaseModel")

_SENSITIVE = frozenset({"authorization", "x-org-id"})
# The copy holds the decoded body: these would describe the bytes on the wire instead.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def detached(
    response: httpx.Response, content: bytes | None = None, redact: tuple[str, ...] = ()
) -> httpx.Response:
    """A read copy of `response` whose request carries no credentials; `redact` lists
    secrets to mask should a hostile server echo them in its headers or body."""
    request = response.request
    body = response.content if content is None else content
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in _WIRE_HEADERS
    ]
    for secret in (s for s in redact if s):
        body = body.replace(secret.encode(), b"****")
        headers = [(name, value.replace(secret, "****")) for name, value in headers]
    request_headers = [
        (name, "****" if name.lower() in _SENSITIVE else value)
        for name, value in request.headers.multi_items()
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body,
        request=httpx.Request(request.method, request.url, headers=request_headers),
        extensions={
            key: response.extensions[key]
            for key in ("http_version", "reason_phrase")
            if key in response.extensions
        },
    )


class APIResponse(Generic[R]):
    """One answer of the API: what the server sent, and the SDK's parsed result."""

    __slots__ = ("_parsed", "http_response")

    def __init__(self, response: httpx.Response, parsed: R) -> None:
        #: The httpx response (read; its request without credentials).
        self.http_response = response
        self._parsed = parsed

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The server's `X-Request-Id`: quote it when reporting a problem."""
        value = self.http_response.headers.get("x-request-id")
        return value if isinstance(value, str) else None

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> Any:
        """The body as JSON (raises ValueError when it is not JSON)."""
        return json.loads(self.http_response.content)

    @overload
    def parse(self) -> R: ...

    @overload
    def parse(self, cast: type[M]) -> M: ...

    def parse(self, cast: type[M] | None = None) -> R | M:
        """What the method returns without `with_raw_response` (the model, page, ...).

        `parse(Agent)` checks that the result is an `Agent` and types it as one.
        """
        if cast is None:
            return self._parsed
        if not isinstance(self._parsed, cast):
            raise TypeError(f"the result is a {type(self._parsed).__name__}, not {cast.__name__}")
        return self._parsed

    def __repr__(self) -> str:
        return (
            f"APIResponse(status_code={self.status_code}, request_id={self.request_id!r}, "
            f"parsed={type(self._parsed).__name__})"
        )
