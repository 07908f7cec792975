"""Configuration, errors and secrets: options and environment, one-line errors, and the
API key never shown, whatever happens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cli_helpers import ok, one_error_line, parse
from conftest import Run
from typer.testing import CliRunner, Result

from everruns_sdk.cli._app import app
from everruns_sdk.testing import EverrunsEmulator

SECRET = "evr_pat_0123456789abcdefSECRET"


def test_help_and_version_need_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVERRUNS_API_KEY", raising=False)
    runner = CliRunner()
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for group in ("agents", "sessions", "messages", "events", "chat", "serve-local"):
        assert group in result.stdout
    assert "everruns 0." in runner.invoke(app, ["--version"]).stdout


def test_missing_key_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVERRUNS_API_KEY", raising=False)
    line = one_error_line(CliRunner().invoke(app, ["agents", "list"]))
    assert "EVERRUNS_API_KEY" in line and "--api-key" in line


def test_options_override_the_environment(
    everruns_emulator_factory: Callable[..., EverrunsEmulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = everruns_emulator_factory(api_key=SECRET)
    monkeypatch.setenv("EVERRUNS_API_URL", "http://127.0.0.1:9/api")  # nothing listens there
    monkeypatch.setenv("EVERRUNS_API_KEY", "evr_wrong")
    runner = CliRunner()
    args = ["--api-url", emu.url, "--api-key", SECRET, "--org", "org-b"]
    created = runner.invoke(app, [*args, "agents", "create", "b", "-p", "x", "--json"])
    assert created.exit_code == 0, created.stderr
    # a lookup of the name (create again is an update), then the create
    assert [(r.method, r.path) for r in emu.request_log] == [
        ("GET", "/v1/agents"),
        ("POST", "/v1/agents"),
    ]
    # --org selected another organization: the default one has no agents.
    default_org = runner.invoke(app, ["--api-url", emu.url, "--api-key", SECRET, "agents", "list"])
    assert "No agents in the default organization" in default_org.stdout
    assert SECRET not in created.output + default_org.output


def test_bad_url_is_one_line(run: Run) -> None:
    line = one_error_line(run("--api-url", "not a url", "agents", "list"))
    assert "bad configuration" in line


def test_unreachable_server_is_one_line(run: Run) -> None:
    result = run("--api-url", "http://127.0.0.1:9/api", "--max-retries", "0", "agents", "list")
    assert "error:" in one_error_line(result)


def _every_outcome(runner: CliRunner, base: list[str], emu: EverrunsEmulator) -> list[Result]:
    """Successes and failures of many commands, with `base` options."""
    results = [
        runner.invoke(app, [*base, "agents", "create", "keeper", "-p", "x"]),
        runner.invoke(app, [*base, "agents", "list", "--json"]),
        runner.invoke(app, [*base, "agents", "get", "missing-agent"]),
        runner.invoke(app, [*base, "sessions", "get", "session_" + "0" * 32]),
        runner.invoke(app, [*base, "sessions", "create", "--agent", "keeper", "--json"]),
    ]
    emu.faults.error(500, "/v1/agents", times=None)
    results.append(runner.invoke(app, [*base, "agents", "list"]))
    emu.faults.clear()
    return results


def test_the_key_is_never_printed(
    everruns_emulator_factory: Callable[..., EverrunsEmulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = everruns_emulator_factory(api_key=SECRET)
    monkeypatch.setenv("EVERRUNS_API_URL", emu.url)
    runner = CliRunner()
    monkeypatch.setenv("EVERRUNS_API_KEY", SECRET)
    outcomes = _every_outcome(runner, ["--max-retries", "0"], emu)
    outcomes += _every_outcome(runner, ["--max-retries", "0", "--api-key", SECRET], emu)
    monkeypatch.setenv("EVERRUNS_API_KEY", SECRET + "x")  # a wrong key: 401
    outcomes.append(runner.invoke(app, ["agents", "list"]))
    assert any(r.exit_code == 0 for r in outcomes) and any(r.exit_code for r in outcomes)
    for result in outcomes:
        assert SECRET not in result.output
        assert "SECRET" not in result.output
    assert "401" in one_error_line(outcomes[-1])


def test_server_error_is_one_line_after_retries(run: Run, emu: EverrunsEmulator) -> None:
    emu.faults.error(503, "/v1/agents", html=True, times=None)
    line = one_error_line(run("--max-retries", "1", "agents", "list"))
    assert "503" in line and "<html" not in line.lower()


def test_json_errors_leave_stdout_empty(run: Run) -> None:
    result = run("agents", "get", "agent_" + "0" * 32, "--json")
    one_error_line(result)
    assert result.stdout == ""


def test_a_rate_limit_is_retried(run: Run, emu: EverrunsEmulator) -> None:
    emu.faults.rate_limit("/v1/agents", method="GET", retry_after=0)
    assert parse(run("agents", "list", "--json")) == []
    ok(run("agents", "list"))
