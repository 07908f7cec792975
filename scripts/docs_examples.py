"""Runs the TypeScript and Rust examples of the docs against a local server.

    python/.venv/bin/python scripts/docs_examples.py [--languages typescript,rust]

Every ```ts and ```rust block of README.md and docs/*.md (inside a language tab or not)
becomes a program: a block that is a whole program (``import``s in TypeScript, ``fn
main`` in Rust) runs as it is; a fragment runs after the prelude its marker names, the
same markers as the Python blocks (python/tests/integration/test_docs_examples.py):

* ``<!-- docs-test: setup=client -->``: ``client`` from the environment;
* ``<!-- docs-test: setup=session -->``: also ``agent`` and ``session`` after one turn;
* ``<!-- docs-test: skip (reason) -->``: not run.

TypeScript blocks are type-checked together (``tsc --strict``, ``@everruns/sdk`` as users
import it) and then run with tsx; Rust blocks are binaries of the crate
rust/docs-examples, built in one ``cargo build``. Each runs with ``EVERRUNS_API_URL`` and
``EVERRUNS_API_KEY`` pointing at one local server started here, and must exit 0. A
failure names the Markdown file and line. The Python blocks are run by the Python suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from docs_blocks import ROOT, Block, extract_blocks
from everruns_sdk.testing import EverrunsEmulator, Reply

# The environment a block runs in, while it runs.
EnvFor = Callable[[Block], AbstractContextManager[dict[str, str]]]

TIMEOUT = 60.0
TS_DIR = ROOT / "typescript" / ".docs-examples"
RUST_CRATE = ROOT / "rust" / "docs-examples"

# Preludes (and postludes) by setup name. The names they define, as in the Python suite:
# `client` (from the environment); `session` (of `agent`) after one completed turn;
# `client_tool`: `agent`, whose next model call asks for the client-side tool get_weather,
# and afterwards `result` must show that the tool ran; `emulator`: a local server of the
# block's own (`control` is its control API's URL), `client` on it, `session` after a turn;
# `plain`: nothing (a Rust fragment that needs only `main`).
_TS_CLIENT = 'import { Everruns as Everruns_ } from "@everruns/sdk";\n' + (
    'const client = Everruns_.fromEnv("my-org");\n'
)
_TS_TURN = (
    "const session = await client.sessions.create({ agentId: agent.id });\n"
    'await client.sessions.run(session.id, "Hello!");\n'
)
_TS_AGENT = (
    'const agent = await client.agents.create({ name: AGENT_NAME, systemPrompt: "Be brief." });\n'
)
TS_SETUPS: dict[str, tuple[str, str]] = {
    "plain": ("", ""),
    "client": (_TS_CLIENT, ""),
    "session": (_TS_CLIENT + _TS_AGENT + _TS_TURN, ""),
    "client_tool": (
        _TS_CLIENT + _TS_AGENT,
        'if (!result.text.startsWith("Tool results: get_weather -> ")) {\n'
        "  throw new Error(`the tool did not run: ${JSON.stringify(result.text)}`);\n}\n",
    ),
    "tool_call": (
        _TS_CLIENT
        + _TS_AGENT
        + "const session = await client.sessions.create({ agentId: agent.id });\n"
        + "const lookup = (args: Record<string, unknown>) =>\n"
        + "  ({ city: args.city, temperature: 18 });\n"
        + 'await client.messages.create(session.id, { text: "Weather in Paris?" });\n',
        "const _reply = JSON.stringify((await client.messages.list(session.id)).at(-1));\n"
        'if (!_reply.includes("Tool results: get_weather -> ")) throw new Error(_reply);\n',
    ),
    "emulator": (
        _TS_CLIENT
        + 'const control = process.env.EVERRUNS_API_URL!.replace(/\\/api$/, "/_emulator");\n'
        + _TS_AGENT
        + _TS_TURN,
        "",
    ),
}
_RS_CLIENT = '    let client = everruns_sdk::Everruns::from_env("my-org")?;\n'
_RS_AGENT = '    let agent = client.agents().create(AGENT_NAME, "Be brief.").await?;\n'
_RS_TURN = (
    "    let session = client.sessions().create(&agent.id).await?;\n"
    '    client.sessions().run(&session.id, "Hello!").await?;\n'
)
RUST_SETUPS: dict[str, tuple[str, str]] = {
    "plain": ("", ""),
    "client": (_RS_CLIENT, ""),
    "session": (_RS_CLIENT + _RS_AGENT + _RS_TURN, ""),
    "client_tool": (
        _RS_CLIENT + _RS_AGENT,
        "    let text = result.text();\n"
        '    assert!(text.starts_with("Tool results: get_weather -> "), "{text}");\n',
    ),
    "tool_call": (
        _RS_CLIENT
        + _RS_AGENT
        + "    let session = client.sessions().create(&agent.id).await?;\n"
        + "    let lookup = |args: &serde_json::Map<String, serde_json::Value>| {\n"
        + '        serde_json::json!({"city": args["city"], "temperature": 18})\n    };\n'
        + '    client.messages().create(&session.id, "Weather in Paris?").await?;\n',
        '    let reply = client.messages().list(&session.id).await?.pop().ok_or("no reply")?;\n'
        '    let reply = format!("{:?}", reply.content);\n'
        '    assert!(reply.contains("Tool results: get_weather -> "), "{reply}");\n',
    ),
    "emulator": (
        _RS_CLIENT
        + '    let control = std::env::var("EVERRUNS_API_URL")?.replace("/api", "/_emulator");\n'
        + _RS_AGENT
        + _RS_TURN,
        "",
    ),
}
# What the server is told before a block with this setup runs (for the block's agent).
SCRIPTS: dict[str, list[Reply | str]] = {
    "client_tool": [Reply.client_tool("get_weather", {"city": "Paris"})],
    "tool_call": [Reply.client_tool("get_weather", {"city": "Paris"})],
}


def _setup(block: Block, setups: dict[str, tuple[str, str]]) -> tuple[str, str]:
    if block.setup is None:
        return "", ""
    if block.setup not in setups:
        raise ValueError(f"{block.id}: no {block.lang} prelude for setup={block.setup}")
    return setups[block.setup]


def typescript_program(block: Block) -> str:
    if block.setup is None and "import " not in block.code:
        raise ValueError(f"{block.id}: a fragment without setup= marker")
    prelude, postlude = _setup(block, TS_SETUPS)
    name = f"const AGENT_NAME = {json.dumps(block.agent_name)};\n" if block.setup else ""
    return f"// {block.id}\n{name}{prelude}{block.code}{postlude}export {{}};\n"


def rust_program(block: Block) -> str:
    if "fn main" in block.code:
        return f"// {block.id}\n{block.code}"
    if block.setup is None:
        raise ValueError(f"{block.id}: a fragment without setup= marker")
    prelude, postlude = _setup(block, RUST_SETUPS)
    uses = [ln for ln in block.code.splitlines() if ln.startswith("use ")]
    body = [ln for ln in block.code.splitlines() if not ln.startswith("use ")]
    return (
        f"// {block.id}\n#![allow(unused)]\n"
        + "".join(u + "\n" for u in uses)
        + f"\nconst AGENT_NAME: &str = {json.dumps(block.agent_name)};\n"
        + "\n#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {\n"
        + prelude
        + textwrap.indent("\n".join(body), "    ")
        + "\n"
        + postlude
        + "    Ok(())\n}\n"
    )


def _run(cmd: list[str], cwd: Path, env: dict[str, str], what: str) -> str | None:
    """None when the command exits 0, else the failure with its output."""
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT * 10
        )
    except subprocess.TimeoutExpired:
        return f"{what}: timed out"
    if proc.returncode == 0:
        return None
    return f"{what}: exit {proc.returncode}\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"


def run_typescript(blocks: list[Block], env: dict[str, str], env_for: EnvFor) -> list[str]:
    shutil.rmtree(TS_DIR, ignore_errors=True)
    TS_DIR.mkdir(parents=True)
    try:
        for block in blocks:
            (TS_DIR / f"{block.name}.ts").write_text(typescript_program(block), encoding="utf-8")
    except ValueError as exc:
        return [str(exc)]
    tsconfig = {
        "extends": "../tsconfig.json",
        "compilerOptions": {"noEmit": True, "baseUrl": ".."},
        "include": ["*.ts"],
    }
    (TS_DIR / "tsconfig.json").write_text(json.dumps(tsconfig), encoding="utf-8")
    (TS_DIR / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")  # ESM
    bin_dir = ROOT / "typescript" / "node_modules" / ".bin"
    failure = _run([str(bin_dir / "tsc"), "-p", str(TS_DIR)], ROOT, env, "tsc over the docs")
    if failure:
        return [failure]
    tsx = [str(bin_dir / "tsx"), "--tsconfig", str(ROOT / "typescript" / "tsconfig.json")]

    def one(block: Block) -> str | None:
        file = str(TS_DIR / f"{block.name}.ts")
        with env_for(block) as block_env:
            return _run([*tsx, file], ROOT / "typescript", block_env, block.id)

    with ThreadPoolExecutor(max_workers=2) as pool:
        failures = [f for f in pool.map(one, blocks) if f]
    if not failures:  # kept to look at otherwise; biome must not see them
        shutil.rmtree(TS_DIR)
    return failures


def run_rust(blocks: list[Block], env: dict[str, str], env_for: EnvFor) -> list[str]:
    bins = RUST_CRATE / "src" / "bin"
    shutil.rmtree(bins, ignore_errors=True)
    bins.mkdir(parents=True)
    try:
        for block in blocks:
            (bins / f"{block.name}.rs").write_text(rust_program(block), encoding="utf-8")
    except ValueError as exc:
        return [str(exc)]
    cargo = ["cargo", "build", "--locked", "-p", "everruns-docs-examples", "--bins"]
    failure = _run(cargo, ROOT / "rust", env, "cargo build of the docs' Rust blocks")
    if failure:
        return [failure]
    target = Path(env.get("CARGO_TARGET_DIR") or ROOT / "rust" / "target") / "debug"
    failures: list[str] = []
    for block in blocks:
        with env_for(block) as block_env:  # in rust/, as a test of the workspace runs
            failure = _run([str(target / block.name)], ROOT / "rust", block_env, block.id)
        failures += [failure] if failure else []
    if not failures:  # kept to look at otherwise; rust's fmt and clippy must not see them
        shutil.rmtree(bins)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--languages", default="typescript,rust")
    args = parser.parse_args(argv)

    blocks = [b for b in extract_blocks() if not b.skipped]
    failures: list[str] = []
    with EverrunsEmulator(strict=True) as emu:
        env = dict(os.environ, EVERRUNS_API_URL=emu.url, EVERRUNS_API_KEY=emu.api_key)
        env.pop("EVERRUNS_ORG_ID", None)

        @contextmanager
        def env_for(block: Block) -> Iterator[dict[str, str]]:
            for reply in SCRIPTS.get(block.setup or "", []):
                emu.script.add(reply, agent=block.agent_name)
            if block.setup != "emulator":
                yield env
                return
            with EverrunsEmulator(strict=True) as own:  # the block scripts and faults it
                yield dict(env, EVERRUNS_API_URL=own.url, EVERRUNS_API_KEY=own.api_key)
                if own.contract_violations:
                    raise AssertionError(f"{block.id}: {own.contract_violations}")

        for lang, runner in (("typescript", run_typescript), ("rust", run_rust)):
            if lang not in args.languages.split(","):
                continue
            mine = [b for b in blocks if b.lang == lang]
            if not mine:
                failures.append(f"{lang}: the docs have no {lang} blocks")
                continue
            problems = runner(mine, env, env_for)
            failures += problems
            print(f"{lang}: {len(mine) - len(problems)}/{len(mine)} docs examples ran")
        if emu.contract_violations:
            failures.append(
                f"the local server sent what the spec forbids: {emu.contract_violations}"
            )
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
