"""`everruns sessions ...` against the local server."""

from __future__ import annotations

from cli_helpers import ok, one_error_line, parse
from conftest import Run

from everruns_sdk.testing import EverrunsEmulator, Reply


def _agent(run: Run) -> str:
    return str(parse(run("agents", "create", "helper", "-p", "Help.", "--json"))["id"])


def test_create_with_an_agent_by_name_then_get_and_list(run: Run) -> None:
    agent_id = _agent(run)
    session = parse(run("sessions", "create", "--agent", "helper", "--title", "T1", "--json"))
    assert session["agent_id"] == agent_id
    assert session["title"] == "T1"
    assert session["workspace_id"]

    got = parse(run("sessions", "get", session["id"], "--json"))
    assert got["id"] == session["id"]
    listed = parse(run("sessions", "list", "--agent", agent_id, "--json"))
    assert [s["id"] for s in listed] == [session["id"]]

    table = ok(run("sessions", "list")).stdout
    assert session["id"] in table and "T1" in table
    assert session["id"] in ok(run("sessions", "get", session["id"])).stdout


def test_create_without_an_agent(run: Run) -> None:
    session = parse(run("sessions", "create", "--json"))
    assert session["agent_id"] is None


def test_cancel_a_running_turn_keeps_the_session(run: Run, emu: EverrunsEmulator) -> None:
    session = parse(run("sessions", "create", "--json"))
    emu.script.add(Reply.hanging())
    ok(run("messages", "send", session["id"], "wait forever"))
    emu.wait_for_event(session["id"], "reason.started")

    result = parse(run("sessions", "cancel", session["id"], "--json"))
    assert result["status"] != "no_op"
    emu.wait_for_event(session["id"], "turn.cancelled")
    assert parse(run("sessions", "get", session["id"], "--json"))["id"] == session["id"]

    idle = ok(run("sessions", "cancel", session["id"])).stdout
    assert "no_op" in idle


def test_delete_then_get_is_a_404(run: Run) -> None:
    session = parse(run("sessions", "create", "--json"))
    assert parse(run("sessions", "delete", session["id"], "--json"))["deleted"] is True
    assert "404" in one_error_line(run("sessions", "get", session["id"]))
    assert parse(run("sessions", "list", "--json")) == []


def test_unknown_agent(run: Run) -> None:
    assert "nobody" in one_error_line(run("sessions", "create", "--agent", "nobody"))
