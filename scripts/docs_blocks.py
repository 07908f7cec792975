"""The code blocks of the docs, as the docs tests of every language read them.

One extractor for README.md, python/README.md and docs/*.md: a fenced block of a language
we run (Python, TypeScript, Rust), inside a language tab or not, with the ``docs-test``
marker on the line before its fence (``setup=NAME`` or ``skip (reason)``). The Python
blocks run in the Python suite (python/tests/integration/test_docs_examples.py), the
TypeScript and Rust ones in scripts/docs_examples.py.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC_FILES = [ROOT / "README.md", ROOT / "python" / "README.md", *sorted(ROOT.glob("docs/*.md"))]
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w+-]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<body>.*?)\s*-->\s*$")
# The fence's info string -> the language whose suite runs the block.
LANGUAGES = {"python": "python", "ts": "typescript", "typescript": "typescript", "rust": "rust"}


@dataclass(frozen=True)
class Block:
    """One fenced block of a language we run."""

    path: str  # relative to the repository
    line: int  # 1-based line of the first line of code
    lang: str  # "python", "typescript" or "rust"
    code: str  # dedented (a block inside a tab is indented)
    marker: str | None  # the docs-test marker's body, e.g. "setup=client" or "skip (why)"

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def name(self) -> str:
        """An identifier made of the file and line, for a program's file name."""
        return re.sub(r"[^a-z0-9]+", "_", self.id.lower()).strip("_")

    @property
    def agent_name(self) -> str:
        """A name of its own for the agent the block's setup creates (scripted replies)."""
        return "docs-" + re.sub(r"[^a-z0-9]+", "-", self.id.lower()).strip("-")

    @property
    def skipped(self) -> bool:
        return (self.marker or "").startswith("skip")

    @property
    def setup(self) -> str | None:
        """The prelude's name of a ``setup=NAME`` marker."""
        match = re.fullmatch(r"setup=([\w-]+)", self.marker or "")
        return match[1] if match else None


def extract_blocks(files: Iterable[Path] = DOC_FILES, root: Path = ROOT) -> list[Block]:
    """Every Python, TypeScript and Rust block of the files, in order."""
    blocks: list[Block] = []
    for file in files:
        lines = file.read_text(encoding="utf-8").splitlines()
        rel = file.relative_to(root).as_posix()
        i = 0
        while i < len(lines):
            fence = FENCE.match(lines[i])
            if not fence:
                i += 1
                continue
            end = i + 1
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            lang = LANGUAGES.get(fence["lang"])
            if lang:
                marker = MARKER.match(lines[i - 1]) if i > 0 else None
                code = textwrap.dedent("\n".join(lines[i + 1 : end])) + "\n"
                blocks.append(Block(rel, i + 2, lang, code, marker["body"] if marker else None))
            i = end + 1
    return blocks


def misplaced_markers(files: Iterable[Path] = DOC_FILES) -> list[str]:
    """Markers that are malformed or not right before the fence of a language we run."""
    problems: list[str] = []
    fences = {"```" + info for info in LANGUAGES}
    for file in files:
        lines = file.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            if "docs-test:" not in line:
                continue
            if not MARKER.match(line):
                problems.append(f"{file.name}:{n + 1}: malformed docs-test marker")
            elif (lines[n + 1].strip() if n + 1 < len(lines) else "") not in fences:
                problems.append(f"{file.name}:{n + 1}: a docs-test marker must precede a fence")
    return problems
