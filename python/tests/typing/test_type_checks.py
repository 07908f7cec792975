"""Type tests: snippets written as a user writes them, checked with `mypy --strict`.

Each file in `cases/` is checked as it is, by mypy and by pyright. A line that must be
rejected ends with `# E: <code>` (the mypy error code; pyright must reject it too) or
`# E-mypy: <code>` (a mypy-only check, such as strict equality); every other line must
be accepted. So a case fails when a checker rejects correct code and when it accepts
wrong code.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
_EXPECT = re.compile(r"#\s*E(-mypy)?:\s*([\w-]+)")
PYRIGHT = Path(sys.executable).parent / "pyright"
_ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[\w-]+)\]$")


def expected(path: Path, *, checker: str = "mypy") -> set[tuple[int, str]]:
    """(line, mypy code) of each line marked as rejected by `checker`."""
    found = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = _EXPECT.search(line)
        if match and (checker == "mypy" or not match.group(1)):
            found.add((number, match.group(2)))
    return found


@cache
def mypy_errors() -> dict[str, set[tuple[int, str]]]:
    """One mypy run over every case (with the project's configuration)."""
    from mypy import api

    root = CASES.parent.parent.parent
    stdout, stderr, _ = api.run(
        [
            "--strict",
            "--config-file",
            str(root / "pyproject.toml"),
            "--no-error-summary",
            "--show-error-codes",
            "--hide-error-context",
            "--no-pretty",
            str(CASES),
        ]
    )
    assert not stderr, stderr
    errors: dict[str, set[tuple[int, str]]] = {}
    for line in stdout.splitlines():
        match = _ERROR.match(line.strip())
        if match:
            name = Path(match["file"]).name
            errors.setdefault(name, set()).add((int(match["line"]), match["code"]))
        elif ": error:" in line:
            raise AssertionError(f"unparsed mypy output: {line}")
    return errors


CASE_FILES = sorted(p for p in CASES.glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("case", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_mypy_accepts_and_rejects_as_marked(case: Path) -> None:
    got = mypy_errors().get(case.name, set())
    want = expected(case)
    assert got == want, (
        f"{case.name}: unexpected errors {sorted(got - want)}, missing errors {sorted(want - got)}"
    )


@cache
def pyright_error_lines() -> dict[str, set[int]]:
    """One pyright run over every case, against this interpreter's packages."""
    result = subprocess.run(
        [
            str(PYRIGHT),
            "--outputjson",
            "--pythonversion",
            "3.10",
            "--pythonpath",
            sys.executable,
            str(CASES),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    report = json.loads(result.stdout)
    lines: dict[str, set[int]] = {}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            name = Path(diagnostic["file"]).name
            lines.setdefault(name, set()).add(diagnostic["range"]["start"]["line"] + 1)
    return lines


@pytest.mark.skipif(not PYRIGHT.exists(), reason="pyright is not installed (dev extra)")
@pytest.mark.parametrize("case", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_pyright_accepts_and_rejects_as_marked(case: Path) -> None:
    got = pyright_error_lines().get(case.name, set())
    want = {line for line, _ in expected(case, checker="pyright")}
    assert got == want, (
        f"{case.name}: unexpected pyright errors on lines {sorted(got - want)}, "
        f"missing on lines {sorted(want - got)}"
    )


def test_every_case_has_lines_that_must_fail() -> None:
    """A case file without a rejected line would prove only half of its point."""
    assert CASE_FILES
    for case in CASE_FILES:
        assert expected(case), f"{case.name} marks no line that must be rejected"
