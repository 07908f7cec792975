"""Where things are, for tests that read files outside the Python package.

The Python SDK lives in `python/` of the three-SDK repository; the API contract folder
is `../shared` beside the repository (or `$EVERRUNS_SHARED`).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

PYTHON_ROOT = Path(__file__).resolve().parents[1]  # python/
REPO_ROOT = PYTHON_ROOT.parent  # the repository: README.md, docs/, mkdocs.yml, codegen/
SHARED = Path(os.environ.get("EVERRUNS_SHARED") or REPO_ROOT.parent / "shared").resolve()
SCOPE = SHARED / "openapi" / "sdk-scope.json"


def docs_blocks() -> ModuleType:
    """scripts/docs_blocks.py, the one extractor of the docs' code blocks (every language)."""
    path = REPO_ROOT / "scripts" / "docs_blocks.py"
    spec = importlib.util.spec_from_file_location("docs_blocks", path)
    assert spec and spec.loader
    module = sys.modules.get("docs_blocks") or importlib.util.module_from_spec(spec)
    if "docs_blocks" not in sys.modules:
        sys.modules["docs_blocks"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return module
