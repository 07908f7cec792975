"""Typed end to end: `typed_calls.py` calls every operation and passes `mypy --strict`."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from operations import OPERATION_TO_METHOD

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TYPED_CALLS = HERE / "typed_calls.py"


def _mypy() -> str | None:
    """The mypy of this environment (`.venv/bin/mypy`), else one on PATH."""
    beside = Path(sys.executable).with_name("mypy")
    return str(beside) if beside.is_file() else shutil.which("mypy")


def _client_calls(tree: ast.AST) -> set[str]:
    """Dotted names of the `client.x.y(...)` calls in a module."""
    called: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        parts: list[str] = []
        target = node.func
        while isinstance(target, ast.Attribute):
            parts.append(target.attr)
            target = target.value
        if isinstance(target, ast.Name) and target.id == "client":
            called.add(".".join(reversed(parts)))
    return called


def test_typed_calls_cover_every_operation() -> None:
    called = _client_calls(ast.parse(TYPED_CALLS.read_text(encoding="utf-8")))
    missing = sorted(op for op, dotted in OPERATION_TO_METHOD.items() if dotted not in called)
    assert missing == [], f"typed_calls.py does not call: {missing}"


def test_typed_end_to_end() -> None:
    mypy = _mypy()
    if mypy is None:
        pytest.skip("mypy is not installed")
    # From the repository root, so that pyproject.toml's mypy settings (the pydantic
    # plugin, python_version) apply and the cache of `make typecheck` is reused.
    result = subprocess.run(
        [mypy, "--strict", "--no-color-output", str(TYPED_CALLS.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"mypy --strict typed_calls.py:\n{result.stdout}{result.stderr}"
