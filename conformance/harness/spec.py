"""The spec (``$SHARED/openapi/everruns-openapi.json``) as the ID check needs it: which
operation a request is, and the schema of a parameter, a body field, a response field or
an event's field, with the patterns a string there must match.

A schema is looked at through its alternatives (``$ref`` followed, ``oneOf``/``anyOf``/
``allOf`` flattened); ``None`` stands for "not in the spec".
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .server import REPO

Schema = dict[str, Any]
FREE: Schema = {}  # in the spec, with no constraint (an open object, any value)
_COMBINATORS = ("oneOf", "anyOf", "allOf")
_ANNOTATIONS = {"description", "title", "example", "examples", "default", "deprecated"}
_ANNOTATIONS |= {"readOnly", "writeOnly", "nullable", "discriminator"}
# "(format: agent_{32-hex})" or "(agent_<32-hex>)" in a description: the pattern the spec
# means without a `pattern` keyword (most of its ID fields say it only this way).
_FORMAT = re.compile(r"\b([a-z]+)_(?:\{32-hex\}|<32-hex>)")


def _constraints(schema: Schema) -> set[str]:
    """The keys of ``schema`` that say what a value may be (not annotations, not ``x-``)."""
    return {k for k in schema if k not in _ANNOTATIONS and not k.startswith("x-")}


def shared_dir() -> Path:
    """``$SHARED`` (``make`` sets it), else ``../shared`` next to the repository."""
    return Path(os.environ.get("SHARED") or REPO.parent / "shared")


def _template(path: str) -> re.Pattern[str]:
    parts = path.strip("/").split("/")
    out = []
    for index, part in enumerate(parts):
        name = re.fullmatch(r"\{(\w+)\}", part)
        if name is None:
            out.append(re.escape(part))
        elif index == len(parts) - 1 and name.group(1) == "path":
            out.append(f"(?P<{name.group(1)}>.+)")  # a file path: the rest of the URL
        else:
            out.append(f"(?P<{name.group(1)}>[^/]*)")
    return re.compile("/".join(out))


class Spec:
    def __init__(self, doc: dict[str, Any], event_types: dict[str, str], scope: list[Any]) -> None:
        self.doc = doc
        self.event_types = event_types
        self.ops: dict[str, Schema] = {}  # sdk-scope operation_id -> the spec's operation
        self._routes: list[tuple[str, re.Pattern[str], int, Schema]] = []
        for path, item in doc["paths"].items():
            literals = sum("{" not in part for part in path.split("/"))
            for method, op in item.items():
                self._routes.append((method.upper(), _template(path), literals, op))
        for entry in scope:
            self.ops[entry["operation_id"]] = doc["paths"][entry["path"]][entry["method"].lower()]

    @classmethod
    def load(cls, shared: Path | None = None) -> Spec:
        openapi = (shared or shared_dir()) / "openapi"

        def read(name: str) -> Any:
            return json.loads((openapi / name).read_text(encoding="utf-8"))

        scope = read("sdk-scope.json")["operations"]
        return cls(read("everruns-openapi.json"), read("event-types.json")["event_types"], scope)

    # -- operations ------------------------------------------------------------------

    def route(self, method: str, path: str) -> tuple[Schema, dict[str, str]] | None:
        """The operation ``method path`` is (the most literal template wins) and the raw
        value of each path parameter."""
        path = path.split("?", 1)[0].removeprefix("/api").strip("/")
        best: tuple[int, Schema, dict[str, str]] | None = None
        for verb, pattern, literals, op in self._routes:
            match = pattern.fullmatch(path) if verb == method.upper() else None
            if match and (best is None or literals > best[0]):
                best = (literals, op, match.groupdict())
        return (best[1], best[2]) if best else None

    @staticmethod
    def param(op: Schema, name: str, where: str | None = None) -> Schema | None:
        for p in op.get("parameters", []):
            if p["name"] == name and (where is None or p["in"] == where):
                schema: Schema = p.get("schema", FREE)
                if p.get("description"):  # it says the format, as a field's does
                    return {"allOf": [schema], "description": p["description"]}
                return schema
        return None

    def body(self, op: Schema, kind: str = "application/json") -> Schema | None:
        content = op.get("requestBody", {}).get("content", {})
        for media, entry in content.items():
            if media.startswith(kind):
                schema: Schema = entry.get("schema", FREE)
                return schema
        return None

    def response(self, op: Schema) -> Schema | None:
        """The first 2xx answer's schema; a JSON array shows as ``{"data": [...]}`` (what
        the drivers answer for a list)."""
        for status, answer in sorted(op.get("responses", {}).items()):
            if not status.startswith("2"):
                continue
            content = answer.get("content")
            if not content:
                return FREE
            media, entry = next(iter(content.items()))
            schema: Schema = entry.get("schema", FREE)
            if media.startswith("application/json") and self.resolve(schema).get("type") == "array":
                return {"type": "object", "properties": {"data": schema}}
            return schema
        return None

    def event(self, event_type: str | None) -> Schema:
        """The Event schema, its ``data`` the schema of that type's payload (``None``:
        a type the spec does not define)."""
        event = self.resolve({"$ref": "#/components/schemas/Event"})
        data_name = self.event_types.get(event_type or "")
        data: Schema | None = {"$ref": f"#/components/schemas/{data_name}"} if data_name else None
        props = {**event.get("properties", {}), "data": data}
        return {**event, "properties": props}

    # -- schemas ---------------------------------------------------------------------

    def resolve(self, schema: Schema) -> Schema:
        seen = 0
        while "$ref" in schema and seen < 32:
            node: Any = self.doc
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema, seen = node, seen + 1
        return schema

    def alternatives(self, schema: Schema | None, described: str | None = None) -> list[Schema]:
        """The schemas a value there may match, each with the description that applies
        (a property's or parameter's own description wins over its type's)."""
        if schema is None:
            return []
        described = schema.get("description") or described  # a $ref's sibling
        schema = self.resolve(schema)
        described = described or schema.get("description")
        found: list[Schema] = []
        for key in _COMBINATORS:
            for branch in schema.get(key, []):
                found += self.alternatives(branch, described)
        rest = {k: v for k, v in schema.items() if k not in _COMBINATORS}
        if _constraints(rest) or not found:
            found.append({**rest, "description": described} if described else rest)
        return found

    def field(self, schema: Schema | None, key: str) -> Schema | None:
        """The schema of property ``key`` of an object of ``schema``: the alternatives
        that name it, else those open to any key (``allOf`` parts are alternatives too,
        so a part that names the key is not undone by one that does not)."""
        named: list[Schema] = []
        open_: list[Schema] = []
        for alt in self.alternatives(schema):
            props = alt.get("properties", {})
            extra = alt.get("additionalProperties")
            if key in props:
                named.append(props[key])
            elif isinstance(extra, dict):
                open_.append(extra)
            elif extra is True or (alt.get("type") in (None, "object") and not props):
                open_.append(FREE)
        found = named or open_
        return {"anyOf": found} if found else None

    def items(self, schema: Schema | None) -> Schema | None:
        found = [
            alt["items"] for alt in self.alternatives(schema) if isinstance(alt.get("items"), dict)
        ]
        found += [FREE for alt in self.alternatives(schema) if not _constraints(alt)]
        return {"anyOf": found} if found else None

    def patterns(self, schema: Schema) -> list[str]:
        """The patterns a string there must match one of (empty: any string will do): a
        ``pattern``, or the format a description gives (``format: agent_{32-hex}``).
        Alternatives count as a union (``allOf`` too: enough for ID fields)."""
        pats: list[str] = []
        for alt in self.alternatives(schema):
            kind = alt.get("type")
            takes_string = (
                kind is None or kind == "string" or (isinstance(kind, list) and "string" in kind)
            )
            if not takes_string or "enum" in alt or "const" in alt:
                continue
            if "pattern" in alt:
                pats.append(alt["pattern"])
                continue
            said = _FORMAT.findall(alt.get("description") or "")
            if not said:
                return []  # a string with no pattern is allowed here
            pats += [f"^{prefix}_[0-9a-f]{{32}}$" for prefix in said]
        return pats
