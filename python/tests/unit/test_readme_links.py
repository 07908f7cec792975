"""The package README as the package index shows it: every link is absolute (relative
links break on the index page) and every link into the repository names a file or
folder that exists."""

from __future__ import annotations

import re

from repo_paths import PYTHON_ROOT, REPO_ROOT

README = PYTHON_ROOT / "README.md"  # the package README (pyproject `readme`)
REPOSITORY = "https://github.com/everruns/sdks/"
LINK = re.compile(r"\[[^\]]+\]\(([^)\s]+)\)")


def test_readme_links_are_absolute_and_point_at_real_files() -> None:
    links = LINK.findall(README.read_text(encoding="utf-8"))
    assert len(links) > 5
    relative = [link for link in links if not link.startswith(("https://", "#"))]
    assert relative == []
    top = REPO_ROOT
    missing = []
    for link in links:
        if link.startswith(REPOSITORY):
            kind, _, rest = link[len(REPOSITORY) :].partition("/")
            path = rest.partition("/")[2]  # after the branch name
            assert kind in ("blob", "tree"), link
            if not (top / path).exists():
                missing.append(link)
    assert missing == []
