"""Fixtures for the local server's own tests: plain httpx over loopback (no SDK client)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from everruns_sdk.testing import EverrunsEmulator


@pytest.fixture
def emu(everruns_emulator: EverrunsEmulator) -> EverrunsEmulator:
    return everruns_emulator


@pytest.fixture
def client(emu: EverrunsEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emu.url, headers=emu.headers, timeout=10) as c:
        yield c
