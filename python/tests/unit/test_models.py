"""Generated models and typed events: every model builds and round-trips, unknown fields,
enum values, union branches and event types are kept, and `parse_event` never guesses."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

import everruns_sdk.types as types
from everruns_sdk.testing._contract import load_contract, response_validator
from everruns_sdk.types import (
    EVENT_CLASSES,
    EVENT_TYPES,
    Agent,
    BaseEvent,
    ConnectedEvent,
    ContentPart,
    CreateMessageRequest,
    DisconnectingEvent,
    EventDecodeError,
    EverrunsModel,
    ImageContentPart,
    ImageFileContentPart,
    InputMessage,
    Message,
    OutputMessageDeltaEvent,
    Session,
    TextContentPart,
    UnknownContentPart,
    UnknownEvent,
    parse_event,
)


def _example(schema: dict[str, Any], defs: dict[str, Any], full: bool, depth: int = 0) -> Any:
    """A JSON value matching `schema` (a pydantic or OpenAPI JSON schema).

    Minimal: required properties only (plus constant ones, which carry union tags).
    Full: every property down to a few levels. Self-contained, so that it can also run
    in a subprocess (see test_models_build_whichever_module_is_imported_first).
    """
    if "$ref" in schema:
        target = defs[schema["$ref"].rsplit("/", 1)[-1]]
        return _example(target, defs, full, depth + 1)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], defs, full, depth) if options else None
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = _example(part, defs, full, depth)
            if not isinstance(value, dict):
                return value
            merged.update(value)
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "string":
        if schema.get("format") == "date-time":
            return "2026-01-02T03:04:05.678Z"
        match = re.fullmatch(r"\^(\w+)_\[0-9a-f\]\{32\}\$", schema.get("pattern", ""))
        return f"{match.group(1)}_{'0' * 31}1" if match else "sample"
    if kind == "integer":
        return max(2, schema.get("minimum", 2))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "array":
        items = schema.get("items")
        return [_example(items, defs, full, depth + 1)] if items and depth < 8 else []
    properties = schema.get("properties", {})
    if kind == "object" or properties:
        required = set(schema.get("required", []))
        out: dict[str, Any] = {}
        for name, sub in properties.items():
            if name in required or "const" in sub or (full and depth < 4):
                out[name] = _example(sub, defs, full, depth + 1)
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict) and extra and depth < 8:
            out["key"] = _example(extra, defs, full, depth + 1)
        return out
    return {"any": ["json", 1]}  # untyped (Any)


def _model_example(model: type[EverrunsModel], full: bool) -> Any:
    schema = model.model_json_schema()
    example = _example(schema, schema.get("$defs", {}), full)
    if model is UnknownEvent:  # its wire form: `type` is the type the server sent
        example["type"] = example.pop("original_type", "robot.danced")
    return example


MODEL_NAMES = sorted(
    name
    for name in types.__all__
    if inspect.isclass(getattr(types, name)) and issubclass(getattr(types, name), EverrunsModel)
)
SPEC_SCHEMAS: dict[str, Any] = load_contract()["components"]["schemas"]


def test_public_names_resolve_and_are_many() -> None:
    for name in types.__all__:
        assert getattr(types, name) is not None
    assert len(MODEL_NAMES) > 200
    assert set(dir(types)) >= set(types.__all__)
    with pytest.raises(AttributeError):
        _ = types.NoSuchModel  # type: ignore[attr-defined]


@pytest.mark.parametrize("full", [False, True], ids=["minimal", "full"])
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_model_validates_and_round_trips(name: str, full: bool) -> None:
    model: type[EverrunsModel] = getattr(types, name)
    example = _model_example(model, full)
    instance = model.model_validate(example)
    dumped = instance.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped == example
    assert instance.to_dict() == example
    again = model.model_validate_json(instance.model_dump_json(by_alias=True))
    assert again == instance
    assert model.model_validate_json(instance.to_json()).to_dict() == example


def test_models_build_whichever_module_is_imported_first() -> None:
    """Each generated module, imported alone in a fresh interpreter, validates all of its
    models on first use (no forward reference is left unresolved)."""
    by_module: dict[str, dict[str, Any]] = {}
    for name in MODEL_NAMES:
        model = getattr(types, name)
        by_module.setdefault(model.__module__, {})[name] = _model_example(model, full=True)
    script = textwrap.dedent(
        """
        import importlib, json, sys
        module_name, examples = json.loads(sys.stdin.read())
        module = importlib.import_module(module_name)
        for name, example in examples.items():
            model = getattr(module, name)
            assert model.model_validate(example).to_dict() == example, name
        print(len(examples))
        """
    )
    checked = 0
    for module_name, examples in sorted(by_module.items()):
        result = subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps([module_name, examples]),
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"{module_name}:\n{result.stderr}"
        checked += int(result.stdout)
    assert checked == len(MODEL_NAMES)


# ----- forward compatibility ---------------------------------------------------------

AGENT = {
    "id": "agent_01933b5a000070008000000000000001",
    "name": "support",
    "system_prompt": "You help.",
    "harness_id": "harness_01933b5a000070008000000000000001",
    "status": "active",
    "created_at": "2026-04-01T10:00:00Z",
    "updated_at": "2026-04-01T10:00:00Z",
}


def test_unknown_fields_are_kept_and_dumped() -> None:
    payload = {
        **AGENT,
        "brand_new_field": {"nested": [1, 2]},
        "tools": [
            {"type": "client_side", "name": "t", "description": "d", "parameters": {}, "new": 1}
        ],
    }
    agent = Agent.model_validate(payload)
    assert agent.model_extra == {"brand_new_field": {"nested": [1, 2]}}
    assert agent.model_dump(mode="json")["brand_new_field"] == {"nested": [1, 2]}
    assert json.loads(agent.model_dump_json())["brand_new_field"] == {"nested": [1, 2]}
    assert agent.to_dict() == payload


def test_unknown_enum_values_are_accepted() -> None:
    assert Agent.model_validate({**AGENT, "status": "hibernating"}).status == "hibernating"
    session = Session.model_validate(
        {
            "id": "session_1",
            "organization_id": "org_1",
            "workspace_id": "wsp_1",
            "harness_id": "harness_1",
            "owner_principal_id": "user_1",
            "status": "paused_by_new_feature",
            "created_at": "2026-04-01T10:00:00Z",
            "updated_at": "2026-04-01T10:00:00Z",
        }
    )
    assert session.status == "paused_by_new_feature"
    message = Message.model_validate(
        {"id": "m", "role": "narrator", "content": [], "created_at": "2026-04-01T10:00:00Z"}
    )
    assert message.role == "narrator"


def test_session_status_is_a_string_not_the_specs_object() -> None:
    for status in ("started", "active", "idle", "waiting_for_tool_results"):
        session = Session.model_validate(
            {
                "id": "session_1",
                "organization_id": "org_1",
                "workspace_id": "wsp_1",
                "harness_id": "harness_1",
                "owner_principal_id": "user_1",
                "status": status,
                "created_at": "t",
                "updated_at": "t",
            }
        )
        assert session.status == status


def test_wrapper_fields_are_merged_and_optional() -> None:
    agent = Agent.model_validate(
        {**AGENT, "self_url": "/v1/agents/a", "session_count": 3, "app_count": 0}
    )
    assert (agent.self_url, agent.session_count, agent.app_count) == ("/v1/agents/a", 3, 0)
    assert Agent.model_validate(AGENT).self_url is None
    assert "WithUrls_Agent" not in types.__all__
    assert "ListResponse_Agent" not in types.__all__


def test_aliased_fields_accept_both_names_and_dump_the_wire_name() -> None:
    servers = {"docs": {"url": "https://mcp.example.com", "type": "http"}}
    by_wire = Agent.model_validate({**AGENT, "mcpServers": servers})
    by_name = Agent.model_validate({**AGENT, "mcp_servers": servers})
    assert by_wire.mcp_servers == by_name.mcp_servers
    assert by_wire.to_dict()["mcpServers"] == servers


# ----- content parts -----------------------------------------------------------------

PARTS = TypeAdapter(list[ContentPart])


def test_content_part_union_picks_the_branch_by_type() -> None:
    raw = [
        {"type": "text", "text": "Hello!"},
        {"type": "image", "url": "https://example.com/cat.png"},
        {"type": "image_file", "image_id": "img_1"},
        {"type": "hologram", "frames": 3, "url": "x"},
    ]
    parts = PARTS.validate_python(raw)
    assert [type(p) for p in parts] == [
        TextContentPart,
        ImageContentPart,
        ImageFileContentPart,
        UnknownContentPart,
    ]
    unknown = parts[3]
    assert isinstance(unknown, UnknownContentPart)
    assert unknown.type == "hologram"
    assert unknown.model_extra == {"frames": 3, "url": "x"}
    assert PARTS.dump_python(parts, mode="json", by_alias=True, exclude_unset=True) == raw


def test_content_part_union_inside_a_message() -> None:
    message = Message.model_validate(
        {
            "id": "message_1",
            "role": "agent",
            "created_at": "t",
            "content": [{"type": "text", "text": "hi"}, {"type": "new_kind", "x": 1}],
        }
    )
    assert isinstance(message.content[0], TextContentPart)
    assert isinstance(message.content[1], UnknownContentPart)
    assert message.to_dict()["content"][1] == {"type": "new_kind", "x": 1}


def test_content_part_without_a_type_is_an_error() -> None:
    with pytest.raises(ValidationError):
        PARTS.validate_python([{"text": "no type"}])


def test_a_built_part_always_serializes_its_tag() -> None:
    request = CreateMessageRequest(
        message=InputMessage(content=[TextContentPart(text="Hello!")], role="user")
    )
    assert request.to_dict() == {
        "message": {"content": [{"type": "text", "text": "Hello!"}], "role": "user"}
    }


# ----- events ------------------------------------------------------------------------


def _event(event_type: str, data: Any, **extra: Any) -> dict[str, Any]:
    return {
        "id": "event_01933b5a000070008000000000000001",
        "type": event_type,
        "ts": "2026-05-25T10:00:00.123Z",
        "session_id": "session_01933b5a000070008000000000000001",
        "sequence": 7,
        "context": {"turn_id": "turn_01933b5a000070008000000000000001", "trace_id": "t"},
        "data": data,
        **extra,
    }


SPEC_EVENT_TYPES: dict[str, str] = load_contract()["event_types"]


@pytest.mark.parametrize("event_type", sorted(SPEC_EVENT_TYPES))
def test_parse_event_types_each_known_event(event_type: str) -> None:
    data = _example(SPEC_SCHEMAS[SPEC_EVENT_TYPES[event_type]], SPEC_SCHEMAS, full=True)
    raw = _event(event_type, data, tags=["a"], metadata={"k": "v"})
    response_validator("stream_sse", 200)(raw)  # the payload really follows the spec
    for form in (json.dumps(raw).encode(), json.dumps(raw), raw):
        event = parse_event(form)
        assert type(event) is EVENT_CLASSES[event_type]
        assert event.type == event_type
        assert not isinstance(event.data, dict)
        assert event.to_dict() == raw
        assert parse_event(event.to_json()) == event


def test_event_types_cover_the_spec_and_the_sse_lifecycle() -> None:
    assert set(SPEC_EVENT_TYPES) | {"connected", "disconnecting"} == EVENT_TYPES
    assert set(EVENT_CLASSES) == EVENT_TYPES
    assert all(issubclass(cls, BaseEvent) for cls in EVENT_CLASSES.values())


def test_parse_event_lifecycle_events() -> None:
    connected = parse_event(_event("connected", {"status": "connected"}))
    assert isinstance(connected, ConnectedEvent)
    assert connected.data.status == "connected"
    disconnecting = parse_event(
        _event("disconnecting", {"reason": "connection_cycle", "retry_ms": 100})
    )
    assert isinstance(disconnecting, DisconnectingEvent)
    assert (disconnecting.data.reason, disconnecting.data.retry_ms) == ("connection_cycle", 100)


def test_parse_event_keeps_an_unknown_type() -> None:
    raw = _event("robot.danced", {"style": "waltz", "steps": [1, 2]}, novel={"x": 1})
    event = parse_event(json.dumps(raw))
    assert isinstance(event, UnknownEvent)
    assert event.type == "unknown"  # a tag no known event has: `==` narrows the union
    assert event.original_type == event.wire_type == "robot.danced"
    assert event.data == {"style": "waltz", "steps": [1, 2]}
    assert event.to_dict() == raw  # dumped as sent


def test_parse_event_keeps_the_class_when_known_data_does_not_fit(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Never re-classed: the event arrives as its own class, built leniently, logged."""
    raw = _event("output.message.delta", {"unexpected": True, "delta": 5})
    with caplog.at_level("WARNING", logger="everruns_sdk"):
        event = parse_event(raw)
    assert isinstance(event, OutputMessageDeltaEvent)
    assert event.type == "output.message.delta" and event.id == raw["id"]
    assert event.data.delta == 5  # as sent, not validated
    assert event.to_dict()["data"] == {"unexpected": True, "delta": 5}
    assert "does not match OutputMessageDeltaEvent" in caplog.text
    assert "data.accumulated" in caplog.text


def test_parse_event_tolerates_a_missing_context_and_optional_fields() -> None:
    raw = _event("output.message.delta", {"turn_id": "t", "delta": "He", "accumulated": "He"})
    del raw["context"], raw["sequence"]
    event = parse_event(raw)
    assert isinstance(event, OutputMessageDeltaEvent)
    assert event.data.accumulated == "He"
    assert event.sequence is None


@pytest.mark.parametrize(
    "garbage",
    [
        b"not json",
        b"\xff\xfe",
        "",
        "[]",
        '"output.message.delta"',
        "{}",
        '{"type": 5}',
        '{"type": null, "data": {}}',
        '{"type": "turn.started"}',  # a type but no event fields at all
    ],
)
def test_parse_event_rejects_garbage(garbage: bytes | str) -> None:
    with pytest.raises(EventDecodeError):
        parse_event(garbage)
    assert issubclass(EventDecodeError, ValueError)
