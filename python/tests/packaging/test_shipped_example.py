"""`python -m everruns_sdk.testing run --example quickstart`: the README quick start,
shipped in the package, run against a local server on a free port; the README's "Try it
without an account" shows it after `pip install everruns-sdk`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from readme_quickstart import EXPECTED, readme_quick_start
from repo_paths import PYTHON_ROOT, REPO_ROOT

from everruns_sdk.testing._examples import QUICKSTART

COMMAND = "python -m everruns_sdk.testing run --example quickstart"


def _section(path: Path, heading: str, fence: str) -> str:
    text = path.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    code = section[section.index(fence) + len(fence) :]
    return code[: code.index("```")]


def test_the_shipped_quick_start_is_the_readme_one() -> None:
    assert readme_quick_start() == QUICKSTART
    assert _section(PYTHON_ROOT / "README.md", "## Quick start", "```python\n") == QUICKSTART


def test_try_it_without_an_account_is_one_command_after_pip_install() -> None:
    for readme in (REPO_ROOT / "README.md", PYTHON_ROOT / "README.md"):
        block = _section(readme, "## Try it without an account", "```bash\n")
        lines = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
        assert lines[:2] == ['pip install "everruns-sdk[testing]"', COMMAND], readme


def run_example(python: Path | str, *args: str, cwd: Path | None = None) -> str:
    """Run the example with `python`, in an environment that points elsewhere (an
    unreachable API, a key): the example uses its own local server all the same."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVERRUNS_", "PYTHON"))}
    env.update(EVERRUNS_API_URL="http://127.0.0.1:9/api", EVERRUNS_API_KEY="evr_pat_elsewhere")
    env["EVERRUNS_ORG_ID"] = "org-elsewhere"
    proc = subprocess.run(
        [str(python), "-m", "everruns_sdk.testing", "run", "--example", "quickstart", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def check_printed_turn(stdout: str) -> None:
    """The server line, the quick start's event types (deltas folded), the next steps."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert lines[0].startswith("Local Everruns server at http://127.0.0.1:")
    assert ":9/" not in lines[0]
    end = lines.index("turn.completed") + 1
    printed = lines[1:end]
    collapsed = [t for i, t in enumerate(printed) if i == 0 or printed[i - 1] != t]
    assert collapsed == EXPECTED
    assert "everruns --org my-org agents list" in stdout[stdout.index("turn.completed") :]


def test_run_example_quickstart_prints_the_turn(tmp_path: Path) -> None:
    check_printed_turn(run_example(sys.executable, cwd=tmp_path))


def test_the_example_prints_its_code() -> None:
    assert run_example(sys.executable, "--code") == QUICKSTART


def test_without_the_testing_extra_it_says_what_to_install() -> None:
    hide = "import sys; sys.modules['starlette'] = None; "  # as if it were not installed
    for argv in (["run", "--example", "quickstart"], ["--port", "0"]):
        run = f"from everruns_sdk.testing.__main__ import main; sys.exit(main({argv!r}))"
        proc = subprocess.run(
            [sys.executable, "-c", hide + run], capture_output=True, text=True, timeout=60
        )
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.strip().splitlines() == [
            'error: the local server needs the testing extra: pip install "everruns-sdk[testing]"'
            " (starlette is missing)"
        ]


def test_an_unknown_example_names_the_known_ones() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "everruns_sdk.testing", "run", "--example", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "unknown example 'nope'" in proc.stderr and "quickstart" in proc.stderr
