"""Helpers of the compatibility suite: running a 0.3.x-style program against the
local server and reading back the deprecation warnings it raised."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
RUNNER = HERE / "run_program.py"
SURFACE = HERE / "surface_0_3_1.json"


@dataclass(frozen=True)
class Run:
    """What one program did: its exit code, output and recorded warnings."""

    returncode: int
    stdout: str
    stderr: str
    warnings: list[dict[str, object]]

    def deprecations(self) -> list[str]:
        return [str(w["message"]) for w in self.warnings if w["category"] == "DeprecationWarning"]


def run_program(program: Path, url: str, api_key: str, tmp_path: Path) -> Run:
    """Run `program` unchanged in its own Python process, pointed at the server."""
    record = tmp_path / f"{program.stem}.warnings.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVERRUNS_")}
    env.update(EVERRUNS_API_URL=url, EVERRUNS_API_KEY=api_key)
    proc = subprocess.run(
        [sys.executable, str(RUNNER), str(program), str(record)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=program.parent,
    )
    warnings = json.loads(record.read_text()) if record.exists() else []
    return Run(proc.returncode, proc.stdout, proc.stderr, warnings)
