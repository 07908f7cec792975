"""Errors that say what to check, as a newcomer meets them: a closed port names the URL
tried, a base URL without `/api` says so, tracebacks name public classes."""

from __future__ import annotations

import socket
import traceback

import pytest

from everruns_sdk import (
    APIConnectionError,
    AuthenticationError,
    Everruns,
    NotFoundError,
    SyncEverruns,
)
from everruns_sdk.testing import EverrunsEmulator


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_closed_port_names_the_url_and_what_to_check() -> None:
    base = f"http://127.0.0.1:{_closed_port()}/api"
    async with Everruns(api_key="evr_pat_x", base_url=base, max_retries=1) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.agents.list()
    text = str(caught.value)
    assert f"{base}/v1/agents" in text and "2 attempts" in text
    assert "server is running" in text and "base URL" in text
    assert "evr_pat_x" not in text


def test_a_base_url_without_api_says_so(everruns_emulator: EverrunsEmulator) -> None:
    root = everruns_emulator.url.removesuffix("/api")
    with (
        SyncEverruns(api_key=everruns_emulator.api_key, base_url=root) as client,
        pytest.raises(NotFoundError) as caught,
    ):
        client.agents.list()
    assert "does not end in /api" in str(caught.value)
    with (
        SyncEverruns(api_key=everruns_emulator.api_key, base_url=everruns_emulator.url) as c,
        pytest.raises(NotFoundError) as missing,
    ):
        c.agents.get("agent_" + "0" * 32)
    assert "/api" not in str(missing.value)  # a real 404 of the API gets no hint


def test_tracebacks_name_public_classes(everruns_emulator: EverrunsEmulator) -> None:
    with (
        SyncEverruns(api_key="evr_pat_wrong", base_url=everruns_emulator.url) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.agents.list()
    line = traceback.format_exception_only(caught.value)[-1]
    assert line.startswith("everruns_sdk.AuthenticationError: ")
    assert "_errors" not in "".join(traceback.format_exception(caught.value))
