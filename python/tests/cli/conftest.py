"""The `everruns` command under typer's CliRunner, against a local server (real HTTP)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

pytest.importorskip("typer", reason="needs everruns-sdk[cli]")
pytest.importorskip("rich", reason="needs everruns-sdk[cli]")

from typer.testing import CliRunner, Result

from everruns_sdk.cli._app import app
from everruns_sdk.testing import EverrunsEmulator

Run = Callable[..., Result]


@pytest.fixture
def emu(everruns_env: EverrunsEmulator) -> EverrunsEmulator:
    """The local server, with EVERRUNS_API_URL / EVERRUNS_API_KEY pointing at it."""
    return everruns_env


@pytest.fixture
def run(emu: EverrunsEmulator) -> Run:
    """`run("agents", "list", input=...)`: invoke the command, return its Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return invoke
