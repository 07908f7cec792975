"""Every ```python block of README.md and docs/*.md runs against a local server.

Each block runs as a script in its own subprocess (all of them in parallel), with
`EVERRUNS_API_URL` / `EVERRUNS_API_KEY` pointing at an `EverrunsEmulator` started here.
A block with top-level `await` runs as the body of a coroutine (compiled with
`PyCF_ALLOW_TOP_LEVEL_AWAIT`, like the asyncio REPL); a complete program runs as it is.
Tracebacks point at the Markdown file and line.

A block that cannot run by itself says so on the line before its fence:

* `<!-- docs-test: setup=NAME -->` runs a prelude first (see `SETUPS`), which defines
  the names the fragment uses (`client`, `agent`, `session`, `emu`, ...);
* `<!-- docs-test: skip (reason) -->` does not run it.

Blocks that define `test_*` functions run with pytest in a temporary directory; blocks
in `>>>` form run as doctests (without the `EVERRUNS_*` environment, names from
`everruns_sdk` in scope). The README's quick start is run by test_readme_quickstart.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from repo_paths import docs_blocks

from everruns_sdk.testing import EverrunsEmulator, Reply

_blocks = docs_blocks()
Block = _blocks.Block
DOC_FILES = _blocks.DOC_FILES
TIMEOUT = 90.0  # per block: 2 cores run every block at once
# The first test's setup runs every block (the module fixture `results`).
pytestmark = pytest.mark.timeout(900)


def extract_blocks() -> list[Block]:
    return [b for b in _blocks.extract_blocks() if b.lang == "python"]


def is_readme_quick_start(block: Block) -> bool:
    return (
        block.path in ("README.md", "python/README.md")
        and 'client = Everruns(org="my-org")' in block.code
    )


# -- setups: a prelude run before the block (same globals), a postlude after it -------------

_CLIENT = """\
import os
from everruns_sdk import Everruns
client = _docs_client = Everruns()
token = os.environ["EVERRUNS_API_KEY"]
"""
_AGENT = (
    _CLIENT
    + """\
agent = await client.agents.create(name=AGENT_NAME, system_prompt="You are helpful.")
agent_id = agent.id
"""
)
_SESSION = (
    _AGENT
    + """\
session = await client.sessions.create(agent_id=agent.id)
session_id = session.id
"""
)
_CLOSE = "await _docs_client.close()\n"

SETUPS: dict[str, tuple[str, str]] = {
    # `client` (async, from the environment), `token` (the key)
    "client": (_CLIENT, _CLOSE),
    # + `session` / `session_id` (of `agent` / `agent_id`) after one completed turn
    "session": (_SESSION + 'await client.sessions.run(session.id, "Hello!")\n', _CLOSE),
    # + a `stream` over that session that stops after its last event (the turn
    # called the server-side tool `search`)
    "stream": (
        _SESSION
        + """\
await client.sessions.run(session.id, "Search for rust")
stream = client.events.stream(session.id)
_last = (await client.events.list(session.id))[-1].id
import asyncio
async def _stop_at_last():
    while stream.last_event_id != _last:
        await asyncio.sleep(0.01)
    stream.stop()
_stopper = asyncio.ensure_future(_stop_at_last())
""",
        "_stopper.cancel()\nawait stream.aclose()\n" + _CLOSE,
    ),
    # `client` and `agent`, whose next model call asks for the client-side tool get_weather;
    # afterwards, `result` must show that the tool ran and the turn went on
    "client_tool": (
        _AGENT,
        'assert result.text.startswith("Tool results: get_weather -> "), result\n' + _CLOSE,
    ),
    # `session` is waiting for the results of a get_weather call; `lookup(city)` answers it
    "tool_call": (
        _SESSION
        + """\
def lookup(city):
    return {"city": city, "temperature": 18}
await client.messages.create(session.id, "Weather in Paris?")
""",
        """\
_reply = (await client.messages.list(session.id))[-1]
assert "Tool results: get_weather -> " in str(_reply), _reply
"""
        + _CLOSE,
    ),
    # `client` is a SyncEverruns (from the environment); `agent` exists
    "sync_client": (
        """\
from everruns_sdk import SyncEverruns
client = _docs_client = SyncEverruns()
agent = client.agents.create(name=AGENT_NAME, system_prompt="You are helpful.")
""",
        "_docs_client.close()\n",
    ),
    # `emu`: a local server started in the script; `client` on it; `session` /
    # `session_id` after one completed turn
    "emulator": (
        """\
from everruns_sdk import Everruns
from everruns_sdk.testing import EverrunsEmulator
emu = EverrunsEmulator().start()
client = _docs_client = Everruns(api_key=emu.api_key, base_url=emu.url)
session = await client.sessions.create()
session_id = session.id
await client.sessions.run(session.id, "Hello!")
""",
        _CLOSE + "emu.stop()\n",
    ),
}

# What the test's server is told before a block with this setup runs (agent-scoped).
SCRIPTS: dict[str, list[Reply | str]] = {
    "stream": [Reply.tool("search", {"q": "rust"}, result={"hits": 3}), "Found 3 results."],
    "client_tool": [Reply.client_tool("get_weather", {"city": "Paris"})],
    "tool_call": [Reply.client_tool("get_weather", {"city": "Paris"})],
}

RUNNER = r"""
import ast, asyncio, inspect, json, sys

spec = json.loads(open(sys.argv[1], encoding="utf-8").read())
flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
codes = [
    compile(spec["prelude"], "<setup>", "exec", flags=flags),
    compile("\n" * (spec["line"] - 1) + spec["code"], spec["path"], "exec", flags=flags),
    compile(spec["postlude"], "<teardown>", "exec", flags=flags),
]
g = {"__name__": "__main__", "AGENT_NAME": spec["agent_name"]}
if any(c.co_flags & inspect.CO_COROUTINE for c in codes):
    async def main():
        for code in codes:
            result = eval(code, g)
            if inspect.iscoroutine(result):
                await result
    asyncio.run(main())
else:
    for code in codes:
        exec(code, g)
"""

DOCTEST_RUNNER = r"""
import doctest, sys
import everruns_sdk

text = open(sys.argv[1], encoding="utf-8").read()
globs = {name: getattr(everruns_sdk, name) for name in everruns_sdk.__all__}
test = doctest.DocTestParser().get_doctest(text, globs, sys.argv[2], sys.argv[2], 0)
runner = doctest.DocTestRunner()
runner.run(test)
sys.exit(1 if runner.failures else 0)
"""


def kind_of(block: Block) -> tuple[str, str]:
    """("skip", reason) | ("pytest", "") | ("doctest", "") | ("script", setup name or "")."""
    if is_readme_quick_start(block):
        return "skip", "run by test_readme_quickstart.py"
    marker = block.marker or ""
    if marker.startswith("skip"):
        reason = marker[len("skip") :].strip().strip("()")
        assert reason, f"{block.id}: a skip marker needs a reason: skip (why)"
        return "skip", reason
    if marker:
        match = re.fullmatch(r"setup=([\w-]+)", marker)
        assert match, f"{block.id}: unknown docs-test marker {marker!r}"
        assert match[1] in SETUPS, f"{block.id}: unknown setup {match[1]!r}"
        return "script", match[1]
    if block.code.lstrip().startswith(">>>"):
        return "doctest", ""
    if re.search(r"^(async )?def test_", block.code, re.MULTILINE):
        return "pytest", ""
    return "script", ""


BLOCKS = extract_blocks()


def _run(block: Block, emu: EverrunsEmulator, workdir: Path) -> subprocess.CompletedProcess[str]:
    kind, setup = kind_of(block)
    workdir.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVERRUNS_")}
    env.update(EVERRUNS_API_URL=emu.url, EVERRUNS_API_KEY=emu.api_key, PYTHONUNBUFFERED="1")
    if kind == "doctest":
        env = {k: v for k, v in env.items() if not k.startswith("EVERRUNS_")}
        (workdir / "block.txt").write_text(block.code, encoding="utf-8")
        (workdir / "runner.py").write_text(DOCTEST_RUNNER, encoding="utf-8")
        command = [sys.executable, "runner.py", "block.txt", block.id]
    elif kind == "pytest":
        (workdir / "test_block.py").write_text(block.code, encoding="utf-8")
        # A project of its own (no ini file): the plugin comes from the entry point.
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        command += ["-o", "asyncio_mode=auto", "-o", "asyncio_default_fixture_loop_scope=function"]
        command += ["test_block.py"]
    else:
        for reply in SCRIPTS.get(setup, []):
            emu.script.add(reply, agent=block.agent_name)
        prelude, postlude = SETUPS.get(setup, ("", ""))
        spec = {
            "prelude": prelude,
            "postlude": postlude,
            "code": block.code,
            "path": block.path,
            "line": block.line,
            "agent_name": block.agent_name,
        }
        (workdir / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        (workdir / "runner.py").write_text(RUNNER, encoding="utf-8")
        command = [sys.executable, "runner.py", "spec.json"]
    try:
        return subprocess.run(
            command, cwd=workdir, env=env, capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
        return subprocess.CompletedProcess(command, -1, out, err + f"\ntimed out after {TIMEOUT}s")


@pytest.fixture(scope="module")
def results(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every runnable block, run once, all in parallel."""
    root = tmp_path_factory.mktemp("docs-examples")
    runnable = [b for b in BLOCKS if kind_of(b)[0] != "skip"]
    with EverrunsEmulator() as emu, ThreadPoolExecutor(max_workers=8) as pool:
        futures = {
            b.id: pool.submit(_run, b, emu, root / f"block{n}") for n, b in enumerate(runnable)
        }
        return {key: future.result() for key, future in futures.items()}


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_doc_example_runs(
    block: Block, results: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    kind, reason = kind_of(block)
    if kind == "skip":
        pytest.skip(reason)
    proc = results[block.id]
    assert proc.returncode == 0, f"{block.id} failed:\n{proc.stdout}\n{proc.stderr}"


def test_blocks_are_found_and_marked_correctly() -> None:
    assert len(BLOCKS) >= 20
    for block in BLOCKS:
        kind_of(block)  # asserts the marker is well formed
    # Every marker sits right before a fence of a language whose blocks are run (the
    # TypeScript and Rust ones by scripts/docs_examples.py).
    assert _blocks.misplaced_markers() == []
