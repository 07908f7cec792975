"""`everruns agents ...` against the local server."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import ok, one_error_line, parse
from conftest import Run

from everruns_sdk.testing import EverrunsEmulator

PROMPT = "You answer questions about invoices."


def _create(run: Run, name: str = "billing-bot", *extra: str) -> dict[str, object]:
    agent = parse(run("agents", "create", name, "-p", PROMPT, "--json", *extra))
    assert isinstance(agent, dict)
    return agent


def test_create_then_list_as_json_and_as_a_table(run: Run) -> None:
    agent = _create(run, "billing-bot", "--tag", "finance", "--description", "Invoices")
    assert agent["name"] == "billing-bot"
    assert agent["system_prompt"] == PROMPT
    assert agent["tags"] == ["finance"]

    listed = parse(run("agents", "list", "--json"))
    assert [a["id"] for a in listed] == [agent["id"]]

    table = ok(run("agents", "list")).stdout
    assert "billing-bot" in table and str(agent["id"]) in table  # the ID is never cut


def test_empty_list(run: Run) -> None:
    assert parse(run("agents", "list", "--json")) == []
    assert "No agents in the default organization" in ok(run("agents", "list")).stdout


def test_list_pages_and_all(run: Run) -> None:
    for n in range(3):
        _create(run, f"bot-{n}")
    assert len(parse(run("agents", "list", "--limit", "2", "--json"))) == 2
    assert len(parse(run("agents", "list", "--limit", "2", "--all", "--json"))) == 3
    assert "of 3" in ok(run("agents", "list", "--limit", "2")).stdout


def test_get_by_name_or_id(run: Run) -> None:
    agent = _create(run)
    by_id = parse(run("agents", "get", str(agent["id"]), "--json"))
    by_name = parse(run("agents", "get", "billing-bot", "--json"))
    assert by_id["id"] == by_name["id"] == agent["id"]
    shown = ok(run("agents", "get", "billing-bot")).stdout
    assert "billing-bot" in shown and PROMPT in shown


def test_global_json_flag(run: Run) -> None:
    _create(run)
    assert parse(run("--json", "agents", "get", "billing-bot"))["name"] == "billing-bot"


def test_update_changes_only_the_given_fields(run: Run, tmp_path: Path) -> None:
    agent = _create(run)
    prompt_file = tmp_path / "prompt.md"
    prompt_file.write_text("New prompt.", encoding="utf-8")
    updated = parse(
        run(
            "agents",
            "update",
            "billing-bot",
            "-f",
            str(prompt_file),
            "--display-name",
            "B",
            "--json",
        )
    )
    assert updated["id"] == agent["id"]
    assert updated["system_prompt"] == "New prompt."
    assert updated["display_name"] == "B"
    assert updated["tags"] == agent["tags"]


def test_create_reads_the_prompt_from_stdin(run: Run) -> None:
    agent = parse(run("agents", "create", "stdin-bot", "-f", "-", "--json", input="From stdin."))
    assert agent["system_prompt"] == "From stdin."


def test_delete_archives(run: Run, emu: EverrunsEmulator) -> None:
    agent = _create(run)
    assert parse(run("agents", "delete", "billing-bot", "--json")) == {
        "id": agent["id"],
        "deleted": True,
    }
    assert parse(run("agents", "list", "--json")) == []
    assert emu.count("DELETE", f"/v1/agents/{agent['id']}") == 1


def test_export_then_import_round_trip(run: Run, tmp_path: Path) -> None:
    _create(run, "billing-bot", "--tag", "finance")
    exported = ok(run("agents", "export", "billing-bot")).stdout
    assert exported.startswith("---") and PROMPT in exported

    target = tmp_path / "agent.md"
    ok(run("agents", "export", "billing-bot", "-o", str(target)))
    assert target.read_text(encoding="utf-8").strip() == exported.strip()

    ok(run("agents", "delete", "billing-bot"))
    imported = parse(run("agents", "import", str(target), "--json"))
    assert imported["name"] == "billing-bot"
    assert imported["system_prompt"] == PROMPT
    assert imported["tags"] == ["finance"]


def test_unknown_agent_is_one_error_line(run: Run) -> None:
    line = one_error_line(run("agents", "get", "agent_00000000000000000000000000000000"))
    assert "404" in line
    line = one_error_line(run("agents", "get", "nobody"))
    assert "nobody" in line


def test_usage_errors(run: Run, tmp_path: Path) -> None:
    result = run("agents", "create", "no-prompt")
    assert result.exit_code == 2
    assert "system prompt" in one_error_line(result)
    result = run("agents", "import", str(tmp_path / "missing.md"))
    assert "cannot read" in one_error_line(result)
    line = one_error_line(run("agents", "create", "!!!", "-p", "x"))  # no slug in that name
    assert "name" in line


def test_create_again_updates_only_what_it_is_given(run: Run) -> None:
    """A second `create` of the same name is an update: fields set before stay."""
    first = _create(run, "billing-bot", "--display-name", "Billing Bot", "--tag", "finance")
    assert first["display_name"] == "Billing Bot"
    again = parse(run("agents", "create", "billing-bot", "-p", "Be brief.", "--json"))
    assert again["id"] == first["id"]
    assert again["system_prompt"] == "Be brief."
    assert again["display_name"] == "Billing Bot"
    assert again["tags"] == ["finance"]
