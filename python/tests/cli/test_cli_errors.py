"""Errors a newcomer meets: a closed port names the URL tried, after the retries (shown
as they happen on a terminal); a base URL without /api says to check it."""

from __future__ import annotations

import logging
import socket

import pytest
from cli_helpers import one_error_line
from conftest import Run

from everruns_sdk.cli import _notes
from everruns_sdk.testing import EverrunsEmulator


def _closed_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    return f"http://127.0.0.1:{port}/api"


def test_a_closed_port_names_the_url_after_the_retries(run: Run) -> None:
    url = _closed_url()
    line = one_error_line(run("--api-url", url, "--max-retries", "1", "agents", "list"))
    assert f"cannot connect to {url}/v1/agents (2 attempts)" in line
    assert "check that the server is running" in line and f"base URL {url} is right" in line


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stderr is a terminal (as far as the retry notes can tell)."""
    monkeypatch.setattr(_notes, "is_tty", lambda stream=None: True)


@pytest.mark.usefixtures("terminal")
def test_on_a_terminal_each_retry_is_shown(run: Run) -> None:
    url = _closed_url()
    logger = logging.getLogger("everruns_sdk")
    level = logger.level
    result = run("--api-url", url, "--max-retries", "2", "agents", "list")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    for n, note in enumerate(lines[:2], start=1):
        assert note.startswith(f"retrying: cannot connect to {url}/v1/agents (ConnectError)")
        assert f"; retry {n} in " in note
        assert "check that" not in note  # the advice is in the error, once
    assert lines[2].startswith("error: cannot connect to") and "(3 attempts)" in lines[2]
    assert logger.level == level  # restored after the command
    assert not any(isinstance(h, _notes.RetryNotes) for h in logger.handlers)


@pytest.mark.usefixtures("terminal")
def test_on_a_terminal_stream_reconnects_are_shown(run: Run) -> None:
    url = _closed_url()
    session = "session_" + "0" * 32
    result = run("--api-url", url, "events", "tail", session, "--max-retries", "1")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith(f"retrying: cannot connect to {url}/v1/sessions/{session}/sse")
    assert "reconnecting in" in lines[0] and "(failure 1)" in lines[0]
    assert lines[1].startswith("error: event stream") and url in lines[1]


def test_off_a_terminal_no_retry_notes(run: Run) -> None:
    result = run("--api-url", _closed_url(), "--max-retries", "2", "agents", "list")
    one_error_line(result)


def test_a_base_url_without_api_says_to_check_it(run: Run, emu: EverrunsEmulator) -> None:
    root = emu.url.removesuffix("/api")
    line = one_error_line(run("--api-url", root, "agents", "list"))
    assert "HTTP 404" in line and f"{root} does not end in /api" in line
    missing = one_error_line(run("agents", "get", "agent_" + "0" * 32))
    assert "/api" not in missing  # a real 404 of the API: no hint
