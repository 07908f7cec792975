"""The installed `everruns` console script, run as a separate process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from everruns_sdk.testing import EverrunsEmulator


def _everruns() -> str:
    found = Path(sys.executable).with_name("everruns")
    if not found.exists():
        pytest.skip("the everruns console script is not installed in this environment")
    return str(found)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVERRUNS_")}
    env.update(extra)
    return env


def test_help() -> None:
    proc = subprocess.run(
        [_everruns(), "--help"], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "Usage: everruns" in proc.stdout
    assert "agents" in proc.stdout and "chat" in proc.stdout


def test_agents_list_json_against_the_local_server(emu: EverrunsEmulator) -> None:
    env = _env(EVERRUNS_API_URL=emu.url, EVERRUNS_API_KEY=emu.api_key)
    create = [_everruns(), "agents", "create", "cli-bot", "-p", "Be brief.", "--json"]
    assert subprocess.run(create, capture_output=True, env=env, timeout=60).returncode == 0
    proc = subprocess.run(
        [_everruns(), "agents", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert [a["name"] for a in json.loads(proc.stdout)] == ["cli-bot"]
    assert emu.api_key not in proc.stdout + proc.stderr


def test_missing_key_exits_non_zero_with_one_line() -> None:
    proc = subprocess.run(
        [_everruns(), "agents", "list"], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("error: no API key") and proc.stderr.count("\n") == 1


def test_serve_local_until_ctrl_c() -> None:
    proc = subprocess.Popen(
        [_everruns(), "serve-local", "--port", "0", "--api-key", "evr_local"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "listening at http://127.0.0.1:" in first, first
        url = first.split()[-1]
        response = httpx.get(f"{url}/v1/agents", headers={"Authorization": "evr_local"})
        assert response.status_code == 200
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert "Stopped." in out


def test_importing_the_sdk_does_not_import_the_cli() -> None:
    code = (
        "import sys, everruns_sdk; "
        "print([m for m in sys.modules if m.startswith(('everruns_sdk.cli', 'typer'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
