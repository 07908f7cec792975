"""Assertions shared by the CLI tests."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import Result


def ok(result: Result) -> Result:
    """Assert the command succeeded (showing its output otherwise)."""
    assert result.exit_code == 0, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    return result


def parse(result: Result) -> Any:
    """The one JSON document a `--json` command printed on stdout."""
    ok(result)
    return json.loads(result.stdout)


def one_error_line(result: Result) -> str:
    """A failure: non-zero exit, nothing on stdout, exactly one `error: ...` line."""
    assert result.exit_code != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]
