"""`AsyncPager`: what a `list()` method of the async client returns.

    page = await client.agents.list()        # awaited: the first page (a Page)
    async for agent in client.agents.list(): # iterated: every item of every page
        ...

The request is sent when the pager is awaited or iterated, not when `list()` is called,
and each await or iteration sends it again. The blocking client has no pager: its
`list()` returns the page itself (`scripts/gen_sync.py` maps `AsyncPager` to `Page`, and
`_syncio.pager` calls the fetch at once).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from everruns_sdk._pagination import Page

T = TypeVar("T")


class AsyncPager(Generic[T]):
    """Awaitable (giving the first `Page`) and async-iterable (every item, lazily)."""

    __slots__ = ("_fetch",)

    def __init__(self, fetch: Callable[[], Awaitable[Page[T]]]) -> None:
        self._fetch = fetch

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self._first().__await__()

    async def _first(self) -> Page[T]:
        return await self._fetch()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._fetch()
        async for item in page:
            yield item

    async def iter_pages(self) -> AsyncIterator[Page[T]]:
        """Every page, from the first to the last."""
        page = await self._fetch()
        async for each in page.iter_pages():
            yield each

    def __repr__(self) -> str:
        return f"{type(self).__name__}(not sent yet: await it or iterate over it)"
