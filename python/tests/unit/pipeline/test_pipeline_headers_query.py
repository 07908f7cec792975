"""Request headers (auth, org, SDK identity, injection) and query-string encoding."""

from __future__ import annotations

import httpx
import pytest
import respx

from everruns_sdk import Everruns, EverrunsError, __version__
from everruns_sdk._transport import encode_query
from everruns_sdk.resources._base import Resource

KEY = "evr_pat_SECRET123456"
BASE = "http://testserver/api"
URL = f"{BASE}/v1/agents"


async def _get(client: Everruns, **kwargs: object) -> None:
    await Resource(client)._request("GET", "/v1/agents", **kwargs)  # type: ignore[arg-type]


async def _sent(router: respx.MockRouter, client: Everruns, **kwargs: object) -> httpx.Request:
    route = router.get(URL).respond(200, json={})
    await _get(client, **kwargs)
    assert route.call_count == 1
    return route.calls.last.request


async def test_authorization_is_the_bare_key(router: respx.MockRouter, client: Everruns) -> None:
    request = await _sent(router, client)
    assert request.headers["authorization"] == KEY
    assert "bearer" not in request.headers["authorization"].lower()
    assert len(request.headers.get_list("authorization")) == 1


async def test_no_org_header_without_org(router: respx.MockRouter, client: Everruns) -> None:
    request = await _sent(router, client)
    assert "x-org-id" not in request.headers


async def test_org_header_when_set(router: respx.MockRouter) -> None:
    async with Everruns(api_key=KEY, base_url=BASE, org="acme") as client:
        request = await _sent(router, client)
    assert request.headers["x-org-id"] == "acme"


async def test_org_header_from_env(
    router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVERRUNS_ORG_ID", "env-org")
    async with Everruns(api_key=KEY, base_url=BASE) as client:
        request = await _sent(router, client)
    assert request.headers["x-org-id"] == "env-org"


async def test_sdk_identity_headers(router: respx.MockRouter, client: Everruns) -> None:
    request = await _sent(router, client)
    assert request.headers["user-agent"] == f"everruns-python-sdk/{__version__}"
    assert request.headers["x-sdk-version"] == __version__
    assert "gzip" in request.headers["accept-encoding"]
    assert request.headers["accept"] == "application/json"


async def test_gzip_response_is_decoded(router: respx.MockRouter, client: Everruns) -> None:
    import gzip

    router.get(URL).respond(
        200,
        content=gzip.compress(b'{"ok": true}'),
        headers={"content-encoding": "gzip", "content-type": "application/json"},
    )
    response = await Resource(client)._request("GET", "/v1/agents")
    assert response.json() == {"ok": True}


async def test_default_headers_applied(router: respx.MockRouter) -> None:
    async with Everruns(
        api_key=KEY, base_url=BASE, default_headers={"X-Trace": "t-1", "X-Team": "blue"}
    ) as client:
        request = await _sent(router, client)
    assert request.headers["x-trace"] == "t-1"
    assert request.headers["x-team"] == "blue"
    assert request.headers["authorization"] == KEY


async def test_per_request_headers_merged_not_persisted(
    router: respx.MockRouter, client: Everruns
) -> None:
    route = router.get(URL).respond(200, json={})
    await _get(client, headers={"X-Once": "1"})
    await _get(client)
    first, second = (call.request for call in route.calls)
    assert first.headers["x-once"] == "1"
    assert first.headers["authorization"] == KEY
    assert "x-once" not in second.headers


async def test_json_body_content_type(router: respx.MockRouter, client: Everruns) -> None:
    route = router.post(URL).respond(201, json={})
    await Resource(client)._request("POST", "/v1/agents", json={"name": "a\u00e9"})
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/json"
    assert request.content == '{"name":"a\u00e9"}'.encode()


@pytest.mark.parametrize("bad", ["evr_pat_x\r\nX-Evil: 1", "evr_pat_x\nY", "evr_pat_\x00x"])
def test_control_chars_in_key_rejected(router: respx.MockRouter, bad: str) -> None:
    with pytest.raises(EverrunsError) as info:
        Everruns(api_key=bad, base_url=BASE)
    assert "Authorization" in str(info.value)
    assert bad not in str(info.value)
    assert not router.calls


@pytest.mark.parametrize("bad", ["org\r\nX-Evil: 1", "org\n", "o\x00rg"])
def test_control_chars_in_org_rejected(router: respx.MockRouter, bad: str) -> None:
    with pytest.raises(EverrunsError, match="X-Org-Id"):
        Everruns(api_key=KEY, base_url=BASE, org=bad)
    assert not router.calls


def test_control_chars_in_env_org_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVERRUNS_ORG_ID", "org\r\nX: y")
    with pytest.raises(EverrunsError, match="X-Org-Id"):
        Everruns(api_key=KEY, base_url=BASE)


def test_control_chars_in_default_header_rejected(router: respx.MockRouter) -> None:
    with pytest.raises(EverrunsError, match="X-Trace"):
        Everruns(api_key=KEY, base_url=BASE, default_headers={"X-Trace": "a\r\nb"})
    assert not router.calls


@pytest.mark.parametrize("bad", ["a\rb", "a\nb", "a\x00b"])
async def test_control_chars_in_request_header_rejected_before_sending(
    router: respx.MockRouter, client: Everruns, bad: str
) -> None:
    route = router.route().respond(200, json={})
    with pytest.raises(EverrunsError, match="X-Custom"):
        await _get(client, headers={"X-Custom": bad})
    assert not route.called


# -- query strings -----------------------------------------------------------------------


def test_encode_query_rules() -> None:
    assert encode_query(
        {"types": ["a", "b"], "since_id": None, "order_desc": True, "x": False, "limit": 10}
    ) == [("types", "a"), ("types", "b"), ("order_desc", "true"), ("x", "false"), ("limit", "10")]


def test_encode_query_empty() -> None:
    assert encode_query(None) == []
    assert encode_query({}) == []
    assert encode_query({"a": None}) == []
    assert encode_query({"types": []}) == []


def test_encode_query_tuple_and_float() -> None:
    assert encode_query({"t": ("x", "y"), "f": 0.5}) == [("t", "x"), ("t", "y"), ("f", "0.5")]


async def test_arrays_are_repeated_keys_on_the_wire(
    router: respx.MockRouter, client: Everruns
) -> None:
    request = await _sent(
        router, client, params={"types": ["turn.started", "turn.completed"], "exclude": ["x"]}
    )
    query = request.url.query.decode()
    assert query == "types=turn.started&types=turn.completed&exclude=x"
    assert "," not in query
    assert "%2C" not in query
    assert "[]" not in query
    assert "%5B" not in query


async def test_none_dropped_and_booleans_lowercase_on_the_wire(
    router: respx.MockRouter, client: Everruns
) -> None:
    request = await _sent(
        router, client, params={"since_id": None, "order_desc": True, "pinned": False, "limit": 5}
    )
    assert request.url.query == b"order_desc=true&pinned=false&limit=5"


async def test_query_values_are_encoded(router: respx.MockRouter, client: Everruns) -> None:
    request = await _sent(router, client, params={"q": "a&b=c #d"})
    assert request.url.params.get_list("q") == ["a&b=c #d"]
    assert request.url.raw_path.startswith(b"/api/v1/agents?")
