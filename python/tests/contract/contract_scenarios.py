"""One call scenario per operation: `SCENARIOS[operation_id](world) -> Invocation`.

A scenario prepares what its call needs (through the SDK: a throwaway agent to delete,
a session that waits for tool results, ...) and returns the arguments for the SDK
method that `operations.OPERATION_TO_METHOD` names. The test then calls that method
with them, records what went over the wire and checks it against the contract.
Arguments are realistic and, where the API has them, include the optional query
parameters and array filters, so that their encoding is checked too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from contract_world import (
    FILE_PATH,
    FILE_TEXT,
    MEMORY_FILE_PATH,
    ORDER_TOOL,
    Invocation,
    World,
    call,
    placeholder,
    tiny_png,
)

from everruns_sdk.resources.messages import image_file_part, text_part, tool_result

Scenario = Callable[[World], Awaitable[Invocation]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(operation_id: str) -> Callable[[Scenario], Scenario]:
    def register(function: Scenario) -> Scenario:
        if operation_id in SCENARIOS:
            raise ValueError(f"two scenarios for {operation_id}")
        SCENARIOS[operation_id] = function
        return function

    return register


def _expect(condition: Callable[[Any], bool], what: str) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert condition(result), f"expected {what}, got {result!r}"

    return check


# -- agents --------------------------------------------------------------------------

AGENT_MARKDOWN = """---
name: {name}
display_name: Imported Helper
description: Imported by the contract suite.
tags:
  - contract
---

You help users track their orders. Answer in one short paragraph.
"""


@scenario("create_agent")
async def create_agent(w: World) -> Invocation:
    return call(
        w.name("agent"),
        "You answer questions about shipping, briefly.",
        id=w.client.agents.generate_id(),
        display_name="Shipping Helper",
        description="Created by the contract suite.",
        tags=["contract", "shipping"],
        tools=[ORDER_TOOL],
        max_iterations=5,
    )


@scenario("list_agents")
async def list_agents(w: World) -> Invocation:
    return call(search="ct-agent", include_archived=False, offset=0, limit=10)


@scenario("get_agent")
async def get_agent(w: World) -> Invocation:
    return call(w.agent_id)


@scenario("update_agent")
async def update_agent(w: World) -> Invocation:
    return call(
        w.agent_id,
        display_name="Order Helper",
        description="Updated by the contract suite.",
        tags=["contract", "updated"],
    )


@scenario("delete_agent")
async def delete_agent(w: World) -> Invocation:
    return call(await w.new_agent())


@scenario("import_agent")
async def import_agent(w: World) -> Invocation:
    return call(AGENT_MARKDOWN.format(name=w.name("import")))


@scenario("export_agent")
async def export_agent(w: World) -> Invocation:
    return call(w.agent_id)


@scenario("copy_agent")
async def copy_agent(w: World) -> Invocation:
    return call(w.agent_id)


@scenario("get_agent_stats")
async def get_agent_stats(w: World) -> Invocation:
    return call(w.agent_id)


@scenario("analyze_agent")
async def analyze_agent(w: World) -> Invocation:
    return call(
        "You are a support agent for an online shop. Look orders up before answering.",
        tools=[ORDER_TOOL],
        capabilities=[{"ref": w.capability_id}],
    )


@scenario("list_agent_versions")
async def list_agent_versions(w: World) -> Invocation:
    return call(w.agent_id)


@scenario("create_agent_version")
async def create_agent_version(w: World) -> Invocation:
    return call(w.agent_id, summary="Contract suite snapshot", change_kind="manual")


@scenario("set_default_agent_version")
async def set_default_agent_version(w: World) -> Invocation:
    return call(w.agent_id, w.version_ids[0])


@scenario("diff_agent_versions")
async def diff_agent_versions(w: World) -> Invocation:
    return call(w.agent_id, w.version_ids[0], w.version_ids[1])


@scenario("fork_agent_version")
async def fork_agent_version(w: World) -> Invocation:
    return call(
        w.agent_id,
        w.version_ids[0],
        name=w.name("fork"),
        display_name="Forked Helper",
        description="Forked by the contract suite.",
    )


@scenario("rollback_agent_version")
async def rollback_agent_version(w: World) -> Invocation:
    return call(w.agent_id, w.version_ids[0], save_version=True, summary="Back to the first")


@scenario("list_health_checks")
async def list_health_checks(w: World) -> Invocation:
    return call(w.agent_id)


@scenario("trigger_health_check")
async def trigger_health_check(w: World) -> Invocation:
    return call(w.agent_id)


@scenario("get_health_check")
async def get_health_check(w: World) -> Invocation:
    return call(w.agent_id, w.health_run_id)


# -- harnesses and models --------------------------------------------------------------


@scenario("list_harnesses")
async def list_harnesses(w: World) -> Invocation:
    return call(search="ct-harness", include_archived=True)


@scenario("get_harness")
async def get_harness(w: World) -> Invocation:
    return call(w.harness_id)


@scenario("create_harness")
async def create_harness(w: World) -> Invocation:
    return call(
        w.name("harness"),
        display_name="Research Harness",
        description="Created by the contract suite.",
        system_prompt="Cite your sources.",
        tags=["contract"],
        capabilities=[{"ref": w.capability_id}],
        initial_files=[{"path": "/README.md", "content": "# Research notes\n"}],
    )


@scenario("update_harness")
async def update_harness(w: World) -> Invocation:
    return call(w.harness_id, description="Updated by the contract suite.", tags=["updated"])


@scenario("delete_harness")
async def delete_harness(w: World) -> Invocation:
    return call(await w.new_harness())


@scenario("list_examples")
async def list_examples(w: World) -> Invocation:
    return call()


@scenario("list_all_models")
async def list_all_models(w: World) -> Invocation:
    return call(source="predefined", include_stale=False, favorites_only=False)


@scenario("get_model")
async def get_model(w: World) -> Invocation:
    return call(w.model_id)


# -- sessions ------------------------------------------------------------------------


@scenario("create_session")
async def create_session(w: World) -> Invocation:
    return call(
        agent_id=w.agent_id,
        title="Order question",
        tags=["contract"],
        tools=[ORDER_TOOL],
        locale="en-US",
    )


@scenario("list_sessions")
async def list_sessions(w: World) -> Invocation:
    return call(agent_id=w.agent_id, offset=0, limit=10)


@scenario("get_session")
async def get_session(w: World) -> Invocation:
    return call(w.session_id)


@scenario("update_session")
async def update_session(w: World) -> Invocation:
    return call(w.session_id, title="Order question (renamed)", tags=["contract"], locale="en-GB")


@scenario("delete_session")
async def delete_session(w: World) -> Invocation:
    return call(await w.new_session(title="To be deleted"))


@scenario("cancel_turn")
async def cancel_turn(w: World) -> Invocation:
    """Locally a turn really runs (the scripted model hangs) and is cancelled."""
    session_id = await w.new_session(title="To be cancelled")
    if w.emulator is None:
        return call(session_id)
    from everruns_sdk.testing import Reply

    w.emulator.script.add(Reply.hanging(), session_id=session_id)
    await w.client.messages.create(session_id, "Think about this for a long time.")
    await w.wait_for_status(session_id, "active")
    invocation = call(session_id)
    invocation.expect = _expect(lambda r: r.status == "cancelled", "a cancelled turn")
    return invocation


@scenario("pin_session")
async def pin_session(w: World) -> Invocation:
    return call(w.session_id)


@scenario("unpin_session")
async def unpin_session(w: World) -> Invocation:
    return call(w.session_id)


@scenario("export_session_jsonl")
async def export_session_jsonl(w: World) -> Invocation:
    invocation = call(w.session_id, format="jsonl")
    invocation.expect = _expect(lambda r: len(r) >= 2, "the turn's messages")
    return invocation


# -- capabilities ----------------------------------------------------------------------


@scenario("list_capabilities")
async def list_capabilities(w: World) -> Invocation:
    return call(search="time", offset=0, limit=5)


@scenario("get_capability")
async def get_capability(w: World) -> Invocation:
    return call(w.capability_id)


@scenario("list_guardrail_examples")
async def list_guardrail_examples(w: World) -> Invocation:
    return call()


@scenario("dry_run_guardrails")
async def dry_run_guardrails(w: World) -> Invocation:
    return call(
        w.guardrail_config,
        stage="output",
        text="Your API key is sk-test-1234567890abcdef, keep it safe.",
    )


# -- messages and events ---------------------------------------------------------------


@scenario("create_message")
async def create_message(w: World) -> Invocation:
    session_id = await w.new_session(title="Message with an image")
    return call(
        session_id,
        [text_part("What colour is this pixel?"), image_file_part(w.image_id)],
        metadata={"source": "contract-suite"},
        tags=["contract"],
    )


@scenario("list_messages")
async def list_messages(w: World) -> Invocation:
    invocation = call(w.session_id)
    invocation.expect = _expect(lambda r: len(r) >= 2, "the user message and the reply")
    return invocation


@scenario("submit_tool_results")
async def submit_tool_results(w: World) -> Invocation:
    """A session with a client-side tool; locally the scripted model calls it, so the
    session really waits for the result."""
    session_id = await w.new_session(title="Client-side tool", tools=[ORDER_TOOL])
    if w.emulator is not None:
        from everruns_sdk.testing import Reply

        reply = Reply.client_tool("lookup_order", {"order_id": "A-1001"})
        w.emulator.script.add(reply, session_id=session_id)
    await w.step(
        w.client.messages.create(session_id, "Where is order A-1001? Use lookup_order."), None
    )
    call_id = await w.requested_tool_call(session_id) or placeholder("call")
    result = tool_result(call_id, {"order_id": "A-1001", "status": "shipped"})
    invocation = call(session_id, [result])
    invocation.expect = _expect(lambda r: r.accepted == 1, "one accepted result")
    return invocation


@scenario("list_events")
async def list_events(w: World) -> Invocation:
    invocation = call(
        w.session_id,
        since_id=w.first_event_id,
        types=["output.message.completed", "turn.completed"],
        exclude=["output.message.delta"],
        limit=100,
        order_desc=False,
    )
    invocation.expect = _expect(
        lambda r: [e.type for e in r] == ["output.message.completed", "turn.completed"],
        "the completed message and turn",
    )
    return invocation


@scenario("stream_sse")
async def stream_sse(w: World) -> Invocation:
    """Replay the finished turn after its first event; stop at `turn.completed`."""

    async def consume(stream: Any) -> list[Any]:
        events: list[Any] = []
        wait = 5.0 if w.local else 10.0
        try:
            while len(events) < 100:
                try:
                    event = await asyncio.wait_for(stream.__anext__(), wait)
                except (StopAsyncIteration, asyncio.TimeoutError):
                    break
                events.append(event)
                if event.type == "turn.completed":
                    break
        finally:
            await stream.aclose()
        return events

    invocation = call(
        w.session_id,
        since_id=w.first_event_id,
        types=["turn.started", "output.message.completed", "turn.completed"],
        exclude=["output.message.delta"],
        max_retries=0,
        idle_timeout=10.0,
    )
    invocation.consume = consume
    invocation.expect = _expect(
        lambda events: (
            [e.type for e in events]
            == ["turn.started", "output.message.completed", "turn.completed"]
        ),
        "the replayed turn",
    )
    return invocation


# -- images ----------------------------------------------------------------------------


@scenario("upload_image")
async def upload_image(w: World) -> Invocation:
    return call(
        tiny_png(), filename="red dot.png", content_type="image/png", session_id=w.session_id
    )


@scenario("list_images")
async def list_images(w: World) -> Invocation:
    return call(limit=10, offset=0)


@scenario("get_image")
async def get_image(w: World) -> Invocation:
    invocation = call(w.image_id)
    invocation.expect = _expect(lambda r: r == tiny_png(), "the uploaded bytes")
    return invocation


@scenario("delete_image")
async def delete_image(w: World) -> Invocation:
    image = await w.step(w.client.images.upload(tiny_png(), filename="doomed.png"), None)
    return call(image.id if image else placeholder("img"))


@scenario("get_thumbnail")
async def get_thumbnail(w: World) -> Invocation:
    return call(w.image_id)


# -- workspaces ------------------------------------------------------------------------


@scenario("list_workspaces")
async def list_workspaces(w: World) -> Invocation:
    return call(search="ct-workspace", include_archived=False)


@scenario("create_workspace")
async def create_workspace(w: World) -> Invocation:
    return call(w.name("workspace"), description="Created by the contract suite.")


@scenario("get_workspace")
async def get_workspace(w: World) -> Invocation:
    return call(w.other_workspace_id)


@scenario("update_workspace")
async def update_workspace(w: World) -> Invocation:
    return call(w.other_workspace_id, description="Updated by the contract suite.")


@scenario("delete_workspace")
async def delete_workspace(w: World) -> Invocation:
    return call(await w.new_workspace())


# -- workspace files (the session's workspace) -------------------------------------------


@scenario("get_root")
async def get_root(w: World) -> Invocation:
    invocation = call(w.workspace_id, recursive=True)
    invocation.expect = _expect(
        lambda r: "/" + FILE_PATH in {f.path for f in r}, f"{FILE_PATH} in the listing"
    )
    return invocation


@scenario("get_path")
async def get_path(w: World) -> Invocation:
    invocation = call(w.workspace_id, FILE_PATH)
    invocation.expect = _expect(lambda r: getattr(r, "content", None) is not None, "a file")
    return invocation


@scenario("create_path")
async def create_path(w: World) -> Invocation:
    return call(w.workspace_id, f"drafts/{w.run} plan ü.md", "# Plan\n\n1. Ship it\n")


@scenario("update_path")
async def update_path(w: World) -> Invocation:
    return call(w.workspace_id, FILE_PATH, FILE_TEXT + "updated\n")


@scenario("delete_path")
async def delete_path(w: World) -> Invocation:
    await w.new_file(f"trash {w.run}/old notes.txt")
    return call(w.workspace_id, f"trash {w.run}", recursive=True)


@scenario("move_file")
async def move_file(w: World) -> Invocation:
    source = await w.new_file(f"inbox/{w.run}-draft.md")
    return call(w.workspace_id, source, f"archive/{w.run} final.md")


@scenario("copy_file")
async def copy_file(w: World) -> Invocation:
    return call(w.workspace_id, FILE_PATH, f"docs/{w.run} copy of hello.md")


@scenario("grep_files")
async def grep_files(w: World) -> Invocation:
    invocation = call(w.workspace_id, "hello contract", path_pattern="*.md")
    invocation.expect = _expect(lambda r: len(r) >= 1, "a match")
    return invocation


@scenario("stat_file")
async def stat_file(w: World) -> Invocation:
    return call(w.workspace_id, FILE_PATH)


# -- memories --------------------------------------------------------------------------


@scenario("list_memories")
async def list_memories(w: World) -> Invocation:
    return call(search="ct-memory", include_archived=False)


@scenario("create_memory")
async def create_memory(w: World) -> Invocation:
    return call(w.name("memory"), description="Created by the contract suite.")


@scenario("get_memory")
async def get_memory(w: World) -> Invocation:
    return call(w.memory_id)


@scenario("update_memory")
async def update_memory(w: World) -> Invocation:
    return call(w.memory_id, description="Updated by the contract suite.")


@scenario("delete_memory")
async def delete_memory(w: World) -> Invocation:
    return call(await w.new_memory())


@scenario("sync_memory_now")
async def sync_memory_now(w: World) -> Invocation:
    """Only a source-backed memory syncs: mirror a GitHub repository."""
    source = {"type": "github", "repository": "everruns/examples", "branch": "main"}
    return call(await w.new_memory(source=source))


# -- memory files ----------------------------------------------------------------------


@scenario("list_root")
async def list_root(w: World) -> Invocation:
    return call(w.memory_id)


@scenario("get_file")
async def get_file(w: World) -> Invocation:
    return call(w.memory_id, MEMORY_FILE_PATH)


@scenario("create_file")
async def create_file(w: World) -> Invocation:
    return call(w.memory_id, f"notes/{w.run} idées ü.md", "- try the new café\n")


@scenario("update_file")
async def update_file(w: World) -> Invocation:
    return call(w.memory_id, MEMORY_FILE_PATH, "- remember the milk\n- and the bread\n")


@scenario("delete_file")
async def delete_file(w: World) -> Invocation:
    path = f"scratch/{w.run} temp.md"
    await w.step(w.client.memory_files.create(w.memory_id, path, "temporary\n"), None)
    return call(w.memory_id, path)


@scenario("download_action")
async def download_action(w: World) -> Invocation:
    return call(w.memory_id, MEMORY_FILE_PATH)


@scenario("grep_action")
async def grep_action(w: World) -> Invocation:
    invocation = call(w.memory_id, "milk", path_pattern="*.md")
    invocation.expect = _expect(lambda r: len(r) >= 1, "a match")
    return invocation


@scenario("stat_action")
async def stat_action(w: World) -> Invocation:
    return call(w.memory_id, MEMORY_FILE_PATH)


# -- session databases and storage -----------------------------------------------------


@scenario("list_databases")
async def list_databases(w: World) -> Invocation:
    return call(w.session_id)


@scenario("create_database")
async def create_database(w: World) -> Invocation:
    return call(w.session_id, f"orders_{w.run}")


@scenario("get_database")
async def get_database(w: World) -> Invocation:
    return call(w.session_id, w.db_name)


@scenario("delete_database")
async def delete_database(w: World) -> Invocation:
    name = f"scratch_{w.run}"
    await w.step(w.client.session_databases.create(w.session_id, name), None)
    return call(w.session_id, name)


@scenario("get_schema")
async def get_schema(w: World) -> Invocation:
    return call(w.session_id, w.db_name)


@scenario("list_keys")
async def list_keys(w: World) -> Invocation:
    invocation = call(w.session_id)
    if w.emulator is not None:
        invocation.expect = _expect(lambda r: len(r) == 1, "the seeded key")
    return invocation


@scenario("list_secrets")
async def list_secrets(w: World) -> Invocation:
    invocation = call(w.session_id)
    if w.emulator is not None:
        invocation.expect = _expect(lambda r: len(r) == 1, "the seeded secret")
    return invocation
