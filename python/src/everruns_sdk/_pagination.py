"""Pages of list results: a Sequence of their items that can also walk every page.

Every `list()` method gives a `Page` (the async client's through `_pager.AsyncPager`).
A page is a `Sequence` of its own items (`page[0]`, `len(page)`, `page.data`);
`async for item in page` walks all items from it to the last page, fetching the
following pages only as they are needed. Lists the API does not paginate come as one
page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Generic, TypeVar, overload

T = TypeVar("T")


class PageItems(Sequence[T]):
    """The items of one page as a read-only sequence (`page[0]`, `len(page)`)."""

    __slots__ = ("data",)

    def __init__(self, data: list[T]) -> None:
        self.data = data

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        return self.data[index]

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __eq__(self, other: object) -> bool:
        """Equal to a list (or page) of the same items, as the list it replaces was."""
        if isinstance(other, PageItems):
            return self.data == other.data
        if isinstance(other, list):
            return self.data == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value


class Page(PageItems[T], Generic[T]):
    """One page of a list: `.data`, `.total`, `.offset`, `.limit`, and its items.

    `async for item in page` walks every item from this page to the last one.
    """

    __slots__ = ("_fetch", "_more", "limit", "offset", "total")

    def __init__(
        self,
        data: list[T],
        *,
        total: int,
        offset: int,
        limit: int,
        fetch: Callable[[int], Awaitable[Page[T]]] | None = None,
        more: bool | None = None,
    ) -> None:
        super().__init__(data)
        self.total = total
        self.offset = offset
        self.limit = limit
        self._fetch = fetch
        #: Whether a next page exists, when the server says so by other means than a
        #: total (a full page of a list without one); None: judge by `total`.
        self._more = more

    def has_next_page(self) -> bool:
        if self._fetch is None or not self.data:
            return False
        if self._more is not None:
            return self._more
        return self.offset + len(self.data) < self.total

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

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(items={len(self.data)}, total={self.total}, "
            f"offset={self.offset}, limit={self.limit})"
        )


def single_page(items: list[T]) -> Page[T]:
    """A list the API returns whole, as a page of its own."""
    return Page(items, total=len(items), offset=0, limit=len(items))
