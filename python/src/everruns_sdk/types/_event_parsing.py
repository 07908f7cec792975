"""How one JSON event becomes a typed event (hand-written; `events.py` binds it).

The class is chosen by one dict lookup on `type`, never by trying the classes in
turn. A known type whose payload does not fit its class (an older or newer server)
falls back to the generic class instead of raising.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

MAX_SHOWN_TYPE = 100


class EventDecodeError(ValueError):
    """The payload is not a JSON object with a string `type` (or not an event at all)."""


def decode(
    raw: bytes | str | bytearray | dict[str, Any],
    classes: Mapping[str, type[BaseModel]],
    unknown: type[BaseModel],
    rejected_by: type[BaseModel] | None = None,
) -> BaseModel:
    """The event in `raw` as an instance of `classes[type]`, else of `unknown`.

    `rejected_by` names a class that already failed on this very JSON text, so that it
    is not tried twice. Raises `EventDecodeError` when `raw` is not JSON, not an
    object, or has no string `type`.
    """
    if not isinstance(raw, (str, bytes, bytearray)):
        obj: Any = raw  # a dict, or a decoded list item that is not one (null, 1, [...])
    else:
        try:
            obj = from_json(raw)  # about twice as fast as json.loads
        except ValueError:
            # from_json refuses a few texts that json.loads takes (lone surrogate
            # escapes, nesting deeper than 200): json.loads has the last word. A model
            # that failed on such a text may yet accept the decoded value.
            rejected_by = None
            try:
                obj = json.loads(raw)
            except (ValueError, RecursionError) as exc:  # also absurdly deep nesting
                raise EventDecodeError(f"event is not valid JSON ({exc})") from exc
    if not isinstance(obj, dict):
        raise EventDecodeError(f"event JSON is a {type(obj).__name__}, not an object")
    event_type = obj.get("type")
    if not isinstance(event_type, str):
        raise EventDecodeError("event has no string `type`")
    cls = classes.get(event_type)
    if cls is not None and cls is not rejected_by:
        try:
            return cls.model_validate(obj)
        except ValidationError:
            pass  # forward compatibility: keep the event, untyped
    try:
        return unknown.model_validate(obj)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}"
            for e in exc.errors()[:3]
        )
        shown = event_type
        if len(shown) > MAX_SHOWN_TYPE:
            shown = shown[: MAX_SHOWN_TYPE - 1] + "\u2026"
        raise EventDecodeError(f"{shown!r} event is not an event: {problems}") from exc
