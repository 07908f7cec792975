"""The compact contract (src/everruns_sdk/testing/contract.json).

The 85 operations of sdk-scope.json with their parameters, bodies and responses, and the
schemas they reach, prose and examples removed (the spec's create_session example even
lacks the required `workspace_id`), the spec's defects corrected. It is read
by the local server and the contract tests (`everruns_sdk.testing._contract`), and is a
Draft 2020-12 document: `{"$ref": "#/components/schemas/X"}` resolves against it.
"""

from __future__ import annotations

import json
from typing import Any

from .spec import Operation, Spec, make_ref, reachable, ref_name, strip_prose

ERROR_BODY = "ErrorBody"
LEGACY_ERROR = "LegacyErrorResponse"
ERROR_CONTENT_TYPES = ("application/problem+json", "application/json")


def _error_schemas() -> dict[str, Any]:
    # Defect: most error responses are declared without a body. Every error body is a
    # problem details document (ErrorResponse in the spec) or, from older servers,
    # {"error": {"code": ..., "message": ...}} (API-NOTES "Responses and errors").
    return {
        LEGACY_ERROR: {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                }
            },
        },
        ERROR_BODY: {"anyOf": [make_ref("ErrorResponse"), make_ref(LEGACY_ERROR)]},
    }


def _event_schema(spec: Spec) -> dict[str, Any]:
    # Defect: Event.data is the untagged, overlapping oneOf EventData (an input.message
    # payload matches two branches, so `oneOf` rejects valid events). The data schema is
    # chosen by the event `type` instead: one if/then per known type; an unknown type only
    # needs an object (forward compatibility).
    event: dict[str, Any] = strip_prose(spec.schemas["Event"])
    event["properties"]["data"] = {"type": "object"}
    rules: list[dict[str, Any]] = []
    for event_type in sorted(spec.event_types):
        rules.append(
            {
                "if": {"properties": {"type": {"const": event_type}}, "required": ["type"]},
                "then": {"properties": {"data": make_ref(spec.event_types[event_type])}},
            }
        )
    rules.append(
        {
            "if": {"properties": {"type": {"const": "disconnecting"}}, "required": ["type"]},
            "then": {
                "properties": {
                    "data": {
                        "type": "object",
                        "properties": {
                            "reason": {"type": ["string", "null"]},
                            "retry_ms": {"type": ["integer", "null"]},
                        },
                    }
                }
            },
        }
    )
    event["allOf"] = rules
    return event


def _schema_or_none(media: dict[str, Any]) -> Any:
    schema = media.get("schema")
    return strip_prose(schema) if schema is not None else None


def _operation(op: Operation) -> dict[str, Any]:
    params = []
    for param in op.parameters:
        schema = strip_prose(param.get("schema", {}))
        entry: dict[str, Any] = {
            "name": param["name"],
            "in": param["in"],
            "required": bool(param.get("required", False)),
            "schema": schema,
        }
        if schema.get("type") == "array" or "array" in (schema.get("type") or []):
            # Arrays are sent as repeated keys (`?types=a&types=b`), never comma-joined.
            entry["array"] = True
            entry["style"] = param.get("style", "form")
            entry["explode"] = param.get("explode", True)
        params.append(entry)

    body = None
    if op.request_body:
        body = {
            "required": bool(op.request_body.get("required", False)),
            "content": {
                ct: _schema_or_none(media)
                for ct, media in op.request_body.get("content", {}).items()
            },
        }

    responses: dict[str, dict[str, Any]] = {}
    headers: dict[str, dict[str, Any]] = {}
    for status, response in op.responses.items():
        content = {ct: _schema_or_none(media) for ct, media in response.get("content", {}).items()}
        if status[0] in "45":
            content = {ct: make_ref(ERROR_BODY) for ct in ERROR_CONTENT_TYPES}
        responses[status] = content
        if response.get("headers"):
            headers[status] = {
                name: strip_prose(h.get("schema", {})) for name, h in response["headers"].items()
            }

    out: dict[str, Any] = {
        "operation_id": op.operation_id,
        "method": op.method,
        "path": op.path,
        "resource": op.resource,
        "parameters": params,
        "request_body": body,
        "responses": responses,
    }
    if headers:
        out["response_headers"] = headers
    if op.streaming:
        # Each SSE `data:` field is one JSON Event; the response itself is not JSON.
        out["streaming"] = "text/event-stream"
        out["responses"]["200"] = {"text/event-stream": make_ref("Event")}
    return out


def build_contract(spec: Spec) -> dict[str, Any]:
    operations = {op.operation_id: _operation(op) for op in spec.operations}
    schemas: dict[str, Any] = {name: strip_prose(s) for name, s in spec.schemas.items()}
    schemas["Event"] = _event_schema(spec)
    schemas.update(_error_schemas())

    roots = {ERROR_BODY, "Event", "EventContext", *spec.event_data_schemas}
    for op in operations.values():
        roots.update(_refs(op))
    keep = reachable(schemas, roots)
    for name in keep:
        if name not in schemas:
            raise ValueError(f"contract refers to a missing schema {name!r}")

    return {
        "about": (
            "Generated by codegen/generate.py from the Everruns OpenAPI spec "
            f"{spec.info['version']}: the operations the SDK covers, with the spec's "
            "known defects corrected. Do not edit."
        ),
        "openapi_version": spec.info["version"],
        "operations": operations,
        "error_response": make_ref(ERROR_BODY),
        "event_types": dict(sorted(spec.event_types.items())),
        "sse_only_event_types": sorted(spec.sse_only),
        "components": {"schemas": {name: schemas[name] for name in sorted(keep)}},
    }


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref_name(ref))
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def render_contract(spec: Spec) -> str:
    """The contract as JSON: one line per operation and per schema (small, diffable)."""
    contract = build_contract(spec)

    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    out = ["{"]
    keys = list(contract)
    for i, key in enumerate(keys):
        value = contract[key]
        comma = "," if i < len(keys) - 1 else ""
        if key == "operations":
            out.append(f' "operations": {{{_lines(value, line)}\n }}{comma}')
        elif key == "components":
            out.append(
                f' "components": {{"schemas": {{{_lines(value["schemas"], line)}\n }}}}{comma}'
            )
        else:
            out.append(f" {json.dumps(key)}: {line(value)}{comma}")
    out.append("}")
    return "\n".join(out) + "\n"


def _lines(mapping: dict[str, Any], line: Any) -> str:
    return ",".join(f"\n  {json.dumps(k)}: {line(v)}" for k, v in mapping.items())
