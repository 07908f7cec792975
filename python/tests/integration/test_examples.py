"""Every example in examples/ runs, unchanged, against a local server.

Each `examples/*.py` (found by glob: a new example is covered at once) runs in its own
Python process with EVERRUNS_API_URL / EVERRUNS_API_KEY pointing at a local server
started by the test. It must exit 0 and print what its scenario below expects. Examples
whose story needs a particular model answer get it from the server's script first.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from repo_paths import PYTHON_ROOT, REPO_ROOT

from everruns_sdk.testing import EverrunsEmulator, Reply

EXAMPLES = PYTHON_ROOT / "examples"
JOKE = "Why did the computer go to the doctor? It had a virus!"
Setup = Callable[[EverrunsEmulator], None]


def _nothing(emu: EverrunsEmulator) -> None:
    pass


def _dad_joke(emu: EverrunsEmulator) -> None:
    emu.script.add(JOKE, agent="dad-jokes")


def _reads_the_file(emu: EverrunsEmulator) -> None:
    emu.script.add(
        Reply.tool("read_file", {"path": "/notes/groceries.md"}, result={"lines": 4}),
        "You need oat milk, coffee beans and eggs.",
    )


def _asks_for_the_weather(emu: EverrunsEmulator) -> None:
    emu.script.add(Reply.client_tool("get_weather", {"city": "Paris"}))


# example file name -> (scripted replies, strings its output must contain)
SCENARIOS: dict[str, tuple[Setup, list[str]]] = {
    "quickstart.py": (_nothing, ["turn.started", "output.message.delta", "turn.completed"]),
    "sync_quickstart.py": (_nothing, ["turn.completed", "Echo: What can you do?"]),
    "dad_jokes.py": (_dad_joke, [JOKE]),
    "session_files.py": (
        _reads_the_file,
        [
            "wrote /notes/groceries.md",
            "[tool] read_file(",
            "You need oat milk",
            "file /notes/groceries.md",
            "read back 4 lines",
        ],
    ),
    "image_upload.py": (
        _nothing,
        ["uploaded img_", "orange.png, image/png", "JPEG", "agent: Echo: What colour"],
    ),
    "tail_events.py": (_nothing, ["first  #1 input.message", "resume #", "none repeated"]),
    "client_tools.py": (_asks_for_the_weather, ["get_weather", '"temperature": 18']),
}


def _examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.py"))


def test_there_are_examples() -> None:
    assert {p.name for p in _examples()} >= {"quickstart.py", "dad_jokes.py", "tail_events.py"}


@pytest.mark.parametrize("example", _examples(), ids=lambda p: p.name)
def test_example_runs(example: Path, everruns_emulator: EverrunsEmulator) -> None:
    setup, expected = SCENARIOS.get(example.name, (_nothing, []))
    setup(everruns_emulator)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVERRUNS_")}
    env.update(EVERRUNS_API_URL=everruns_emulator.url, EVERRUNS_API_KEY=everruns_emulator.api_key)
    proc = subprocess.run(
        [sys.executable, str(example)],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
        cwd=example.parent,
    )
    assert proc.returncode == 0, f"{example.name} exited {proc.returncode}:\n{proc.stderr}"
    for text in expected:
        assert text in proc.stdout, f"{text!r} not in the output of {example.name}:\n{proc.stdout}"
    assert "Traceback" not in proc.stderr


def test_the_demo_launcher_starts_a_local_server_without_a_key() -> None:
    """`make demo`: `python -m everruns_sdk.testing run examples/quickstart.py`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVERRUNS_")}
    proc = subprocess.run(
        [sys.executable, "-m", "everruns_sdk.testing", "run", str(EXAMPLES / "quickstart.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr
    first, *rest = proc.stdout.splitlines()
    assert first.startswith("No EVERRUNS_API_KEY: using a local Everruns server at http://")
    reply = "".join(line[4:] for line in rest if line.startswith("    "))
    assert reply == "Echo: Hello!" and rest[-1] == "turn.completed"


def test_the_launcher_uses_the_configured_server_when_a_key_is_set(
    everruns_emulator: EverrunsEmulator,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVERRUNS_")}
    env.update(EVERRUNS_API_URL=everruns_emulator.url, EVERRUNS_API_KEY=everruns_emulator.api_key)
    proc = subprocess.run(
        [sys.executable, "-m", "everruns_sdk.testing", "run", str(EXAMPLES / "quickstart.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr
    assert "No EVERRUNS_API_KEY" not in proc.stdout
    assert everruns_emulator.count("POST", "/v1/sessions") == 1  # it used this server


def test_the_launcher_returns_the_script_exit_code(tmp_path: Path) -> None:
    script = tmp_path / "fails.py"
    script.write_text("import os, sys\nsys.exit(3 if os.environ['EVERRUNS_API_KEY'] else 4)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVERRUNS_")}
    proc = subprocess.run(
        [sys.executable, "-m", "everruns_sdk.testing", "run", str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )
    assert proc.returncode == 3
    usage = subprocess.run(
        [sys.executable, "-m", "everruns_sdk.testing", "run"],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )
    assert usage.returncode == 2 and "usage:" in usage.stderr


def test_the_readme_quick_start_is_examples_quickstart() -> None:
    """Every line of the README quick start is in the program `make demo` runs."""
    for readme_path in (REPO_ROOT / "README.md", PYTHON_ROOT / "README.md"):
        _check_quick_start(readme_path)


def _check_quick_start(readme_path: Path) -> None:
    readme = readme_path.read_text(encoding="utf-8")
    section = readme[readme.index("## Quick start") :]
    code = section[section.index("```python\n") + len("```python\n") :]
    code = code[: code.index("```")]
    example = "".join((EXAMPLES / "quickstart.py").read_text(encoding="utf-8").split())
    missing = [line for line in code.splitlines() if "".join(line.split()) not in example]
    assert not missing, (
        f"{readme_path}: quick start lines missing from examples/quickstart.py: {missing}"
    )
