"""Reading the control API's JSON: keyword arguments checked against a method's
signature, and scripted replies built from plain JSON.

Every mistake is a `ControlInputError` naming the field, which the control API
answers as a 400 (so a test in another language sees what it got wrong).
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from typing import Any

from ._script import DEFAULT_CHUNK_SIZE, Reply, ScriptedToolCall

__all__ = ["ControlInputError", "call_kwargs", "parse_replies"]

JSON = dict[str, Any]

_REPLY_FIELDS = {
    "text",
    "thinking",
    "tool_calls",
    "failure",
    "error",
    "error_code",
    "chunk_size",
    "delay",
    "hang",
}
_CALL_FIELDS = {"name", "arguments", "id", "result", "error", "client_side"}


class ControlInputError(ValueError):
    """Bad control input; ``field`` is where (``replies[0].tool_calls[1].name``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(
        type(value), "array" if isinstance(value, list) else "object"
    )


def _fits(value: Any, hint: Any) -> bool:
    """Does a JSON value fit a simple annotation (int, float, str, bool, None, unions)?"""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return any(_fits(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    return False


def _hint_name(hint: Any) -> str:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return " or ".join(_hint_name(arm) for arm in typing.get_args(hint))
    names = {bool: "boolean", int: "integer", float: "number", str: "string"}
    return names.get(hint, "null" if hint is type(None) else str(hint))


def call_kwargs(fn: Callable[..., Any], body: JSON) -> JSON:
    """``body`` checked as the keyword arguments of ``fn`` (names, types, required ones)."""
    hints = typing.get_type_hints(fn)
    params = {name: p for name, p in inspect.signature(fn).parameters.items() if name != "self"}
    for name, value in body.items():
        if name not in params:
            allowed = ", ".join(params)
            raise ControlInputError(name, f"unknown field (allowed: {allowed})")
        if not _fits(value, hints[name]):
            expected = _hint_name(hints[name])
            raise ControlInputError(name, f"expected {expected}, got {_type_name(value)}")
    for name, param in params.items():
        if param.default is inspect.Parameter.empty and name not in body:
            raise ControlInputError(name, "required")
    return dict(body)


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _check_fields(obj: JSON, allowed: set[str], where: str) -> None:
    for key in obj:
        if key not in allowed:
            raise ControlInputError(_at(where, key), "unknown field")


def _typed(obj: JSON, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ControlInputError(_at(where, key), f"wrong type: {_type_name(value)}")
    return value


def _tool_call(raw: Any, where: str) -> ScriptedToolCall:
    if not isinstance(raw, dict):
        raise ControlInputError(where, "expected an object")
    _check_fields(raw, _CALL_FIELDS, where)
    name = _typed(raw, "name", str, where)
    if not name:
        raise ControlInputError(f"{where}.name", "required")
    arguments = _typed(raw, "arguments", dict, where) or {}
    return ScriptedToolCall(
        name,
        arguments,
        id=_typed(raw, "id", str, where),
        client_side=_typed(raw, "client_side", bool, where),
        result=raw.get("result"),
        error=_typed(raw, "error", str, where),
    )


def _reply(raw: Any, where: str) -> Reply:
    if isinstance(raw, str):
        return Reply(text=raw)
    if not isinstance(raw, dict):
        raise ControlInputError(where, "expected a string or an object")
    _check_fields(raw, _REPLY_FIELDS, where)
    calls = _typed(raw, "tool_calls", list, where) or []
    error = _typed(raw, "error", str, where)
    error_code = _typed(raw, "error_code", str, where)
    failure = _typed(raw, "failure", dict, where)
    if failure is not None:
        _check_fields(failure, {"error", "error_code"}, f"{where}.failure")
        error = _typed(failure, "error", str, f"{where}.failure") or "Model error"
        error_code = _typed(failure, "error_code", str, f"{where}.failure") or "model_error"
    chunk_size = _typed(raw, "chunk_size", int, where)
    if chunk_size is not None and chunk_size < 1:
        raise ControlInputError(f"{where}.chunk_size", "must be at least 1")
    delay = _typed(raw, "delay", (int, float), where)
    if delay is not None and delay < 0:
        raise ControlInputError(f"{where}.delay", "must not be negative")
    if error_code is not None and error is None:
        error = "Model error"
    return Reply(
        text=_typed(raw, "text", str, where),
        thinking=_typed(raw, "thinking", str, where),
        tool_calls=[_tool_call(c, f"{where}.tool_calls[{i}]") for i, c in enumerate(calls)],
        error=error,
        error_code=error_code or ("model_error" if error is not None else None),
        chunk_size=chunk_size or DEFAULT_CHUNK_SIZE,
        delay=float(delay or 0.0),
        hang=bool(_typed(raw, "hang", bool, where)),
    )


def parse_replies(body: JSON) -> tuple[list[Reply], str | None, str | None]:
    """``{"replies": [...], "session_id"?, "agent"?}`` as (replies, session_id, agent)."""
    _check_fields(body, {"replies", "session_id", "agent"}, "")
    raw = body.get("replies")
    if not isinstance(raw, list) or not raw:
        raise ControlInputError("replies", "expected a non-empty array")
    session_id = _typed(body, "session_id", str, "")
    agent = _typed(body, "agent", str, "")
    if session_id is not None and agent is not None:
        raise ControlInputError("agent", "give session_id or agent, not both")
    return [_reply(r, f"replies[{i}]") for i, r in enumerate(raw)], session_id, agent
