"""`everruns --help` and every subcommand's help, rendered at 80 columns by the installed
typer: no Python type names (`--json <bool>`), no braces around arguments (`{SESSION}`),
and docstring paragraphs reflowed instead of broken where the source broke them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer
from cli_helpers import ok
from typer.testing import CliRunner

from everruns_sdk.cli._app import app

ARTEFACTS = re.compile(r"<(bool|str|int|float|int range|float range|path|list\[\w+\])>|\{[A-Z_]+\}")


def _paths(command: object, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _paths(sub, (*prefix, name))


COMMANDS = list(_paths(typer.main.get_command(app)))


def _help(*path: str) -> str:
    runner = CliRunner()
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    return ok(result).stdout


def test_every_command_is_covered() -> None:
    assert ("agents", "list") in COMMANDS
    assert ("events", "tail") in COMMANDS
    assert ("chat",) in COMMANDS
    assert len(COMMANDS) >= 20


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "everruns")
def test_help_has_no_type_or_brace_artefacts(path: tuple[str, ...]) -> None:
    text = _help(*path)
    assert "Usage: everruns" in text
    found = ARTEFACTS.findall(text)
    assert not found, f"{found} in:\n{text}"


def test_flags_show_no_value_and_options_show_their_metavar() -> None:
    text = _help("agents", "list")
    json_line = next(line for line in text.splitlines() if "--json" in line)
    assert re.search(r"--json\s{2,}Print JSON", json_line), json_line
    assert re.search(r"--limit\s+N \[1<=x<=100\]", text), text
    assert re.search(r"--search\s+TEXT", text), text


def test_arguments_read_as_words_in_the_usage_line() -> None:
    assert "Usage: everruns events tail [OPTIONS] SESSION" in _help("events", "tail")
    assert "Usage: everruns messages send [OPTIONS] SESSION TEXT" in _help("messages", "send")


def test_docstring_paragraphs_are_reflowed() -> None:
    runner = CliRunner()
    wide = runner.invoke(app, ["chat", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    # The source breaks this sentence after "Ctrl-D at": the help must not.
    assert "Ctrl-C or Ctrl-D at the prompt (or /exit) ends the chat." in ok(wide).stdout
