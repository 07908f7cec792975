"""The docs home shows the README's quick start (the same program, wrapped to fit its
column), so a newcomer meets one first program, not two."""

from __future__ import annotations

import ast
import re
import textwrap

from readme_quickstart import readme_quick_start
from repo_paths import REPO_ROOT

INDEX = REPO_ROOT / "docs" / "index.md"
COLUMN = 88  # what the docs theme shows without a scroll bar


def test_docs_home_quick_start_is_the_readme_one_and_fits_the_column() -> None:
    text = INDEX.read_text(encoding="utf-8")
    home = re.search(r"```python\n(.*?)```", text, re.DOTALL)  # in the Python tab
    assert home is not None
    assert ast.dump(ast.parse(textwrap.dedent(home.group(1)))) == ast.dump(
        ast.parse(readme_quick_start())
    )
    blocks = re.findall(r"```\w*\n(.*?)```", text, re.DOTALL)
    too_long = [line for block in blocks for line in block.splitlines() if len(line) > COLUMN]
    assert too_long == []
