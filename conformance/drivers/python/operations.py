"""Each operation of sdk-scope.json as a call of the Python SDK's public API.

`METHODS[operation_id]` is the method's dotted path from the client. The scenario's
``args`` use the spec's names (path, query and body fields); they are passed as keyword
arguments, except where `ADAPT` renames or reshapes them for this SDK.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

METHODS: dict[str, str] = {
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
    "list_harnesses": "harnesses.list",
    "get_harness": "harnesses.get",
    "create_harness": "harnesses.create",
    "update_harness": "harnesses.update",
    "delete_harness": "harnesses.delete",
    "list_examples": "harnesses.examples",
    "list_all_models": "models.list",
    "get_model": "models.get",
    "create_session": "sessions.create",
    "list_sessions": "sessions.list",
    "get_session": "sessions.get",
    "update_session": "sessions.update",
    "delete_session": "sessions.delete",
    "cancel_turn": "sessions.cancel",
    "pin_session": "sessions.pin",
    "unpin_session": "sessions.unpin",
    "export_session_jsonl": "sessions.export",
    "list_capabilities": "capabilities.list",
    "get_capability": "capabilities.get",
    "list_guardrail_examples": "capabilities.guardrail_examples",
    "dry_run_guardrails": "capabilities.dry_run_guardrails",
    "create_message": "messages.create",
    "list_messages": "messages.list",
    "submit_tool_results": "messages.submit_tool_results",
    "list_events": "events.list",
    "stream_sse": "events.stream",
    "upload_image": "images.upload",
    "list_images": "images.list",
    "get_image": "images.content",
    "delete_image": "images.delete",
    "get_thumbnail": "images.thumbnail",
    "list_workspaces": "workspaces.list",
    "create_workspace": "workspaces.create",
    "get_workspace": "workspaces.get",
    "update_workspace": "workspaces.update",
    "delete_workspace": "workspaces.delete",
    "get_root": "workspace_files.list",
    "get_path": "workspace_files.get",
    "create_path": "workspace_files.create",
    "update_path": "workspace_files.update",
    "delete_path": "workspace_files.delete",
    "move_file": "workspace_files.move",
    "copy_file": "workspace_files.copy",
    "grep_files": "workspace_files.grep",
    "stat_file": "workspace_files.stat",
    "list_memories": "memories.list",
    "create_memory": "memories.create",
    "get_memory": "memories.get",
    "update_memory": "memories.update",
    "delete_memory": "memories.delete",
    "sync_memory_now": "memories.sync",
    "list_root": "memory_files.list",
    "get_file": "memory_files.get",
    "create_file": "memory_files.create",
    "update_file": "memory_files.update",
    "delete_file": "memory_files.delete",
    "download_action": "memory_files.download",
    "grep_action": "memory_files.grep",
    "stat_action": "memory_files.stat",
    "list_databases": "session_databases.list",
    "create_database": "session_databases.create",
    "get_database": "session_databases.get",
    "delete_database": "session_databases.delete",
    "get_schema": "session_databases.schema",
    "list_keys": "session_storage.keys",
    "list_secrets": "session_storage.secrets",
}

Args = dict[str, Any]


def _rename(**names: str) -> Callable[[Args], Args]:
    def adapt(args: Args) -> Args:
        return {names.get(k, k): v for k, v in args.items()}

    return adapt


def _message(args: Args) -> Args:
    """``message: {role, content}`` (the wire body) as this SDK's ``content``."""
    out = dict(args)
    message = out.pop("message")
    if message.get("role", "user") != "user":
        raise NotImplementedError("messages.create sends user messages only")
    out["content"] = message["content"]
    return out


def _upload(args: Args) -> Args:
    out = dict(args)
    file = out.pop("file")
    out["file"] = base64.b64decode(file["base64"])
    out["filename"] = file.get("name")
    out["content_type"] = file.get("content_type")
    return out


ADAPT: dict[str, Callable[[Args], Args]] = {
    "get_model": _rename(id="model_id"),
    "import_agent": _rename(body="text", **{"from-example": "from_example"}),
    "submit_tool_results": _rename(tool_results="results"),
    "create_message": _message,
    "upload_image": _upload,
}
