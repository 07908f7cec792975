"""`parse_sse_event` (the SSE `event:` field picks the class, which validates the JSON in
one pass) always gives what `parse_event` gives, and event classes cost nothing extra to
validate; tagged unions still always serialize their tag."""

from __future__ import annotations

import json
from typing import Any

import pytest

from everruns_sdk.types import (
    CreateMessageRequest,
    EventDecodeError,
    InputMessage,
    OutputMessageDeltaEvent,
    TextContentPart,
    TurnStartedEvent,
    parse_event,
    parse_sse_event,
)
from everruns_sdk.types.events import EVENT_CLASSES


def _event(event_type: Any, data: Any, **extra: Any) -> dict[str, Any]:
    return {
        "id": "event_01933b5a000070008000000000000001",
        "type": event_type,
        "ts": "2026-05-25T10:00:00.123Z",
        "session_id": "session_01933b5a000070008000000000000001",
        "data": data,
        **extra,
    }


DELTA = {"turn_id": "t", "delta": "He", "accumulated": "He"}


def _same(sse_name: str, raw: bytes | str) -> Any:
    """parse_sse_event and parse_event agree (same class and fields, or same error)."""
    try:
        expected: Any = parse_event(raw)
    except EventDecodeError as exc:
        with pytest.raises(EventDecodeError) as caught:
            parse_sse_event(sse_name, raw)
        assert str(caught.value) == str(exc)
        return exc
    got = parse_sse_event(sse_name, raw)
    assert type(got) is type(expected)
    assert got == expected
    assert got.to_dict() == expected.to_dict()
    return got


CASES: list[tuple[str, Any]] = [
    ("output.message.delta", _event("output.message.delta", DELTA)),
    ("output.message.delta", _event("output.message.delta", DELTA, novel={"x": [1]})),
    ("output.message.delta", _event("output.message.delta", {"unexpected": True})),
    ("output.message.delta", _event("turn.started", {"turn_id": "t", "input_message_id": "m"})),
    ("output.message.delta", _event("robot.danced", {"style": "waltz"})),
    ("robot.danced", _event("robot.danced", {"style": "waltz"})),
    ("message", _event("output.message.delta", DELTA)),
    ("output.message.delta", {k: v for k, v in _event("x", DELTA).items() if k != "type"}),
    ("output.message.delta", _event(5, DELTA)),
    ("output.message.delta", _event("output.message.delta", DELTA, id=None)),
    ("connected", _event("connected", {"status": "connected"})),
    ("output.message.delta", [1, 2]),
    ("output.message.delta", "not an object"),
]


@pytest.mark.parametrize("form", ["bytes", "str"])
@pytest.mark.parametrize(("sse_name", "payload"), CASES)
def test_parse_sse_event_equals_parse_event(sse_name: str, payload: Any, form: str) -> None:
    text = json.dumps(payload)
    _same(sse_name, text.encode() if form == "bytes" else text)


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"",
        b"\xff\xfe",
        b'{"type": "output.message.delta"',
        # json.loads takes these, pydantic's parser does not: json.loads decides
        json.dumps(_event("output.message.delta", {**DELTA, "delta": "\ud800"})).encode(),
        ("[" * 300 + "]" * 300).encode(),
        b'{"id":"e","type":"output.message.delta","ts":"t","session_id":"s","data":'
        + b'{"turn_id":"t","delta":"\\ud83d","accumulated":"x"}}',
    ],
)
def test_parse_sse_event_equals_parse_event_on_odd_json(raw: bytes) -> None:
    _same("output.message.delta", raw)


def test_a_lone_surrogate_escape_is_still_typed() -> None:
    raw = json.dumps(_event("output.message.delta", {**DELTA, "delta": "\ud800"}))
    event = parse_sse_event("output.message.delta", raw)
    assert isinstance(event, OutputMessageDeltaEvent)
    assert event.data.delta == "\ud800"


def test_known_type_takes_its_class_directly() -> None:
    event = parse_sse_event(
        "output.message.delta", json.dumps(_event("output.message.delta", DELTA))
    )
    assert isinstance(event, OutputMessageDeltaEvent)
    assert event.data.accumulated == "He"
    mismatch = parse_sse_event(
        "output.message.delta",
        json.dumps(_event("turn.started", {"turn_id": "t", "input_message_id": "m"})),
    )
    assert isinstance(mismatch, TurnStartedEvent)  # the JSON `type` wins


def test_event_without_type_is_never_made_up_from_the_sse_name() -> None:
    payload = _event("x", DELTA)
    del payload["type"]
    with pytest.raises(EventDecodeError):
        parse_sse_event("output.message.delta", json.dumps(payload))


def test_bad_data_of_a_known_type_keeps_its_class() -> None:
    event = parse_sse_event(
        "output.message.delta", json.dumps(_event("output.message.delta", {"x": 1}))
    )
    assert isinstance(event, OutputMessageDeltaEvent)
    assert (event.type, event.to_dict()["data"]) == ("output.message.delta", {"x": 1})


def test_event_classes_require_their_type_and_run_no_python_after_validation() -> None:
    for cls in EVENT_CLASSES.values():
        assert cls.model_fields["type"].is_required(), cls
        assert cls.__pydantic_post_init__ is None, cls
    with pytest.raises(ValueError):
        OutputMessageDeltaEvent.model_validate(
            {k: v for k, v in _event("x", DELTA).items() if k != "type"}
        )


# ----- tagged unions: the tag is serialized, at no cost to validation --------------------


def test_tagged_models_run_no_python_after_validation() -> None:
    assert TextContentPart.__pydantic_post_init__ is None


def test_a_built_part_serializes_its_tag_everywhere() -> None:
    part = TextContentPart(text="hi")
    assert part.model_fields_set == {"text"}
    assert part.to_dict() == {"type": "text", "text": "hi"}
    assert json.loads(part.to_json()) == {"type": "text", "text": "hi"}
    assert part.model_dump(exclude_unset=True) == {"type": "text", "text": "hi"}
    assert part.model_dump() == {"type": "text", "text": "hi"}
    request = CreateMessageRequest(message=InputMessage(content=[part], role="user"))
    assert request.to_json() == (
        '{"message":{"content":[{"type":"text","text":"hi"}],"role":"user"}}'
    )


def test_an_explicit_include_or_exclude_of_the_tag_is_respected() -> None:
    part = TextContentPart(text="hi")
    assert part.model_dump(exclude_unset=True, exclude={"type"}) == {"text": "hi"}
    assert part.model_dump(exclude_unset=True, include={"text"}) == {"text": "hi"}
    request = CreateMessageRequest(message=InputMessage(content=[part], role="user"))
    dumped = request.model_dump(exclude_unset=True, exclude={"message": {"content": {0: {"type"}}}})
    assert dumped == {"message": {"content": [{"text": "hi"}], "role": "user"}}


def test_a_validated_part_without_its_tag_gets_it_back_on_dump() -> None:
    assert TextContentPart.model_validate({"text": "x"}).to_dict() == {"type": "text", "text": "x"}
    assert TextContentPart.model_construct(text="x").to_dict() == {"type": "text", "text": "x"}


def test_serialization_schema_of_a_tagged_model_is_its_own() -> None:
    schema = TextContentPart.model_json_schema(mode="serialization")
    assert set(schema["properties"]) == {"type", "text"}
