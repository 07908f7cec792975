"""The Typescript renderer: writes typescript/src/generated/ from the language-neutral models."""

from __future__ import annotations

from pathlib import Path

from .models import Models
from .spec import Spec

GENERATED_GLOBS: list[str] = []


def render(spec: Spec, models: Models, repo: Path) -> dict[Path, str]:
    """Every Typescript file the generator owns (repo-relative path -> content)."""
    return {}
