"""The TypeScript renderer: names, shapes that point only at real definitions, and the
free-form values that must never be renamed."""

from __future__ import annotations

import re
from pathlib import Path

from everruns_codegen import typescript
from everruns_codegen.models import Models
from everruns_codegen.spec import Spec

REPO = Path(__file__).resolve().parents[2]


def test_camel_names() -> None:
    assert typescript.camel("system_prompt") == "systemPrompt"
    assert typescript.camel("mcpServers") == "mcpServers"
    assert typescript.camel("from-example") == "fromExample"
    assert typescript.camel("id") == "id"


def _files(spec: Spec, models: Models) -> dict[str, str]:
    return {p.name: c for p, c in typescript.render(spec, models, REPO).items()}


def test_shapes_name_only_generated_definitions(spec: Spec, models: Models) -> None:
    shapes = _files(spec, models)["shapes.ts"]
    referenced = set(re.findall(r'"([A-Z][A-Za-z0-9]*)"', shapes))
    assert referenced, "no shape references at all"
    assert referenced <= set(models.defs), sorted(referenced - set(models.defs))


def test_free_form_values_have_no_shape(spec: Spec, models: Models) -> None:
    shapes = _files(spec, models)["shapes.ts"]
    # metadata and a tool's JSON-schema parameters are free-form: renamed never
    assert '["metadata", "metadata", ["' not in shapes
    assert '["parameters", "parameters", ["' not in shapes
    # a declared field is renamed
    assert '["system_prompt", "systemPrompt", 0]' in shapes


def test_every_event_type_has_an_interface(spec: Spec, models: Models) -> None:
    events = _files(spec, models)["events.ts"]
    for event_type in spec.event_types:
        assert f'type: "{event_type}";' in events
