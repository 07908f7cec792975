"""Harnesses, harness examples, models and capabilities (with guardrail dry runs)."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .._catalog import CAPABILITIES, GUARDRAIL_EXAMPLES, HARNESS_EXAMPLES, MODELS
from .._clock import now_iso
from .._ids import new_id
from .._problems import ApiError, bad_request, not_found
from .._store import OrgState
from .._validation import json_body, q_bool, q_int, q_str, validate_slug
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

__all__ = ["ROUTES", "find_model"]

HARNESS_FIELDS: dict[str, Any] = {
    "display_name": None,
    "description": None,
    "system_prompt": None,
    "capabilities": [],
    "initial_files": [],
    "tags": [],
    "mcpServers": {},
    "embedder_metadata": {},
    "network_access": None,
    "default_model_id": None,
    "parent_harness_id": None,
}
GUARDRAIL_STAGES = ("output", "tool_use", "tool_output")


# -- harnesses -------------------------------------------------------------------


def _harness_or_404(org: OrgState, harness_id: str) -> JSON:
    harness = org.harnesses.get(harness_id)
    if harness is None or harness["status"] == "deleted":
        raise not_found("harness", harness_id, org.org_id)
    return harness


def _harness_view(request: Request, org: OrgState, harness: JSON, *, counts: bool) -> JSON:
    hid = harness["id"]
    view = with_urls(request, harness, f"/v1/harnesses/{hid}", f"/harnesses/{hid}")
    if counts:
        view["session_count"] = sum(1 for s in org.sessions.values() if s["harness_id"] == hid)
        view["app_count"] = 0
    return view


def _check_name(org: OrgState, name: Any, own_id: str | None = None) -> str:
    name = validate_slug(name)
    for other in org.harnesses.values():
        if other["name"] == name and other["id"] != own_id and other["status"] != "deleted":
            # 400: the spec declares no 409 for harnesses
            raise bad_request(f"A harness named '{name}' already exists.", "harness_name_conflict")
    return str(name)


def _check_parent(org: OrgState, body: JSON) -> None:
    parent = body.get("parent_harness_id")
    if parent:
        _harness_or_404(org, parent)


async def create_harness(request: Request) -> Response:
    body = await json_body(request, "CreateHarnessRequest")
    org = org_of(request)
    name = _check_name(org, body["name"])
    _check_parent(org, body)
    now = now_iso()
    harness: JSON = {"id": new_id("harness"), "name": name}
    for key, default in HARNESS_FIELDS.items():
        harness[key] = default if body.get(key) is None else body[key]
    harness.update(
        status="active",
        is_built_in=False,
        parallel_tool_calls=None,
        archived_at=None,
        deleted_at=None,
        created_at=now,
        updated_at=now,
    )
    org.harnesses[harness["id"]] = harness
    return json_response(_harness_view(request, org, harness, counts=False), 201)


async def list_harnesses(request: Request) -> Response:
    org = org_of(request)
    archived = q_bool(request, "include_archived")
    items = [
        h
        for h in org.harnesses.values()
        if h["status"] == "active" or (archived and h["status"] == "archived")
    ]
    items = search_filter(items, q_str(request, "search"), "name", "display_name")
    items.sort(key=lambda h: (not h["is_built_in"], h["id"]))
    return json_response({"data": [_harness_view(request, org, h, counts=True) for h in items]})


async def get_harness(request: Request) -> Response:
    org = org_of(request)
    harness = _harness_or_404(org, path_param(request, "harness_id"))
    return json_response(_harness_view(request, org, harness, counts=True))


def _forbid_built_in(harness: JSON) -> None:
    if harness["is_built_in"]:
        raise ApiError(403, "forbidden", f"Built-in harness '{harness['name']}' cannot be changed.")


async def update_harness(request: Request) -> Response:
    body = await json_body(request, "UpdateHarnessRequest")
    org = org_of(request)
    harness = _harness_or_404(org, path_param(request, "harness_id"))
    _forbid_built_in(harness)
    if body.get("name") is not None:
        harness["name"] = _check_name(org, body["name"], harness["id"])
    _check_parent(org, body)
    for key in HARNESS_FIELDS:
        if body.get(key) is not None:
            harness[key] = body[key]
    if body.get("status") is not None:
        harness["status"] = body["status"]
        harness["archived_at"] = now_iso() if body["status"] == "archived" else None
    harness["updated_at"] = now_iso()
    return json_response(_harness_view(request, org, harness, counts=False))


async def delete_harness(request: Request) -> Response:
    org = org_of(request)
    harness = _harness_or_404(org, path_param(request, "harness_id"))
    _forbid_built_in(harness)
    if harness["status"] != "archived":
        now = now_iso()
        harness.update(status="archived", archived_at=now, updated_at=now)
    return no_content()


async def list_harness_examples(request: Request) -> Response:
    return json_response(HARNESS_EXAMPLES)


# -- models ------------------------------------------------------------------------


def find_model(ident: str) -> JSON | None:
    """A built-in model by ``id`` (``model_...``) or by ``model_id`` (``gpt-4o``)."""
    for model in MODELS:
        if ident in (model["id"], model["model_id"]):
            return model
    return None


def _model_view(request: Request, model: JSON) -> JSON:
    return with_urls(request, model, f"/v1/models/{model['id']}", f"/models/{model['id']}")


async def list_models(request: Request) -> Response:
    source = q_str(request, "source")
    if source is not None and source not in ("manual", "discovered", "predefined"):
        raise bad_request(f"source: unknown model source '{source}'")
    q_bool(request, "include_stale")
    favorites = q_bool(request, "favorites_only")
    items = [
        m
        for m in MODELS
        if (source is None or m["source"] == source) and (not favorites or m["is_favorite"])
    ]
    return json_response({"data": [_model_view(request, m) for m in items]})


async def get_model(request: Request) -> Response:
    ident = path_param(request, "id")
    model = find_model(ident)
    if model is None:
        raise not_found("model", ident)
    return json_response(_model_view(request, model))


# -- capabilities --------------------------------------------------------------------


def _capability_view(request: Request, org: OrgState, cap: JSON) -> JSON:
    def uses(record: JSON) -> bool:
        return any(c.get("ref") == cap["id"] for c in record.get("capabilities") or [])

    view = with_urls(request, cap, f"/v1/capabilities/{cap['id']}", f"/capabilities/{cap['id']}")
    view["agent_count"] = sum(1 for a in org.agents.values() if uses(a))
    view["harness_count"] = sum(1 for h in org.harnesses.values() if uses(h))
    return view


async def list_capabilities(request: Request) -> Response:
    org = org_of(request)
    offset = q_int(request, "offset", 0, minimum=0) or 0
    limit = q_int(request, "limit", 20, minimum=0, maximum=100)
    assert limit is not None
    items = search_filter(CAPABILITIES, q_str(request, "search"), "id", "name", "description")
    views = [_capability_view(request, org, c) for c in items]
    return json_response(page(request, views, offset, limit))


async def get_capability(request: Request) -> Response:
    ident = path_param(request, "capability_id")
    for cap in CAPABILITIES:
        if cap["id"] == ident:
            return json_response(_capability_view(request, org_of(request), cap))
    raise not_found("capability", ident)


async def list_guardrail_examples(request: Request) -> Response:
    return json_response({"examples": GUARDRAIL_EXAMPLES})


def _check_patterns(check: JSON, index: int) -> list[re.Pattern[str]]:
    kind = check.get("type")
    raw = check.get("patterns") or ([check["pattern"]] if check.get("pattern") else [])
    if kind not in ("regex", "keyword") or not raw or not all(isinstance(p, str) for p in raw):
        raise bad_request(
            f"config.checks[{index}]: needs type 'regex' or 'keyword' and pattern(s)",
            code="invalid_guardrails_config",
        )
    try:
        if kind == "regex":
            return [re.compile(p) for p in raw]
        return [re.compile(re.escape(p), re.IGNORECASE) for p in raw]
    except re.error as exc:
        raise bad_request(
            f"config.checks[{index}].pattern: {exc}", code="invalid_guardrails_config"
        ) from None


async def dry_run_guardrails(request: Request) -> Response:
    """Run a guardrails config on sample text.

    The emulator's config format: ``{"checks": [{"id", "type": "regex"|"keyword",
    "pattern" or "patterns", "action": "block"|"log", "stages": [...],
    "replacement"}]}``; a check without ``stages`` applies to every stage.
    """
    body = await json_body(request, "GuardrailsDryRunRequest")
    stage = body["stage"]
    if stage not in GUARDRAIL_STAGES:
        raise bad_request(f"stage: must be one of {', '.join(GUARDRAIL_STAGES)}")
    text = body["text"]
    if len(text) > 100_000:
        raise bad_request("text: at most 100000 characters")
    checks = body["config"].get("checks", [])
    if not isinstance(checks, list):
        raise bad_request("config.checks: must be a list", code="invalid_guardrails_config")
    hits: list[JSON] = []
    for index, check in enumerate(checks):
        if not isinstance(check, dict):
            raise bad_request(
                f"config.checks[{index}]: must be an object", "invalid_guardrails_config"
            )
        patterns = _check_patterns(check, index)
        action = check.get("action", "block")
        if action not in ("block", "log"):
            raise bad_request(
                f"config.checks[{index}].action: 'block' or 'log'", "invalid_guardrails_config"
            )
        if stage not in (check.get("stages") or GUARDRAIL_STAGES):
            continue
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                hits.append(
                    {
                        "check_index": index,
                        "check_id": str(check.get("id") or f"check-{index}"),
                        "stage": stage,
                        "rule_type": check["type"],
                        "action": action,
                        "reason_code": f"{check['type']}_match",
                        "matched": match.group(0),
                        "replacement": check.get("replacement"),
                    }
                )
                break
    return json_response({"hits": hits, "blocked": any(h["action"] == "block" for h in hits)})


ROUTES = [
    route("GET", "/v1/harnesses", list_harnesses),
    route("POST", "/v1/harnesses", create_harness),
    route("GET", "/v1/harnesses/{harness_id}", get_harness),
    route("PATCH", "/v1/harnesses/{harness_id}", update_harness),
    route("DELETE", "/v1/harnesses/{harness_id}", delete_harness),
    route("GET", "/v1/harness-examples", list_harness_examples),
    route("GET", "/v1/models", list_models),
    route("GET", "/v1/models/{id}", get_model),
    route("GET", "/v1/capabilities", list_capabilities),
    route("GET", "/v1/capabilities/guardrails/examples", list_guardrail_examples),
    route("POST", "/v1/capabilities/guardrails/dry-run", dry_run_guardrails),
    route("GET", "/v1/capabilities/{capability_id}", get_capability),
]
