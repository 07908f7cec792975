"""The transport's cheap paths: the httpx client is created on first use (and shared by
`with_options`), and requests on our own client are built without per-call merging,
exactly as `httpx.AsyncClient.build_request` builds them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from everruns_sdk import Everruns
from everruns_sdk._transport import Transport
from everruns_sdk.resources._base import Resource

KEY = "evr_pat_fastpath0123"
BASE = "http://testserver/api"


def test_constructing_a_client_creates_no_httpx_client() -> None:
    client = Everruns(api_key=KEY, base_url=BASE)
    derived = client.with_options(timeout=3.0)
    assert client._transport._pool.client is None
    # first use, from either side, creates the one shared pool
    http = derived._transport.http
    assert isinstance(http, httpx.AsyncClient)
    assert client._transport.http is http


async def test_closing_an_unused_client_leaves_a_closed_pool() -> None:
    client = Everruns(api_key=KEY, base_url=BASE)
    await client.close()
    assert client._transport.http.is_closed
    with pytest.raises(RuntimeError):
        await Resource(client)._request("GET", "/v1/agents")


async def test_user_client_is_used_as_given() -> None:
    http = httpx.AsyncClient(headers={"X-Custom": "1"})
    try:
        client = Everruns(api_key=KEY, base_url=BASE, http_client=http)
        assert client._transport.http is http
        request = client._transport.build_request("GET", "/v1/agents")
        assert request.headers["x-custom"] == "1"  # the caller's defaults still apply
        await client.close()
        assert not http.is_closed
    finally:
        await http.aclose()


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"params": {"a": 1, "b": None, "c": ["x", "y"], "d": True}},
        {"params": {"only": None}},
        {"json": {"message": {"text": "h\u00e9llo"}}},
        {"content": b"raw"},
        {"files": {"file": ("a.txt", b"abc", "text/plain")}},
        {"timeout": httpx.Timeout(4.0)},
    ],
)
def test_fast_request_equals_httpx_build_request(kwargs: dict[str, Any]) -> None:
    transport = Everruns(api_key=KEY, base_url=BASE, org="org_1")._transport
    method = "POST" if {"json", "content", "files"} & set(kwargs) else "GET"
    fast = transport.build_request(method, "/v1/agents/a", **kwargs)
    assert transport._merged_headers is not None  # the fast path was taken
    transport._pool.created = False  # now the general path, through httpx
    slow = transport.build_request(method, "/v1/agents/a", **kwargs)
    assert (fast.method, fast.url, fast.extensions) == (slow.method, slow.url, slow.extensions)
    if "files" in kwargs:  # multipart boundaries are random
        assert fast.headers["content-type"].startswith("multipart/form-data")
        skip = {b"content-type", b"content-length"}
        assert [h for h in fast.headers.raw if h[0].lower() not in skip] == [
            h for h in slow.headers.raw if h[0].lower() not in skip
        ]
    else:
        assert fast.headers.raw == slow.headers.raw
        assert fast.read() == slow.read()


async def test_cookies_set_by_the_server_are_sent_back() -> None:
    async with respx.mock(assert_all_called=False) as router:
        router.get(f"{BASE}/v1/a").respond(200, json={}, headers={"Set-Cookie": "lb=7; Path=/"})
        route = router.get(f"{BASE}/v1/b").respond(200, json={})
        client = Everruns(api_key=KEY, base_url=BASE)
        await Resource(client)._request("GET", "/v1/a")
        await Resource(client)._request("GET", "/v1/b")
        assert route.calls.last.request.headers["cookie"] == "lb=7"
        await client.close()


def test_derived_transport_shares_the_pool() -> None:
    transport = Transport(Everruns(api_key=KEY, base_url=BASE).config)
    derived = transport.derive(transport.config.with_changes(max_retries=0))
    assert derived._pool is transport._pool
    assert not derived.owns_http_client
