"""0.3.x-style programs run unchanged against the local server.

Each program in `programs/` is written the way 0.3.x programs were (the spellings of
the 0.3.1 examples and cookbook: positional client arguments, `text=`, flat file
methods, `everruns_sdk.sse.EventStream`, `ToolDefinition(...)`, ...). It runs in its
own process; it must exit 0, print what its scenario expects, and raise exactly one
DeprecationWarning per old spelling it uses, each naming the new spelling and pointing
at the program's own line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from compat_programs import PROGRAMS, run_program

from everruns_sdk.testing import EverrunsEmulator, Reply, ScriptedToolCall

Setup = Callable[[EverrunsEmulator], None]


def _nothing(emu: EverrunsEmulator) -> None:
    pass


def _weather(emu: EverrunsEmulator) -> None:
    emu.script.add(
        Reply.tools(
            ScriptedToolCall("get_weather", {"city": "Paris"}, client_side=True),
            ScriptedToolCall("get_forecast", {"city": "Paris"}, client_side=True),
        ),
        "It is 18 degrees and cloudy in Paris.",
        agent="weather-bot",
    )


MODELS = "importing models from everruns_sdk"
TEXT = "messages.create(text=...)"
SSE = "the module everruns_sdk.sse"
STREAM = "everruns_sdk.sse.EventStream("

# program -> (server setup, output it must print, the old spellings it must warn about)
SCENARIOS: dict[str, tuple[Setup, list[str], set[str]]] = {
    "basic_agent.py": (
        _nothing,
        ["agent basic-assistant agent_", "session session_", "reply: Echo: Hello there"],
        {MODELS, TEXT},
    ),
    "initial_files.py": (
        _nothing,
        [
            "entry /notes/todo.md",
            "read /notes/todo.md (22 bytes): - buy milk",
            "readonly /notes/fixed.md True",
            "from the agent: # Project notes",
            "capabilities: ['session_file_system']",
        ],
        {MODELS, "the module everruns_sdk.models"},
    ),
    "memories.py": (
        _nothing,
        [
            "memory team-facts",
            "created /people/sam.md",
            "file /office.md",
            "read /people/sam.md: Sam likes tea.",
            "download: Sam likes coffee now.",
            "grep /people/sam.md",
            "stat /office.md 22",
            "after delete: ['/people']",
        ],
        {
            "memories.create_dir()",
            "memories.create_file()",
            "memories.list_files()",
            "memories.read_file()",
            "memories.update_file()",
            "memories.download_file()",
            "memories.grep_files()",
            "memories.stat_file()",
            "memories.delete_file()",
        },
    ),
    "workspaces.py": (
        _nothing,
        [
            "moved to /final.md",
            "read /final.md: Step 2: act",
            "updated: Done.",
            "grep /drafts/plan.md",
            "stat True",
            "left: ['/final.md']",
            "workspaces: ['scratch']",
        ],
        {
            "workspace_files.create_dir()",
            "workspace_files.copy_file()",
            "workspace_files.move_file()",
        },
    ),
    "streaming_chat.py": (
        _nothing,
        [
            "agent: Echo: What is 2 + 2?",
            "agent: Echo: And 3 + 3?",
            "turn done: {completed",
            "first event input.message #",
        ],
        {TEXT, SSE, STREAM},
    ),
    "agent_lifecycle.py": (
        _nothing,
        [
            "versions: 2",
            "diff AgentVersionDiffResponse",
            "rolled back: Version one.",
            "fork versioned-fork: Version two.",
            "health check True 1",
            "imported imported-helper and hello-world",
            "analysis AgentAnalysisResponse",
            "applied True True",
            "apply_by_name kept the id: True",
            "invalid name: ValidationError",
        ],
        {
            MODELS,
            *(
                f"agents.{name}()"
                for name in (
                    "create_version",
                    "list_versions",
                    "diff_versions",
                    "set_default_version",
                    "rollback_version",
                    "fork_version",
                    "trigger_health_check",
                    "get_health_check",
                    "list_health_checks",
                    "import_agent",
                    "import_example",
                )
            ),
            "everruns_sdk.generate_agent_id()",
            "everruns_sdk.validate_agent_name()",
        },
    ),
    "harnesses_capabilities.py": (
        _nothing,
        [
            "harness research-harness",
            "search: ['research-harness']",
            "examples: True",
            "updated: You research carefully.",
            "dry run hits: 1",
            "page 2 of 4",
            "capabilities include current_time: True",
        ],
        {
            "harnesses.search(query)",
            "harnesses.list_examples()",
            "capabilities.list_guardrail_examples()",
            "capabilities.list_page()",
        },
    ),
    "client_and_errors.py": (
        _nothing,
        [
            "no key: ValidationError",
            "sub-client class: True",
            "updated with a reason: Fixed prompt.",
            "not found: True 404",
            "budgets: budgets.list() calls the budgets API, which this server API does not offer",
            "connections: not offered",
            "resume: not offered",
            "AgentClient: NotOfferedError",
            "sessions of the agent: 0",
        ],
        {"the module everruns_sdk.client", "the module everruns_sdk.errors"},
    ),
    "lists.py": (
        _nothing,
        [
            "agent lister",
            "first agent: True",
            "sessions[0]: True",
            "messages: 0",
            "events: 0",
            "harnesses[0]: generic",
            "models: True",
            "capabilities[0]: session_file_system",
            "memories: ['list-memory']",
            "workspaces[0]: list-space",
            "files[0]: /a.txt",
            "versions: 0",
        ],
        {"agents.list_versions()"},
    ),
    "weather_tool.py": (
        _weather,
        [
            "tool call get_weather({'city': 'Paris'})",
            "tool call get_forecast({'city': 'Paris'})",
            "submitted 2 result(s): ",
            "agent: It is 18 degrees and cloudy in Paris.",
            "turn.completed",
        ],
        {
            TEXT,
            SSE,
            STREAM,
            "ToolDefinition(...)",
            "everruns_sdk.extract_tool_calls(",
            "ContentPart.make_tool_result()",
            "ContentPart.make_tool_error()",
            "messages.create_tool_results()",
        },
    ),
}


def _programs() -> list[Path]:
    return sorted(PROGRAMS.glob("*.py"))


def test_every_program_has_a_scenario() -> None:
    assert {p.name for p in _programs()} == set(SCENARIOS)


@pytest.mark.parametrize("program", _programs(), ids=lambda p: p.name)
def test_program_runs_unchanged(
    program: Path, everruns_emulator: EverrunsEmulator, tmp_path: Path
) -> None:
    setup, expected, spellings = SCENARIOS[program.name]
    setup(everruns_emulator)
    run = run_program(program, everruns_emulator.url, everruns_emulator.api_key, tmp_path)
    assert run.returncode == 0, f"{program.name} failed:\n{run.stderr}"
    for text in expected:
        assert text in run.stdout, f"{text!r} not in the output of {program.name}:\n{run.stdout}"

    messages = run.deprecations()
    warned = {s for s in spellings if any(m.startswith(s) for m in messages)}
    assert warned == spellings, f"missing warnings: {spellings - warned}\n{messages}"
    assert len(messages) == len(spellings), f"unexpected or repeated warnings:\n{messages}"
    for message in messages:
        assert "deprecated; use " in message and "docs/migrating.md" in message
    # Each warning points at the program's own line, not at the SDK.
    places = {str(w["filename"]) for w in run.warnings}
    assert places == {str(program)}, places
