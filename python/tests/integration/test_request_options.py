"""Per-call options (`timeout`, `max_retries`, `extra_headers`, `extra_query`,
`extra_body`) and `with_options`, against the local server over real HTTP.

Each scenario runs with `Everruns` and with `SyncEverruns`. The server's request log
shows what was sent: the query string, and the request ID, which the server takes
from an `X-Request-Id` request header (so it proves an extra header arrived).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from functools import reduce
from typing import Any

import httpx
import pytest

from everruns_sdk import (
    APITimeoutError,
    AuthenticationError,
    Everruns,
    InternalServerError,
    SyncEverruns,
    ValidationError,
)
from everruns_sdk.testing import EverrunsEmulator


class Api:
    """The same calls through `Everruns` (awaited) or `SyncEverruns` (in a thread)."""

    def __init__(self, client: Everruns | SyncEverruns) -> None:
        self.client = client

    async def __call__(self, dotted: str, *args: Any, **kwargs: Any) -> Any:
        function = reduce(getattr, dotted.split("."), self.client)
        if isinstance(self.client, Everruns):
            return await function(*args, **kwargs)
        return await asyncio.to_thread(function, *args, **kwargs)

    async def close(self) -> None:
        if isinstance(self.client, Everruns):
            await self.client.close()
        else:
            self.client.close()


Factory = Callable[..., Api]


@pytest.fixture(params=["async", "sync"])
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Factory]:
    made: list[Api] = []

    def factory(**kwargs: Any) -> Api:
        cls = Everruns if request.param == "async" else SyncEverruns
        api = Api(cls(**kwargs))
        made.append(api)
        return api

    yield factory
    for api in made:
        await api.close()


def _client(make: Factory, emu: EverrunsEmulator, **kwargs: Any) -> Api:
    return make(api_key=emu.api_key, base_url=emu.url, **kwargs)


async def test_extra_query_and_headers_reach_the_server(
    make: Factory, everruns_emulator: EverrunsEmulator
) -> None:
    api = _client(make, everruns_emulator)
    await api("agents.create", "alpha", "Be brief.")
    await api("agents.create", "beta", "Be brief.")
    page = await api(
        "agents.list",
        extra_query={"search": "beta"},
        extra_headers={"X-Request-Id": "req_from_caller"},
    )
    assert [a.name for a in page.data] == ["beta"]
    last = everruns_emulator.request_log[-1]
    assert "search=beta" in last.query
    assert last.request_id == "req_from_caller"


async def test_extra_query_replaces_the_methods_own_value(
    make: Factory, everruns_emulator: EverrunsEmulator
) -> None:
    api = _client(make, everruns_emulator)
    await api("agents.create", "alpha", "Be brief.")
    page = await api("agents.list", search="nothing-matches", extra_query={"search": "alpha"})
    assert [a.name for a in page.data] == ["alpha"]


async def test_extra_body_fields_are_merged_into_the_json_body(
    make: Factory, everruns_emulator: EverrunsEmulator
) -> None:
    api = _client(make, everruns_emulator)
    agent = await api(
        "agents.create", "gamma", "Be brief.", tags=["own"], extra_body={"tags": ["extra"]}
    )
    assert agent.tags == ["extra"]  # extra_body wins over the method's own field
    fetched = await api("agents.get", agent.id)
    assert fetched.tags == ["extra"]


async def test_extra_body_on_a_method_without_a_body(
    make: Factory, everruns_emulator: EverrunsEmulator
) -> None:
    """A POST that sends no body gets one made of the extra fields."""
    api = _client(make, everruns_emulator)
    agent = await api("agents.create", "delta", "Be brief.")
    copy = await api("agents.copy", agent.id, extra_body={"ignored_by_server": True})
    assert copy.id != agent.id


async def test_extra_body_is_refused_for_a_non_json_body(
    make: Factory, everruns_emulator: EverrunsEmulator
) -> None:
    api = _client(make, everruns_emulator)
    with pytest.raises(ValidationError, match="JSON"):
        await api("agents.import_", "Be brief.", extra_body={"x": 1})
    assert everruns_emulator.count("POST", "/v1/agents/import") == 0


async def test_max_retries_per_call(make: Factory, everruns_emulator: EverrunsEmulator) -> None:
    api = _client(make, everruns_emulator)
    everruns_emulator.faults.error(500, "/v1/agents", method="GET", times=1)
    with pytest.raises(InternalServerError):
        await api("agents.list", max_retries=0)
    assert everruns_emulator.count("GET", "/v1/agents") == 1
    everruns_emulator.faults.error(500, "/v1/agents", method="GET", times=1)
    page = await api("agents.list")  # the client's default: retried
    assert len(page) == 0
    assert everruns_emulator.count("GET", "/v1/agents") == 3


async def test_timeout_per_call(make: Factory, everruns_emulator: EverrunsEmulator) -> None:
    api = _client(make, everruns_emulator)
    everruns_emulator.faults.delay(5.0, "/v1/agents", method="GET", times=1)
    with pytest.raises(APITimeoutError):
        await api("agents.list", timeout=0.2, max_retries=0)


async def test_timeout_none_means_no_timeout(
    make: Factory, everruns_emulator: EverrunsEmulator
) -> None:
    """A client with a tiny timeout, and one call that lifts it: that call waits."""
    api = _client(make, everruns_emulator, timeout=0.05, max_retries=0)
    everruns_emulator.faults.delay(0.5, "/v1/agents", method="GET", times=2)
    with pytest.raises(APITimeoutError):
        await api("agents.list")
    page = await api("agents.list", timeout=None)
    assert len(page) == 0


async def test_client_timeout_none_means_no_timeout(
    make: Factory, everruns_emulator: EverrunsEmulator
) -> None:
    api = _client(make, everruns_emulator, timeout=None, max_retries=0)
    assert api.client.config.timeout == httpx.Timeout(None)
    everruns_emulator.faults.delay(0.5, "/v1/agents", method="GET", times=1)
    assert len(await api("agents.list")) == 0


async def test_options_follow_a_list_across_pages(
    make: Factory, everruns_emulator: EverrunsEmulator
) -> None:
    api = _client(make, everruns_emulator)
    for name in ("a1", "a2", "a3"):
        await api("agents.create", name, "Be brief.")
    everruns_emulator.clear_request_log()
    first = await api("agents.list", limit=1, extra_headers={"X-Request-Id": "req_pages"})
    names = [first.data[0].name]
    page = first
    while page.has_next_page():
        page = await _next(api, page)
        names.extend(a.name for a in page.data)
    assert sorted(names) == ["a1", "a2", "a3"]
    ids = [r.request_id for r in everruns_emulator.request_log]
    assert ids == ["req_pages"] * 3


async def _next(api: Api, page: Any) -> Any:
    if isinstance(api.client, Everruns):
        return await page.next_page()
    return await asyncio.to_thread(page.next_page)


async def test_with_options_api_key_base_url_and_headers(
    make: Factory, everruns_emulator_factory: Callable[..., EverrunsEmulator]
) -> None:
    one = everruns_emulator_factory(api_key="evr_pat_one")
    two = everruns_emulator_factory(api_key="evr_pat_two")
    api = make(api_key="evr_pat_wrong", base_url=one.url)
    with pytest.raises(AuthenticationError):
        await api("agents.list")
    fixed = Api(api.client.with_options(api_key="evr_pat_one"))
    await fixed("agents.create", "on-one", "Be brief.")
    moved = Api(
        fixed.client.with_options(
            base_url=two.url,
            api_key="evr_pat_two",
            default_headers={"X-Request-Id": "req_default"},
        )
    )
    assert [a.name for a in (await moved("agents.list")).data] == []
    assert two.request_log[-1].request_id == "req_default"
    assert [a.name for a in (await fixed("agents.list")).data] == ["on-one"]
    # The derived clients share the pool of the first and change nothing in it.
    assert "evr_pat_two" not in repr(moved.client)
    assert api.client.base_url == one.url


def test_with_options_validates_what_it_is_given() -> None:
    client = Everruns(api_key="evr_pat_x", base_url="http://127.0.0.1:9/api")
    with pytest.raises(Exception, match="base URL"):
        client.with_options(base_url="not a url")
    with pytest.raises(Exception, match="default_headers"):
        client.with_options(default_headers={"Authorization": "x"})
    with pytest.raises(Exception, match="timeout"):
        client.with_options(timeout=-1)
    unchanged = client.with_options()
    assert unchanged.config == client.config
    assert client.with_options(timeout=None).config.timeout == httpx.Timeout(None)
