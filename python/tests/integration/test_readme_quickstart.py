"""The seed's quick start, exactly as the README gives it, against the local server
started from the command line (`python -m everruns_sdk.testing`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cli_server import start_cli_server
from readme_quickstart import EXPECTED, readme_quick_start


def test_readme_quick_start_prints_the_turn_through_turn_completed(tmp_path: Path) -> None:
    code = readme_quick_start()
    assert 'client = Everruns(org="my-org")' in code  # unchanged: configured by env only
    script = tmp_path / "quickstart.py"
    script.write_text(code, encoding="utf-8")
    server, exports = start_cli_server()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("EVERRUNS_")}
        env.update(exports)
        proc = subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        server.terminate()
        server.communicate(timeout=15)
    assert proc.returncode == 0, proc.stderr
    printed = [line for line in proc.stdout.splitlines() if line.strip()]
    deltas = printed.count("output.message.delta")
    assert deltas >= 2  # the reply streams in several deltas
    # One line per event type, with the run of deltas folded into one.
    collapsed = [t for i, t in enumerate(printed) if i == 0 or printed[i - 1] != t]
    assert collapsed == EXPECTED
