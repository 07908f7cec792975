"""The generated files match the spec: `codegen/generate.py --check` finds nothing stale."""

from __future__ import annotations

import subprocess
import sys

import pytest
from repo_paths import REPO_ROOT, SHARED


@pytest.mark.skipif(
    not (SHARED / "openapi" / "everruns-openapi.json").is_file(),
    reason=f"the API contract folder {SHARED} is absent (generation needs ../shared/openapi)",
)
def test_generated_files_are_current() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "codegen" / "generate.py"),
            "--check",
            "--shared",
            str(SHARED),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0, (
        "generated files are stale, run `make generate`:\n" + result.stdout + result.stderr
    )
