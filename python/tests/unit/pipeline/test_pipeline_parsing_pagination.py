"""Response bodies into models, list unwrapping, and lazily fetched pages."""

from __future__ import annotations

import httpx
import pytest
import respx
from pydantic import BaseModel, ConfigDict

from everruns_sdk import Everruns, Page, ResponseValidationError
from everruns_sdk._parsing import parse_items, parse_model, to_body, unwrap_list
from everruns_sdk._transport import parse_json
from everruns_sdk.resources._base import Resource

BASE = "http://testserver/api"
LIST_URL = f"{BASE}/v1/things"


class Thing(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    size: int = 0


class Things(Resource):
    async def get(self, thing_id: str) -> Thing:
        return await self._model(Thing, "GET", "/v1/things/{thing_id}", path={"thing_id": thing_id})

    async def all(self) -> list[Thing]:
        return await self._list(Thing, "GET", "/v1/things/all")

    async def list(
        self,
        *,
        offset: int | None = None,
        limit: int | None = None,
        types: list[str] | None = None,
        q: str | None = None,
    ) -> Page[Thing]:
        return await self._page(
            Thing, "/v1/things", params={"types": types, "q": q}, offset=offset, limit=limit
        )


def _response(content: bytes, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status,
        content=content,
        headers={"x-request-id": "req_parse"},
        request=httpx.Request("GET", f"{BASE}/v1/things/t1"),
    )


# -- parse_model / unwrap_list --------------------------------------------------------------


def test_parse_model_valid_and_extra_fields_kept() -> None:
    thing = parse_model(Thing, _response(b'{"id": "t1", "size": 3, "new_field": [1]}'))
    assert thing.id == "t1"
    assert thing.size == 3
    assert thing.model_extra == {"new_field": [1]}


@pytest.mark.parametrize("content", [b"not json", b"", b'{"id": "t1"', b"<html>oops</html>"])
def test_parse_model_invalid_json(content: bytes) -> None:
    with pytest.raises(ResponseValidationError) as info:
        parse_model(Thing, _response(content, status=201))
    error = info.value
    assert error.status_code == 201
    assert error.request_id == "req_parse"
    assert "/api/v1/things/t1" in str(error)
    assert "Thing" in str(error)


@pytest.mark.parametrize("content", [b"[]", b"42", b'{"size": 1}', b'{"id": 5}', b"null"])
def test_parse_model_wrong_shape(content: bytes) -> None:
    with pytest.raises(ResponseValidationError) as info:
        parse_model(Thing, _response(content))
    assert info.value.status_code == 200
    assert info.value.request_id == "req_parse"


def test_parse_model_error_does_not_echo_values() -> None:
    with pytest.raises(ResponseValidationError) as info:
        parse_model(Thing, _response(b'{"id": "t1", "size": "evr_pat_SECRET123456"}'))
    assert "SECRET123456" not in str(info.value)
    assert "size" in str(info.value)


def test_unwrap_list_data_envelope_and_bare_array() -> None:
    response = _response(b"")
    items = unwrap_list(Thing, {"data": [{"id": "a"}, {"id": "b"}], "total": 2}, response)
    assert [t.id for t in items] == ["a", "b"]
    bare = unwrap_list(Thing, [{"id": "c"}], response)
    assert [t.id for t in bare] == ["c"]
    assert unwrap_list(Thing, {"data": []}, response) == []


@pytest.mark.parametrize(
    "body", [{"items": []}, {"data": {"id": "a"}}, {"data": [{"size": 1}]}, 42, None]
)
def test_unwrap_list_rejects_wrong_shapes(body: object) -> None:
    with pytest.raises(ResponseValidationError):
        unwrap_list(Thing, body, _response(b""))


def test_parse_items_requires_list() -> None:
    with pytest.raises(ResponseValidationError, match="list of Thing"):
        parse_items(Thing, "abc", _response(b""))


def test_parse_json_invalid() -> None:
    with pytest.raises(ResponseValidationError) as info:
        parse_json(_response(b"{oops"))
    assert info.value.request_id == "req_parse"


def test_to_body_dumps_models_by_alias_without_unset() -> None:
    assert to_body(Thing(id="x")) == {"id": "x"}
    assert to_body({"raw": 1}) == {"raw": 1}


async def test_model_through_resource(router: respx.MockRouter, client: Everruns) -> None:
    router.get(f"{BASE}/v1/things/t%2F1").respond(200, json={"id": "t/1", "size": 2})
    thing = await Things(client).get("t/1")
    assert thing == Thing(id="t/1", size=2)


async def test_invalid_2xx_body_through_resource(
    router: respx.MockRouter, client: Everruns
) -> None:
    router.get(f"{BASE}/v1/things/t1").respond(
        200, text="<html>captive portal</html>", headers={"x-request-id": "req_cp"}
    )
    with pytest.raises(ResponseValidationError) as info:
        await Things(client).get("t1")
    assert info.value.request_id == "req_cp"
    assert "captive" not in str(info.value)


async def test_list_through_resource(router: respx.MockRouter, client: Everruns) -> None:
    router.get(f"{BASE}/v1/things/all").respond(200, json={"data": [{"id": "a"}, {"id": "b"}]})
    assert [t.id for t in await Things(client).all()] == ["a", "b"]


# -- pagination -----------------------------------------------------------------------------


class FakeListServer:
    """Serves `total` things in pages, like the API; records every request it gets."""

    def __init__(self, total: int, *, empty_from: int | None = None) -> None:
        self.total = total
        self.empty_from = empty_from
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) > 10:
            raise AssertionError("runaway pagination: more than 10 page requests")
        offset = int(request.url.params.get("offset", "0"))
        limit = int(request.url.params.get("limit", "20"))
        stop = min(self.total, offset + limit)
        if self.empty_from is not None and offset >= self.empty_from:
            stop = offset
        data = [{"id": f"t{i}", "size": i} for i in range(offset, stop)]
        return httpx.Response(
            200, json={"data": data, "total": self.total, "offset": offset, "limit": limit}
        )

    @property
    def offsets(self) -> list[str | None]:
        return [r.url.params.get("offset") for r in self.requests]


async def test_iterate_all_items_across_three_pages_lazily(
    router: respx.MockRouter, client: Everruns
) -> None:
    server = FakeListServer(total=7)
    route = router.get(LIST_URL).mock(side_effect=server)
    page = await Things(client).list(limit=3)
    assert route.call_count == 1
    assert [t.id for t in page.data] == ["t0", "t1", "t2"]
    seen: list[str] = []
    calls_when_seen: list[int] = []
    async for thing in page:
        seen.append(thing.id)
        calls_when_seen.append(route.call_count)
    assert seen == [f"t{i}" for i in range(7)]
    # the second page is only fetched once the first is exhausted, and so on
    assert calls_when_seen == [1, 1, 1, 2, 2, 2, 3]
    assert route.call_count == 3
    assert server.offsets == [None, "3", "6"]


async def test_stops_at_total(router: respx.MockRouter, client: Everruns) -> None:
    server = FakeListServer(total=6)
    route = router.get(LIST_URL).mock(side_effect=server)
    page = await Things(client).list(limit=3)
    items = [thing.id async for thing in page]
    assert len(items) == 6
    assert route.call_count == 2  # no third request for offset 6


async def test_page_metadata_and_navigation(router: respx.MockRouter, client: Everruns) -> None:
    router.get(LIST_URL).mock(side_effect=FakeListServer(total=5))
    first = await Things(client).list(limit=2)
    assert (first.total, first.offset, first.limit, len(first)) == (5, 0, 2, 2)
    assert first.has_next_page()
    second = await first.next_page()
    assert second is not None
    assert (second.offset, [t.id for t in second.data]) == (2, ["t2", "t3"])
    third = await second.next_page()
    assert third is not None
    assert [t.id for t in third.data] == ["t4"]
    assert not third.has_next_page()
    assert await third.next_page() is None
    assert "total=5" in repr(third)


async def test_iter_pages(router: respx.MockRouter, client: Everruns) -> None:
    route = router.get(LIST_URL).mock(side_effect=FakeListServer(total=5))
    page = await Things(client).list(limit=2)
    pages = [p async for p in page.iter_pages()]
    assert [[t.id for t in p.data] for p in pages] == [["t0", "t1"], ["t2", "t3"], ["t4"]]
    assert [p.offset for p in pages] == [0, 2, 4]
    assert route.call_count == 3


async def test_iteration_from_a_later_page(router: respx.MockRouter, client: Everruns) -> None:
    router.get(LIST_URL).mock(side_effect=FakeListServer(total=5))
    page = await Things(client).list(offset=2, limit=2)
    assert [t.id async for t in page] == ["t2", "t3", "t4"]


async def test_filters_kept_on_next_pages(router: respx.MockRouter, client: Everruns) -> None:
    server = FakeListServer(total=5)
    router.get(LIST_URL).mock(side_effect=server)
    page = await Things(client).list(limit=2, types=["a", "b"], q="hello")
    _ = [t async for t in page]
    assert len(server.requests) == 3
    for request in server.requests:
        assert request.url.params.get_list("types") == ["a", "b"]
        assert request.url.params.get("q") == "hello"
        assert request.url.params.get("limit") == "2"


async def test_empty_page_ends_iteration(router: respx.MockRouter, client: Everruns) -> None:
    server = FakeListServer(total=100, empty_from=4)
    route = router.get(LIST_URL).mock(side_effect=server)
    page = await Things(client).list(limit=2)
    items = [t.id async for t in page]
    assert items == ["t0", "t1", "t2", "t3"]
    assert route.call_count == 3  # the empty third page ends it
    assert server.offsets == [None, "2", "4"]


async def test_first_page_empty(router: respx.MockRouter, client: Everruns) -> None:
    route = router.get(LIST_URL).respond(200, json={"data": [], "total": 0})
    page = await Things(client).list()
    assert [t async for t in page] == []
    assert not page.has_next_page()
    assert route.call_count == 1


async def test_bare_array_is_a_single_page(router: respx.MockRouter, client: Everruns) -> None:
    route = router.get(LIST_URL).respond(200, json=[{"id": "a"}, {"id": "b"}])
    page = await Things(client).list()
    assert page.total == 2
    assert not page.has_next_page()
    assert [t.id async for t in page] == ["a", "b"]
    assert route.call_count == 1


async def test_default_request_omits_offset_and_limit(
    router: respx.MockRouter, client: Everruns
) -> None:
    route = router.get(LIST_URL).respond(200, json={"data": [], "total": 0})
    await Things(client).list()
    assert route.calls.last.request.url.query == b""


async def test_page_error_on_later_page_is_raised(
    router: respx.MockRouter, client: Everruns
) -> None:
    router.get(LIST_URL).mock(
        side_effect=[
            httpx.Response(200, json={"data": [{"id": "a"}], "total": 3, "offset": 0, "limit": 1}),
            httpx.Response(200, text="garbage"),
        ]
    )
    page = await Things(client).list(limit=1)
    with pytest.raises(ResponseValidationError):
        _ = [t async for t in page]
