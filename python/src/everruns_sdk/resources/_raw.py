"""`with_raw_response`: any method of any sub-client, answering an `APIResponse`.

    raw = await client.agents.with_raw_response.get(agent_id)
    raw.status_code, raw.headers, raw.request_id, raw.parse()

The proxy calls the ordinary method while a context variable asks `Resource._request`
to record each response it receives; the last one (for a method that sends several,
such as `images.get`, the one that answered it) comes back with the parsed result. So
no method is written twice. Nested sub-clients work too:
`client.agents.with_raw_response.versions.list(agent_id)`.
"""

from __future__ import annotations

import inspect
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from everruns_sdk._response import APIResponse, detached

if TYPE_CHECKING:
    import httpx

#: Where `Resource._request` records the responses of a raw call (None: not recording).
captured: ContextVar[list[httpx.Response] | None] = ContextVar(
    "everruns_raw_responses", default=None
)


class RawResponses:
    """The methods of one sub-client, each answering an `APIResponse` of its result."""

    __slots__ = ("_target",)

    def __init__(self, target: object) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._target, name)
        from everruns_sdk.resources._base import Resource

        if isinstance(value, Resource):
            return RawResponses(value)
        if not callable(value):
            raise AttributeError(f"{name} is not a method of {type(self._target).__name__}")

        async def call(*args: Any, **kwargs: Any) -> APIResponse[Any]:
            sink: list[httpx.Response] = []
            token = captured.set(sink)
            try:
                result = value(*args, **kwargs)
                if inspect.isawaitable(result):  # a coroutine, or a list's pager
                    result = await result
            finally:
                captured.reset(token)
            if not sink:
                raise TypeError(f"{name}() sends no request of its own to answer raw")
            return APIResponse(detached(sink[-1]), result)

        call.__name__ = name
        call.__doc__ = getattr(value, "__doc__", None)
        return call

    def __dir__(self) -> list[str]:
        return [name for name in dir(self._target) if not name.startswith("_")]

    def __repr__(self) -> str:
        return f"<raw responses of {type(self._target).__name__}>"
