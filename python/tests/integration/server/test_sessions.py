"""Sessions, harnesses, models, capabilities, databases and storage."""

from __future__ import annotations

import json

import httpx

from everruns_sdk.testing import GENERIC_HARNESS_ID, EverrunsEmulator


def test_session_crud(client: httpx.Client) -> None:
    created = client.post("/v1/sessions", json={"title": "Debug", "tags": ["x"]})
    assert created.status_code == 201
    session = created.json()
    sid = session["id"]
    assert session["status"] == "started"
    assert session["harness_id"] == GENERIC_HARNESS_ID
    assert session["workspace_id"].startswith("wsp_")
    assert session["ui_link"].endswith(f"/sessions/{sid}/chat")
    assert client.get(f"/v1/sessions/{sid}").json()["title"] == "Debug"
    patched = client.patch(f"/v1/sessions/{sid}", json={"title": "Fixed", "locale": "uk-UA"})
    assert (patched.json()["title"], patched.json()["tags"]) == ("Fixed", ["x"])
    page = client.get("/v1/sessions").json()
    assert page["total"] == 1 and page["data"][0]["id"] == sid
    assert client.put(f"/v1/sessions/{sid}/pin").status_code == 204
    assert client.get(f"/v1/sessions/{sid}").json()["is_pinned"] is True
    assert client.delete(f"/v1/sessions/{sid}/pin").status_code == 204
    assert client.get(f"/v1/sessions/{sid}").json()["is_pinned"] is False
    assert client.delete(f"/v1/sessions/{sid}").status_code == 204
    assert client.get(f"/v1/sessions/{sid}").status_code == 404
    assert client.delete(f"/v1/sessions/{sid}").status_code == 404


def test_session_agent_and_harness_references(client: httpx.Client) -> None:
    agent = client.post("/v1/agents", json={"name": "bot", "system_prompt": "Hi."}).json()
    by_name = client.post("/v1/sessions", json={"agent_name": "bot"}).json()
    assert by_name["agent_id"] == agent["id"]
    both = client.post("/v1/sessions", json={"agent_id": agent["id"], "agent_name": "bot"})
    assert both.status_code == 400
    harness_both = client.post(
        "/v1/sessions", json={"harness_id": GENERIC_HARNESS_ID, "harness_name": "generic"}
    )
    assert harness_both.status_code == 400
    assert client.post("/v1/sessions", json={"agent_name": "nobody"}).status_code == 404
    missing = client.post("/v1/sessions", json={"harness_name": "missing"})
    assert missing.status_code == 404 and missing.json()["code"] == "harness_not_found"
    assert client.post("/v1/sessions", json={"model_id": "nope"}).status_code == 404
    listed = client.get("/v1/sessions", params={"agent_id": agent["id"]}).json()
    assert [s["id"] for s in listed["data"]] == [by_name["id"]]


def test_session_files_are_its_workspace_files(client: httpx.Client) -> None:
    client.post(
        "/v1/agents",
        json={
            "name": "files",
            "system_prompt": "x",
            "initial_files": [{"path": "/README.md", "content": "agent file"}],
        },
    )
    session = client.post(
        "/v1/sessions",
        json={"agent_name": "files", "initial_files": [{"path": "notes/a.txt", "content": "hi"}]},
    ).json()
    wid = session["workspace_id"]
    root = client.get(f"/v1/workspaces/{wid}/fs").json()["data"]
    assert {f["path"] for f in root} == {"/README.md", "/notes"}
    got = client.get(f"/v1/workspaces/{wid}/fs/notes/a.txt").json()
    assert got["content"] == "hi"
    shared = client.post("/v1/sessions", json={"workspace_id": wid}).json()
    assert shared["workspace_id"] == wid


def test_cancel_without_turn_is_no_op(client: httpx.Client) -> None:
    sid = client.post("/v1/sessions", json={}).json()["id"]
    response = client.post(f"/v1/sessions/{sid}/cancel")
    assert response.json() == {"status": "no_op", "message": "No turn was running"}


def test_export_jsonl(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = client.post("/v1/sessions", json={}).json()["id"]
    client.post(
        f"/v1/sessions/{sid}/messages",
        json={"message": {"role": "user", "content": [{"type": "text", "text": "Hi"}]}},
    )
    emu.wait_for_event(sid, "session.idled")
    response = client.get(f"/v1/sessions/{sid}/export")
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [m["role"] for m in lines] == ["user", "agent"]
    events = client.get(f"/v1/sessions/{sid}/export", params={"format": "events"}).text
    assert json.loads(events.splitlines()[0])["type"] == "input.message"
    assert client.get(f"/v1/sessions/{sid}/export", params={"format": "x"}).status_code == 400


def test_harnesses(client: httpx.Client) -> None:
    listed = client.get("/v1/harnesses").json()["data"]
    assert listed[0]["name"] == "generic" and listed[0]["is_built_in"] is True
    created = client.post("/v1/harnesses", json={"name": "custom", "system_prompt": "Be brief."})
    assert created.status_code == 201
    hid = created.json()["id"]
    duplicate = client.post("/v1/harnesses", json={"name": "custom"})
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "harness_name_conflict"
    assert client.post("/v1/harnesses", json={"name": "Bad Name"}).status_code == 400
    patched = client.patch(f"/v1/harnesses/{hid}", json={"display_name": "Custom"}).json()
    assert patched["display_name"] == "Custom"
    assert client.get(f"/v1/harnesses/{hid}").json()["session_count"] == 0
    assert client.patch(f"/v1/harnesses/{GENERIC_HARNESS_ID}", json={}).status_code == 403
    assert client.delete(f"/v1/harnesses/{GENERIC_HARNESS_ID}").status_code == 403
    assert client.delete(f"/v1/harnesses/{hid}").status_code == 204
    assert client.get(f"/v1/harnesses/{hid}").json()["status"] == "archived"
    assert [h["name"] for h in client.get("/v1/harnesses").json()["data"]] == ["generic"]
    examples = client.get("/v1/harness-examples").json()
    assert {e["name"] for e in examples} >= {"generic"}


def test_models_and_capabilities(client: httpx.Client) -> None:
    models = client.get("/v1/models").json()["data"]
    assert "llmsim" in {m["model_id"] for m in models}
    one = models[0]
    assert client.get(f"/v1/models/{one['id']}").json()["model_id"] == one["model_id"]
    assert client.get("/v1/models/llmsim").status_code == 200
    assert client.get("/v1/models/none").status_code == 404
    favorites = client.get("/v1/models", params={"favorites_only": "true"}).json()["data"]
    assert all(m["is_favorite"] for m in favorites)
    assert client.get("/v1/models", params={"source": "bogus"}).status_code == 400
    caps = client.get("/v1/capabilities", params={"limit": 2}).json()
    assert caps["limit"] == 2 and len(caps["data"]) == 2 and caps["total"] >= 3
    assert client.get("/v1/capabilities/current_time").json()["id"] == "current_time"
    assert client.get("/v1/capabilities/none").status_code == 404
    examples = client.get("/v1/capabilities/guardrails/examples").json()["examples"]
    config = examples[0]["config"]
    hit = client.post(
        "/v1/capabilities/guardrails/dry-run",
        json={"config": config, "stage": "output", "text": "key evr_abcdefghijkl"},
    ).json()
    assert hit["blocked"] is True and hit["hits"][0]["check_id"] == "api-key"
    clean = client.post(
        "/v1/capabilities/guardrails/dry-run",
        json={"config": config, "stage": "output", "text": "nothing here"},
    ).json()
    assert clean == {"hits": [], "blocked": False}
    bad = client.post(
        "/v1/capabilities/guardrails/dry-run",
        json={"config": config, "stage": "nowhere", "text": "x"},
    )
    assert bad.status_code == 400


def test_databases_and_storage(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = client.post("/v1/sessions", json={}).json()["id"]
    base = f"/v1/sessions/{sid}/databases"
    created = client.post(base, json={"name": "main"})
    assert created.status_code == 201 and created.json()["page_count"] >= 1
    assert client.post(base, json={"name": "main"}).status_code == 409
    assert client.post(base, json={"name": "bad name"}).status_code == 400
    assert [d["name"] for d in client.get(base).json()["data"]] == ["main"]
    assert client.get(f"{base}/main").json()["name"] == "main"
    assert client.get(f"{base}/main/schema").json() == {"database": "main", "tables": []}
    for i in range(9):
        client.post(base, json={"name": f"db{i}"})
    assert client.post(base, json={"name": "one-too-many"}).status_code == 422
    assert client.delete(f"{base}/main").status_code == 204
    assert client.get(f"{base}/main").status_code == 404
    emu.store.set_storage_key(sid, "color", "blue")
    emu.store.set_secret(sid, "API_TOKEN")
    keys = client.get(f"/v1/sessions/{sid}/storage/keys").json()["data"]
    assert [(k["key"], k["value"]) for k in keys] == [("color", "blue")]
    secrets = client.get(f"/v1/sessions/{sid}/storage/secrets").json()["data"]
    assert [s["name"] for s in secrets] == ["API_TOKEN"] and "value" not in secrets[0]
