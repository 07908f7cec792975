"""The compact contract (testing/contract.json) and its validators."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from everruns_sdk.testing._contract import (
    ContractViolation,
    load_contract,
    operation,
    request_validator,
    response_validator,
)

CONTRACT = load_contract()
SCHEMAS: dict[str, Any] = CONTRACT["components"]["schemas"]


def _walk(node: Any, in_properties: bool = False) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value, in_properties
            yield from _walk(value, in_properties=key == "properties")
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def test_contract_lists_the_85_operations() -> None:
    assert len(CONTRACT["operations"]) == 85
    for operation_id, entry in CONTRACT["operations"].items():
        assert entry["operation_id"] == operation_id
        assert entry["method"] in {"GET", "POST", "PUT", "PATCH", "DELETE"}
        assert entry["path"].startswith("/v1/")


def test_every_ref_resolves_and_only_reachable_schemas_are_kept() -> None:
    refs = {
        value.rsplit("/", 1)[-1]
        for key, value, _ in _walk(CONTRACT)
        if key == "$ref" and isinstance(value, str)
    }
    assert refs <= set(SCHEMAS)
    assert "EventData" not in SCHEMAS  # replaced by a per-type choice in Event
    assert "AgentMessage" not in SCHEMAS  # only reachable through the bogus SessionStatus


def test_no_prose_or_examples() -> None:
    for key, _, in_properties in _walk(CONTRACT):
        if not in_properties:
            assert key not in {"description", "example", "examples"}


def test_defects_are_corrected() -> None:
    assert SCHEMAS["SessionStatus"] == {
        "type": "string",
        "enum": ["started", "active", "idle", "waiting_for_tool_results"],
    }
    sse = operation("stream_sse")
    assert sse["streaming"] == "text/event-stream"
    assert list(sse["responses"]["200"]) == ["text/event-stream"]
    assert operation("get_agent")["responses"]["404"]["application/problem+json"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }


def test_array_parameters_are_marked_as_repeated_keys() -> None:
    params = {p["name"]: p for p in operation("list_events")["parameters"]}
    for name in ("types", "exclude", "tags"):
        assert params[name]["array"] is True
        assert params[name]["explode"] is True
    assert "array" not in params["limit"]


def test_schemas_are_valid_draft_2020_12() -> None:
    for schema in SCHEMAS.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_response_validator_accepts_and_rejects() -> None:
    check = response_validator("create_workspace", 201)
    check(
        {
            "id": "wsp_1",
            "name": "w",
            "status": "active",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
        }
    )
    with pytest.raises(ContractViolation) as info:
        check({"id": 1, "name": "w"})
    message = str(info.value)
    assert "at $.id: 1 is not of type 'string'" in message
    assert "'status' is a required property" in message
    assert len(info.value.problems) >= 4


def test_error_responses_are_problem_details_or_the_legacy_shape() -> None:
    for status in (404, 429, 502):  # declared or not, every error has the same body
        check = response_validator("get_session", status)
        check({"title": "Not Found", "status": status, "code": "session_not_found"})
        check({"error": {"code": "not_found", "message": "no such session"}})
        with pytest.raises(ContractViolation):
            check("<html>Bad gateway</html>")
    with pytest.raises(KeyError):
        response_validator("get_session", 299)


def test_bodiless_and_non_json_responses() -> None:
    response_validator("delete_agent", 204)(None)
    with pytest.raises(ContractViolation):
        response_validator("delete_agent", 204)({"unexpected": True})
    response_validator("export_agent", 200)("---\nname: a\n---\nprompt")


def test_event_data_is_checked_by_event_type() -> None:
    check = response_validator("stream_sse", 200)
    event = {
        "id": "event_1",
        "type": "input.message",
        "ts": "2026-01-01T00:00:00Z",
        "session_id": "session_1",
        "context": {},
        "data": {
            "message": {
                "id": "message_1",
                "role": "user",
                "content": [{"type": "text", "text": "Hello!"}],
                "created_at": "2026-01-01T00:00:00Z",
            }
        },
    }
    check(event)  # valid although it matches two branches of the spec's EventData
    check({**event, "type": "brand.new.type", "data": {"anything": 1}})
    with pytest.raises(ContractViolation):
        check({**event, "type": "output.message.delta"})


def test_request_validator() -> None:
    check = request_validator("create_message")
    check({"message": {"role": "user", "content": [{"type": "text", "text": "Hello!"}]}})
    with pytest.raises(ContractViolation):
        check({"message": {"content": "Hello!"}})
    request_validator("submit_tool_results")(
        {"tool_results": [{"tool_call_id": "call_1", "result": {"ok": True}}]}
    )
