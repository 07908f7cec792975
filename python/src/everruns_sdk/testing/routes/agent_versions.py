"""Agent versions (list, create, default, diff, fork, rollback), analysis, health checks."""

from __future__ import annotations

import copy
import hashlib
import json

from starlette.requests import Request
from starlette.responses import Response

from .._clock import now_iso
from .._ids import new_id
from .._problems import ApiError
from .._store import DEFAULT_PRINCIPAL_ID, OrgState
from .._turns import MODEL_NAME
from .._validation import json_body, validate_slug
from ._common import JSON, json_response, org_of, path_param, route
from .agents import (
    AGENT_FIELDS,
    agent_or_404,
    agent_view,
    name_taken,
    new_agent,
    update_agent_fields,
)

__all__ = ["ROUTES"]

CONFIG_KEYS = ("name", "harness_id", *AGENT_FIELDS)


def authored_config(agent: JSON) -> JSON:
    return copy.deepcopy({k: agent.get(k) for k in CONFIG_KEYS})


def config_hash(config: JSON) -> str:
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _resolved(org: OrgState, config: JSON) -> JSON:
    harness = org.harnesses.get(str(config.get("harness_id")))
    return {
        **config,
        "harness_name": harness["name"] if harness else None,
        "model": config.get("default_model_id") or MODEL_NAME,
    }


def _versions(org: OrgState, agent_id: str) -> list[JSON]:
    return org.agent_versions.setdefault(agent_id, [])


def _version_or_404(org: OrgState, agent_id: str, version_id: str) -> JSON:
    for version in _versions(org, agent_id):
        if version["id"] == version_id:
            return version
    raise ApiError(404, "agent_version_not_found", f"Agent version {version_id} not found.")


def _view(agent: JSON, version: JSON) -> JSON:
    return {**version, "is_published": version["id"] == agent.get("default_version_id")}


def save_version(
    org: OrgState, agent: JSON, kind: str, summary: str | None, source: str | None = None
) -> JSON:
    versions = _versions(org, agent["id"])
    last = versions[-1] if versions else None
    if last is None:
        semver = (1, 0, 0)
    else:
        major, minor, patch = last["semver_major"], last["semver_minor"], last["semver_patch"]
        if kind == "major":
            semver = (major + 1, 0, 0)
        elif kind == "minor":
            semver = (major, minor + 1, 0)
        else:
            semver = (major, minor, patch + 1)
    config = authored_config(agent)
    version: JSON = {
        "id": new_id("agentver"),
        "agent_id": agent["id"],
        "version_number": len(versions) + 1,
        "semver_major": semver[0],
        "semver_minor": semver[1],
        "semver_patch": semver[2],
        "version": "{}.{}.{}".format(*semver),
        "is_published": False,
        "change_kind": kind,
        "config_hash": config_hash(config),
        "authored_config": config,
        "resolved_config": _resolved(org, config),
        "created_at": now_iso(),
        "created_by_principal_id": DEFAULT_PRINCIPAL_ID,
        "parent_version_id": last["id"] if last else None,
        "source_version_id": source,
        "summary": summary,
    }
    versions.append(version)
    if agent.get("default_version_id") is None:
        agent["default_version_id"] = version["id"]
    return version


async def list_versions(request: Request) -> Response:
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    return json_response([_view(agent, v) for v in _versions(org, agent["id"])])


async def create_version(request: Request) -> Response:
    body = await json_body(request, "CreateAgentVersionRequest")
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    version = save_version(org, agent, body.get("change_kind") or "manual", body.get("summary"))
    return json_response(_view(agent, version))


async def set_default(request: Request) -> Response:
    body = await json_body(request, "SetDefaultAgentVersionRequest")
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    version = _version_or_404(org, agent["id"], body["version_id"])
    agent.update(default_version_id=version["id"], updated_at=now_iso())
    return json_response(agent_view(request, org, agent))


def _diff(a: JSON, b: JSON) -> JSON:
    return {
        key: {"from": a.get(key), "to": b.get(key)}
        for key in sorted(set(a) | set(b))
        if a.get(key) != b.get(key)
    }


async def diff_versions(request: Request) -> Response:
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    old = _version_or_404(org, agent["id"], path_param(request, "from_version_id"))
    new = _version_or_404(org, agent["id"], path_param(request, "to_version_id"))
    return json_response(
        {
            "from_version_id": old["id"],
            "to_version_id": new["id"],
            "authored_diff": _diff(old["authored_config"], new["authored_config"]),
            "resolved_diff": _diff(old["resolved_config"], new["resolved_config"]),
        }
    )


async def fork_version(request: Request) -> Response:
    body = await json_body(request, "ForkAgentVersionRequest")
    org = org_of(request)
    source = agent_or_404(org, path_param(request, "agent_id"))
    version = _version_or_404(org, source["id"], path_param(request, "version_id"))
    name = validate_slug(body["name"])
    if any(a["name"] == name and a["status"] != "deleted" for a in org.agents.values()):
        raise name_taken(name)
    config = copy.deepcopy(version["authored_config"])
    config["name"] = name
    if body.get("display_name") is not None:
        config["display_name"] = body["display_name"]
    fork = new_agent(org, config)
    fork.update(
        forked_from_agent_id=source["id"],
        forked_from_version_id=version["id"],
        root_agent_id=source.get("root_agent_id") or source["id"],
    )
    return json_response(agent_view(request, org, fork))


async def rollback_version(request: Request) -> Response:
    body = await json_body(request, "RollbackAgentVersionRequest")
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    version = _version_or_404(org, agent["id"], path_param(request, "version_id"))
    restore = {k: v for k, v in version["authored_config"].items() if k != "name"}
    update_agent_fields(org, agent, restore, replace=False)
    for key in AGENT_FIELDS:  # fields cleared in the old version are cleared again
        if version["authored_config"].get(key) is None:
            agent[key] = AGENT_FIELDS[key]
    if body.get("save_version", True):
        saved = save_version(org, agent, "rollback", body.get("summary"), source=version["id"])
        agent["default_version_id"] = saved["id"]
    return json_response(agent_view(request, org, agent))


async def analyze_agent(request: Request) -> Response:
    body = await json_body(request, "PreviewAgentRequest")
    prompt = str(body.get("system_prompt") or "")
    findings: list[JSON] = []

    def finding(rule: str, severity: str, category: str, message: str, fix: str) -> None:
        findings.append(
            {
                "rule_id": rule,
                "severity": severity,
                "category": category,
                "message": message,
                "fix": fix,
                "source": "builtin",
                "location": {"field": "system_prompt", "start": None, "end": None},
            }
        )

    if len(prompt.strip()) < 40:
        finding(
            "prompt_too_short",
            "warning",
            "completeness",
            "The system prompt is very short; describe the agent's role and limits.",
            "Add a few sentences about the task, tone and constraints.",
        )
    if len(prompt) > 20_000:
        finding("prompt_too_long", "warning", "cost", "The system prompt is very long.", "Trim it.")
    if not body.get("capabilities") and not body.get("tools"):
        finding(
            "no_tools",
            "suggestion",
            "effectiveness",
            "The agent has no capabilities or tools.",
            "Add capabilities if the agent must act.",
        )
    return json_response({"findings": findings})


def _run_view(run: JSON) -> JSON:
    return dict(run)


def _complete(run: JSON) -> None:
    if run["status"] != "pending":
        return
    result = {
        "name": "responds",
        "user_message": "Hello!",
        "rubric": "The agent answers the greeting.",
        "passed": True,
        "score": 1.0,
        "judge_reason": "The reply answers the user.",
        "deterministic_reason": "Non-empty reply.",
        "turns": 1,
        "latency_ms": 0,
        "input_tokens": 2,
        "output_tokens": 4,
        "session_id": None,
        "error": None,
    }
    summary = {
        "total": 1,
        "passed": 1,
        "failed": 0,
        "errored": 0,
        "pass_rate": 1.0,
        "avg_score": 1.0,
        "avg_turns": 1.0,
        "total_input_tokens": 2,
        "total_output_tokens": 4,
    }
    run.update(status="completed", completed_at=now_iso(), results=[result], summary=summary)


async def list_health_checks(request: Request) -> Response:
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    runs = [r for r in org.health_checks.values() if r["agent_id"] == agent["id"]]
    return json_response([_run_view(r) for r in reversed(runs)])


async def trigger_health_check(request: Request) -> Response:
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    run: JSON = {
        "id": new_id("hcrun"),
        "agent_id": agent["id"],
        "config_hash": config_hash(authored_config(agent)),
        "status": "pending",
        "model_id": agent.get("default_model_id"),
        "created_at": now_iso(),
        "completed_at": None,
        "error_message": None,
        "results": None,
        "summary": None,
    }
    org.health_checks[run["id"]] = run
    return json_response(_run_view(run))


async def get_health_check(request: Request) -> Response:
    """A run is pending when triggered and completes when first fetched."""
    org = org_of(request)
    agent = agent_or_404(org, path_param(request, "agent_id"))
    run_id = path_param(request, "run_id")
    run = org.health_checks.get(run_id)
    if run is None or run["agent_id"] != agent["id"]:
        raise ApiError(404, "health_check_not_found", f"Health check run {run_id} not found.")
    _complete(run)
    return json_response(_run_view(run))


ROUTES = [
    route("POST", "/v1/agents/analyze", analyze_agent),
    route("GET", "/v1/agents/{agent_id}/versions", list_versions),
    route("POST", "/v1/agents/{agent_id}/versions", create_version),
    route("POST", "/v1/agents/{agent_id}/versions/default", set_default),
    route(
        "GET",
        "/v1/agents/{agent_id}/versions/{from_version_id}/diff/{to_version_id}",
        diff_versions,
    ),
    route("POST", "/v1/agents/{agent_id}/versions/{version_id}/fork", fork_version),
    route("POST", "/v1/agents/{agent_id}/versions/{version_id}/rollback", rollback_version),
    route("GET", "/v1/agents/{agent_id}/health-checks", list_health_checks),
    route("POST", "/v1/agents/{agent_id}/health-checks", trigger_health_check),
    route("GET", "/v1/agents/{agent_id}/health-checks/{run_id}", get_health_check),
]
