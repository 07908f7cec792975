"""Where things are, for tests that read files outside the Python package.

The Python SDK lives in `python/` of the three-SDK repository; the API contract folder
is `../shared` beside the repository (or `$EVERRUNS_SHARED`).
"""

from __future__ import annotations

import os
from pathlib import Path

PYTHON_ROOT = Path(__file__).resolve().parents[1]  # python/
REPO_ROOT = PYTHON_ROOT.parent  # the repository: README.md, docs/, mkdocs.yml, codegen/
SHARED = Path(os.environ.get("EVERRUNS_SHARED") or REPO_ROOT.parent / "shared").resolve()
SCOPE = SHARED / "openapi" / "sdk-scope.json"
