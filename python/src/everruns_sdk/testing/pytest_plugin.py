"""Pytest fixtures for the local Everruns server (the ``everruns_sdk`` pytest plugin).

Registered through the ``pytest11`` entry point, so any project that installs
``everruns-sdk[testing]`` gets them:

* ``everruns_emulator`` - an `everruns_sdk.testing.EverrunsEmulator`
  with fresh state for each test (one server per test session, ``reset()``
  before and after each test, so it is fast). Change ``heartbeat_interval`` /
  ``cycle_interval`` freely: the reset restores them.
* ``everruns_emulator_session`` - that shared server itself (session-scoped,
  not reset: state persists across the tests that use it directly).
* ``everruns_emulator_factory`` - ``factory(**kwargs)`` starts a dedicated
  emulator (custom API key, intervals, org...) that is stopped after the test.
* ``everruns_env`` - ``everruns_emulator`` plus ``EVERRUNS_API_URL`` and
  ``EVERRUNS_API_KEY`` pointing at it (``EVERRUNS_ORG_ID`` unset).

Importing this module is cheap: the server and its dependencies load inside
the fixtures, which skip the test when the ``testing`` extra is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._emulator import EverrunsEmulator


def _emulator_class() -> type[EverrunsEmulator]:
    pytest.importorskip("starlette", reason="needs everruns-sdk[testing]")
    pytest.importorskip("uvicorn", reason="needs everruns-sdk[testing]")
    from ._emulator import EverrunsEmulator

    return EverrunsEmulator


@pytest.fixture(scope="session")
def everruns_emulator_session() -> Iterator[EverrunsEmulator]:
    """One local Everruns server shared by the whole test session."""
    with _emulator_class()() as emulator:
        yield emulator


@pytest.fixture
def everruns_emulator(everruns_emulator_session: EverrunsEmulator) -> Iterator[EverrunsEmulator]:
    """The shared local server, with fresh state for this test."""
    everruns_emulator_session.reset()
    yield everruns_emulator_session
    everruns_emulator_session.reset()


@pytest.fixture
def everruns_emulator_factory() -> Iterator[Callable[..., EverrunsEmulator]]:
    """Start dedicated servers: ``everruns_emulator_factory(api_key=..., ...)``."""
    cls = _emulator_class()
    started: list[EverrunsEmulator] = []

    def start(**kwargs: Any) -> EverrunsEmulator:
        emulator = cls(**kwargs).start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def everruns_env(
    everruns_emulator: EverrunsEmulator, monkeypatch: pytest.MonkeyPatch
) -> EverrunsEmulator:
    """The local server, with the ``EVERRUNS_*`` environment pointing at it."""
    monkeypatch.setenv("EVERRUNS_API_URL", everruns_emulator.url)
    monkeypatch.setenv("EVERRUNS_API_KEY", everruns_emulator.api_key)
    monkeypatch.delenv("EVERRUNS_ORG_ID", raising=False)
    return everruns_emulator
