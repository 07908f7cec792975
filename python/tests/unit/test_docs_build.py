"""The documentation site builds with `mkdocs build --strict` (warnings are errors).

This catches a broken link between pages, a page missing from the nav, and an API
reference entry (`::: everruns_sdk...`) that no longer resolves. Skipped only when
mkdocs is not installed (the `docs` extra; `make test` installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from repo_paths import REPO_ROOT

ROOT = REPO_ROOT  # mkdocs.yml and docs/ serve the three SDKs


def _mkdocs() -> list[str]:
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
        import mkdocstrings  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"mkdocs is not installed ({exc.name}): pip install -e '.[docs]'")
    return [sys.executable, "-m", "mkdocs"]


def test_docs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [*_mkdocs(), "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for page in ("index.html", "cli/index.html", "reference/client/index.html"):
        assert (site / page).is_file(), page
    reference = (site / "reference" / "client" / "index.html").read_text(encoding="utf-8")
    assert "with_options" in reference  # generated from the docstrings
    shutil.rmtree(site, ignore_errors=True)


def test_every_page_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))
    missing = [page for page in pages if page not in config]
    assert not missing, f"pages not in mkdocs.yml's nav: {missing}"
