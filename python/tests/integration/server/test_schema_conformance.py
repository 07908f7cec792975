"""Every one of the SDK's 85 operations, against realistic state, with each response
body validated against the contract (``everruns_sdk.testing._contract``)."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import httpx
from emulator_helpers import sse_frames, user_message

from everruns_sdk.testing import EverrunsEmulator, Reply
from everruns_sdk.testing._contract import (
    load_contract,
    operation,
    request_validator,
    response_validator,
)

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
JSON_TYPES = ("application/json", "application/problem+json")


class Checker:
    """Calls an operation and validates the response body against the contract."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.covered: set[str] = set()
        self.checked = 0

    def _check_route(self, op: str, method: str, path: str) -> None:
        entry = operation(op)
        assert entry["method"] == method, (op, method)
        template = re.sub(r"\{path\}", ".+", entry["path"])
        template = re.sub(r"\{[^}]+\}", "[^/]+", template)
        assert re.fullmatch(template, path.split("?")[0]), (op, path, entry["path"])

    def __call__(
        self, op: str, method: str, path: str, status: int, **kwargs: Any
    ) -> httpx.Response:
        self._check_route(op, method, path)
        if "json" in kwargs:
            request_validator(op)(kwargs["json"])
        response = self.client.request(method, path, **kwargs)
        assert response.status_code == status, (op, response.status_code, response.text[:500])
        ctype = response.headers.get("content-type", "").split(";")[0].strip()
        if response.status_code == 204:
            body: Any = response.content or None
        elif ctype in JSON_TYPES:
            body = response.json()
        else:
            body = response.content
        response_validator(op, response.status_code, ctype)(body)
        self.covered.add(op)
        self.checked += 1
        return response


def test_every_operation_conforms(emu: EverrunsEmulator, client: httpx.Client) -> None:
    check = Checker(client)
    agents(check)
    harnesses_models_capabilities(check)
    sid, wid = sessions_and_turns(emu, check)
    workspaces_and_files(check, wid)
    memories(check)
    images(check, sid)
    session_data(emu, check, sid)
    missing = set(load_contract()["operations"]) - check.covered
    assert not missing, f"operations not exercised: {sorted(missing)}"
    assert len(check.covered) == 85


def agents(check: Checker) -> None:
    body = {
        "name": "support",
        "display_name": "Support",
        "system_prompt": "You help customers.",
        "tags": ["support"],
        "capabilities": [{"ref": "current_time"}],
        "tools": [
            {
                "type": "client_side",
                "name": "get_location",
                "description": "Where the user is",
                "parameters": {"type": "object", "properties": {}},
            }
        ],
        "initial_files": [{"path": "/README.md", "content": "hello"}],
        "max_iterations": 10,
    }
    agent = check("create_agent", "POST", "/v1/agents", 201, json=body).json()
    aid = agent["id"]
    check("create_agent", "POST", "/v1/agents", 400, json={"name": "Bad", "system_prompt": "x"})
    check("list_agents", "GET", "/v1/agents", 200)
    check("list_agents", "GET", "/v1/agents?limit=1&include_archived=true", 200)
    check("get_agent", "GET", f"/v1/agents/{aid}", 200)
    check("get_agent", "GET", "/v1/agents/agent_" + "0" * 32, 404)
    check("update_agent", "PATCH", f"/v1/agents/{aid}", 200, json={"display_name": "Help"})
    exported = check("export_agent", "GET", f"/v1/agents/{aid}/export", 200).text
    check("import_agent", "POST", "/v1/agents/import", 200, content=exported)
    check("import_agent", "POST", "/v1/agents/import", 201, content="You are new.")
    check("copy_agent", "POST", f"/v1/agents/{aid}/copy", 201)
    check("get_agent_stats", "GET", f"/v1/agents/{aid}/stats", 200)
    v1 = check("create_agent_version", "POST", f"/v1/agents/{aid}/versions", 200, json={}).json()
    check("update_agent", "PATCH", f"/v1/agents/{aid}", 200, json={"system_prompt": "Changed."})
    v2 = check(
        "create_agent_version",
        "POST",
        f"/v1/agents/{aid}/versions",
        200,
        json={"change_kind": "major", "summary": "Big change"},
    ).json()
    check("list_agent_versions", "GET", f"/v1/agents/{aid}/versions", 200)
    check(
        "set_default_agent_version",
        "POST",
        f"/v1/agents/{aid}/versions/default",
        200,
        json={"version_id": v2["id"]},
    )
    check(
        "diff_agent_versions",
        "GET",
        f"/v1/agents/{aid}/versions/{v1['id']}/diff/{v2['id']}",
        200,
    )
    check(
        "fork_agent_version",
        "POST",
        f"/v1/agents/{aid}/versions/{v1['id']}/fork",
        200,
        json={"name": "support-fork", "display_name": "Fork"},
    )
    check(
        "rollback_agent_version",
        "POST",
        f"/v1/agents/{aid}/versions/{v1['id']}/rollback",
        200,
        json={"save_version": True, "summary": "back"},
    )
    check("analyze_agent", "POST", "/v1/agents/analyze", 200, json={"system_prompt": "Hi"})
    run = check("trigger_health_check", "POST", f"/v1/agents/{aid}/health-checks", 200).json()
    check("get_health_check", "GET", f"/v1/agents/{aid}/health-checks/{run['id']}", 200)
    check("list_health_checks", "GET", f"/v1/agents/{aid}/health-checks", 200)
    check("delete_agent", "DELETE", f"/v1/agents/{agent['id']}", 204)
    check("create_agent", "POST", "/v1/agents", 201, json={"name": "bot", "system_prompt": "Bot."})


def harnesses_models_capabilities(check: Checker) -> None:
    check("list_harnesses", "GET", "/v1/harnesses", 200)
    harness = check(
        "create_harness",
        "POST",
        "/v1/harnesses",
        201,
        json={"name": "custom", "system_prompt": "Be brief.", "tags": ["x"]},
    ).json()
    hid = harness["id"]
    check("get_harness", "GET", f"/v1/harnesses/{hid}", 200)
    check("update_harness", "PATCH", f"/v1/harnesses/{hid}", 200, json={"display_name": "C"})
    check("delete_harness", "DELETE", f"/v1/harnesses/{hid}", 204)
    check("list_examples", "GET", "/v1/harness-examples", 200)
    models = check("list_all_models", "GET", "/v1/models", 200).json()["data"]
    check("get_model", "GET", f"/v1/models/{models[0]['id']}", 200)
    check("get_model", "GET", "/v1/models/none", 404)
    check("list_capabilities", "GET", "/v1/capabilities?limit=2", 200)
    check("get_capability", "GET", "/v1/capabilities/current_time", 200)
    examples = check(
        "list_guardrail_examples", "GET", "/v1/capabilities/guardrails/examples", 200
    ).json()["examples"]
    check(
        "dry_run_guardrails",
        "POST",
        "/v1/capabilities/guardrails/dry-run",
        200,
        json={"config": examples[0]["config"], "stage": "output", "text": "evr_abcdefghijk"},
    )


def sessions_and_turns(emu: EverrunsEmulator, check: Checker) -> tuple[str, str]:
    session = check(
        "create_session",
        "POST",
        "/v1/sessions",
        201,
        json={"agent_name": "bot", "title": "Debug", "tags": ["a"], "hints": {"k": 1}},
    ).json()
    sid, wid = session["id"], session["workspace_id"]
    check("create_session", "POST", "/v1/sessions", 404, json={"harness_name": "missing"})
    check("list_sessions", "GET", "/v1/sessions", 200)
    check("get_session", "GET", f"/v1/sessions/{sid}", 200)
    check("update_session", "PATCH", f"/v1/sessions/{sid}", 200, json={"title": "Renamed"})
    check("pin_session", "PUT", f"/v1/sessions/{sid}/pin", 204)
    check("unpin_session", "DELETE", f"/v1/sessions/{sid}/pin", 204)
    check("cancel_turn", "POST", f"/v1/sessions/{sid}/cancel", 200)
    # a turn using every kind of event the scripted model emits
    emu.script.add(
        Reply(text="Let me look.", thinking="The user wants data."),
        session_id=sid,
    )
    emu.script.add(Reply.tool("search", {"q": "x"}, result={"hits": 2}), session_id=sid)
    emu.script.add(Reply.client_tool("get_location"), session_id=sid)
    message = user_message("Hello!")
    check("create_message", "POST", f"/v1/sessions/{sid}/messages", 201, json=message)
    emu.wait_for_event(sid, "session.idled")
    check("create_message", "POST", f"/v1/sessions/{sid}/messages", 201, json=message)
    emu.wait_for_status(sid, "waiting_for_tool_results")
    call = emu.wait_for_event(sid, "tool.call_requested")["data"]["tool_calls"][0]
    check("get_session", "GET", f"/v1/sessions/{sid}", 200)
    check(
        "submit_tool_results",
        "POST",
        f"/v1/sessions/{sid}/tool-results",
        200,
        json={"tool_results": [{"tool_call_id": call["id"], "result": {"city": "Kyiv"}}]},
    )
    check(
        "submit_tool_results",
        "POST",
        f"/v1/sessions/{sid}/tool-results",
        409,
        json={"tool_results": [{"tool_call_id": call["id"], "result": 1}]},
    )
    emu.wait_for_status(sid, "idle")
    emu.script.add(Reply.failure("boom"), session_id=sid)
    check("create_message", "POST", f"/v1/sessions/{sid}/messages", 201, json=message)
    emu.wait_for_event(sid, "turn.failed")
    emu.script.add(Reply.hanging(), session_id=sid)
    check("create_message", "POST", f"/v1/sessions/{sid}/messages", 201, json=message)
    emu.wait_for_status(sid, "active")
    check("cancel_turn", "POST", f"/v1/sessions/{sid}/cancel", 200)
    emu.emit_event(
        sid, "budget.warning", {"budget_id": "b", "balance": 1.0, "limit": 2.0, "currency": "USD"}
    )

    check("list_messages", "GET", f"/v1/sessions/{sid}/messages", 200)
    events = check("list_events", "GET", f"/v1/sessions/{sid}/events", 200).json()["data"]
    kinds = {e["type"] for e in events}
    assert {"reason.thinking.delta", "tool.completed", "tool.call_requested"} <= kinds
    assert {"turn.failed", "turn.cancelled", "budget.warning"} <= kinds
    check("list_events", "GET", f"/v1/sessions/{sid}/events?limit=5&order_desc=true", 200)
    check("list_events", "GET", f"/v1/sessions/{sid}/events?types=bogus", 400)
    validate_event = response_validator("stream_sse", 200, "text/event-stream")
    check._check_route("stream_sse", "GET", f"/v1/sessions/{sid}/sse")
    with check.client.stream("GET", f"/v1/sessions/{sid}/sse") as response:
        assert response.status_code == 200
        streamed = 0
        for frame in sse_frames(response):
            if frame.id:
                validate_event(frame.json())
                streamed += 1
            if frame.id == events[-1]["id"]:
                break
    assert streamed == len(events)
    check.covered.add("stream_sse")
    exported = check("export_session_jsonl", "GET", f"/v1/sessions/{sid}/export", 200).text
    assert all(json.loads(line)["id"] for line in exported.splitlines())
    other = check("create_session", "POST", "/v1/sessions", 201, json={}).json()
    check("delete_session", "DELETE", f"/v1/sessions/{other['id']}", 204)
    return sid, wid


def workspaces_and_files(check: Checker, session_workspace: str) -> None:
    check("list_workspaces", "GET", "/v1/workspaces", 200)
    wid = check("create_workspace", "POST", "/v1/workspaces", 201, json={"name": "w1"}).json()["id"]
    check("create_workspace", "POST", "/v1/workspaces", 409, json={"name": "w1"})
    check("get_workspace", "GET", f"/v1/workspaces/{wid}", 200)
    check("update_workspace", "PATCH", f"/v1/workspaces/{wid}", 200, json={"name": "w2"})
    fs = f"/v1/workspaces/{session_workspace}/fs"
    check("get_root", "GET", fs, 200)
    check("create_path", "POST", f"{fs}/docs/a%20b.md", 201, json={"content": "alpha\nbeta\n"})
    check("create_path", "POST", f"{fs}/empty", 201, json={"is_directory": True})
    check("get_path", "GET", f"{fs}/docs/a%20b.md", 200)
    check("get_path", "GET", f"{fs}/docs", 200)
    check("update_path", "PUT", f"{fs}/docs/a%20b.md", 200, json={"content": "gamma\n"})
    check(
        "copy_file",
        "POST",
        f"{fs}/_/copy",
        201,
        json={"src_path": "/docs/a b.md", "dst_path": "/c.md"},
    )
    check("move_file", "POST", f"{fs}/_/move", 200, json={"src_path": "/c.md", "dst_path": "/d.md"})
    check("grep_files", "POST", f"{fs}/_/grep", 200, json={"pattern": "gam"})
    check("stat_file", "POST", f"{fs}/_/stat", 200, json={"path": "/d.md"})
    check("delete_path", "DELETE", f"{fs}/d.md", 200)
    check("get_path", "GET", f"{fs}/d.md", 404)
    check("delete_workspace", "DELETE", f"/v1/workspaces/{wid}", 204)


def memories(check: Checker) -> None:
    check("list_memories", "GET", "/v1/memories", 200)
    mem = check("create_memory", "POST", "/v1/memories", 201, json={"name": "notes"}).json()
    mid = mem["id"]
    git = check(
        "create_memory",
        "POST",
        "/v1/memories",
        201,
        json={"name": "docs", "source": {"type": "github", "repository": "acme/docs"}},
    ).json()
    check("get_memory", "GET", f"/v1/memories/{mid}", 200)
    check("update_memory", "PATCH", f"/v1/memories/{mid}", 200, json={"name": "notes-2"})
    check("sync_memory_now", "POST", f"/v1/memories/{git['id']}/sync", 200)
    check("list_memories", "GET", "/v1/memories", 200)
    fs = f"/v1/memories/{mid}/fs"
    check("create_file", "POST", f"{fs}/a/b.md", 201, json={"content": "hello"})
    check("list_root", "GET", fs, 200)
    check("get_file", "GET", f"{fs}/a/b.md", 200)
    check("get_file", "GET", f"{fs}/a", 200)
    check("update_file", "PUT", f"{fs}/a/b.md", 200, json={"content": "hello again"})
    check("download_action", "GET", f"{fs}/_/download/a/b.md", 200)
    check("grep_action", "POST", f"{fs}/_/grep", 200, json={"pattern": "again"})
    check("stat_action", "POST", f"{fs}/_/stat", 200, json={"path": "/a/b.md"})
    check("delete_file", "DELETE", f"{fs}/a/b.md", 204)
    check("delete_memory", "DELETE", f"/v1/memories/{mid}", 204)


def images(check: Checker, sid: str) -> None:
    files = {"file": ("dot.png", PNG, "image/png")}
    image = check("upload_image", "POST", f"/v1/images?session_id={sid}", 201, files=files).json()
    iid = image["id"]
    check("list_images", "GET", "/v1/images", 200)
    check("get_image", "GET", f"/v1/images/{iid}", 200)
    check("get_thumbnail", "GET", f"/v1/images/{iid}/thumbnail", 200)
    check("delete_image", "DELETE", f"/v1/images/{iid}", 204)


def session_data(emu: EverrunsEmulator, check: Checker, sid: str) -> None:
    base = f"/v1/sessions/{sid}/databases"
    check("create_database", "POST", base, 201, json={"name": "main"})
    check("list_databases", "GET", base, 200)
    check("get_database", "GET", f"{base}/main", 200)
    check("get_schema", "GET", f"{base}/main/schema", 200)
    check("delete_database", "DELETE", f"{base}/main", 204)
    emu.store.set_storage_key(sid, "k", "v")
    emu.store.set_secret(sid, "TOKEN")
    check("list_keys", "GET", f"/v1/sessions/{sid}/storage/keys", 200)
    check("list_secrets", "GET", f"/v1/sessions/{sid}/storage/secrets", 200)
