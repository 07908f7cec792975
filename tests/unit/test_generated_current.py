"""The generated files match the spec: `scripts/generate.py --check` finds nothing stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


@pytest.mark.skipif(
    not (SHARED / "openapi" / "everruns-openapi.json").is_file(),
    reason=f"the API contract folder {SHARED} is absent (generation needs ../shared/openapi)",
)
def test_generated_files_are_current() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate.py"), "--check", "--shared", str(SHARED)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, (
        "generated files are stale, run `make generate`:\n" + result.stdout + result.stderr
    )
