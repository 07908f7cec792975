"""Agents: CRUD, upsert, validation, import/export, copy, stats, versions, health checks."""

from __future__ import annotations

import httpx
import pytest

from everruns_sdk.testing import GENERIC_HARNESS_ID, EverrunsEmulator

AGENT = {"name": "support", "system_prompt": "You help customers with their orders."}


def create(client: httpx.Client, **body: object) -> dict[str, object]:
    response = client.post("/v1/agents", json={**AGENT, **body})
    assert response.status_code == 201, response.text
    agent: dict[str, object] = response.json()
    return agent


def test_create_get_list_update_delete(client: httpx.Client) -> None:
    agent = create(client, display_name="Support", tags=["a"])
    assert agent["id"].startswith("agent_")  # type: ignore[union-attr]
    assert agent["harness_id"] == GENERIC_HARNESS_ID
    assert agent["status"] == "active"
    assert agent["self_url"].endswith(f"/api/v1/agents/{agent['id']}")  # type: ignore[union-attr]
    got = client.get(f"/v1/agents/{agent['id']}").json()
    assert got["session_count"] == 0 and got["display_name"] == "Support"
    updated = client.patch(f"/v1/agents/{agent['id']}", json={"system_prompt": "New."}).json()
    assert updated["system_prompt"] == "New." and updated["tags"] == ["a"]
    listed = client.get("/v1/agents").json()
    assert listed["total"] == 1 and listed["data"][0]["id"] == agent["id"]
    assert client.delete(f"/v1/agents/{agent['id']}").status_code == 204
    archived = client.get(f"/v1/agents/{agent['id']}").json()
    assert archived["status"] == "archived" and archived["archived_at"]
    assert client.get("/v1/agents").json()["total"] == 0
    assert client.get("/v1/agents", params={"include_archived": "true"}).json()["total"] == 1


def test_upsert_by_id_and_apply_by_name(client: httpx.Client) -> None:
    agent_id = "agent_0123456789abcdef0123456789abcdef"
    first = create(client, id=agent_id)
    assert first["id"] == agent_id
    again = create(client, id=agent_id, system_prompt="Changed.")
    assert again["id"] == agent_id and again["system_prompt"] == "Changed."
    by_name = create(client, system_prompt="By name.")
    assert by_name["id"] == agent_id and by_name["system_prompt"] == "By name."
    assert client.get("/v1/agents").json()["total"] == 1


def test_id_and_name_conflicts(client: httpx.Client) -> None:
    create(client)
    other = "agent_ffffffffffffffffffffffffffffffff"
    response = client.post("/v1/agents", json={**AGENT, "id": other})
    assert response.status_code == 400  # the spec declares no 409 here
    assert response.json()["code"] == "agent_name_conflict"
    response = client.post("/v1/agents", json={**AGENT, "id": "agent_123"})
    assert response.status_code == 400
    second = create(client, name="second")
    response = client.patch(f"/v1/agents/{second['id']}", json={"name": "support"})
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["Upper", "a--b", "-a", "a-", "a_b", "", "x" * 65, "a b"])
def test_name_must_be_a_slug(client: httpx.Client, name: str) -> None:
    response = client.post("/v1/agents", json={**AGENT, "name": name})
    assert response.status_code == 400


def test_harness_id_and_name_are_exclusive(client: httpx.Client) -> None:
    body = {**AGENT, "harness_id": GENERIC_HARNESS_ID, "harness_name": "generic"}
    assert client.post("/v1/agents", json=body).status_code == 400
    assert create(client, harness_name="generic")["harness_id"] == GENERIC_HARNESS_ID
    response = client.post("/v1/agents", json={**AGENT, "name": "x", "harness_name": "nope"})
    assert response.status_code == 404


def test_pagination(client: httpx.Client) -> None:
    for i in range(5):
        create(client, name=f"agent-{i}")
    page = client.get("/v1/agents", params={"limit": 2, "offset": 1}).json()
    assert (page["total"], page["offset"], page["limit"], len(page["data"])) == (5, 1, 2, 2)
    assert "offset=3" in page["next_url"] and "offset=0" in page["prev_url"]
    assert client.get("/v1/agents", params={"limit": 101}).status_code == 400
    assert client.get("/v1/agents", params={"limit": 0}).status_code == 400
    assert client.get("/v1/agents", params={"offset": -1}).status_code == 400
    assert client.get("/v1/agents", params={"limit": "x"}).status_code == 400
    found = client.get("/v1/agents", params={"search": "agent-3"}).json()
    assert [a["name"] for a in found["data"]] == ["agent-3"]


def test_export_then_import_round_trip(client: httpx.Client) -> None:
    agent = create(
        client,
        display_name="Support: EU",
        tags=["eu", "true"],
        capabilities=[{"ref": "current_time", "config": {"tz": "UTC"}}],
        max_iterations=7,
    )
    exported = client.get(f"/v1/agents/{agent['id']}/export")
    assert exported.headers["content-type"].startswith("text/markdown")
    text = exported.text
    assert text.startswith("---\n") and AGENT["system_prompt"] in text
    client.patch(f"/v1/agents/{agent['id']}", json={"system_prompt": "Other.", "tags": []})
    response = client.post(
        "/v1/agents/import", content=text, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 200  # the name exists: updated
    imported = response.json()
    assert imported["id"] == agent["id"]
    for key in ("display_name", "tags", "capabilities", "max_iterations", "system_prompt"):
        assert imported[key] == agent[key], key


@pytest.mark.parametrize(
    "document",
    [
        "---\nname: md-agent\ntags: [x, y]\n---\n\nYou are helpful.\n",
        "name: yaml-agent\nsystem_prompt: |\n  You are helpful.\n",
        '{"name": "json-agent", "system_prompt": "You are helpful."}',
        "You are helpful.",
    ],
)
def test_import_formats(client: httpx.Client, document: str) -> None:
    response = client.post("/v1/agents/import", content=document)
    assert response.status_code == 201, response.text
    agent = response.json()
    assert agent["system_prompt"].strip() == "You are helpful."


def test_import_errors(client: httpx.Client) -> None:
    assert client.post("/v1/agents/import", content="{bad").status_code == 400
    assert client.post("/v1/agents/import", content="---\nname: x\n").status_code == 400
    response = client.post("/v1/agents/import", params={"from-example": "nope"}, content="")
    assert response.status_code == 404
    response = client.post("/v1/agents/import", params={"from-example": "hello-world"}, content="")
    assert response.status_code == 201 and response.json()["name"] == "hello-world"


def test_copy_and_stats(emu: EverrunsEmulator, client: httpx.Client) -> None:
    agent = create(client)
    copy = client.post(f"/v1/agents/{agent['id']}/copy")
    assert copy.status_code == 201
    assert copy.json()["name"] == "support-copy"
    assert client.post(f"/v1/agents/{agent['id']}/copy").json()["name"] == "support-copy-2"
    client.post("/v1/sessions", json={"agent_id": agent["id"]})
    stats = client.get(f"/v1/agents/{agent['id']}/stats").json()
    assert stats["session_count"] == 1 and stats["started_session_count"] == 1
    assert client.get(f"/v1/agents/{agent['id']}").json()["session_count"] == 1


def test_versions(client: httpx.Client) -> None:
    agent = create(client)
    aid = agent["id"]
    v1 = client.post(f"/v1/agents/{aid}/versions", json={"summary": "first"}).json()
    assert (v1["version"], v1["version_number"], v1["is_published"]) == ("1.0.0", 1, True)
    client.patch(f"/v1/agents/{aid}", json={"system_prompt": "Second prompt."})
    v2 = client.post(f"/v1/agents/{aid}/versions", json={"change_kind": "minor"}).json()
    assert v2["version"] == "1.1.0" and v2["parent_version_id"] == v1["id"]
    assert [v["id"] for v in client.get(f"/v1/agents/{aid}/versions").json()] == [
        v1["id"],
        v2["id"],
    ]
    diff = client.get(f"/v1/agents/{aid}/versions/{v1['id']}/diff/{v2['id']}").json()
    assert diff["authored_diff"]["system_prompt"]["to"] == "Second prompt."
    default = client.post(f"/v1/agents/{aid}/versions/default", json={"version_id": v2["id"]})
    assert default.json()["default_version_id"] == v2["id"]
    rolled = client.post(f"/v1/agents/{aid}/versions/{v1['id']}/rollback", json={}).json()
    assert rolled["system_prompt"] == AGENT["system_prompt"]
    assert rolled["default_version_id"] not in (v1["id"], v2["id"])
    fork = client.post(f"/v1/agents/{aid}/versions/{v1['id']}/fork", json={"name": "forked"})
    assert fork.status_code == 200
    assert fork.json()["forked_from_version_id"] == v1["id"]
    assert fork.json()["root_agent_id"] == aid
    missing = "agentver_00000000000000000000000000000000"
    response = client.post(f"/v1/agents/{aid}/versions/default", json={"version_id": missing})
    assert response.status_code == 404


def test_analyze_and_health_checks(client: httpx.Client) -> None:
    findings = client.post("/v1/agents/analyze", json={"system_prompt": "Hi"}).json()["findings"]
    assert {f["rule_id"] for f in findings} >= {"prompt_too_short"}
    agent = create(client)
    run = client.post(f"/v1/agents/{agent['id']}/health-checks").json()
    assert run["status"] == "pending"
    done = client.get(f"/v1/agents/{agent['id']}/health-checks/{run['id']}").json()
    assert done["status"] == "completed" and done["summary"]["passed"] == 1
    runs = client.get(f"/v1/agents/{agent['id']}/health-checks").json()
    assert [r["id"] for r in runs] == [run["id"]]
    assert client.get(f"/v1/agents/{agent['id']}/health-checks/hcrun_x").status_code == 404
