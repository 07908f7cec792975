"""Pytest fixtures for the local Everruns server (the ``everruns_sdk`` pytest plugin).

Registered through the ``pytest11`` entry point, so any project that installs
``everruns-sdk[testing]`` gets them:

* ``everruns_emulator`` - a strict `everruns_sdk.testing.EverrunsEmulator`
  (requests and responses checked against the spec; a response that breaks it fails
  the test) with fresh state for each test (one server per test session, ``reset()``
  before and after each test, so it is fast). Change ``heartbeat_interval`` /
  ``cycle_interval`` freely: the reset restores them.
* ``everruns_emulator_session`` - that shared server itself (session-scoped,
  not reset: state persists across the tests that use it directly).
* ``everruns_emulator_factory`` - ``factory(**kwargs)`` starts a dedicated
  emulator (custom API key, intervals, org...; strict unless ``strict=False``) that is
  stopped after the test.
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


def _fail_on_violations(emulator: EverrunsEmulator) -> None:
    """A strict server's responses that broke the spec fail the test that caused them."""
    found = emulator.contract_violations
    if found:
        lines = [f"{v.method} {v.path} -> {v.status}: {'; '.join(v.problems[:3])}" for v in found]
        pytest.fail("the local server answered against the spec:\n" + "\n".join(lines))


@pytest.fixture(scope="session")
def everruns_emulator_session() -> Iterator[EverrunsEmulator]:
    """One local Everruns server (strict) shared by the whole test session."""
    with _emulator_class()(strict=True) as emulator:
        yield emulator


@pytest.fixture
def everruns_emulator(everruns_emulator_session: EverrunsEmulator) -> Iterator[EverrunsEmulator]:
    """The shared local server, with fresh state for this test."""
    everruns_emulator_session.reset()
    yield everruns_emulator_session
    try:
        _fail_on_violations(everruns_emulator_session)
    finally:
        everruns_emulator_session.reset()


@pytest.fixture
def everruns_emulator_factory() -> Iterator[Callable[..., EverrunsEmulator]]:
    """Start dedicated servers: ``everruns_emulator_factory(api_key=..., ...)``."""
    cls = _emulator_class()
    started: list[EverrunsEmulator] = []

    def start(**kwargs: Any) -> EverrunsEmulator:
        kwargs.setdefault("strict", True)
        emulator = cls(**kwargs).start()
        started.append(emulator)
        return emulator

    yield start
    try:
        for emulator in started:
            _fail_on_violations(emulator)
    finally:
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
