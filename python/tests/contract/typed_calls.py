"""Every operation of the SDK's scope, called with realistic arguments, typed end to end.

Not run: `test_contract_typed.py` runs `mypy --strict` on this file. Each result is
assigned to a variable annotated with the model the caller expects, so a wrong return
type, a missing or renamed keyword, or a model the SDK does not export fails the type
check. The calls are the methods `operations.OPERATION_TO_METHOD` names, one per
operation, in the order of sdk-scope.json.
"""

# ruff: noqa: F841 (each result is bound to a typed name and not used further)
from __future__ import annotations

from typing import Any

from everruns_sdk import Event, EventStream, Everruns, Page
from everruns_sdk.resources.messages import image_file_part, text_part, tool_result
from everruns_sdk.types import (
    Agent,
    AgentAnalysisResponse,
    AgentVersion,
    AgentVersionDiffResponse,
    CancelTurnResponse,
    CapabilityInfo,
    DatabaseInfoResponse,
    DeleteFileResponse,
    FileInfo,
    FileInfoList,
    FileStat,
    GrepResult,
    GuardrailExample,
    GuardrailsDryRunResponse,
    Harness,
    HarnessExample,
    HealthCheckRun,
    ImageInfo,
    ImageUploadResponse,
    KeyValueInfo,
    Memory,
    MemoryFile,
    MemoryFileInfo,
    MemoryGrepResult,
    Message,
    ModelWithProvider,
    ResourceStats,
    SchemaResponse,
    SecretInfo,
    Session,
    SessionFile,
    SubmitToolResultsResponse,
    Workspace,
)

ORDER_TOOL: dict[str, Any] = {
    "type": "client_side",
    "name": "lookup_order",
    "description": "Look up an order by its ID.",
    "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}},
}
PNG = b"\x89PNG\r\n\x1a\n"  # the start of an image; type-checked, never sent


async def every_operation(client: Everruns) -> None:
    # agents
    agent: Agent = await client.agents.create(
        "support-bot",
        "You help customers with their orders.",
        id=client.agents.generate_id(),
        description="Answers order questions.",
        tags=["support"],
        tools=[ORDER_TOOL],
        max_iterations=8,
    )
    agents: Page[Agent] = await client.agents.list(search="support", limit=20)
    fetched: Agent = await client.agents.get(agent.id)
    updated: Agent = await client.agents.update(agent.id, description="Order help.")
    await client.agents.delete(fetched.id)
    imported: Agent = await client.agents.import_("---\nname: helper\n---\n\nBe helpful.\n")
    exported: str = await client.agents.export(agent.id)
    copied: Agent = await client.agents.copy(agent.id)
    stats: ResourceStats = await client.agents.stats(agent.id)
    analysis: AgentAnalysisResponse = await client.agents.analyze(
        "You are a support agent.", tools=[ORDER_TOOL], capabilities=[{"ref": "current_time"}]
    )
    versions: Page[AgentVersion] = await client.agents.versions.list(agent.id)
    version: AgentVersion = await client.agents.versions.create(
        agent.id, summary="Tighter prompt", change_kind="minor"
    )
    published: Agent = await client.agents.versions.set_default(agent.id, version.id)
    diff: AgentVersionDiffResponse = await client.agents.versions.diff(
        agent.id, versions[0].id, version.id
    )
    forked: Agent = await client.agents.versions.fork(agent.id, version.id, name="support-bot-2")
    rolled_back: Agent = await client.agents.versions.rollback(
        agent.id, versions[0].id, save_version=True, summary="Back to v1"
    )
    runs: Page[HealthCheckRun] = await client.agents.health_checks.list(agent.id)
    run: HealthCheckRun = await client.agents.health_checks.run(agent.id)
    checked: HealthCheckRun = await client.agents.health_checks.get(agent.id, run.id)

    # harnesses and models
    harnesses: Page[Harness] = await client.harnesses.list(search="research")
    harness: Harness = await client.harnesses.get(harnesses[0].id)
    new_harness: Harness = await client.harnesses.create(
        "deep-research", description="Long research tasks.", tags=["research"]
    )
    changed_harness: Harness = await client.harnesses.update(new_harness.id, description="Deep.")
    await client.harnesses.delete(new_harness.id)
    examples: list[HarnessExample] = await client.harnesses.examples()
    models: Page[ModelWithProvider] = await client.models.list(source="predefined")
    model: ModelWithProvider = await client.models.get(models[0].id)

    # sessions
    session: Session = await client.sessions.create(
        agent_id=agent.id, title="Order A-1001", tags=["support"], locale="en-US"
    )
    sessions: Page[Session] = await client.sessions.list(agent_id=agent.id, limit=10)
    got_session: Session = await client.sessions.get(session.id)
    renamed: Session = await client.sessions.update(session.id, title="Order A-1001 (done)")
    await client.sessions.delete(sessions.data[-1].id)
    cancelled: CancelTurnResponse = await client.sessions.cancel(session.id)
    await client.sessions.pin(session.id)
    await client.sessions.unpin(session.id)
    exported_session: list[dict[str, Any]] = await client.sessions.export(session.id)

    # capabilities
    capabilities: Page[CapabilityInfo] = await client.capabilities.list(search="time", limit=5)
    capability: CapabilityInfo = await client.capabilities.get(capabilities.data[0].id)
    guardrails: list[GuardrailExample] = await client.capabilities.guardrail_examples()
    dry_run: GuardrailsDryRunResponse = await client.capabilities.dry_run_guardrails(
        guardrails[0].config, stage="output", text="My key is sk-123."
    )

    # images (uploaded before the message that shows one)
    image: ImageUploadResponse = await client.images.upload(
        PNG, filename="receipt.png", session_id=session.id
    )
    images: Page[ImageInfo] = await client.images.list(limit=10)
    image_bytes: bytes = await client.images.content(image.id)
    thumbnail: bytes = await client.images.thumbnail(image.id)
    await client.images.delete(images[-1].id)

    # messages and events
    message: Message = await client.messages.create(
        session.id,
        [text_part("What does this receipt say?"), image_file_part(image.id)],
        tags=["support"],
    )
    messages: Page[Message] = await client.messages.list(session.id)
    accepted: SubmitToolResultsResponse = await client.messages.submit_tool_results(
        session.id, [tool_result("call_1", {"status": "shipped"})]
    )
    events: Page[Event] = await client.events.list(
        session.id, types=["turn.completed"], exclude=["output.message.delta"], limit=50
    )
    stream: EventStream = client.events.stream(session.id, since_id=events[0].id)
    async for event in stream:
        live: Event = event
        stream.stop()

    # workspaces and their files
    workspaces: Page[Workspace] = await client.workspaces.list(search="shared")
    workspace: Workspace = await client.workspaces.create("shared-docs", description="Docs.")
    got_workspace: Workspace = await client.workspaces.get(workspace.id)
    renamed_workspace: Workspace = await client.workspaces.update(workspace.id, name="docs")
    await client.workspaces.delete(workspaces[-1].id)
    wid = session.workspace_id
    root: Page[FileInfo] = await client.workspace_files.list(wid, recursive=True)
    found: SessionFile | FileInfoList = await client.workspace_files.get(wid, "notes/todo.md")
    created_file: SessionFile = await client.workspace_files.create(wid, "notes/a b.md", "# A\n")
    updated_file: SessionFile = await client.workspace_files.update(wid, "notes/a b.md", "# B\n")
    deleted_file: DeleteFileResponse = await client.workspace_files.delete(
        wid, "notes/old", recursive=True
    )
    moved: SessionFile = await client.workspace_files.move(wid, "notes/a b.md", "done/a b.md")
    file_copy: SessionFile = await client.workspace_files.copy(wid, "done/a b.md", "notes/c.md")
    matches: list[GrepResult] = await client.workspace_files.grep(wid, "TODO", path_pattern="*.md")
    stat: FileStat = await client.workspace_files.stat(wid, "done/a b.md")

    # memories and their files
    memories: Page[Memory] = await client.memories.list(search="handbook")
    memory: Memory = await client.memories.create("handbook", description="Team handbook.")
    got_memory: Memory = await client.memories.get(memory.id)
    changed_memory: Memory = await client.memories.update(memory.id, description="Handbook.")
    await client.memories.delete(memories[-1].id)
    synced: Memory = await client.memories.sync(memory.id)
    mid = memory.id
    memory_root: Page[MemoryFileInfo] = await client.memory_files.list(mid)
    memory_found: MemoryFile | list[MemoryFileInfo] = await client.memory_files.get(mid, "a.md")
    memory_created: MemoryFileInfo = await client.memory_files.create(mid, "b.md", "- milk\n")
    memory_updated: MemoryFile = await client.memory_files.update(mid, "b.md", "- bread\n")
    await client.memory_files.delete(mid, "b.md")
    downloaded: bytes = await client.memory_files.download(mid, "a.md")
    memory_matches: list[MemoryGrepResult] = await client.memory_files.grep(mid, "milk")
    memory_stat: MemoryFileInfo = await client.memory_files.stat(mid, "a.md")

    # session databases and storage
    databases: Page[DatabaseInfoResponse] = await client.session_databases.list(session.id)
    database: DatabaseInfoResponse = await client.session_databases.create(session.id, "orders")
    got_database: DatabaseInfoResponse = await client.session_databases.get(session.id, "orders")
    await client.session_databases.delete(session.id, databases[-1].name)
    schema: SchemaResponse = await client.session_databases.schema(session.id, "orders")
    keys: list[KeyValueInfo] = await client.session_storage.keys(session.id)
    secrets: list[SecretInfo] = await client.session_storage.secrets(session.id)
