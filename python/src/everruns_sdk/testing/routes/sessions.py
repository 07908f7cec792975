"""Sessions: create (with their own workspace), list, get, update, delete, cancel,
pin/unpin and export as JSON Lines."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from .._clock import now_iso
from .._ids import new_id
from .._problems import bad_request, not_found
from .._store import DEFAULT_PRINCIPAL_ID, GENERIC_HARNESS_ID, OrgState
from .._validation import json_body, pagination, q_str
from ._common import (
    JSON,
    json_response,
    no_content,
    org_of,
    page,
    path_param,
    route,
    search_filter,
    session_or_404,
    state_of,
    with_urls,
)
from .agents import resolve_harness
from .files import new_workspace, workspace_or_404, write_initial_files
from .misc import find_model

__all__ = ["ROUTES", "session_view"]


def session_view(request: Request, session: JSON) -> JSON:
    sid = session["id"]
    return with_urls(request, session, f"/v1/sessions/{sid}", f"/sessions/{sid}/chat")


def _agent_for(org: OrgState, body: JSON) -> JSON | None:
    agent_id, agent_name = body.get("agent_id"), body.get("agent_name")
    if agent_id and agent_name:
        raise bad_request(
            "agent_id and agent_name are mutually exclusive", code="conflicting_fields"
        )
    if agent_id:
        agent = org.agents.get(agent_id)
        if agent is None or agent["status"] == "deleted":
            raise not_found("agent", agent_id, org.org_id)
        return agent
    if agent_name:
        for agent in org.agents.values():
            if agent["name"] == agent_name and agent["status"] != "deleted":
                return agent
        raise not_found("agent", f"'{agent_name}'", org.org_id)
    return None


async def create_session(request: Request) -> Response:
    body = await json_body(request, "CreateSessionRequest")
    state = state_of(request)
    org = org_of(request)
    agent = _agent_for(org, body)
    harness_id = resolve_harness(org, body, default=None)
    harness_id = harness_id or (agent["harness_id"] if agent else GENERIC_HARNESS_ID)
    model_id = body.get("model_id")
    if model_id is not None and find_model(model_id) is None:
        raise not_found("model", model_id, org.org_id)
    sid = new_id("session")
    if body.get("workspace_id"):
        workspace = workspace_or_404(org, body["workspace_id"])
    else:
        workspace = new_workspace(org, "session-" + sid.split("_", 1)[1])
    now = now_iso()
    session: JSON = {
        "id": sid,
        "organization_id": org.org_id,
        "workspace_id": workspace["id"],
        "harness_id": harness_id,
        "agent_id": agent["id"] if agent else None,
        "agent_version_id": agent.get("default_version_id") if agent else None,
        "agent_identity_id": body.get("agent_identity_id"),
        "owner_principal_id": DEFAULT_PRINCIPAL_ID,
        "status": "started",
        "title": body.get("title"),
        "tags": body.get("tags") or [],
        "locale": body.get("locale"),
        "hints": body.get("hints"),
        "capabilities": body.get("capabilities") or [],
        "tools": body.get("tools") or [],
        "initial_files": body.get("initial_files") or [],
        "system_prompt": body.get("system_prompt"),
        "model_id": model_id or (agent.get("default_model_id") if agent else None),
        "max_iterations": body.get("max_iterations"),
        "parallel_tool_calls": body.get("parallel_tool_calls"),
        "mcpServers": body.get("mcpServers") or {},
        "network_access": body.get("network_access"),
        "features": [],
        "is_pinned": False,
        "preview": None,
        "output_preview": None,
        "usage": None,
        "parent_session_id": None,
        "started_at": None,
        "finished_at": None,
        "created_at": now,
        "updated_at": now,
    }
    tree = org.workspace_files[workspace["id"]]
    harness = org.harnesses.get(harness_id) or {}
    for files in (
        harness.get("initial_files"),
        (agent or {}).get("initial_files"),
        session["initial_files"],
    ):
        write_initial_files(tree, files or [])
    state.store.register_session(org, session)
    return json_response(session_view(request, session), 201)


async def list_sessions(request: Request) -> Response:
    org = org_of(request)
    offset, limit = pagination(request)
    agent_id = q_str(request, "agent_id")
    items = [s for s in org.sessions.values() if not agent_id or s.get("agent_id") == agent_id]
    items = search_filter(items, q_str(request, "search"), "title", "preview")
    items.sort(key=lambda s: s["id"], reverse=True)
    return json_response(page(request, [session_view(request, s) for s in items], offset, limit))


async def get_session(request: Request) -> Response:
    session = session_or_404(request, path_param(request, "session_id"))
    return json_response(session_view(request, session))


async def update_session(request: Request) -> Response:
    body = await json_body(request, "UpdateSessionRequest")
    session = session_or_404(request, path_param(request, "session_id"))
    for key in ("title", "tags", "locale", "agent_identity_id"):
        if body.get(key) is not None:
            session[key] = body[key]
    session["updated_at"] = now_iso()
    return json_response(session_view(request, session))


async def delete_session(request: Request) -> Response:
    state = state_of(request)
    sid = path_param(request, "session_id")
    with state.store.lock:
        session_or_404(request, sid)
    await state.runner.forget(sid)
    state.store.drop_session(org_of(request), sid)
    return no_content()


async def cancel_turn(request: Request) -> Response:
    state = state_of(request)
    sid = path_param(request, "session_id")
    with state.store.lock:
        session_or_404(request, sid)
    if await state.runner.cancel(sid):
        return json_response({"status": "cancelled", "message": "Turn cancelled successfully"})
    return json_response({"status": "no_op", "message": "No turn was running"})


async def pin_session(request: Request) -> Response:
    session = session_or_404(request, path_param(request, "session_id"))
    session["is_pinned"] = True
    return no_content()


async def unpin_session(request: Request) -> Response:
    session = session_or_404(request, path_param(request, "session_id"))
    session["is_pinned"] = False
    return no_content()


async def export_session(request: Request) -> Response:
    """JSON Lines: one message per line (``?format=events``: one event per line)."""
    org = org_of(request)
    sid = path_param(request, "session_id")
    session_or_404(request, sid)
    fmt = q_str(request, "format")
    if fmt in (None, "", "jsonl", "messages"):
        rows = org.messages[sid]
    elif fmt == "events":
        rows = org.events[sid]
    else:
        raise bad_request(f"format: unsupported export format '{fmt}'")
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return Response(text, media_type="application/x-ndjson")


ROUTES = [
    route("POST", "/v1/sessions", create_session),
    route("GET", "/v1/sessions", list_sessions),
    route("GET", "/v1/sessions/{session_id}", get_session),
    route("PATCH", "/v1/sessions/{session_id}", update_session),
    route("DELETE", "/v1/sessions/{session_id}", delete_session, lock=False),
    route("POST", "/v1/sessions/{session_id}/cancel", cancel_turn, lock=False),
    route("PUT", "/v1/sessions/{session_id}/pin", pin_session),
    route("DELETE", "/v1/sessions/{session_id}/pin", unpin_session),
    route("GET", "/v1/sessions/{session_id}/export", export_session),
]
