"""Type tests: snippets written as a user writes them, checked with `mypy --strict`.

Each file in `cases/` is checked as it is. A line that must be rejected ends with
`# E: <code>` (the mypy error code); every other line must be accepted. So a case
fails when the checker rejects correct code and when it accepts wrong code.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
_EXPECT = re.compile(r"#\s*E:\s*([\w-]+)")
_ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[\w-]+)\]$")


def expected(path: Path) -> set[tuple[int, str]]:
    found = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            found.add((number, match.group(1)))
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


def test_every_case_has_lines_that_must_fail() -> None:
    """A case file without a rejected line would prove only half of its point."""
    assert CASE_FILES
    for case in CASE_FILES:
        assert expected(case), f"{case.name} marks no line that must be rejected"
