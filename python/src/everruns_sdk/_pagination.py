"""Pages of list results that can also be iterated over every item, fetching lazily."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Page(Generic[T]):
    """One page of a paginated list: `.data`, `.total`, `.offset`, `.limit`.

    `async for item in page` walks every item from this page to the last one, fetching
    the following pages only as they are needed.
    """

    __slots__ = ("_fetch", "data", "limit", "offset", "total")

    def __init__(
        self,
        data: list[T],
        *,
        total: int,
        offset: int,
        limit: int,
        fetch: Callable[[int], Awaitable[Page[T]]] | None = None,
    ) -> None:
        self.data = data
        self.total = total
        self.offset = offset
        self.limit = limit
        self._fetch = fetch

    def has_next_page(self) -> bool:
        return bool(self.data) and self.offset + len(self.data) < self.total

    async def next_page(self) -> Page[T] | None:
        """The page after this one, or None at the end."""
        if self._fetch is None or not self.has_next_page():
            return None
        return await self._fetch(self.offset + len(self.data))

    async def iter_pages(self) -> AsyncIterator[Page[T]]:
        """This page and every following page."""
        page: Page[T] | None = self
        while page is not None:
            yield page
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(items={len(self.data)}, total={self.total}, "
            f"offset={self.offset}, limit={self.limit})"
        )
