"""`scripts/surface_0_3_1.py` reads a package's surface correctly.

The real input (everruns-sdk 0.3.1 from PyPI) is not installed here, so the script
runs against a small stand-in package of the same layout, written to a temporary
directory and put first on the path; its output must describe exactly that package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from repo_paths import PYTHON_ROOT

SCRIPT = PYTHON_ROOT / "scripts" / "surface_0_3_1.py"

FILES = {
    "__init__.py": """
        from everruns_sdk.client import Everruns
        from everruns_sdk.models import Thing
        __version__ = "9.9.9"
        __all__ = ["Everruns", "Thing"]
    """,
    "client.py": """
        from typing import Optional

        class WidgetsClient:
            def __init__(self, client): self._client = client
            async def list(self, *, search: Optional[str] = None) -> "list": ...
            async def get(self, widget_id: str) -> "object": ...
            def stream(self, widget_id: str, since: int = 0) -> "object": ...
            def _private(self): ...

        class Everruns:
            def __init__(self, api_key=None, base_url=None): ...
            @property
            def widgets(self) -> "WidgetsClient": return WidgetsClient(self)
            def with_reason(self, reason: str) -> "Everruns": ...
            async def close(self) -> None: ...
    """,
    "models.py": """
        class Thing:
            @staticmethod
            def make(name, size=1): ...
            @classmethod
            def build(cls, name): ...
        def helper(x): ...
    """,
    "sse.py": """
        class StreamOptions:
            def __init__(self, types=None): ...
            @classmethod
            def quiet(cls): ...
        class EventStream:
            def __init__(self, client, session_id, options): ...
            def stop(self): ...
    """,
    "errors.py": """
        class EverrunsError(Exception): ...
    """,
}


def test_the_script_describes_the_package_it_finds(tmp_path: Path) -> None:
    package = tmp_path / "everruns_sdk"
    package.mkdir()
    for name, text in FILES.items():
        (package / name).write_text(textwrap.dedent(text))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stderr
    surface = json.loads(proc.stdout)
    assert surface["version"] == "9.9.9"
    assert surface["modules"]["everruns_sdk"] == ["Everruns", "Thing"]
    assert surface["modules"]["everruns_sdk.models"] == ["Thing", "helper"]
    assert surface["modules"]["everruns_sdk.client"] == ["Everruns", "WidgetsClient"]
    assert [p["name"] for p in surface["client"]["init"]] == ["api_key", "base_url"]
    assert surface["client"]["methods"]["close"]["async"] is True
    assert surface["client"]["methods"]["with_reason"]["async"] is False
    widgets = surface["resources"]["widgets"]
    assert widgets["class"] == "WidgetsClient"
    assert sorted(widgets["methods"]) == ["get", "list", "stream"]
    assert widgets["methods"]["list"]["params"] == [
        {"name": "search", "kind": "KEYWORD_ONLY", "required": False}
    ]
    assert widgets["methods"]["stream"]["async"] is False
    assert [p["required"] for p in widgets["methods"]["stream"]["params"]] == [True, False]
    helpers = surface["model_helpers"]["Thing"]
    assert [p["name"] for p in helpers["make"]["params"]] == ["name", "size"]
    assert [p["name"] for p in helpers["build"]["params"]] == ["name"]  # not cls
    assert surface["sse"]["StreamOptions"]["members"] == ["quiet"]
    assert [p["name"] for p in surface["sse"]["EventStream"]["init"]] == [
        "client",
        "session_id",
        "options",
    ]
