"""The package's promises about itself: light import, typed marker, current sync mirror."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import everruns_sdk

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_import_does_not_load_pydantic_or_models() -> None:
    loaded = _run(
        "import sys, everruns_sdk; "
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'everruns_sdk.types', "
        "'everruns_sdk.resources', 'starlette', 'uvicorn'))))"
    )
    assert loaded == "[]"


def test_creating_a_client_does_not_load_models() -> None:
    loaded = _run(
        "import sys; from everruns_sdk import Everruns; "
        "c = Everruns(api_key='evr_x', base_url='http://localhost/api'); "
        "print('pydantic' in sys.modules)"
    )
    assert loaded == "False"


def test_py_typed_marker_is_shipped() -> None:
    assert (Path(everruns_sdk.__file__).parent / "py.typed").is_file()


def test_public_names_resolve() -> None:
    for name in everruns_sdk.__all__:
        assert getattr(everruns_sdk, name) is not None, name


def test_unknown_attribute_raises_attribute_error() -> None:
    try:
        everruns_sdk.does_not_exist  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "does_not_exist" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_sync_mirror_is_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_sync.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
