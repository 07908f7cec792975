"""Fixtures of the compatibility suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from everruns_sdk._compat._warn import reset_warnings


@pytest.fixture(autouse=True)
def fresh_warnings() -> Iterator[None]:
    """Each test starts with no old spelling warned yet (they warn once per process)."""
    reset_warnings()
    yield
    reset_warnings()
