"""Answer the client-side tool calls of a `tool.call_requested` event.

Every call of the batch runs concurrently (`_aio.gather`); each call's outcome becomes
one result: the function's return value as JSON, or an error text when the tool is
unknown, the arguments do not validate, the function raises or its value is not JSON,
or the call outlives the tool's `timeout` (`_aio.wait_for`; the function is abandoned,
the other calls of the batch are not affected). All results go to the server in one
`submit_tool_results` request, so a failing or hanging tool never leaves the turn
waiting.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from everruns_sdk import _aio
from everruns_sdk._logging import logger
from everruns_sdk.lib._tracker import data_field
from everruns_sdk.lib.tools import ToolArgumentsError, to_json_value
from everruns_sdk.resources.messages import tool_error, tool_result

if TYPE_CHECKING:
    from everruns_sdk._client import Everruns
    from everruns_sdk.lib.tools import Tool
    from everruns_sdk.types import ClientToolResult, ToolCall
    from everruns_sdk.types.events import Event

__all__ = ["answer_tool_calls", "requested_calls", "run_tool_call"]


def requested_calls(event: Event) -> list[ToolCall]:
    """The tool calls of a `tool.call_requested` event (typed or not)."""
    from pydantic import ValidationError

    from everruns_sdk.types import ToolCall

    calls: list[ToolCall] = []
    for item in data_field(event, "tool_calls") or []:
        if isinstance(item, ToolCall):
            calls.append(item)
            continue
        try:
            calls.append(ToolCall.model_validate(item))
        except ValidationError:
            logger.warning("ignoring a malformed tool call in event %s: %r", event.id, item)
    return calls


async def run_tool_call(
    call: ToolCall, tools: Mapping[str, Tool[..., Any]], *, timeout: float | None = None
) -> ClientToolResult:
    """Run one tool call and return its result (never raises an Exception). `timeout`,
    when given, replaces the tool's own."""
    found = tools.get(call.name)
    if found is None:
        known = ", ".join(sorted(tools)) or "none"
        return tool_error(call.id, f"unknown tool {call.name!r} (client tools: {known})")
    try:
        args, kwargs = found.bind(call.arguments)
    except ToolArgumentsError as exc:
        return tool_error(call.id, f"{call.name}: {exc}")
    limit = found.timeout if timeout is None else timeout
    invoke = functools.partial(_invoke, call, found, args, kwargs)
    try:
        return await _aio.wait_for(invoke, limit)
    except TimeoutError:  # only the limit: `_invoke` reports the function's own errors
        assert limit is not None
        logger.warning("client tool %s (call %s) timed out after %g s", call.name, call.id, limit)
        return tool_error(call.id, f"tool {call.name!r} timed out after {limit:g} s")


async def _invoke(
    call: ToolCall, found: Tool[..., Any], args: list[Any], kwargs: dict[str, Any]
) -> ClientToolResult:
    """Call the tool's function; its outcome as a result (never raises an Exception)."""
    try:
        value = await _aio.run_function(found.function, *args, **kwargs)
    except Exception as exc:
        logger.info("client tool %s (call %s) raised %r", call.name, call.id, exc)
        return tool_error(call.id, exc)
    try:
        return tool_result(call.id, to_json_value(value))
    except ValueError as exc:
        return tool_error(call.id, f"{call.name}: {exc}")


async def answer_tool_calls(
    client: Everruns,
    session_id: str,
    calls: Sequence[ToolCall],
    tools: Mapping[str, Tool[..., Any]],
    *,
    timeout: float | None = None,
) -> list[ClientToolResult]:
    """Run `calls` concurrently and submit all their results in one request; `timeout`,
    when given, replaces each tool's own."""
    if not calls:
        return []
    results = await _aio.gather(
        [functools.partial(run_tool_call, call, tools, timeout=timeout) for call in calls]
    )
    await client.messages.submit_tool_results(session_id, results)
    return results
