"""Docstrings render well in the API reference (mkdocstrings, Markdown): examples are
fenced code blocks, never `>>>` prompts (which render as nested block quotes)."""

from __future__ import annotations

import ast
from pathlib import Path

import everruns_sdk

PACKAGE = Path(everruns_sdk.__file__).parent


def test_no_doctest_prompts_in_docstrings() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node) or ""
                if any(line.lstrip().startswith(">>>") for line in doc.splitlines()):
                    name = getattr(node, "name", "<module>")
                    offenders.append(f"{path.relative_to(PACKAGE)}:{name}")
    assert offenders == []
