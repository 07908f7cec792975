"""`with_raw_response`: the methods of a sub-client, each answering an `APIResponse`.

    raw = await client.agents.with_raw_response.get(agent_id)
    raw.status_code, raw.headers, raw.request_id
    agent = raw.parse()  # an Agent, for the type checker too

Each sub-client has a class of its raw methods (`AgentsWithRawResponse`, ...), whose
attributes are `raw_method(the method)`: same parameters, the result wrapped as
`APIResponse[result]`, so `mypy --strict` and pyright know what `.parse()` gives.
A raw method calls the ordinary one while a context variable asks `Resource._request`
to record each response it receives; the last one (for a method that sends several,
such as `images.get`, the one that answered it) comes back with the parsed result. So
no method is written twice. Nested sub-clients have theirs too:
`client.agents.with_raw_response.versions.list(agent_id)`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from everruns_sdk._response import APIResponse, detached

if TYPE_CHECKING:
    import httpx

P = ParamSpec("P")
R = TypeVar("R")

#: Where `Resource._request` records the responses of a raw call (None: not recording).
captured: ContextVar[list[httpx.Response] | None] = ContextVar(
    "everruns_raw_responses", default=None
)


def raw_method(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[APIResponse[R]]]:
    """`method` (a bound method of a sub-client) answering the response it received
    with its result: `APIResponse[R]`."""

    @wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        sink: list[httpx.Response] = []
        token = captured.set(sink)
        try:
            result = await method(*args, **kwargs)  # (async: a coroutine or a pager)
        finally:
            captured.reset(token)
        if not sink:  # pragma: no cover - every raw method sends its own request
            raise TypeError(f"{method.__name__}() sent no request to answer raw")
        return APIResponse(detached(sink[-1]), result)

    return call
