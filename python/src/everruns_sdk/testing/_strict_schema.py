"""Schema walks for strict mode that JSON Schema alone does not give.

The spec's object schemas do not say ``additionalProperties: false``, so a validator
accepts a misspelled field. `unknown_fields` finds the keys of a request body that no
schema branch declares (recursively), treating an object schema as closed unless it
has ``additionalProperties`` or declares no properties at all (a free-form object).
`coerce_query` turns a query string value into the JSON type its parameter schema
wants, so that it can be validated like a body.
"""

from __future__ import annotations

from typing import Any

__all__ = ["coerce_query", "resolve", "unknown_fields"]

JSON = dict[str, Any]
_COMPOSITIONS = ("allOf", "oneOf", "anyOf")


def resolve(schema: Any, components: JSON) -> JSON:
    """Follow ``$ref`` (``#/components/schemas/X``) until a schema without one."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 32:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        schema = components["schemas"].get(name, {})
        seen += 1
    return schema if isinstance(schema, dict) else {}


def _types(schema: JSON) -> set[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {str(k) for k in kind}
    return set()


def _describes_object(schema: JSON) -> bool:
    kinds = _types(schema)
    return bool(
        "object" in kinds
        or "properties" in schema
        or "additionalProperties" in schema
        or any(k in schema for k in _COMPOSITIONS)
        or not kinds
    )


def _object_shape(schema: JSON, components: JSON) -> tuple[dict[str, JSON], Any, bool]:
    """(declared properties, schema for other keys or None, open?) over every branch."""
    schema = resolve(schema, components)
    props: dict[str, JSON] = dict(schema.get("properties") or {})
    extra = schema.get("additionalProperties")
    is_open = extra is True or (extra is None and not props and not _has_branches(schema))
    others: Any = extra if isinstance(extra, dict) else None
    for key in _COMPOSITIONS:
        for branch in schema.get(key) or []:
            sub = resolve(branch, components)
            if not _describes_object(sub):
                continue
            sub_props, sub_others, sub_open = _object_shape(sub, components)
            for name, prop in sub_props.items():
                props.setdefault(name, prop)
            others = others if others is not None else sub_others
            is_open = is_open or sub_open
    return props, others, is_open


def _has_branches(schema: JSON) -> bool:
    return any(schema.get(k) for k in _COMPOSITIONS)


def _items_schema(schema: JSON, components: JSON) -> Any:
    schema = resolve(schema, components)
    if "items" in schema:
        return schema["items"]
    for key in _COMPOSITIONS:
        for branch in schema.get(key) or []:
            sub = resolve(branch, components)
            if "items" in sub:
                return sub["items"]
    return None


def unknown_fields(value: Any, schema: Any, components: JSON, where: str = "") -> list[str]:
    """The dotted locations (``tools[0].nmae``) of keys no schema branch declares."""
    found: list[str] = []
    if isinstance(value, dict):
        props, others, is_open = _object_shape(schema, components)
        for key, item in value.items():
            here = f"{where}.{key}" if where else key
            if key in props:
                found += unknown_fields(item, props[key], components, here)
            elif others is not None:
                found += unknown_fields(item, others, components, here)
            elif not is_open:
                found.append(here)
    elif isinstance(value, list):
        items = _items_schema(schema, components)
        if items is not None:
            for index, item in enumerate(value):
                found += unknown_fields(item, items, components, f"{where}[{index}]")
    return found


def _wanted_types(schema: JSON, components: JSON) -> set[str]:
    schema = resolve(schema, components)
    kinds = _types(schema)
    for key in _COMPOSITIONS:
        for branch in schema.get(key) or []:
            kinds |= _wanted_types(branch, components)
    return kinds


def coerce_query(raw: str, schema: Any, components: JSON) -> Any:
    """A query value as the JSON type its schema wants (unchanged when none fits)."""
    kinds = _wanted_types(resolve(schema, components), components)
    if "integer" in kinds:
        try:
            return int(raw)
        except ValueError:
            pass
    if "number" in kinds:
        try:
            return float(raw)
        except ValueError:
            pass
    if "boolean" in kinds and raw in ("true", "false"):
        return raw == "true"
    return raw
