"""Which SDK method covers each API operation of `sdk-scope.json`.

`OPERATION_TO_METHOD[operation_id]` is the method's dotted path from the client:
`"agents.versions.list"` is `client.agents.versions.list`. The first segment is the
sub-client that owns the operation (the `resource` field of sdk-scope.json). Each
operation has exactly one method here; convenience methods built on top of them
(`agents.apply`, `workspace_files.write`, `sessions.files`, ...) are not listed.
"""

from __future__ import annotations

from typing import Any

OPERATION_TO_METHOD: dict[str, str] = {
    # agents
    "create_agent": "agents.create",
    "list_agents": "agents.list",
    "get_agent": "agents.get",
    "update_agent": "agents.update",
    "delete_agent": "agents.delete",
    "import_agent": "agents.import_",
    "export_agent": "agents.export",
    "copy_agent": "agents.copy",
    "get_agent_stats": "agents.stats",
    "analyze_agent": "agents.analyze",
    "list_agent_versions": "agents.versions.list",
    "create_agent_version": "agents.versions.create",
    "set_default_agent_version": "agents.versions.set_default",
    "diff_agent_versions": "agents.versions.diff",
    "fork_agent_version": "agents.versions.fork",
    "rollback_agent_version": "agents.versions.rollback",
    "list_health_checks": "agents.health_checks.list",
    "trigger_health_check": "agents.health_checks.run",
    "get_health_check": "agents.health_checks.get",
    # harnesses
    "list_harnesses": "harnesses.list",
    "get_harness": "harnesses.get",
    "create_harness": "harnesses.create",
    "update_harness": "harnesses.update",
    "delete_harness": "harnesses.delete",
    "list_examples": "harnesses.examples",
    # models
    "list_all_models": "models.list",
    "get_model": "models.get",
    # sessions
    "create_session": "sessions.create",
    "list_sessions": "sessions.list",
    "get_session": "sessions.get",
    "update_session": "sessions.update",
    "delete_session": "sessions.delete",
    "cancel_turn": "sessions.cancel",
    "pin_session": "sessions.pin",
    "unpin_session": "sessions.unpin",
    "export_session_jsonl": "sessions.export",
    # capabilities
    "list_capabilities": "capabilities.list",
    "get_capability": "capabilities.get",
    "list_guardrail_examples": "capabilities.guardrail_examples",
    "dry_run_guardrails": "capabilities.dry_run_guardrails",
    # messages
    "create_message": "messages.create",
    "list_messages": "messages.list",
    "submit_tool_results": "messages.submit_tool_results",
    # events
    "list_events": "events.list",
    "stream_sse": "events.stream",
    # images
    "upload_image": "images.upload",
    "list_images": "images.list",
    "get_image": "images.content",
    "delete_image": "images.delete",
    "get_thumbnail": "images.thumbnail",
    # workspaces
    "list_workspaces": "workspaces.list",
    "create_workspace": "workspaces.create",
    "get_workspace": "workspaces.get",
    "update_workspace": "workspaces.update",
    "delete_workspace": "workspaces.delete",
    # workspace_files (also client.workspaces.files)
    "get_root": "workspace_files.list",
    "get_path": "workspace_files.get",
    "create_path": "workspace_files.create",
    "update_path": "workspace_files.update",
    "delete_path": "workspace_files.delete",
    "move_file": "workspace_files.move",
    "copy_file": "workspace_files.copy",
    "grep_files": "workspace_files.grep",
    "stat_file": "workspace_files.stat",
    # memories
    "list_memories": "memories.list",
    "create_memory": "memories.create",
    "get_memory": "memories.get",
    "update_memory": "memories.update",
    "delete_memory": "memories.delete",
    "sync_memory_now": "memories.sync",
    # memory_files (also client.memories.files)
    "list_root": "memory_files.list",
    "get_file": "memory_files.get",
    "create_file": "memory_files.create",
    "update_file": "memory_files.update",
    "delete_file": "memory_files.delete",
    "download_action": "memory_files.download",
    "grep_action": "memory_files.grep",
    "stat_action": "memory_files.stat",
    # session_databases (also client.sessions.databases)
    "list_databases": "session_databases.list",
    "create_database": "session_databases.create",
    "get_database": "session_databases.get",
    "delete_database": "session_databases.delete",
    "get_schema": "session_databases.schema",
    # session_storage (also client.sessions.storage)
    "list_keys": "session_storage.keys",
    "list_secrets": "session_storage.secrets",
}

# Operations whose method is a plain function returning an object to iterate, not a
# coroutine function: the event stream is opened lazily by `async for`.
NOT_COROUTINES: frozenset[str] = frozenset({"stream_sse"})


def resolve(client: Any, dotted: str) -> Any:
    """`resolve(client, "agents.versions.list")` -> `client.agents.versions.list`."""
    target = client
    for name in dotted.split("."):
        target = getattr(target, name)
    return target
