"""Redirects are followed by the SDK itself: credentials never cross to another origin."""

from __future__ import annotations

import httpx
import pytest
import respx

from everruns_sdk import APIConnectionError, Everruns
from everruns_sdk._transport import MAX_REDIRECTS
from everruns_sdk.resources._base import Resource

KEY = "evr_pat_SECRET123456"
BASE = "http://testserver/api"
START = f"{BASE}/v1/agents/agent_1"


@pytest.fixture
async def org_client(router: respx.MockRouter) -> Everruns:
    async with Everruns(api_key=KEY, base_url=BASE, org="acme") as client:
        yield client  # type: ignore[misc]


async def _get(client: Everruns) -> httpx.Response:
    return await Resource(client)._request(
        "GET", "/v1/agents/{agent_id}", path={"agent_id": "agent_1"}
    )


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_same_origin_redirect_followed_with_auth(
    router: respx.MockRouter, org_client: Everruns, status: int
) -> None:
    first = router.get(START).respond(status, headers={"location": "/api/v1/agents/agent_2"})
    second = router.get(f"{BASE}/v1/agents/agent_2").respond(200, json={"id": "agent_2"})
    response = await _get(org_client)
    assert response.json() == {"id": "agent_2"}
    assert first.call_count == 1
    assert second.call_count == 1
    request = second.calls.last.request
    assert request.headers["authorization"] == KEY
    assert request.headers["x-org-id"] == "acme"
    assert request.headers["host"] == "testserver"


async def test_relative_location_resolved_against_current_url(
    router: respx.MockRouter, org_client: Everruns
) -> None:
    router.get(START).respond(302, headers={"location": "agent_3"})
    target = router.get(f"{BASE}/v1/agents/agent_3").respond(200, json={})
    await _get(org_client)
    assert target.call_count == 1


@pytest.mark.parametrize(
    "target",
    [
        "http://other.example/landing",
        "https://testserver/api/v1/agents/agent_2",  # other scheme
        "http://testserver:8080/api/v1/agents/agent_2",  # other port
    ],
)
async def test_cross_origin_redirect_drops_credentials(
    router: respx.MockRouter, org_client: Everruns, target: str
) -> None:
    start = router.get(START)
    landing = router.get(target).respond(200, json={"ok": True})
    for status in (302, 307):
        start.respond(status, headers={"location": target})
        response = await _get(org_client)
        assert response.json() == {"ok": True}
        request = landing.calls.last.request
        assert "authorization" not in request.headers, status
        assert "x-org-id" not in request.headers, status
        assert request.headers["host"] == httpx.URL(target).netloc.decode()
        # non-secret identity headers are kept
        assert request.headers["user-agent"].startswith("everruns-python-sdk/")
    assert landing.call_count == 2


async def test_cross_origin_then_back_never_regains_credentials(
    router: respx.MockRouter, org_client: Everruns
) -> None:
    router.get(START).respond(302, headers={"location": "http://other.example/hop"})
    router.get("http://other.example/hop").respond(
        302, headers={"location": f"{BASE}/v1/agents/agent_9"}
    )
    back = router.get(f"{BASE}/v1/agents/agent_9").respond(200, json={})
    await _get(org_client)
    assert "authorization" not in back.calls.last.request.headers


async def test_307_keeps_method_and_body(router: respx.MockRouter, org_client: Everruns) -> None:
    router.post(f"{BASE}/v1/agents").respond(307, headers={"location": "/api/v2/agents"})
    target = router.post(f"{BASE}/v2/agents").respond(201, json={})
    await Resource(org_client)._request("POST", "/v1/agents", json={"name": "a"})
    request = target.calls.last.request
    assert request.method == "POST"
    assert request.content == b'{"name":"a"}'
    assert request.headers["authorization"] == KEY


async def test_302_after_post_becomes_get_without_body(
    router: respx.MockRouter, org_client: Everruns
) -> None:
    router.post(f"{BASE}/v1/agents").respond(302, headers={"location": "/api/v1/agents/agent_1"})
    target = router.get(START).respond(200, json={})
    await Resource(org_client)._request("POST", "/v1/agents", json={"name": "a"})
    request = target.calls.last.request
    assert request.method == "GET"
    assert request.content == b""
    assert "content-type" not in request.headers


async def test_too_many_redirects_raise(router: respx.MockRouter, org_client: Everruns) -> None:
    loop = router.get(START).respond(302, headers={"location": START})
    with pytest.raises(APIConnectionError, match="redirects"):
        await _get(org_client)
    assert loop.call_count == MAX_REDIRECTS + 1 == 6


async def test_exactly_five_redirects_are_followed(
    router: respx.MockRouter, org_client: Everruns
) -> None:
    for n in range(5):
        router.get(f"{BASE}/hop/{n}").respond(302, headers={"location": f"/api/hop/{n + 1}"})
    router.get(START).respond(302, headers={"location": "/api/hop/1"})
    final = router.get(f"{BASE}/hop/5").respond(200, json={})
    await _get(org_client)
    assert final.call_count == 1
