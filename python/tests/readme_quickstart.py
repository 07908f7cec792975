"""The seed's quick start as the README gives it, and the turn it prints (shared by the
quick-start tests: from the tree and from the installed wheel)."""

from __future__ import annotations

from repo_paths import REPO_ROOT

README = REPO_ROOT / "README.md"  # the seed quick start, Python tab

# The turn the local server's default model runs, as API-NOTES lists it.
EXPECTED = [
    "input.message",
    "turn.started",
    "session.activated",
    "reason.started",
    "output.message.started",
    "output.message.delta",
    "output.message.completed",
    "reason.completed",
    "turn.completed",
]


def readme_quick_start() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Quick start") :]
    code = section[section.index("```python\n") + len("```python\n") :]
    return code[: code.index("```")]
