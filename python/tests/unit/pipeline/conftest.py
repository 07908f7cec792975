"""Fixtures for the request-pipeline unit tests: a hermetic environment, a respx
router that refuses unmocked requests, recorded (never real) retry sleeps, and a client."""

from __future__ import annotations

import logging
import ssl
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import respx

from everruns_sdk import Everruns, _aio

API_KEY = "evr_pat_SECRET123456"
BASE = "http://testserver/api"


_real_create_default_context = ssl.create_default_context
_ssl_contexts: dict[tuple[Any, ...], ssl.SSLContext] = {}


def _cached_create_default_context(*args: Any, **kwargs: Any) -> ssl.SSLContext:
    key = (args, tuple(sorted(kwargs.items())))
    if key not in _ssl_contexts:
        _ssl_contexts[key] = _real_create_default_context(*args, **kwargs)
    return _ssl_contexts[key]


@pytest.fixture(autouse=True)
def _fast_ssl_contexts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Speed only: every `Everruns()` builds an httpx pool, which loads the CA bundle
    (~25 ms). respx answers before any TLS happens, so one shared context is harmless."""
    monkeypatch.setattr(ssl, "create_default_context", _cached_create_default_context)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EVERRUNS_API_KEY", "EVERRUNS_ORG_ID", "EVERRUNS_API_URL", "EVERRUNS_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every retry delay the pipeline asks for, in order; nothing actually sleeps."""
    delays: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        delays.append(seconds)

    monkeypatch.setattr(_aio, "sleep", fake_sleep)
    return delays


@pytest.fixture(autouse=True)
def _restore_sdk_logger() -> Iterator[None]:
    logger = logging.getLogger("everruns_sdk")
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as mock:
        yield mock


@pytest.fixture
async def client(router: respx.MockRouter) -> AsyncIterator[Everruns]:
    c = Everruns(api_key=API_KEY, base_url=BASE)
    yield c
    await c.close()
