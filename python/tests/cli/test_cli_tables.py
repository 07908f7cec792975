"""Tables in 80 columns: names, and IDs shortened (unique within the table) when full
ones would not fit; `--wide` shows every column with full IDs."""

from __future__ import annotations

import os
import re
import sys

import pytest
from cli_helpers import ok, on_terminal, one_error_line, parse
from conftest import Run

from everruns_sdk.cli._short import short_ids
from everruns_sdk.testing import EverrunsEmulator

NARROW = {"COLUMNS": "80"}
TITLE = "Quarterly billing review with the finance team"


def _agents(run: Run) -> list[dict[str, str]]:
    made = []
    for name in ("billing-bot", "support-bot", "research-assistant"):
        made.append(
            parse(
                run(
                    "agents",
                    "create",
                    name,
                    "-p",
                    "x",
                    "--display-name",
                    f"The {name.replace('-', ' ')} of the team",
                    "--json",
                )
            )
        )
    return made


def _fits(text: str, width: int = 80) -> None:
    too_long = [line for line in text.splitlines() if len(line) > width]
    assert not too_long, "\n".join(too_long)


def test_agents_in_80_columns_show_names_and_short_ids(run: Run) -> None:
    agents = _agents(run)
    table = ok(run("agents", "list", env=NARROW)).stdout
    _fits(table)
    short = short_ids(a["id"] for a in agents)
    for agent in agents:
        assert agent["name"] in table
        assert agent["id"] not in table
        assert short[agent["id"]] in table
        assert short[agent["id"]] == "agent_…" + agent["id"][-8:]
    # one row per agent, on one line each: the short ID starts the row
    rows = [line for line in table.splitlines() if line.startswith("agent_")]
    assert len(rows) == 3


def test_sessions_in_80_columns_name_their_agent(run: Run) -> None:
    agents = _agents(run)
    sessions = [
        parse(run("sessions", "create", "--agent", a["name"], "--title", TITLE, "--json"))
        for a in agents
    ]
    table = ok(run("sessions", "list", env=NARROW)).stdout
    _fits(table)
    short = short_ids(s["id"] for s in sessions)
    assert len(set(short.values())) == 3
    for session, agent in zip(sessions, agents, strict=True):
        line = next(line for line in table.splitlines() if short[session["id"]] in line)
        assert agent["name"] in line and agent["id"] not in line


def test_wide_shows_full_ids_and_every_column(run: Run) -> None:
    agents = _agents(run)
    sid = parse(run("sessions", "create", "--agent", "billing-bot", "--json"))["id"]
    table = ok(run("agents", "list", "--wide", env=NARROW)).stdout
    header = table.splitlines()[0].split()
    assert header[:2] == ["ID", "NAME"] and header[-2:] == ["CREATED", "UPDATED"]
    for agent in agents:  # each on one line, in full (the terminal wraps it)
        assert any(line.startswith(agent["id"]) and "The " in line for line in table.splitlines())
    sessions = ok(run("sessions", "list", "-W", env=NARROW)).stdout
    (row,) = [line for line in sessions.splitlines() if line.startswith(sid)]
    assert "billing-bot" in row and agents[0]["id"] in row and "WORKSPACE" in sessions
    assert "CREATED" not in ok(run("agents", "list", env=NARROW)).stdout


def test_full_ids_where_they_fit(run: Run) -> None:
    agents = _agents(run)
    table = ok(run("agents", "list", env={"COLUMNS": "160"})).stdout
    assert all(a["id"] in table for a in agents)


def test_messages_in_80_columns(run: Run) -> None:
    sid = parse(run("sessions", "create", "--json"))["id"]
    ok(run("messages", "send", sid, "Hello! " * 30, "--wait"))
    table = ok(run("messages", "list", sid, env=NARROW)).stdout
    _fits(table)
    assert "message_…" in table and "Hello!" in table


def test_short_ids_stay_unique() -> None:
    a = "session_" + "0" * 24 + "12345678"
    b = "session_" + "1" * 24 + "12345678"
    c = "agent_" + "2" * 24 + "12345678"
    short = short_ids([a, b, c, "not-an-id", a], mark="…")
    assert short[a] == "session_…012345678"
    assert short[b] == "session_…112345678"
    assert short[c] == "agent_…12345678"  # another kind: no clash
    assert "not-an-id" not in short
    twins = ["agent_" + "a" * 32, "agent_" + "b" + "a" * 31]
    assert short_ids(twins, mark="..") == {twins[0]: twins[0], twins[1]: twins[1]}


def test_a_short_id_from_a_table_can_be_given_back(run: Run, emu: EverrunsEmulator) -> None:
    agents = _agents(run)
    sid = parse(run("sessions", "create", "--agent", "billing-bot", "--title", TITLE, "--json"))[
        "id"
    ]
    table = ok(run("sessions", "list", env=NARROW)).stdout
    short = next(word for line in table.splitlines() for word in line.split() if "…" in word)
    assert short == "session_…" + sid[-8:]
    assert parse(run("sessions", "get", short, "--json"))["id"] == sid
    ascii_form = "session_.." + sid[-8:]  # what a terminal without UTF-8 shows
    assert parse(run("sessions", "get", ascii_form, "--json"))["id"] == sid
    ok(run("messages", "send", short, "Hello!", "--wait"))
    assert "turn.completed" in ok(run("events", "tail", short, "--until-turn-end")).stdout
    agent = agents[0]
    assert parse(run("agents", "get", "agent_…" + agent["id"][-8:], "--json"))["id"] == agent["id"]
    missing = one_error_line(run("sessions", "get", "session_…00000000"))
    assert "no session has an ID ending in 00000000" in missing
    assert emu.count("GET", f"/v1/sessions/{sid}") >= 2  # it asked for the full ID


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX terminal")
def test_on_an_80_column_terminal(run: Run, emu: EverrunsEmulator) -> None:
    """The real thing: stdout an 80x24 terminal, no COLUMNS: rich reads the terminal's
    size, IDs are shortened, the table is in colour and fits."""
    agents = _agents(run)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(EVERRUNS_API_URL=emu.url, EVERRUNS_API_KEY=emu.api_key, TERM="xterm")
    returncode, seen = on_terminal(["agents", "list"], env, size=(24, 80))
    assert returncode == 0
    text = seen.decode("utf-8")
    assert "\x1b[" in text  # a terminal: colour
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text).replace("\r\n", "\n")
    _fits(plain)
    for agent in agents:
        assert "agent_…" + agent["id"][-8:] in plain and agent["id"] not in plain
