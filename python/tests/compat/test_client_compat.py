"""The 0.3.x client behaviours beyond names: the change reason header, a missing key
as a ValueError, warnings once per spelling, the blocking client's aliases, and the
0.3.x model shapes (callable unions, dict-like event data, tool-call extraction)."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections.abc import Callable
from urllib.parse import unquote

import pytest

from everruns_sdk import Everruns, SyncEverruns, ValidationError
from everruns_sdk._compat.stream import EventData, LegacyEvent
from everruns_sdk.testing import EverrunsEmulator
from everruns_sdk.types import BuiltinTool, ClientSideTool, ToolCallRequestedData

Factory = Callable[..., EverrunsEmulator]
REASON_HEADER = "everruns-change-reason"


def _reasons(emu: EverrunsEmulator, method: str) -> list[str | None]:
    found: list[str | None] = []
    for record in emu.request_log:
        if record.method == method:
            headers = dict(record.headers or ())
            found.append(headers.get(REASON_HEADER))
    return found


async def test_with_reason_sends_the_reason_on_every_request(
    everruns_emulator_factory: Factory,
) -> None:
    emu = everruns_emulator_factory(record=True)
    async with Everruns(emu.api_key, emu.url) as client:
        agent = await client.agents.create("audited", "First.")
        audited = client.with_reason("Fix: the prompt's typo (ünïcode)")
        assert audited._transport._pool is client._transport._pool  # same connections
        await audited.agents.update(agent.id, system_prompt="Second.")
        await audited.with_reason("   ").agents.update(agent.id, system_prompt="Third.")
        await client.agents.update(agent.id, system_prompt="Fourth.")
    sent = _reasons(emu, "PATCH")
    assert sent[0] is not None and unquote(sent[0]) == "Fix: the prompt's typo (ünïcode)"
    assert " " not in sent[0] and sent[0].isascii()  # percent-encoded UTF-8
    assert sent[1:] == [None, None]  # a blank reason sends none; the original never did
    assert _reasons(emu, "POST") == [None]


def test_a_missing_api_key_is_a_value_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVERRUNS_API_KEY", raising=False)
    for cls in (Everruns, SyncEverruns):
        with pytest.raises(ValueError, match="No API key") as raised:
            cls(base_url="http://127.0.0.1:9/api")
        assert isinstance(raised.value, ValidationError)


def _deprecations(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]


def test_the_blocking_client_has_the_aliases_and_each_warns_once(
    everruns_emulator: EverrunsEmulator,
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with SyncEverruns(everruns_emulator.api_key, everruns_emulator.url) as client:
            memory = client.memories.create("sync-notes")
            for name in ("a", "b"):  # the same spelling twice: one warning
                client.memories.create_file(memory.id, f"/{name}.md", f"note {name}")
            assert client.memories.read_file(memory.id, "/b.md").content == "note b"
            workspace = client.workspaces.create("sync-space")
            client.workspace_files.create(workspace.id, "/x.txt", "x")
            moved = client.workspace_files.move_file(workspace.id, "/x.txt", "/y.txt")
            assert client.workspace_files.read(workspace.id, "/y.txt").path == moved.path
            assert client.workspace_files.read_text(workspace.id, "/y.txt") == "x"
            agent = client.agents.create("sync-agent", "Hi.")
            client.agents.create_version(agent.id, summary="one")
            assert len(client.agents.versions.list(agent.id)) == 1  # ours: silent
            session = client.sessions.create(agent_id=agent.id)
            client.messages.create(session_id=session.id, text="Hello")
    messages = _deprecations(caught)
    assert [m.split(" is the ")[0] for m in messages] == [
        "memories.create_file()",
        "memories.read_file()",
        "workspace_files.move_file()",
        "agents.create_version()",
        "messages.create(text=...)",
    ]
    assert all(w.filename == __file__ for w in caught)


async def test_positional_harness_and_text_keyword_rules(
    everruns_emulator: EverrunsEmulator,
) -> None:
    async with Everruns(everruns_emulator.api_key, everruns_emulator.url) as client:
        agent = await client.agents.create("middle", "Hi.")
        with warnings.catch_warnings(), pytest.raises(ValidationError, match="content or text"):
            warnings.simplefilter("ignore", DeprecationWarning)
            await client.messages.create(agent.id, "content", text="and text")
        harness = (await client.harnesses.list())[0]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            session = await client.sessions.create(harness.id)  # 0.3.x: harness first
            again = await client.sessions.create(harness.id)
        assert session.harness_id == again.harness_id == harness.id
        with pytest.raises(ValidationError, match="harness_id given twice"):
            await client.sessions.create(harness.id, harness_id="harness_other")
    (message,) = _deprecations(caught)
    assert message.startswith("sessions.create(harness_id) positionally")
    assert "use sessions.create(harness_id=...)" in message


def test_tool_definition_and_content_part_can_be_called_as_in_0_3() -> None:
    from everruns_sdk import ContentPart, ToolDefinition

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        client_side = ToolDefinition(name="lookup", description="Look up", parameters={})
        builtin = ToolDefinition(type="builtin", name="read_file", description="R", parameters={})
        image = ContentPart(type="image_file", image_id="img_1")
        text = ContentPart(text="hello")
        error = ContentPart.make_tool_error("call_1", "boom")
    assert isinstance(client_side, ClientSideTool) and isinstance(builtin, BuiltinTool)
    assert isinstance(client_side, ToolDefinition) and not isinstance("x", ToolDefinition)
    assert (image.type, image.image_id) == ("image_file", "img_1")
    assert (text.type, text.text) == ("text", "hello")
    assert isinstance(error, ContentPart) and error.to_dict() == {
        "type": "tool_result",
        "tool_call_id": "call_1",
        "error": "boom",
    }


def test_extract_tool_calls_reads_dicts_and_typed_data() -> None:
    from everruns_sdk import extract_tool_calls

    call = {"id": "call_1", "name": "get_weather", "arguments": {"city": "Oslo"}}
    as_json = {**call, "arguments": '{"city": "Oslo"}'}
    typed = ToolCallRequestedData.model_validate({"tool_calls": [call]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for data in ({"tool_calls": [call]}, {"tool_calls": [as_json]}, typed):
            (found,) = extract_tool_calls(data)
            assert (found.id, found.name, found.arguments) == (
                "call_1",
                "get_weather",
                {"city": "Oslo"},
            )
        assert extract_tool_calls({}) == []
        with pytest.raises(ValidationError, match="not JSON"):
            extract_tool_calls({"tool_calls": [{**call, "arguments": "{oops"}]})


def test_old_event_data_is_a_dict() -> None:
    from everruns_sdk.types.events import parse_event

    wire = {
        "id": "evt_1",
        "type": "turn.completed",
        "ts": "2026-01-01T00:00:00Z",
        "session_id": "session_1",
        "sequence": 7,
        "data": {"turn_id": "turn_1", "status": "completed", "future_field": [1, 2]},
    }
    event = LegacyEvent.from_event(parse_event(json.dumps(wire).encode()))
    assert isinstance(event.data, dict) and isinstance(event.data, EventData)
    assert event.data.get("status") == "completed" and event.data.status == "completed"
    assert json.loads(json.dumps(event.data))["future_field"] == [1, 2]  # unknown kept
    assert (event.id, event.type, event.sequence) == ("evt_1", "turn.completed", 7)
    assert event.model_dump()["data"]["future_field"] == [1, 2]
    assert isinstance(event.context, dict) and event.context.get("turn_id") is None
    with pytest.raises(AttributeError):
        _ = event.data.missing


def test_the_old_modules_stay_light() -> None:
    """The old module names import no pydantic: only an old name used loads models."""
    code = (
        "import sys, warnings; warnings.simplefilter('ignore');"
        "import everruns_sdk, everruns_sdk.sse, everruns_sdk.errors, everruns_sdk.client,"
        " everruns_sdk.models;"
        "assert 'pydantic' not in sys.modules, 'pydantic imported';"
        "everruns_sdk.models.Agent; assert 'pydantic' in sys.modules"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


async def test_the_aliases_take_the_per_call_options(everruns_emulator_factory: Factory) -> None:
    emu = everruns_emulator_factory(record=True)
    async with Everruns(emu.api_key, emu.url) as client:
        memory = await client.memories.create("optioned")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            await client.memories.create_file(
                memory.id, "/a.md", "a", extra_headers={"X-Trace": "alias-1"}, max_retries=0
            )
            found = await client.memories.list_files(memory.id, extra_query={"probe": "2"})
    assert [f.path for f in found] == ["/a.md"]
    posts = [r for r in emu.request_log if r.method == "POST" and "/fs/" in r.path]
    assert dict(posts[0].headers or ())["x-trace"] == "alias-1"
    gets = [r for r in emu.request_log if r.method == "GET" and r.path.endswith("/fs")]
    assert "probe=2" in gets[0].query


def test_the_old_api_key_class_never_shows_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from everruns_sdk import ApiKey

    secret = "evr_" + "s3cr3t" * 6
    monkeypatch.setenv("EVERRUNS_API_KEY", secret)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        keys = [ApiKey(secret), ApiKey.from_env()]
    for key in keys:
        assert key.value == secret
        assert secret not in repr(key) and secret not in str(key)
    monkeypatch.delenv("EVERRUNS_API_KEY")
    with pytest.raises(ValueError, match="EVERRUNS_API_KEY"):
        ApiKey.from_env()
