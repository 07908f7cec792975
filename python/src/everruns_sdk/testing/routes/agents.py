"""Agents: CRUD with upsert ("apply") by ``id`` or by name, import/export, copy, stats."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .._agentdoc import dump_markdown, parse_agent_document
from .._clock import now_iso
from .._ids import new_id
from .._problems import ApiError, bad_request, not_found
from .._store import GENERIC_HARNESS_ID, OrgState
from .._validation import json_body, pagination, q_bool, q_str, validate_body, validate_slug
from ._common import (
    JSON,
    json_response,
    no_content,
    org_of,
    page,
    path_param,
    route,
    search_filter,
    with_urls,
)

__all__ = [
    "ROUTES",
    "agent_or_404",
    "agent_view",
    "apply_agent",
    "name_taken",
    "resolve_harness",
]

AGENT_ID = re.compile(r"^agent_[0-9a-f]{32}$")

# Fields a client sets on an agent, with the value an agent gets when they are absent.
AGENT_FIELDS: dict[str, Any] = {
    "display_name": None,
    "description": None,
    "system_prompt": "",
    "capabilities": [],
    "tools": [],
    "tags": [],
    "initial_files": [],
    "default_model_id": None,
    "max_iterations": None,
    "mcpServers": {},
    "network_access": None,
    "parallel_tool_calls": None,
}

AGENT_EXAMPLES: dict[str, str] = {
    "hello-world": "---\nname: hello-world\ndisplay_name: Hello World\n---\n\n"
    "You greet the user warmly and answer briefly.\n",
    "code-reviewer": "---\nname: code-reviewer\ndisplay_name: Code Reviewer\ntags:\n"
    "  - engineering\n---\n\nYou review code changes and point out bugs.\n",
}


def name_taken(name: str) -> ApiError:
    """A taken agent name: 400, as the spec declares no 409 for agents."""
    return bad_request(f"An agent named '{name}' already exists.", code="agent_name_conflict")


def agent_or_404(org: OrgState, agent_id: str) -> JSON:
    agent = org.agents.get(agent_id)
    if agent is None:
        raise not_found("agent", agent_id, org.org_id)
    return agent


def agent_view(request: Request, org: OrgState, agent: JSON, *, counts: bool = False) -> JSON:
    view = with_urls(request, agent, f"/v1/agents/{agent['id']}", f"/agents/{agent['id']}")
    if counts:
        view["session_count"] = sum(
            1 for s in org.sessions.values() if s.get("agent_id") == agent["id"]
        )
        view["app_count"] = 0
    return view


def resolve_harness(
    org: OrgState, body: JSON, default: str | None = GENERIC_HARNESS_ID
) -> str | None:
    """The harness ID named by ``harness_id`` or ``harness_name`` (never both)."""
    hid, hname = body.get("harness_id"), body.get("harness_name")
    if hid and hname:
        raise bad_request(
            "harness_id and harness_name are mutually exclusive", code="conflicting_fields"
        )
    if hid:
        harness = org.harnesses.get(hid)
        if harness is None or harness["status"] == "deleted":
            raise not_found("harness", hid, org.org_id)
        return str(hid)
    if hname:
        for harness in org.harnesses.values():
            if harness["name"] == hname and harness["status"] != "deleted":
                return str(harness["id"])
        raise not_found("harness", f"'{hname}'", org.org_id)
    return default


def _by_name(org: OrgState, name: str) -> JSON | None:
    for agent in org.agents.values():
        if agent["name"] == name and agent["status"] != "deleted":
            return agent
    return None


def new_agent(org: OrgState, body: JSON, agent_id: str | None = None) -> JSON:
    now = now_iso()
    agent: JSON = {"id": agent_id or new_id("agent"), "name": body["name"]}
    for key, default in AGENT_FIELDS.items():
        value = body.get(key)
        agent[key] = default if value is None else value
    agent.update(
        harness_id=resolve_harness(org, body),
        status="active",
        default_version_id=None,
        root_agent_id=None,
        forked_from_agent_id=None,
        forked_from_version_id=None,
        archived_at=None,
        deleted_at=None,
        usage=None,
        created_at=now,
        updated_at=now,
    )
    org.agents[agent["id"]] = agent
    return agent


def update_agent_fields(org: OrgState, agent: JSON, body: JSON, *, replace: bool) -> None:
    """Apply a create body (``replace``: absent fields reset) or a PATCH body."""
    if body.get("name") is not None:
        name = validate_slug(body["name"])
        other = _by_name(org, name)
        if other is not None and other["id"] != agent["id"]:
            raise name_taken(name)
        agent["name"] = name
    harness = resolve_harness(org, body, default=None)
    if harness is not None:
        agent["harness_id"] = harness
    elif replace:
        agent["harness_id"] = GENERIC_HARNESS_ID
    for key, default in AGENT_FIELDS.items():
        if body.get(key) is not None:
            agent[key] = body[key]
        elif replace:
            agent[key] = default
    status = body.get("status")
    if status is not None:
        agent["status"] = status
        agent["archived_at"] = now_iso() if status == "archived" else None
    elif replace and agent["status"] == "archived":
        agent.update(status="active", archived_at=None)
    agent["updated_at"] = now_iso()


def apply_agent(org: OrgState, body: JSON) -> tuple[JSON, bool]:
    """Create, or update by ``id`` / by name; returns (agent, created)."""
    name = validate_slug(body.get("name"))
    agent_id = body.get("id")
    if agent_id is not None and not AGENT_ID.match(str(agent_id)):
        raise bad_request(
            f"id: '{agent_id}' is not an agent ID (agent_<32 hex>)", code="invalid_id"
        )
    existing = org.agents.get(agent_id) if agent_id else _by_name(org, name)
    if existing is not None:
        update_agent_fields(org, existing, body, replace=True)
        return existing, False
    if agent_id and _by_name(org, name) is not None:
        raise name_taken(name)
    return new_agent(org, body, agent_id), True


async def create_agent(request: Request) -> Response:
    body = await json_body(request, "CreateAgentRequest")
    org = org_of(request)
    agent, _ = apply_agent(org, body)
    return json_response(agent_view(request, org, agent), 201)


async def list_agents(request: Request) -> Response:
    org = org_of(request)
    offset, limit = pagination(request)
    archived = q_bool(request, "include_archived")
    items = [
        a
        for a in org.agents.values()
        if a["status"] == "active" or (archived and a["status"] == "archived")
    ]
    items = search_filter(items, q_str(request, "search"), "name", "display_name", "system_prompt")
    items.sort(key=lambda a: a["id"], reverse=True)
    views = [agent_view(request, org, a, counts=True) for a in items]
    return json_response(page(request, views, offset, limit))


async def get_agent(request: Request) -> Response:
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    return json_response(agent_view(request, org, agent, counts=True))


async def update_agent(request: Request) -> Response:
    body = await json_body(request, "UpdateAgentRequest")
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    update_agent_fields(org, agent, body, replace=False)
    return json_response(agent_view(request, org, agent))


async def delete_agent(request: Request) -> Response:
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    if agent["status"] != "archived":
        now = now_iso()
        agent.update(status="archived", archived_at=now, updated_at=now)
    return no_content()


async def import_agent(request: Request) -> Response:
    example = request.query_params.get("from-example")
    if example is not None:
        if example not in AGENT_EXAMPLES:
            raise ApiError(404, "example_not_found", f"Agent example '{example}' not found.")
        text = AGENT_EXAMPLES[example]
    else:
        text = (await request.body()).decode("utf-8", errors="replace")
    doc = parse_agent_document(text)
    org = org_of(request)
    if not doc.get("name"):
        base = re.sub(r"[^a-z0-9]+", "-", str(doc.get("display_name") or "imported-agent").lower())
        base = base.strip("-")[:50] or "imported-agent"
        name, n = base, 1
        while _by_name(org, name) is not None:
            n += 1
            name = f"{base}-{n}"
        doc["name"] = name
    validate_body("CreateAgentRequest", doc)
    agent, created = apply_agent(org, doc)
    return json_response(agent_view(request, org, agent), 201 if created else 200)


async def export_agent(request: Request) -> Response:
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    harness = org.harnesses.get(agent["harness_id"])
    text = dump_markdown(agent, harness["name"] if harness else None)
    return Response(text, media_type="text/markdown; charset=utf-8")


async def copy_agent(request: Request) -> Response:
    org = org_of(request)
    source = agent_or_404(org, path_param(request, "agent_id"))
    base = f"{source['name'][:58]}-copy"
    name, n = base, 1
    while _by_name(org, name) is not None:
        n += 1
        name = f"{base}-{n}"
    body = {k: source[k] for k in AGENT_FIELDS}
    body.update(name=name, harness_id=source["harness_id"])
    if source.get("display_name"):
        body["display_name"] = f"{source['display_name']} (copy)"
    return json_response(agent_view(request, org, new_agent(org, body)), 201)


async def agent_stats(request: Request) -> Response:
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    sessions = [s for s in org.sessions.values() if s.get("agent_id") == agent["id"]]
    by_status = {
        k: sum(1 for s in sessions if s["status"] == k)
        for k in ("active", "idle", "started", "waiting_for_tool_results")
    }
    turns = [
        e for s in sessions for e in org.events.get(s["id"], []) if e["type"] == "turn.started"
    ]
    usage = [s.get("usage") or {} for s in sessions]
    stats: JSON = {
        "session_count": len(sessions),
        "active_session_count": by_status["active"],
        "idle_session_count": by_status["idle"],
        "started_session_count": by_status["started"],
        "waiting_for_tool_results_session_count": by_status["waiting_for_tool_results"],
        "execution_count": len(turns),
        "total_session_duration_ms": 0,
        "avg_session_duration_ms": 0 if sessions else None,
        "total_input_tokens": sum(u.get("input_tokens", 0) for u in usage),
        "total_output_tokens": sum(u.get("output_tokens", 0) for u in usage),
        "total_cache_read_tokens": 0,
        "total_cache_creation_tokens": 0,
        "total_actual_cost_usd": 0.0,
        "total_estimated_cost_usd": 0.0,
        "total_cost_usd": 0.0,
        "first_session_at": min((s["created_at"] for s in sessions), default=None),
        "last_session_at": max((s["created_at"] for s in sessions), default=None),
        "last_execution_at": max((e["ts"] for e in turns), default=None),
    }
    return json_response(stats)


ROUTES = [
    route("POST", "/v1/agents", create_agent),
    route("GET", "/v1/agents", list_agents),
    route("POST", "/v1/agents/import", import_agent),
    route("GET", "/v1/agents/{agent_id}", get_agent),
    route("PATCH", "/v1/agents/{agent_id}", update_agent),
    route("DELETE", "/v1/agents/{agent_id}", delete_agent),
    route("GET", "/v1/agents/{agent_id}/export", export_agent),
    route("POST", "/v1/agents/{agent_id}/copy", copy_agent),
    route("GET", "/v1/agents/{agent_id}/stats", agent_stats),
]
