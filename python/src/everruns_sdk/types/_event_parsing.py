"""How one JSON event becomes a typed event (hand-written; `events.py` binds it).

The class is chosen by one dict lookup on `type`, never by trying the classes in
turn. An unknown type becomes the generic class, tagged `"unknown"` with the type the
server sent in `original_type`, so that the known tags form a tagged union that
`event.type == "..."` narrows. A known type whose payload does not fit its class (an
older or newer server) is never re-classed: it is built leniently as its own class
(the fields that validate, validated; the others as sent) and the problem is logged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

from everruns_sdk._logging import logger

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
        except ValidationError as exc:
            rejected: ValidationError | None = exc
    else:
        rejected = None
    try:
        # The fields every event has must be there even for a lenient known event.
        generic = unknown.model_validate({**obj, "type": "unknown", "original_type": event_type})
    except ValidationError as exc:
        raise EventDecodeError(
            f"{_shown(event_type)!r} event is not an event: {_problems(exc)}"
        ) from exc
    return generic if cls is None else lenient(cls, obj, rejected)


def lenient(cls: type[BaseModel], obj: dict[str, Any], exc: ValidationError | None) -> BaseModel:
    """`obj` as a `cls` although it does not validate: nested models (`data`, `context`)
    that validate on their own are validated, every other value is kept as sent; the
    problem is logged (warning)."""
    if exc is None:
        try:
            cls.model_validate(obj)
        except ValidationError as error:
            exc = error
    logger.warning(
        "event %s (%s) does not match %s, kept as sent: %s",
        _shown(str(obj.get("id"))),
        _shown(str(obj.get("type"))),
        cls.__name__,
        _problems(exc) if exc is not None else "?",
    )
    return _construct(cls, obj)


def _construct(cls: type[BaseModel], raw: dict[str, Any]) -> BaseModel:
    values: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        key = field.alias or name
        if key not in raw:
            continue
        value = raw[key]
        annotation = field.annotation
        nested = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        if nested and isinstance(value, dict):
            assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
            try:
                value = annotation.model_validate(value)
            except ValidationError:
                value = _construct(annotation, value)
        values[name] = value
    extra = {k: v for k, v in raw.items() if k not in values and k not in cls.model_fields}
    return cls.model_construct(**values, **extra)


def _problems(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors()[:3]
    )


def _shown(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_TYPE else text[: MAX_SHOWN_TYPE - 1] + "\u2026"
