"""Fixtures of the reliability suite: real HTTP over loopback, against the local server
(`everruns_sdk.testing`) or the raw hostile server (hostile_server.py).

Figures (soak counts, hypothesis examples, ...) are collected in `reliability_support.
REPORT`, printed in the terminal summary and written to REPORT_FILE.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from typing import Any

import pytest
from hostile_server import HostileServer
from reliability_support import REPORT, REPORT_FILE, SleepRecorder

from everruns_sdk import _aio, _syncio

_real_create_default_context = ssl.create_default_context
_contexts: dict[tuple[Any, ...], ssl.SSLContext] = {}


def _cached_create_default_context(*args: Any, **kwargs: Any) -> ssl.SSLContext:
    key = (args, tuple(sorted(kwargs.items())))
    if key not in _contexts:
        _contexts[key] = _real_create_default_context(*args, **kwargs)
    return _contexts[key]


@pytest.fixture(autouse=True)
def _fast_ssl_contexts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Speed only: every client builds an httpx pool, which loads the CA bundle (~25 ms);
    these tests make hundreds of clients. The TLS tests opt out (`real_tls` marker)."""
    if request.node.get_closest_marker("real_tls") is None:
        monkeypatch.setattr(ssl, "create_default_context", _cached_create_default_context)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EVERRUNS_API_KEY", "EVERRUNS_ORG_ID", "EVERRUNS_API_URL", "EVERRUNS_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _restore_sdk_logger() -> Iterator[None]:
    logger = logging.getLogger("everruns_sdk")
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    """A raw HTTP server in its own thread; set `.handler`. Its handlers must not fail."""
    with HostileServer() as server:
        yield server
    assert server.errors == [], server.errors


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> SleepRecorder:
    """Records every delay the SDK asks `_aio.sleep`/`_syncio.sleep` for, and skips it."""
    recorder = SleepRecorder()
    monkeypatch.setattr(_aio, "sleep", recorder.async_sleep)
    monkeypatch.setattr(_syncio, "sleep", recorder.sync_sleep)
    return recorder


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_tls: uses the real ssl.create_default_context")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not REPORT:
        return
    terminalreporter.section("everruns reliability figures")
    for line in REPORT:
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"(also written to {REPORT_FILE})")
