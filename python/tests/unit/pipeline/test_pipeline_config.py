"""Client configuration: environment fallbacks, aliases, base URL, pool ownership."""

from __future__ import annotations

import httpx
import pytest
import respx

from everruns_sdk import Everruns, EverrunsError
from everruns_sdk._config import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, normalize_base_url
from everruns_sdk.resources._base import Resource

KEY = "evr_pat_SECRET123456"
BASE = "http://testserver/api"


def test_default_base_url_is_production() -> None:
    assert DEFAULT_BASE_URL == "https://app.everruns.com/api"
    assert Everruns(api_key=KEY).base_url == "https://app.everruns.com/api"


def test_api_key_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVERRUNS_API_KEY", "evr_pat_FROMENV")
    client = Everruns()
    assert client.config.api_key.get() == "evr_pat_FROMENV"


def test_explicit_api_key_wins_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVERRUNS_API_KEY", "evr_pat_FROMENV")
    assert Everruns(api_key=KEY).config.api_key.get() == KEY


def test_org_from_env_and_explicit_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVERRUNS_ORG_ID", "org-env")
    assert Everruns(api_key=KEY).org_id == "org-env"
    assert Everruns(api_key=KEY, org="org-arg").org_id == "org-arg"
    assert Everruns(api_key=KEY, org_id="org-arg2").org_id == "org-arg2"


def test_api_url_from_env_and_explicit_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVERRUNS_API_URL", "http://env-host:9000/api/")
    assert Everruns(api_key=KEY).base_url == "http://env-host:9000/api"
    assert Everruns(api_key=KEY, base_url="http://arg-host/x").base_url == "http://arg-host/x"
    assert Everruns(api_key=KEY, api_url="http://arg-host/y").base_url == "http://arg-host/y"


def test_no_org_by_default() -> None:
    assert Everruns(api_key=KEY).org_id is None


@pytest.mark.parametrize(("org", "org_id"), [("a", None), (None, "a"), ("a", "a")])
def test_org_aliases_agree(org: str | None, org_id: str | None) -> None:
    assert Everruns(api_key=KEY, org=org, org_id=org_id).org_id == "a"


def test_conflicting_org_aliases_raise() -> None:
    with pytest.raises(EverrunsError, match="org"):
        Everruns(api_key=KEY, org="a", org_id="b")


def test_url_aliases_agree_and_conflict() -> None:
    same = Everruns(api_key=KEY, api_url="http://h/api", base_url="http://h/api")
    assert same.base_url == "http://h/api"
    with pytest.raises(EverrunsError, match="api_url/base_url"):
        Everruns(api_key=KEY, api_url="http://h/api", base_url="http://other/api")


@pytest.mark.parametrize("key", [None, ""])
def test_missing_key_names_env_var(key: str | None) -> None:
    with pytest.raises(EverrunsError, match="EVERRUNS_API_KEY"):
        Everruns(api_key=key)


def test_empty_env_key_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVERRUNS_API_KEY", "")
    with pytest.raises(EverrunsError, match="EVERRUNS_API_KEY"):
        Everruns()


def test_from_env_with_org(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVERRUNS_API_KEY", KEY)
    monkeypatch.setenv("EVERRUNS_API_URL", "http://env-host/api")
    client = Everruns.from_env(org="my-org")
    assert isinstance(client, Everruns)
    assert client.org_id == "my-org"
    assert client.base_url == "http://env-host/api"
    assert client.config.api_key.get() == KEY


def test_from_env_without_key_raises() -> None:
    with pytest.raises(EverrunsError, match="EVERRUNS_API_KEY"):
        Everruns.from_env()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://host/api",
        "file:///etc/passwd",
        "host/api",
        "http://host/api?x=1",
        "http://host/api#frag",
        "http:///api",
        "http://host:abc/api",
        "http://[::1/api",
    ],
)
def test_invalid_base_url_rejected(url: str) -> None:
    with pytest.raises(EverrunsError):
        Everruns(api_key=KEY, base_url=url)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://host/api", "http://host/api"),
        ("http://host/api/", "http://host/api"),
        ("  https://host/api//  ", "https://host/api"),
        ("http://host:9000", "http://host:9000"),
    ],
)
def test_normalize_base_url(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("http://host/api", "http://host/api/v1/agents"),
        ("http://host/api/", "http://host/api/v1/agents"),
        ("http://host/a/b/", "http://host/a/b/v1/agents"),
        ("http://host:9000", "http://host:9000/v1/agents"),
    ],
)
async def test_url_join_keeps_prefix(router: respx.MockRouter, base: str, expected: str) -> None:
    route = router.get(expected).respond(200, json={})
    async with Everruns(api_key=KEY, base_url=base) as client:
        await Resource(client)._request("GET", "/v1/agents")
    assert route.call_count == 1
    assert str(route.calls.last.request.url) == expected


def test_max_retries_default_and_validation() -> None:
    assert Everruns(api_key=KEY).config.max_retries == DEFAULT_MAX_RETRIES == 3
    for bad in (-1, True, 1.5):
        with pytest.raises(EverrunsError, match="max_retries"):
            Everruns(api_key=KEY, max_retries=bad)  # type: ignore[arg-type]


def test_timeout_float_becomes_httpx_timeout() -> None:
    client = Everruns(api_key=KEY, timeout=7.5)
    assert client.config.timeout == httpx.Timeout(7.5)


async def test_with_options_shares_pool_and_does_not_close_it(router: respx.MockRouter) -> None:
    client = Everruns(api_key=KEY, base_url=BASE, max_retries=3)
    derived = client.with_options(timeout=5.0, max_retries=0)
    assert derived is not client
    assert derived._transport.http is client._transport.http
    assert derived.config.max_retries == 0
    assert derived.config.timeout == httpx.Timeout(5.0)
    # the original keeps its settings
    assert client.config.max_retries == 3
    assert client.config.timeout == httpx.Timeout(30.0)
    assert derived.config.api_key == client.config.api_key
    assert derived.base_url == client.base_url
    await derived.close()
    async with derived:
        pass
    assert not client._transport.http.is_closed
    await client.close()
    assert client._transport.http.is_closed


async def test_with_options_timeout_is_sent_per_request(router: respx.MockRouter) -> None:
    route = router.get(f"{BASE}/v1/agents").respond(200, json={})
    async with Everruns(api_key=KEY, base_url=BASE) as client:
        await Resource(client.with_options(timeout=4.0))._request("GET", "/v1/agents")
    timeout = route.calls.last.request.extensions["timeout"]
    assert timeout["read"] == 4.0


async def test_with_options_max_retries_applies(
    router: respx.MockRouter, sleeps: list[float]
) -> None:
    route = router.get(f"{BASE}/v1/agents").respond(500)
    async with Everruns(api_key=KEY, base_url=BASE) as client:
        with pytest.raises(EverrunsError):
            await Resource(client.with_options(max_retries=1))._request("GET", "/v1/agents")
    assert route.call_count == 2
    assert len(sleeps) == 1


def test_with_options_rejects_bad_max_retries() -> None:
    with pytest.raises(EverrunsError):
        Everruns(api_key=KEY).with_options(max_retries=-2)


async def test_async_with_closes_owned_pool() -> None:
    async with Everruns(api_key=KEY, base_url=BASE) as client:
        http = client._transport.http
        assert not http.is_closed
    assert http.is_closed


async def test_user_supplied_http_client_is_never_closed(router: respx.MockRouter) -> None:
    route = router.get(f"{BASE}/v1/agents").respond(200, json={})
    http = httpx.AsyncClient()
    try:
        async with Everruns(api_key=KEY, base_url=BASE, http_client=http) as client:
            assert client._transport.http is http
            await Resource(client)._request("GET", "/v1/agents")
        await client.close()
        assert not http.is_closed
        assert route.call_count == 1
        assert route.calls.last.request.headers["authorization"] == KEY
    finally:
        await http.aclose()
