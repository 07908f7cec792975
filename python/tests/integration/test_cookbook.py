"""The Python cookbook (cookbook/python/*/main.py) runs, unchanged, against a local server:
each recipe in its own process, pointed at the server through the environment, with
the model's replies scripted so that what it prints can be checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from everruns_sdk.testing import EverrunsEmulator, Reply, ScriptedToolCall

COOKBOOK = Path(__file__).resolve().parents[3] / "cookbook" / "python"


def _run(emu: EverrunsEmulator, recipe: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVERRUNS_API_URL": emu.url, "EVERRUNS_API_KEY": emu.api_key}
    env.pop("EVERRUNS_ORG_ID", None)
    return subprocess.run(
        [sys.executable, str(COOKBOOK / recipe / "main.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_every_recipe_has_a_readme_and_a_test() -> None:
    recipes = sorted(p.name for p in COOKBOOK.iterdir() if (p / "main.py").exists())
    assert recipes == ["dad-jokes", "weather-tools"]
    for name in recipes:
        readme = (COOKBOOK / name / "README.md").read_text(encoding="utf-8")
        assert f"cookbook/python/{name}/main.py" in readme


def test_dad_jokes_prints_the_joke_as_it_streams(everruns_emulator: EverrunsEmulator) -> None:
    joke = "Why did the duck go to the doctor?\nIt felt a little quacked."
    everruns_emulator.script.add(Reply(text=joke, chunk_size=5), agent="dad-jokes")
    done = _run(everruns_emulator, "dad-jokes", "rubber", "ducks")
    assert done.returncode == 0, done.stderr
    assert done.stdout == joke + "\n"
    (session,) = everruns_emulator.store.org(None).sessions.values()
    (sent, _reply) = everruns_emulator.store.messages(session["id"])
    assert sent["content"] == [{"type": "text", "text": "Tell me a joke about rubber ducks."}]


def test_dad_jokes_reports_a_failed_turn(everruns_emulator: EverrunsEmulator) -> None:
    everruns_emulator.script.add(Reply.failure("the model is asleep"), agent="dad-jokes")
    done = _run(everruns_emulator, "dad-jokes")
    assert done.returncode == 1
    assert "the model is asleep" in done.stderr


@pytest.mark.parametrize(
    ("city", "expected"),
    [("Lisbon", {"temperature": 24, "sky": "clear"}), ("Atlantis", None)],
)
def test_weather_tool_is_answered_by_the_program(
    everruns_emulator: EverrunsEmulator, city: str, expected: dict[str, object] | None
) -> None:
    call = ScriptedToolCall("get_weather", {"city": city}, id="call_weather_1")
    everruns_emulator.script.add(
        Reply.tools(call), lambda ctx: f"Answer: {json.dumps(ctx.tool_results)}"
    )
    done = _run(everruns_emulator, "weather-tools", f"Weather in {city}?")
    assert done.returncode == 0, done.stderr
    (session,) = everruns_emulator.store.org(None).sessions.values()
    assert [t["name"] for t in session["tools"]] == ["get_weather"]  # declared client-side
    events = everruns_emulator.store.events(session["id"])
    assert [e["type"] for e in events].count("tool.call_requested") == 1  # the turn waited
    printed = done.stdout.strip()
    assert printed.startswith("Answer: ")
    (result,) = json.loads(printed.removeprefix("Answer: "))
    assert result["tool_call_id"] == "call_weather_1"
    if expected is None:
        assert "no forecast for Atlantis" in (result.get("error") or "")
    else:
        assert {k: result["result"][k] for k in expected} == expected
