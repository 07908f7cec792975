"""Lists that iterate without ceremony, against the local server over real HTTP.

`client.X.list()` of the async client is awaitable (the first page) and async-iterable
(every item of every page); the blocking client's `list()` returns the page, and
iterating over it walks every page. A page is a Sequence of its own items.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import pytest

from everruns_sdk import Everruns, Page, SyncEverruns, SyncPage
from everruns_sdk.testing import EverrunsEmulator

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
async def client(everruns_emulator: EverrunsEmulator) -> AsyncIterator[Everruns]:
    async with Everruns(api_key=everruns_emulator.api_key, base_url=everruns_emulator.url) as c:
        yield c


@pytest.fixture
def sync_client(everruns_emulator: EverrunsEmulator) -> SyncEverruns:
    return SyncEverruns(api_key=everruns_emulator.api_key, base_url=everruns_emulator.url)


async def _agents(client: Everruns, count: int) -> list[str]:
    names = [f"agent-{i}" for i in range(count)]
    for name in names:
        await client.agents.create(name, "Be brief.")
    return names


async def test_async_for_walks_every_page_without_an_await(
    client: Everruns, everruns_emulator: EverrunsEmulator
) -> None:
    names = await _agents(client, 5)
    everruns_emulator.clear_request_log()
    seen = [agent.name async for agent in client.agents.list(limit=2)]
    assert sorted(seen) == names
    assert everruns_emulator.count("GET", "/v1/agents") == 3  # 2 + 2 + 1


async def test_awaiting_gives_the_first_page_as_a_sequence(client: Everruns) -> None:
    names = await _agents(client, 3)
    page = await client.agents.list(limit=2)
    assert isinstance(page, Page) and isinstance(page, Sequence)
    assert len(page) == 2 and page.total == 3
    assert page[0].name == page.data[0].name and page[-1].name == page.data[1].name
    assert [a.name for a in page[:1]] == [page.data[0].name]
    assert [a.name for a in page] == [a.name for a in page.data]  # this page only
    assert page == page.data and page
    rest = await page.next_page()
    assert rest is not None and [a.name for a in rest] != []
    assert sorted(a.name for a in [*page, *rest]) == names
    with pytest.raises(IndexError):
        page[5]


async def test_the_request_is_sent_when_awaited_or_iterated(
    client: Everruns, everruns_emulator: EverrunsEmulator
) -> None:
    everruns_emulator.clear_request_log()
    pager = client.agents.list()
    assert everruns_emulator.count("GET", "/v1/agents") == 0
    assert "not sent" in repr(pager)
    await pager
    await pager  # each await asks again
    assert everruns_emulator.count("GET", "/v1/agents") == 2


async def test_iter_pages_of_a_pager(client: Everruns) -> None:
    await _agents(client, 3)
    sizes = [len(page) async for page in client.agents.list(limit=2).iter_pages()]
    assert sizes == [2, 1]


def test_blocking_list_returns_the_page_and_for_walks_every_page(
    sync_client: SyncEverruns, everruns_emulator: EverrunsEmulator
) -> None:
    names = [f"s-{i}" for i in range(5)]
    for name in names:
        sync_client.agents.create(name, "Be brief.")
    page = sync_client.agents.list(limit=2)
    assert isinstance(page, SyncPage) and len(page) == 2 and page[0].name
    assert sorted(a.name for a in page) == names  # every page
    sync_client.close()


async def test_images_list_walks_a_bare_array_list_until_an_empty_page(
    client: Everruns, everruns_emulator: EverrunsEmulator
) -> None:
    uploaded = {(await client.images.upload(PNG, filename=f"{i}.png")).id for i in range(3)}
    everruns_emulator.clear_request_log()
    assert {image.id async for image in client.images.list(limit=2)} == uploaded
    assert everruns_emulator.count("GET", "/v1/images") == 2  # 2 + 1 (shorter: the end)
    everruns_emulator.clear_request_log()
    assert {image.id async for image in client.images.list()} == uploaded
    assert everruns_emulator.count("GET", "/v1/images") == 2  # 3 + an empty page
    page = await client.images.list(limit=2)
    assert len(page) == 2 and page.has_next_page()


async def test_messages_and_other_whole_lists_are_single_pages(client: Everruns) -> None:
    session = await client.sessions.create()
    await client.messages.create(session.id, "Hello")
    page = await client.messages.list(session.id)
    assert isinstance(page, Page) and not page.has_next_page()
    assert page.total == len(page) >= 1 and page[0].role == "user"
    assert [m.id async for m in client.messages.list(session.id)] == [m.id for m in page]
    workspaces = await client.workspaces.list()
    assert isinstance(workspaces, Page)
    assert [w.id async for w in client.workspaces.list()] == [w.id for w in workspaces]
    events = [e.type async for e in client.events.list(session.id)]
    assert "input.message" in events


def test_blocking_whole_lists_are_pages(
    sync_client: SyncEverruns, everruns_emulator: EverrunsEmulator
) -> None:
    session = sync_client.sessions.create()
    sync_client.messages.create(session.id, "Hello")
    messages = sync_client.messages.list(session.id)
    assert isinstance(messages, SyncPage) and messages[0].role == "user"
    assert [m.id for m in messages] == [m.id for m in messages.data]
    workspaces = sync_client.workspaces.list()
    assert workspaces == workspaces.data and len(workspaces) == 1  # the session's
    sync_client.close()
