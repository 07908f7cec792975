"""The language-neutral model every renderer reads: well-formed, and corrected where the
spec is wrong (API-NOTES, "Known defects of the spec")."""

from __future__ import annotations

from collections.abc import Iterator

from everruns_codegen.models import (
    AliasDef,
    ModelDef,
    Models,
    TaggedUnionDef,
    TypeExpr,
)
from everruns_codegen.spec import Spec


def _types(models: Models) -> Iterator[tuple[str, TypeExpr]]:
    def walk(where: str, t: TypeExpr) -> Iterator[tuple[str, TypeExpr]]:
        yield where, t
        for arg in t.args:
            yield from walk(where, arg)

    for name, defn in models.defs.items():
        if isinstance(defn, ModelDef):
            for f in defn.fields:
                yield from walk(f"{name}.{f.wire_name}", f.type)
        elif isinstance(defn, AliasDef):
            yield from walk(name, defn.type)


def test_every_reference_names_a_definition(models: Models) -> None:
    dangling = [
        (where, t.name)
        for where, t in _types(models)
        if t.kind == "ref" and t.name not in models.defs
    ]
    assert dangling == []


def test_type_nodes_are_well_formed(models: Models) -> None:
    for where, t in _types(models):
        if t.kind in ("array", "map"):
            assert len(t.args) == 1, where
        elif t.kind == "union":
            assert len(t.args) >= 2, where
            assert len(set(t.args)) == len(t.args), f"{where}: duplicate union members"
            assert all(not a.nullable for a in t.args), f"{where}: null belongs to the union"
            assert all(a.kind not in ("union", "any") for a in t.args), where
        elif t.kind == "literal":
            assert t.values, where
        else:
            assert not t.args, where


def test_session_status_is_an_open_string_enum(models: Models) -> None:
    # The spec's SessionStatus component belongs to another API (a name collision).
    status = next(f for f in _model(models, "Session").fields if f.wire_name == "status")
    target = models.defs[status.type.name] if status.type.kind == "ref" else None
    node = target.type if isinstance(target, AliasDef) else status.type
    assert node.kind == "literal" and node.open
    assert {"started", "active", "idle", "waiting_for_tool_results"} <= set(node.values)


def test_event_data_is_chosen_by_type_not_generated_as_a_union(spec: Spec, models: Models) -> None:
    assert "EventData" not in models.defs
    for event_type, schema in spec.event_types.items():
        assert models.public_name[schema] in models.defs, event_type


def test_tagged_unions_have_distinct_tags_and_an_unknown_member(models: Models) -> None:
    unions = [d for d in models.defs.values() if isinstance(d, TaggedUnionDef)]
    assert unions
    for union in unions:
        tags = [tag for tag, _ in union.branches]
        assert len(tags) == len(set(tags)), union.name
        unknown = models.defs[union.unknown]
        assert isinstance(unknown, ModelDef) and unknown.unknown_of == union.name


def test_every_definition_has_a_module(models: Models) -> None:
    assert set(models.module_of) == set(models.defs)


def _model(models: Models, name: str) -> ModelDef:
    defn = models.defs[name]
    assert isinstance(defn, ModelDef)
    return defn
