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
import re
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w+-]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<body>.*?)\s*-->\s*$")
LANGS = {"ts": "typescript", "typescript": "typescript", "rust": "rust"}
TIMEOUT = 60.0

TS_DIR = ROOT / "typescript" / ".docs-examples"
RUST_CRATE = ROOT / "rust" / "docs-examples"

TS_SETUPS = {
    "client": 'import { Everruns as Everruns_ } from "@everruns/sdk";\n'
    'const client = Everruns_.fromEnv("my-org");\n',
}
TS_SETUPS["session"] = TS_SETUPS["client"] + (
    'const agent = await client.agents.create({ name: "docs-agent", systemPrompt: "Be brief." });\n'
    "const session = await client.sessions.create({ agentId: agent.id });\n"
    'await client.sessions.run(session.id, "Hello!");\n'
)
RUST_SETUPS = {"client": '    let client = everruns_sdk::Everruns::from_env("my-org")?;\n'}
RUST_SETUPS["session"] = RUST_SETUPS["client"] + (
    '    let agent = client.agents().create("docs-agent", "Be brief.").await?;\n'
    "    let session = client.sessions().create(&agent.id).await?;\n"
    '    client.sessions().run(&session.id, "Hello!").await?;\n'
)


@dataclass(frozen=True)
class Block:
    path: str  # relative to the repository
    line: int  # 1-based line of the first line of code
    lang: str  # "typescript" or "rust"
    code: str
    setup: str | None

    @property
    def name(self) -> str:
        return re.sub(r"[^a-z0-9]+", "_", f"{self.path}_{self.line}".lower()).strip("_")


def extract_blocks(files: list[Path] = DOC_FILES) -> list[Block]:
    """The ts/rust blocks of the files, without the skipped ones."""
    blocks: list[Block] = []
    for file in files:
        lines = file.read_text(encoding="utf-8").splitlines()
        rel = file.relative_to(ROOT).as_posix()
        i = 0
        while i < len(lines):
            fence = FENCE.match(lines[i])
            if not fence:
                i += 1
                continue
            end = i + 1
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            lang = LANGS.get(fence["lang"])
            marker = MARKER.match(lines[i - 1]) if i > 0 else None
            body = marker["body"] if marker else ""
            if lang and not body.startswith("skip"):
                setup = body.removeprefix("setup=") if body.startswith("setup=") else None
                code = textwrap.dedent("\n".join(lines[i + 1 : end])) + "\n"
                blocks.append(Block(rel, i + 2, lang, code, setup))
            i = end + 1
    return blocks


def typescript_program(block: Block) -> str:
    if block.setup is None and "import " not in block.code:
        raise ValueError(f"{block.path}:{block.line}: a fragment without setup= marker")
    prelude = TS_SETUPS[block.setup] if block.setup else ""
    return f"// {block.path}:{block.line}\n{prelude}{block.code}export {{}};\n"


def rust_program(block: Block) -> str:
    if "fn main" in block.code:
        return f"// {block.path}:{block.line}\n{block.code}"
    if block.setup is None:
        raise ValueError(f"{block.path}:{block.line}: a fragment without setup= marker")
    uses = [ln for ln in block.code.splitlines() if ln.startswith("use ")]
    body = [ln for ln in block.code.splitlines() if not ln.startswith("use ")]
    return (
        f"// {block.path}:{block.line}\n#![allow(unused)]\n"
        + "".join(u + "\n" for u in uses)
        + "\n#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {\n"
        + RUST_SETUPS[block.setup]
        + textwrap.indent("\n".join(body), "    ")
        + "\n    Ok(())\n}\n"
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


def run_typescript(blocks: list[Block], env: dict[str, str]) -> list[str]:
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
        return _run([*tsx, file], ROOT / "typescript", env, f"{block.path}:{block.line}")

    with ThreadPoolExecutor(max_workers=2) as pool:
        return [f for f in pool.map(one, blocks) if f]


def run_rust(blocks: list[Block], env: dict[str, str]) -> list[str]:
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
    failures = [
        f
        for block in blocks
        if (f := _run([str(target / block.name)], ROOT, env, f"{block.path}:{block.line}"))
    ]
    if not failures:  # kept to look at otherwise; rust's fmt and clippy must not see them
        shutil.rmtree(bins)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--languages", default="typescript,rust")
    args = parser.parse_args(argv)
    from everruns_sdk.testing import EverrunsEmulator

    blocks = extract_blocks()
    failures: list[str] = []
    with EverrunsEmulator() as emu:
        env = dict(os.environ, EVERRUNS_API_URL=emu.url, EVERRUNS_API_KEY=emu.api_key)
        env.pop("EVERRUNS_ORG_ID", None)
        for lang, runner in (("typescript", run_typescript), ("rust", run_rust)):
            if lang not in args.languages.split(","):
                continue
            mine = [b for b in blocks if b.lang == lang]
            if not mine:
                failures.append(f"{lang}: the docs have no {lang} blocks")
                continue
            problems = runner(mine, env)
            failures += problems
            print(f"{lang}: {len(mine) - len(problems)}/{len(mine)} docs examples ran")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
