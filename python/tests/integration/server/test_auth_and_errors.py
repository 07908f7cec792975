"""Authentication, request IDs, problem details, organizations."""

from __future__ import annotations

import httpx
import pytest

from everruns_sdk.testing import DEFAULT_ORG_ID, EverrunsEmulator


def test_missing_key_is_401_problem(emu: EverrunsEmulator) -> None:
    response = httpx.get(emu.url + "/v1/agents")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == "unauthorized"
    assert body["title"] == "Unauthorized"
    assert body["detail"]


@pytest.mark.parametrize("value", ["wrong", "Bearer evr_test_key", "evr_test_key_x"])
def test_wrong_key_is_401(emu: EverrunsEmulator, value: str) -> None:
    response = httpx.get(emu.url + "/v1/agents", headers={"Authorization": value})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_bearer_prefix_is_explained(emu: EverrunsEmulator) -> None:
    response = httpx.get(emu.url + "/v1/agents", headers={"Authorization": "Bearer x"})
    assert "Bearer" in response.json()["detail"]


def test_extra_keys_are_accepted(everruns_emulator_factory: object) -> None:
    emu = everruns_emulator_factory(api_key="evr_pat_a", extra_api_keys=["evr_pat_b"])  # type: ignore[operator]
    for key in ("evr_pat_a", "evr_pat_b"):
        assert httpx.get(emu.url + "/v1/models", headers={"Authorization": key}).status_code == 200


def test_every_response_has_a_request_id(emu: EverrunsEmulator, client: httpx.Client) -> None:
    ids = set()
    for response in (
        client.get("/v1/agents"),
        client.get("/v1/agents/agent_00000000000000000000000000000000"),
        httpx.get(emu.url + "/v1/agents"),
        client.get("/v1/nope"),
    ):
        assert response.headers["x-request-id"]
        ids.add(response.headers["x-request-id"])
    assert len(ids) == 4


def test_request_id_is_echoed(client: httpx.Client) -> None:
    response = client.get("/v1/models", headers={"X-Request-Id": "req-from-client"})
    assert response.headers["x-request-id"] == "req-from-client"


def test_unknown_route_and_method_are_problems(client: httpx.Client) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    response = client.put("/v1/agents")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


def test_unknown_id_is_404_with_code(client: httpx.Client) -> None:
    response = client.get("/v1/sessions/session_00000000000000000000000000000000")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "session_not_found"
    assert body["type"].endswith("/session_not_found")


def test_invalid_json_body_is_400(client: httpx.Client) -> None:
    response = client.post(
        "/v1/agents", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_validation_error_names_the_field(client: httpx.Client) -> None:
    response = client.post("/v1/agents", json={"name": "a"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("system_prompt")
    response = client.post("/v1/agents", json={"name": "a", "system_prompt": 3})
    assert response.status_code == 400
    assert "system_prompt" in response.json()["detail"]


def test_org_header_is_echoed_and_isolates_state(client: httpx.Client) -> None:
    default = client.post("/v1/sessions", json={}).json()
    assert default["organization_id"] == DEFAULT_ORG_ID
    other = client.post("/v1/sessions", json={}, headers={"X-Org-Id": "org_other"}).json()
    assert other["organization_id"] == "org_other"
    assert client.get(f"/v1/sessions/{other['id']}").status_code == 404
    listed = client.get("/v1/sessions", headers={"X-Org-Id": "org_other"}).json()["data"]
    assert [s["id"] for s in listed] == [other["id"]]


def test_request_log_and_count(emu: EverrunsEmulator, client: httpx.Client) -> None:
    client.get("/v1/models")
    client.get("/v1/models/llmsim")
    httpx.get(emu.url + "/v1/models")
    assert emu.count("GET", "/v1/models") == 2
    assert emu.count("GET", "/v1/models/*") == 1
    assert emu.count(path="/v1/models", status=401) == 1
    last = emu.request_log[-1]
    assert (last.method, last.path, last.status) == ("GET", "/v1/models", 401)
