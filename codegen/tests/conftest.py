"""Tests of the generator itself: `make -C python test` runs them with python/.venv."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

CODEGEN = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CODEGEN))

from everruns_codegen.models import Models, build_models  # noqa: E402
from everruns_codegen.spec import Spec, load_spec  # noqa: E402

SHARED = Path(os.environ.get("EVERRUNS_SHARED") or CODEGEN.parent.parent / "shared").resolve()


@pytest.fixture(scope="session")
def spec() -> Spec:
    if not (SHARED / "openapi" / "everruns-openapi.json").is_file():
        pytest.skip(f"no API contract under {SHARED}")
    return load_spec(SHARED)


@pytest.fixture(scope="session")
def models(spec: Spec) -> Models:
    return build_models(spec)
