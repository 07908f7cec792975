"""Client-side tools: plain Python functions the agent can call (no async code here).

    from typing import Literal

    from everruns_sdk import tool

    @tool
    def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict:
        '''Current weather in a city.

        Args:
            city: Name of the city, e.g. "Paris".
            unit: Temperature unit.
        '''
        return {"city": city, "temperature": 21, "unit": unit}

The name, description and JSON-schema `parameters` come from the function (or are given:
`@tool(name=..., description=..., parameters=...)`). The server cannot run these tools,
so they are declared when the session (or agent) is created, and run by the SDK while
it follows a turn:

    session = await client.sessions.create(agent_id=agent.id, tools=[get_weather])
    result = await client.sessions.run(session.id, "Weather in Paris?", tools=[get_weather])

A `Tool` stays callable as the function it wraps, and works with both `Everruns` and
`SyncEverruns` (async functions run in a private event loop under the sync client; plain
functions run in a worker thread under the async client).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeAlias, TypeVar, overload

from everruns_sdk._errors import EverrunsError

if TYPE_CHECKING:
    from everruns_sdk.lib._schema import FunctionSpec
    from everruns_sdk.types import ClientSideTool

__all__ = ["Tool", "ToolArgumentsError", "ToolInput", "tool", "tools_by_name"]

P = ParamSpec("P")
R = TypeVar("R")

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_ERRORS_SHOWN = 5
DEFAULT_TOOL_TIMEOUT = 60.0
"""Seconds a tool call may run before the runner answers it with a timeout error."""


class ToolArgumentsError(EverrunsError, ValueError):
    """The arguments of a tool call do not match the tool's parameters."""


class Tool(Generic[P, R]):
    """A Python function declared to the agent as a client-side tool.

    Build one with the `@tool` decorator or `Tool(function, name=..., description=...,
    parameters=..., timeout=...)`. `definition()` is what the API expects in
    `tools=[...]` of a session or agent; `bind(arguments)` validates a tool call's
    arguments.

    `timeout` (seconds, default 60; None: no limit) bounds one call when the SDK runs
    the tool in a turn: past it, the agent gets an error result ("tool 'x' timed out
    after 60 s") and the turn goes on. The function itself cannot be stopped: a plain
    function keeps running, abandoned, in its daemon thread (an `async def` tool is
    cancelled).
    """

    def __init__(
        self,
        function: Callable[P, R],
        *,
        name: str | None = None,
        description: str | None = None,
        parameters: Mapping[str, Any] | None = None,
        timeout: float | None = DEFAULT_TOOL_TIMEOUT,
    ) -> None:
        if not callable(function):
            raise TypeError(f"a tool needs a callable, not {type(function).__name__}")
        if timeout is not None and not timeout > 0:
            raise ValueError("timeout must be > 0 or None")
        tool_name = name or getattr(function, "__name__", None)
        if not isinstance(tool_name, str) or not _NAME.match(tool_name):
            raise ValueError(
                f"tool name {tool_name!r} must be 1-64 letters, digits, '_' or '-' (pass name=...)"
            )
        self.function = function
        self.name = tool_name
        self.timeout = timeout
        self._spec = _spec_or_none(function, tool_name, required=parameters is None)
        summary = self._spec.description if self._spec is not None else ""
        if not summary:
            from everruns_sdk.lib._schema import parse_docstring

            summary = parse_docstring(inspect.getdoc(function))[0]
        self.description = description or summary or tool_name
        if parameters is not None:
            self.parameters: dict[str, Any] = dict(parameters)
        else:
            assert self._spec is not None
            self.parameters = self._spec.parameters
        self.__doc__ = getattr(function, "__doc__", None)
        self.__wrapped__ = function

    @property
    def is_async(self) -> bool:
        """True when the function is a coroutine function."""
        function = self.function
        return inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(
            type(function).__call__
        )

    def definition(self) -> ClientSideTool:
        """The client-side tool definition for `sessions.create(tools=[...])` or
        `agents.create(tools=[...])`: `{"type": "client_side", "name", "description",
        "parameters"}`."""
        from everruns_sdk.types import ClientSideTool

        return ClientSideTool(
            name=self.name, description=self.description, parameters=self.parameters
        )

    def bind(self, arguments: Mapping[str, Any] | None) -> tuple[list[Any], dict[str, Any]]:
        """Validate the arguments of a tool call against the parameters; return the
        positional and keyword arguments to call the function with. Raises
        `ToolArgumentsError` with a readable explanation."""
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, Mapping):
            raise ToolArgumentsError(
                f"arguments must be a JSON object, not {type(arguments).__name__}"
            )
        if self._spec is None:  # explicit parameters, a signature with **kwargs
            return [], dict(arguments)
        from pydantic import ValidationError

        try:
            return self._spec.bind(arguments)
        except ValidationError as exc:
            raise ToolArgumentsError(_explain(exc)) from None

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Tool(name={self.name!r}, function={getattr(self.function, '__qualname__', '?')})"


ToolInput: TypeAlias = Tool[..., Any] | Callable[..., Any]
"""What `tools=[...]` accepts: `Tool`s, or plain functions (wrapped with `Tool`)."""


@overload
def tool(function: Callable[P, R], /) -> Tool[P, R]: ...


@overload
def tool(
    *,
    name: str | None = None,
    description: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    timeout: float | None = DEFAULT_TOOL_TIMEOUT,
) -> Callable[[Callable[P, R]], Tool[P, R]]: ...


def tool(
    function: Callable[P, R] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    timeout: float | None = DEFAULT_TOOL_TIMEOUT,
) -> Tool[P, R] | Callable[[Callable[P, R]], Tool[P, R]]:
    """Make a function a client-side tool: `@tool` or `@tool(name=..., timeout=..., ...)`."""
    if function is not None:
        return Tool(
            function, name=name, description=description, parameters=parameters, timeout=timeout
        )

    def decorate(fn: Callable[P, R]) -> Tool[P, R]:
        return Tool(fn, name=name, description=description, parameters=parameters, timeout=timeout)

    return decorate


def as_tool(value: ToolInput) -> Tool[..., Any]:
    """`value` if it is a Tool, else a Tool wrapping the function."""
    return value if isinstance(value, Tool) else Tool(value)


def tools_by_name(tools: Iterable[ToolInput]) -> dict[str, Tool[..., Any]]:
    """Index tools by name; two tools with one name are an error."""
    index: dict[str, Tool[..., Any]] = {}
    for value in tools:
        item = as_tool(value)
        if item.name in index:
            raise ValueError(f"two tools are named {item.name!r}")
        index[item.name] = item
    return index


def to_json_value(value: Any) -> Any:
    """A tool's return value as JSON data (pydantic models, dataclasses, enums, dates,
    ... converted); raises ValueError when it cannot be."""
    from pydantic_core import PydanticSerializationError, to_jsonable_python

    try:
        return to_jsonable_python(value)
    except PydanticSerializationError as exc:
        raise ValueError(f"the result is not JSON serializable ({exc})") from None


def _spec_or_none(
    function: Callable[..., Any], name: str, *, required: bool
) -> FunctionSpec | None:
    from everruns_sdk.lib._schema import function_spec

    try:
        return function_spec(function, name=name)
    except TypeError:
        if required:
            raise
        return None


def _explain(exc: Any) -> str:
    errors = exc.errors(include_url=False)
    parts = []
    for error in errors[:MAX_ERRORS_SHOWN]:
        where = ".".join(str(p) for p in error.get("loc", ())) or "arguments"
        parts.append(f"{where}: {error.get('msg')}")
    if len(errors) > MAX_ERRORS_SHOWN:
        parts.append(f"... {len(errors) - MAX_ERRORS_SHOWN} more")
    return "invalid arguments: " + "; ".join(parts)
