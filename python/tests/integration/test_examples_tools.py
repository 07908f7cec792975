"""The examples of the sync client and of client-side tools run unchanged against the
local server (configured through EVERRUNS_API_URL / EVERRUNS_API_KEY, `everruns_env`)."""

from __future__ import annotations

import json
import runpy

import pytest
from repo_paths import PYTHON_ROOT

from everruns_sdk.testing import EverrunsEmulator, Reply

EXAMPLES = PYTHON_ROOT / "examples"


def test_sync_quickstart(
    everruns_env: EverrunsEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    runpy.run_path(str(EXAMPLES / "sync_quickstart.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "input.message"
    assert "turn.completed" in lines
    assert "[completed] Echo: What can you do?" in lines
    assert lines[-1] == "Echo: Tell me a story."


def test_client_tools(everruns_env: EverrunsEmulator, capsys: pytest.CaptureFixture[str]) -> None:
    # The scripted model calls no tool by itself: queue one call for the example's agent.
    everruns_env.script.add(Reply.tool("get_weather", {"city": "Paris"}), agent="weather-assistant")
    runpy.run_path(str(EXAMPLES / "client_tools.py"), run_name="__main__")
    out = capsys.readouterr().out.strip()
    prefix = "Tool results: get_weather -> "
    assert out.startswith(prefix), out
    assert json.loads(out[len(prefix) :]) == {
        "city": "Paris",
        "sky": "sunny",
        "temperature": 18,
        "unit": "c",
    }
    assert everruns_env.script.pending(agent="weather-assistant") == 0
