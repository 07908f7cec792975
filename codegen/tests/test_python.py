"""The Python renderer: each ruff fix it applies changes what it renders (a rule that
matches nothing is dead), and `__all__` comes out in the order ruff would give it."""

from __future__ import annotations

from pathlib import Path

import pytest

from everruns_codegen import python
from everruns_codegen.models import Models
from everruns_codegen.spec import Spec

REPO = Path(__file__).resolve().parents[2]


def test_all_is_rendered_in_ruff_order() -> None:
    names = ["parse_event", "Agent", "EVENT_TYPES", "BaseEvent", "decode", "UNKNOWN_TAG"]
    assert python.render_all_list(names) == (
        '__all__ = ["EVENT_TYPES", "UNKNOWN_TAG", "Agent", "BaseEvent", "decode", "parse_event"]'
    )


@pytest.mark.parametrize("fix", python.RUFF_FIXES)
def test_every_ruff_fix_changes_the_output(
    spec: Spec, models: Models, monkeypatch: pytest.MonkeyPatch, fix: str
) -> None:
    rendered = python.render(spec, models, REPO)
    monkeypatch.setattr(python, "RUFF_FIXES", tuple(f for f in python.RUFF_FIXES if f != fix))
    without = python.render(spec, models, REPO)
    changed = sorted(str(path) for path in rendered if rendered[path] != without[path])
    assert changed, f"the ruff fix {fix} changes no generated file: remove it"
