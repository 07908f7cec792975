"""From corrected spec schemas to one language-neutral model of the SDK's definitions.

A definition is a model (an object with fields), an alias (an enum, a plain type, a map or
an untagged union) or a tagged union with an unknown member. Types are trees of `TypeExpr`
nodes (`any`, scalars, `ref`, `array`, `map`, `literal`, `union`), so each renderer
(python.py, typescript.py, rust.py) spells them in its own language from the same reading
of the spec. Each definition knows the names it depends on, so a renderer can order
definitions, break cycles and import across modules. Module assignment (`assign_modules`)
keeps the module import graph acyclic (domain -> messages -> common), for every language.
"""

from __future__ import annotations

import keyword
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeAlias

from .spec import Spec, operation_refs, reachable, ref_name

# Spec names we do not want as public names. Each is either a leak of the server's
# implementation (BTreeMap is a Rust type), too vague out of context (GetResponse), or
# a lowercase "id" schema that becomes a plain `str` alias.
RENAMES: dict[str, str] = {
    "BTreeMap": "McpServers",
    "McpServersValue": "McpServerConfig",
    # Every error body is an RFC 9457 problem details document (API-NOTES): the spec's
    # ErrorResponse is that shape, so the model carries the name users look for.
    "ErrorResponse": "ProblemDetails",
    "GetResponse": "GetPathResponse",
    "agentId": "AgentId",
    "agentverId": "AgentVersionId",
    "eventId": "EventId",
    "harnessId": "HarnessId",
}

# Components that are not generated as models.
#  - EventData: see spec.load_spec; the data model is chosen by the event type.
#  - Event: typed events live in types/events.py (BaseEvent + one class per type).
NOT_GENERATED = frozenset({"EventData", "Event"})

LIST_PREFIXES = ("ListResponse_", "PaginatedResponse_")
WRAPPER_PREFIXES = ("WithUrls_", "ResourceWithCounts_")

# Attributes of pydantic.BaseModel (and of EverrunsModel) a field must not shadow.
RESERVED_FIELD_NAMES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "to_dict",
        "to_json",
        "update_forward_refs",
        "validate",
    }
)
# Names used inside generated annotations: a field must not shadow them in a class body.
ANNOTATION_NAMES = frozenset(
    {"Any", "Literal", "Annotated", "TypeAlias", "str", "int", "float", "bool", "dict", "list"}
)


def pascal(name: str) -> str:
    """`tool_calls` -> `ToolCalls`, `output.message.delta` -> `OutputMessageDelta`."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", name) if p]
    return "".join(p[0].upper() + p[1:] for p in parts)


def snake(name: str) -> str:
    """`mcpServers` -> `mcp_servers`; already-snake names are unchanged."""
    out = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    out = re.sub(r"[^0-9A-Za-z_]+", "_", out).lower()
    if out and out[0].isdigit():
        out = "f_" + out
    return out


def field_name(wire: str) -> str:
    """The Python attribute for a wire field name (aliased when they differ)."""
    name = snake(wire)
    if keyword.iskeyword(name) or name in RESERVED_FIELD_NAMES or name in ANNOTATION_NAMES:
        name += "_"
    return name


TypeKind: TypeAlias = Literal[
    "any", "string", "integer", "number", "boolean", "ref", "array", "map", "literal", "union"
]
JsonScalar: TypeAlias = str | int | float | bool


@dataclass(frozen=True)
class TypeExpr:
    """A language-neutral type.

    - `any`: any JSON value (also what an open object's values are);
    - `string`, `integer`, `number`, `boolean`: scalars (`format` as the spec gives it:
      `date-time`, `int64`, ...);
    - `ref`: the definition named `name`;
    - `array` / `map`: a list of / an object with string keys of `args[0]`;
    - `literal`: one of `values`; with `open`, any other string too (an enum that
      accepts values newer servers send);
    - `union`: one of `args` (no two alike).
    `nullable`: JSON `null` is a value of this type too.
    """

    kind: TypeKind
    name: str = ""
    args: tuple[TypeExpr, ...] = ()
    values: tuple[JsonScalar, ...] = ()
    open: bool = False
    nullable: bool = False
    format: str = ""

    @property
    def deps(self) -> frozenset[str]:
        """The definitions this type names."""
        if self.kind == "ref":
            return frozenset({self.name})
        return frozenset().union(*(a.deps for a in self.args))

    def non_null(self) -> TypeExpr:
        return replace(self, nullable=False) if self.nullable else self


ANY = TypeExpr("any", nullable=True)
STRING = TypeExpr("string")
OPEN_OBJECT = TypeExpr("map", args=(ANY,))  # an object whose members are free-form


def ref(name: str, *, nullable: bool = False) -> TypeExpr:
    return TypeExpr("ref", name=name, nullable=nullable)


def literal(values: Iterable[JsonScalar], *, open: bool) -> TypeExpr:
    return TypeExpr("literal", values=tuple(values), open=open)


@dataclass
class FieldDef:
    py_name: str
    wire_name: str
    type: TypeExpr
    required: bool


@dataclass
class ModelDef:
    name: str
    fields: list[FieldDef]
    sources: list[str]
    # (field, value) when this model is a branch of a tagged union.
    tag: tuple[str, str] | None = None
    # Set on the generic fallback branch of a tagged union.
    unknown_of: str | None = None

    @property
    def deps(self) -> frozenset[str]:
        return frozenset().union(*(f.type.deps for f in self.fields))


@dataclass
class AliasDef:
    """A named type: an enum, a plain type (string, map, ...) or an untagged union."""

    name: str
    type: TypeExpr
    sources: list[str]
    kind: str  # "enum" | "alias" | "union"

    @property
    def deps(self) -> frozenset[str]:
        return self.type.deps


@dataclass
class TaggedUnionDef:
    name: str
    tag_field: str
    branches: list[tuple[str, str]]  # (tag value, model name), spec order
    unknown: str
    sources: list[str]

    @property
    def deps(self) -> frozenset[str]:
        return frozenset([m for _, m in self.branches] + [self.unknown])


Definition = ModelDef | AliasDef | TaggedUnionDef


def deps_of(defn: Definition) -> frozenset[str]:
    return defn.deps


@dataclass
class Models:
    defs: dict[str, Definition]
    module_of: dict[str, str] = field(default_factory=dict)
    # Public name of each event data schema, by spec name.
    public_name: dict[str, str] = field(default_factory=dict)


def _nullable(texpr: TypeExpr) -> TypeExpr:
    return replace(texpr, nullable=True)


def _union(parts: list[TypeExpr]) -> TypeExpr:
    """One of `parts`: nested unions flattened, duplicates dropped, `any` absorbs all."""
    members: list[TypeExpr] = []
    for part in parts:
        for member in part.args if part.kind == "union" else (part,):
            if member.non_null() not in members:
                members.append(member.non_null())
    if any(m.kind == "any" for m in members):
        return ANY
    nullable = any(p.nullable for p in parts)
    if len(members) == 1:
        return replace(members[0], nullable=nullable)
    return TypeExpr("union", args=tuple(members), nullable=nullable)


def _literal(values: Iterable[Any]) -> TypeExpr:
    # Open enum: unknown values from newer servers are accepted as plain strings.
    return literal(values, open=True)


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null" and len(schema) == 1


def _strip_wrappers(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in (*LIST_PREFIXES, *WRAPPER_PREFIXES):
            if name.startswith(prefix):
                name = name[len(prefix) :]
                changed = True
    return name


class Builder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.schemas = spec.schemas
        self.defs: dict[str, Definition] = {}
        self.origin: dict[str, str] = {}  # public name -> what produced it (collision check)
        self.variants: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        self.tags: dict[str, tuple[str, str, str]] = {}  # model -> (field, value, union)

    # ----- names ---------------------------------------------------------------------

    def kind(self, component: str) -> str:
        if component.startswith(LIST_PREFIXES):
            return "list"
        if component.startswith(WRAPPER_PREFIXES):
            return "wrapper"
        if component in NOT_GENERATED:
            return "skip"
        return "plain"

    def public(self, component: str) -> str:
        """Public name of a component referenced from inside a schema."""
        kind = self.kind(component)
        if kind == "wrapper":
            return self.public(_strip_wrappers(component))
        if kind == "list":
            # A list wrapper used as a value (not as a top-level response) is a model
            # of its own: `ListResponse_FileInfo` inside GetResponse -> FileInfoList.
            return self.public(_strip_wrappers(component)) + "List"
        return RENAMES.get(component, pascal(component))

    def root_public(self, component: str) -> str | None:
        """Public name of a component used directly by an operation (None: not a model)."""
        kind = self.kind(component)
        if kind == "list":
            component = _strip_wrappers(component)
            kind = self.kind(component)
        if kind == "skip":
            return None
        return self.public(component)

    def claim(self, name: str, origin: str) -> bool:
        """Reserve `name` for `origin`; False when it is already built from the same origin."""
        previous = self.origin.get(name)
        if previous is None:
            self.origin[name] = origin
            return True
        if previous != origin:
            raise ValueError(f"name collision: {name!r} from {previous!r} and {origin!r}")
        return False

    # ----- object parts and variants -------------------------------------------------

    def object_parts(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        if "$ref" in schema:
            return self.object_parts(self.schemas[ref_name(schema["$ref"])])
        if "allOf" in schema:
            parts: list[dict[str, Any]] = []
            for sub in schema["allOf"]:
                parts.extend(self.object_parts(sub))
            return parts
        return [schema]

    def collect_variants(self, components: set[str]) -> None:
        """Wrappers (`WithUrls_X`, list items) contribute their fields to model X."""
        for component in sorted(components):
            kind = self.kind(component)
            core = _strip_wrappers(component)
            if kind == "wrapper":
                self.variants[core].append((component, self.schemas[component]))
            elif kind == "list":
                items = self.schemas[component].get("properties", {}).get("data", {}).get("items")
                if isinstance(items, dict) and "$ref" not in items:
                    self.variants[core].append((component, items))

    # ----- building --------------------------------------------------------------------

    def build(self, roots: set[str]) -> None:
        components = reachable(self.schemas, roots)
        self.collect_variants(components)
        for component in sorted(components):
            if self.kind(component) == "plain":
                self.build_component(component)
        for core in sorted(self.variants):
            self.build_component(core)
        # Tags are known only once every union is built.
        for model, (tag_field, value, _union_name) in sorted(self.tags.items()):
            defn = self.defs[model]
            assert isinstance(defn, ModelDef)
            defn.tag = (tag_field, value)
            defn.fields = [f for f in defn.fields if f.wire_name != tag_field]
            defn.fields.insert(
                0,
                FieldDef(
                    field_name(tag_field),
                    tag_field,
                    literal([value], open=False),
                    False,
                ),
            )

    def build_component(self, component: str) -> None:
        name = self.public(component)
        if not self.claim(name, f"component:{component}"):
            return
        schema = self.schemas.get(component, {})
        variants = self.variants.get(component, [])
        if variants or self._is_object(schema):
            self.defs[name] = self.object_model(name, component, schema, variants)
        elif "oneOf" in schema or "anyOf" in schema:
            self.defs[name] = self.union_def(name, component, schema)
        else:
            texpr = self.type_of(schema, name, [])
            kind = "enum" if "enum" in schema else "alias"
            self.defs[name] = AliasDef(name, texpr, [component], kind)

    def _is_object(self, schema: dict[str, Any]) -> bool:
        if "properties" in schema or "allOf" in schema:
            return True
        # A named object without properties or value schema: an (open) model of its own.
        return schema.get("type") == "object" and not schema.get("additionalProperties")

    def object_model(
        self,
        name: str,
        component: str,
        schema: dict[str, Any],
        variants: list[tuple[str, dict[str, Any]]],
    ) -> ModelDef:
        """One model from a schema and its wrapper variants (union of their fields).

        Only the core schema's `required` fields are required: a field that only some
        responses carry (`self_url`, `session_count`) is optional.
        """
        core_parts = self.object_parts(schema) if schema else []
        sources = [component] if schema else []
        variant_parts: list[list[dict[str, Any]]] = []
        for source, variant in variants:
            sources.append(source)
            variant_parts.append(self.object_parts(variant))
        if core_parts:
            required = {r for part in core_parts for r in part.get("required", [])}
        else:
            required = set.intersection(
                *(
                    {r for part in parts for r in part.get("required", [])}
                    for parts in variant_parts
                )
            )
        properties: dict[str, Any] = {}
        for parts in [core_parts, *variant_parts]:
            for part in parts:
                for prop, sub in part.get("properties", {}).items():
                    properties.setdefault(prop, sub)
        fields = [self.field(name, prop, sub, prop in required) for prop, sub in properties.items()]
        return ModelDef(name, fields, sources)

    def field(self, model: str, wire: str, schema: Any, required: bool) -> FieldDef:
        texpr = self.type_of(schema, model, [wire])
        py_name = field_name(wire)
        return FieldDef(py_name, wire, texpr, required and not texpr.nullable)

    # ----- unions ------------------------------------------------------------------------

    def union_branches(self, schema: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        branches = schema.get("oneOf") or schema.get("anyOf") or []
        non_null = [b for b in branches if not _is_null(b)]
        return non_null, len(non_null) != len(branches)

    def _branch_tags(self, branch: dict[str, Any]) -> dict[str, str]:
        tags: dict[str, str] = {}
        for part in self.object_parts(branch):
            required = set(part.get("required", []))
            for prop, sub in part.get("properties", {}).items():
                values = sub.get("enum") if isinstance(sub, dict) else None
                if isinstance(sub, dict) and "const" in sub:
                    values = [sub["const"]]
                if (
                    prop in required
                    and isinstance(values, list)
                    and len(values) == 1
                    and isinstance(values[0], str)
                ):
                    tags[prop] = values[0]
        return tags

    def discriminator(self, branches: list[dict[str, Any]]) -> str | None:
        """A property that every branch pins to one distinct string (prefer `type`)."""
        if len(branches) < 2:
            return None
        tag_sets = [self._branch_tags(b) for b in branches]
        common = set.intersection(*(set(t) for t in tag_sets))
        for candidate in sorted(common, key=lambda p: (p != "type", p)):
            values = [t[candidate] for t in tag_sets]
            if len(set(values)) == len(values):
                return candidate
        return None

    def union_def(self, name: str, source: str, schema: dict[str, Any]) -> Definition:
        branches, _ = self.union_branches(schema)
        tag_field = self.discriminator(branches)
        if tag_field is None:
            parts = [self.type_of(b, name, [f"option{i}"]) for i, b in enumerate(branches)]
            return AliasDef(name, _union(parts), [source], "union")
        tagged: list[tuple[str, str]] = []
        for branch in branches:
            value = self._branch_tags(branch)[tag_field]
            model = self.branch_model(name, branch, tag_field, value)
            previous = self.tags.get(model)
            if previous is not None and previous[:2] != (tag_field, value):
                raise ValueError(f"{model} is tagged {previous} and ({tag_field}, {value})")
            self.tags[model] = (tag_field, value, name)
            tagged.append((value, model))
        unknown = "Unknown" + name
        if self.claim(unknown, f"unknown:{name}"):
            self.defs[unknown] = ModelDef(
                unknown,
                [FieldDef(field_name(tag_field), tag_field, STRING, True)],
                [],
                unknown_of=name,
            )
        return TaggedUnionDef(name, tag_field, tagged, unknown, [source])

    def branch_model(self, union: str, branch: dict[str, Any], tag_field: str, value: str) -> str:
        """The model of one tagged branch: the referenced schema, or a new inline model."""
        parts = branch.get("allOf", [branch])
        refs = [p for p in parts if "$ref" in p]
        rest = [p for p in parts if "$ref" not in p]
        only_tag = all(set(p.get("properties", {})) <= {tag_field} for p in rest)
        if len(refs) == 1 and only_tag:
            component = ref_name(refs[0]["$ref"])
            self.build_component(component)
            return self.public(component)
        model = union + pascal(value)
        if self.claim(model, f"branch:{union}:{value}"):
            inline = self.object_model(model, "", {"allOf": parts}, [])
            inline.sources = []
            self.defs[model] = inline
        return model

    # ----- type expressions --------------------------------------------------------------

    def type_of(self, schema: Any, parent: str, path: list[str]) -> TypeExpr:
        if not isinstance(schema, dict):
            return ANY
        if "$ref" in schema:
            component = ref_name(schema["$ref"])
            kind = self.kind(component)
            if kind == "skip":
                return OPEN_OBJECT
            self.build_component(component if kind != "wrapper" else _strip_wrappers(component))
            name = self.public(component)
            defn = self.defs.get(name)
            nullable = isinstance(defn, AliasDef) and defn.type.kind == "any"
            return ref(name, nullable=nullable)
        if "oneOf" in schema or "anyOf" in schema:
            branches, has_null = self.union_branches(schema)
            if len(branches) == 1:
                inner = self.type_of(branches[0], parent, path)
            elif self.discriminator(branches) is not None:
                name = parent + "".join(pascal(p) for p in path)
                if self.claim(name, f"union:{parent}:{'.'.join(path)}"):
                    self.defs[name] = self.union_def(name, "", schema)
                inner = ref(name)
            else:
                inner = _union(
                    [self.type_of(b, parent, [*path, f"option{i}"]) for i, b in enumerate(branches)]
                )
            return _nullable(inner) if has_null else inner
        if "allOf" in schema:
            if len(schema["allOf"]) == 1:
                return self.type_of(schema["allOf"][0], parent, path)
            return self.inline_model(schema, parent, path)
        if "const" in schema:
            return _literal([schema["const"]])
        types = schema.get("type")
        type_list = types if isinstance(types, list) else [types] if types else []
        nullable = "null" in type_list
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            nullable = nullable or None in schema["enum"]
            texpr = _literal(values)
            return _nullable(texpr) if nullable else texpr
        concrete = [t for t in type_list if t != "null"]
        if not concrete:
            return ANY
        parts = [self._typed(t, schema, parent, path) for t in concrete]
        texpr = _union(parts)
        return _nullable(texpr) if nullable else texpr

    def _typed(
        self, type_name: str, schema: dict[str, Any], parent: str, path: list[str]
    ) -> TypeExpr:
        scalars: dict[str, TypeKind] = {
            "string": "string",
            "integer": "integer",
            "number": "number",
            "boolean": "boolean",
        }
        if type_name in scalars:
            fmt = schema.get("format")
            return TypeExpr(scalars[type_name], format=fmt if isinstance(fmt, str) else "")
        if type_name == "array":
            items = schema.get("items")
            inner = self.type_of(items, parent, [*path, "item"]) if items else ANY
            return TypeExpr("array", args=(inner,))
        if type_name == "object":
            if "properties" in schema:
                return self.inline_model(schema, parent, path)
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                inner = self.type_of(extra, parent, [*path, "value"])
                return TypeExpr("map", args=(inner,))
            return OPEN_OBJECT
        raise ValueError(f"{parent}.{'.'.join(path)}: unsupported type {type_name!r}")

    def inline_model(self, schema: dict[str, Any], parent: str, path: list[str]) -> TypeExpr:
        """An inline object schema: a model named after its parent and field."""
        name = RENAMES.get(parent + "".join(pascal(p) for p in path))
        name = name or parent + "".join(pascal(p) for p in path)
        if self.claim(name, f"inline:{parent}:{'.'.join(path)}"):
            model = self.object_model(name, "", schema, [])
            model.sources = []
            self.defs[name] = model
        return ref(name)


# ----- modules -------------------------------------------------------------------------

# Resource (sdk-scope.json) -> module of _generated. Event payloads get "event_data".
RESOURCE_MODULES = {
    "agents": "agents",
    "harnesses": "harnesses",
    "models": "models",
    "sessions": "sessions",
    "capabilities": "capabilities",
    "messages": "messages",
    "events": "event_data",
    "images": "images",
    "workspaces": "workspaces",
    "workspace_files": "workspaces",
    "memories": "memories",
    "memory_files": "memories",
    "session_databases": "session_storage",
    "session_storage": "session_storage",
}
EVENTS_DOMAIN = "event_data"
COMMON = "common"


def module_rank(module: str) -> tuple[int, str]:
    """Import order of modules: a module imports only from modules of lower rank."""
    return ({COMMON: 0, "messages": 1}.get(module, 2), module)


def _module_for(domains: frozenset[str]) -> str:
    # Monotone in the owner set (a referenced definition has a superset of owners),
    # which keeps the module graph acyclic: domain -> messages -> common.
    if len(domains) == 1:
        return next(iter(domains))
    if domains <= {"messages", EVENTS_DOMAIN}:
        return "messages"
    return COMMON


def assign_modules(builder: Builder, roots_by_domain: dict[str, set[str]]) -> dict[str, str]:
    owners: dict[str, set[str]] = defaultdict(set)
    for domain, roots in sorted(roots_by_domain.items()):
        stack = sorted(roots)
        while stack:
            name = stack.pop()
            if domain in owners[name]:
                continue
            owners[name].add(domain)
            stack.extend(sorted(deps_of(builder.defs[name])))
    module_of: dict[str, str] = {}
    for name in sorted(builder.defs):
        domains = frozenset(owners.get(name, ())) or frozenset({COMMON})
        module_of[name] = _module_for(domains)
    for name, module in module_of.items():
        for dep in deps_of(builder.defs[name]):
            if module_of[dep] != module and module_rank(module_of[dep]) >= module_rank(module):
                raise ValueError(f"module cycle: {module}.{name} -> {module_of[dep]}.{dep}")
    return module_of


def build_models(spec: Spec) -> Models:
    builder = Builder(spec)
    op_roots: dict[str, set[str]] = defaultdict(set)
    for op in spec.operations:
        op_roots[RESOURCE_MODULES.get(op.resource, op.resource)].update(operation_refs(op))
    event_roots = {*spec.event_data_schemas, "EventContext"}
    all_roots = set(event_roots).union(*op_roots.values())
    builder.build(all_roots)

    roots_by_domain: dict[str, set[str]] = defaultdict(set)
    for domain, components in op_roots.items():
        for component in components:
            public = builder.root_public(component)
            if public is not None:
                roots_by_domain[domain].add(public)
    roots_by_domain[EVENTS_DOMAIN].update(builder.public(c) for c in event_roots)

    for name, defn in builder.defs.items():
        if isinstance(defn, ModelDef):
            for f in defn.fields:
                if not f.py_name.isidentifier():
                    raise ValueError(f"{name}.{f.wire_name}: no valid Python name")
    models = Models(builder.defs, assign_modules(builder, roots_by_domain))
    models.public_name = {c: builder.public(c) for c in [*spec.event_data_schemas, "EventContext"]}
    return models
