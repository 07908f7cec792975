"""Loading the Everruns OpenAPI spec, correcting its known defects, and walking schemas.

Everything downstream (models, events, contract) reads the spec through `load_spec`, so a
defect is corrected in one place. Each correction says what the spec gets wrong and why
(see "Known defects of the spec" in shared/API-NOTES.md).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REF_PREFIX = "#/components/schemas/"

# Keywords whose value is a map of name -> schema, a list of schemas, or one schema.
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_ONE = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contentSchema",
    }
)
# Annotation keywords that carry prose or samples: never copied into generated output.
_PROSE = frozenset({"description", "example", "examples", "title", "externalDocs", "$comment"})

# The real status values of a Session (API-NOTES).
SESSION_STATUSES = ("started", "active", "idle", "waiting_for_tool_results")


@dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    resource: str
    parameters: list[dict[str, Any]]
    request_body: dict[str, Any] | None
    responses: dict[str, dict[str, Any]]
    streaming: bool = False


@dataclass
class Spec:
    info: dict[str, Any]
    schemas: dict[str, Any]
    operations: list[Operation]
    event_types: dict[str, str]
    sse_only: dict[str, str]
    # Data schemas of EventData's branches (event-types.json plus the ones it does not name).
    event_data_schemas: list[str] = field(default_factory=list)


def ref_name(ref: str) -> str:
    if not ref.startswith(REF_PREFIX):
        raise ValueError(f"unsupported $ref {ref!r} (only {REF_PREFIX}* refs are handled)")
    return ref[len(REF_PREFIX) :]


def make_ref(name: str) -> dict[str, Any]:
    return {"$ref": REF_PREFIX + name}


def strip_prose(schema: Any) -> Any:
    """A copy of `schema` without descriptions, examples, titles and `x-` extensions.

    Property *names* are kept even when they are `description` or `title`: only the
    annotation keywords of a schema are dropped.
    """
    if isinstance(schema, list):
        return [strip_prose(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _PROSE or key.startswith("x-"):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: strip_prose(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS or key in _SCHEMA_ONE:
            out[key] = strip_prose(value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def subschemas(schema: Any) -> Iterator[tuple[str, Any]]:
    """Direct sub-schemas of `schema` as (keyword path, sub-schema) pairs."""
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                yield f"{key}.{name}", sub
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            for i, sub in enumerate(value):
                yield f"{key}[{i}]", sub
        elif key in _SCHEMA_ONE and isinstance(value, dict):
            yield key, value


def iter_refs(schema: Any) -> Iterator[str]:
    """Names of every component referenced (at any depth) by `schema`."""
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        yield ref_name(ref)
    for _, sub in subschemas(schema):
        yield from iter_refs(sub)


def reachable(schemas: dict[str, Any], roots: set[str]) -> set[str]:
    """Component names reachable from `roots` through $ref."""
    seen: set[str] = set()
    stack = sorted(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(sorted(set(iter_refs(schemas[name])) - seen))
    return seen


def _canonical(schema: Any) -> str:
    return json.dumps(strip_prose(schema), sort_keys=True)


def _dedupe_inline_copies(schemas: dict[str, Any], operations: list[Operation]) -> None:
    """Replace inline copies of named object schemas by a $ref to them.

    The spec inlines whole resources inside wrappers (`WithUrls_Agent` holds a copy of
    `Agent`, `ListResponse_Event` a copy of `Event`). Referring to the named schema keeps
    one definition per resource, so a correction made to it applies everywhere.
    """
    by_shape: dict[str, str] = {}
    for name in sorted(schemas):
        schema = schemas[name]
        if isinstance(schema, dict) and "properties" in schema:
            by_shape.setdefault(_canonical(schema), name)

    def visit(schema: Any) -> Any:
        if not isinstance(schema, dict):
            return schema
        if "properties" in schema:
            target = by_shape.get(_canonical(schema))
            if target is not None:
                return make_ref(target)
        for key, value in list(schema.items()):
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                schema[key] = {n: visit(sub) for n, sub in value.items()}
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                schema[key] = [visit(sub) for sub in value]
            elif key in _SCHEMA_ONE and isinstance(value, dict):
                schema[key] = visit(value)
        return schema

    for name in sorted(schemas):
        top = schemas[name]
        for key, sub in list(subschemas(top)):
            _replace_sub(top, key, visit(sub))
    for op in operations:
        for param in op.parameters:
            if "schema" in param:
                param["schema"] = visit(param["schema"])
        for media in _media_objects(op):
            if "schema" in media:
                media["schema"] = visit(media["schema"])


def _replace_sub(schema: dict[str, Any], key: str, value: Any) -> None:
    if "." in key and key.split(".", 1)[0] in _SCHEMA_MAPS:
        kw, name = key.split(".", 1)
        schema[kw][name] = value
    elif key.endswith("]"):
        kw, index = key[:-1].split("[")
        schema[kw][int(index)] = value
    else:
        schema[key] = value


def _media_objects(op: Operation) -> Iterator[dict[str, Any]]:
    if op.request_body:
        yield from op.request_body.get("content", {}).values()
    for response in op.responses.values():
        yield from response.get("content", {}).values()


def _correct_schemas(schemas: dict[str, Any]) -> None:
    # Defect: `components.schemas.SessionStatus` is, by a name collision, an object of
    # another API ({session_id, status, messages}). `Session.status` is really a string
    # enum; unknown values must still be accepted (models make every enum open).
    schemas["SessionStatus"] = {"type": "string", "enum": list(SESSION_STATUSES)}


def _correct_operations(operations: list[Operation]) -> None:
    for op in operations:
        if op.operation_id == "upload_image" and op.request_body:
            # Defect: the multipart body is declared as a bare string; it is a form with a
            # `file` field (API-NOTES "Uploads and raw bodies").
            op.request_body["content"] = {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {
                                "type": "string",
                                "contentMediaType": "application/octet-stream",
                            }
                        },
                    }
                }
            }
        if op.operation_id == "stream_sse":
            # Defect: the SSE operation declares a JSON `Event` response. The body is a
            # `text/event-stream`; each SSE `data:` field carries one Event as JSON.
            op.streaming = True


def _load_operations(raw: dict[str, Any], scope: dict[str, Any]) -> list[Operation]:
    operations: list[Operation] = []
    for entry in scope["operations"]:
        path_item = raw["paths"][entry["path"]]
        op = path_item[entry["method"].lower()]
        if op.get("operationId") != entry["operation_id"]:
            raise ValueError(f"sdk-scope.json and the spec disagree on {entry}")
        params: dict[tuple[str, str], dict[str, Any]] = {}
        for param in [*path_item.get("parameters", []), *op.get("parameters", [])]:
            if "$ref" in param:
                raise ValueError(f"{entry['operation_id']}: parameter $ref is not supported")
            params[(param["name"], param["in"])] = copy.deepcopy(param)
        operations.append(
            Operation(
                operation_id=entry["operation_id"],
                method=entry["method"].upper(),
                path=entry["path"],
                resource=entry["resource"],
                parameters=list(params.values()),
                request_body=copy.deepcopy(op.get("requestBody")),
                responses=copy.deepcopy(op.get("responses", {})),
            )
        )
    return operations


def load_spec(shared: Path) -> Spec:
    """Read the three contract files from `shared/openapi` and correct the spec's defects."""
    folder = shared / "openapi"
    raw = json.loads((folder / "everruns-openapi.json").read_text(encoding="utf-8"))
    scope = json.loads((folder / "sdk-scope.json").read_text(encoding="utf-8"))
    events = json.loads((folder / "event-types.json").read_text(encoding="utf-8"))

    schemas = copy.deepcopy(raw["components"]["schemas"])
    operations = _load_operations(raw, scope)
    _correct_schemas(schemas)
    _correct_operations(operations)
    _dedupe_inline_copies(schemas, operations)

    event_types: dict[str, str] = dict(events["event_types"])
    for event_type, schema_name in event_types.items():
        if schema_name not in schemas:
            raise ValueError(f"event type {event_type!r}: no schema {schema_name!r}")
    # Defect: `EventData` is an untagged oneOf whose branches overlap. It is never used
    # to choose a data model: the event `type` does, through event-types.json. Its
    # branches are still the event data schemas, so they are all generated (this adds
    # the ones event-types.json leaves unnamed, e.g. VoiceTranscriptData).
    data_schemas = set(event_types.values())
    for branch in schemas.get("EventData", {}).get("oneOf", []):
        data_schemas.add(ref_name(branch["$ref"]))

    return Spec(
        info={"title": raw["info"]["title"], "version": raw["info"]["version"]},
        schemas=schemas,
        operations=operations,
        event_types=event_types,
        sse_only=dict(events.get("sse_only", {})),
        event_data_schemas=sorted(data_schemas),
    )


def operation_refs(op: Operation) -> set[str]:
    """Component names an operation refers to directly (parameters, body, responses)."""
    names: set[str] = set()
    for param in op.parameters:
        names.update(iter_refs(param.get("schema", {})))
    for media in _media_objects(op):
        names.update(iter_refs(media.get("schema", {})))
    return names
