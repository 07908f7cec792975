"""Remote mode, proven: the suite pointed by ``EVERRUNS_API_URL`` at ONE server that keeps
its state, twice in a row, passes both times.

The server is the local one in strict mode but driven as any server of the spec would be
(no ``--record``, no control API, no reset between runs or scenarios), so the second run
meets every agent, harness, memory and workspace the first one left: names taken and
totals grown are what it must cope with. The languages are ``CONFORMANCE_LANGUAGES``
(``make test-conformance`` passes those with a driver), else Python.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.scenarios import load_scenarios

REPO = Path(__file__).resolve().parents[2]
VENV_PYTHON = REPO / "python" / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
RUNNER = REPO / "conformance" / "run.py"
LANGUAGES = [
    lang for lang in (os.environ.get("CONFORMANCE_LANGUAGES") or "python").split(",") if lang
]
HANG_GUARD = 3600  # seconds: only so that a stuck run cannot hang the suite forever


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, Any]]:
    args = [PYTHON, "-m", "everruns_sdk.testing", "--port", "0", "--json", "--strict"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, "the local server did not start"
        yield json.loads(line)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _agents(server: dict[str, Any]) -> int:
    """How many agents the server holds (its state, as any client sees it)."""
    headers = {"Authorization": server["api_key"]}
    response = httpx.get(f"{server['url']}/v1/agents", params={"limit": 1}, headers=headers)
    response.raise_for_status()
    total: int = response.json()["total"]
    return total


def _run_remote(server: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update({"EVERRUNS_API_URL": server["url"], "EVERRUNS_API_KEY": server["api_key"]})
    env.pop("EVERRUNS_ORG_ID", None)
    command = [PYTHON, str(RUNNER), "--languages", ",".join(LANGUAGES)]
    return subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=HANG_GUARD
    )


def test_remote_mode_passes_twice_in_a_row_on_one_server(server: dict[str, Any]) -> None:
    remote = [s for s in load_scenarios() if not s.needs_control]
    assert remote, "no scenario runs remotely"
    every_cell = r"\s+".join([f"{len(remote)}/{len(remote)}"] * len(LANGUAGES))
    before_each: list[int] = []
    for attempt in (1, 2):
        before = _agents(server)
        before_each.append(before)
        result = _run_remote(server)
        out = result.stdout
        assert result.returncode == 0, (
            f"run {attempt} failed:\n{out[-6000:]}\n{result.stderr[-2000:]}"
        )
        assert f"remote server {server['url']}" in out  # not a local server of its own
        assert f"{len(remote)} scenarios x {len(LANGUAGES)} languages" in out
        assert re.search(rf"^passed\s+{every_cell}\s*$", out, re.M), out[-3000:]
        assert "conformance: PASS" in out
        assert _agents(server) > before, f"run {attempt} left no state on the server"
    assert before_each[1] > 0  # the second run met what the first one left
