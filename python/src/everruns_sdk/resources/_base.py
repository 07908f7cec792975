"""What every sub-client shares: the one request helper and response casting."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from everruns_sdk import _aio
from everruns_sdk._config import as_timeout
from everruns_sdk._errors import ValidationError
from everruns_sdk._pagination import Page, single_page
from everruns_sdk._parsing import parse_model, to_body, unwrap_list
from everruns_sdk._paths import build_path
from everruns_sdk._transport import parse_json
from everruns_sdk.resources._body import FileInput, read_binary
from everruns_sdk.resources._raw import captured

if TYPE_CHECKING:
    import httpx
    from pydantic import BaseModel

    from everruns_sdk._client import Everruns
    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager
    from everruns_sdk._transport import FileTypes, QueryParams

M = TypeVar("M", bound="BaseModel")


class Resource:
    """Base of the sub-clients (`client.agents`, ...): builds paths, sends, casts."""

    def __init__(self, client: Everruns) -> None:
        self._client = client

    async def _stream_bytes(
        self, template: str, path: Mapping[str, object], options: RequestOptions
    ) -> AsyncIterator[bytes]:
        """The body of a GET in chunks as they arrive (a download; not retried)."""
        headers = {"Accept": "*/*", **options.get("extra_headers", {})}
        timeout = as_timeout(options["timeout"]) if "timeout" in options else None
        transport = self._client._transport
        async with transport.stream(
            "GET",
            build_path(template, path),
            params=options.get("extra_query"),
            headers=headers,
            timeout=timeout,
        ) as response:
            async for chunk in response.aiter_bytes():
                yield chunk

    async def _content(self, content: FileInput | None) -> str | bytes | None:
        """Upload content as text or bytes: a path or a binary file object is read, in a
        worker thread (the event loop never waits on the disk)."""
        if content is None or isinstance(content, (str, bytes)):
            return content
        if isinstance(content, (bytearray, memoryview)):
            return bytes(content)
        return await _aio.to_thread(read_binary, content)

    async def _request(
        self,
        method: str,
        template: str,
        *,
        path: Mapping[str, object] | None = None,
        params: QueryParams | None = None,
        json: object = None,
        content: bytes | str | None = None,
        files: FileTypes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = False,
        options: RequestOptions | None = None,
    ) -> httpx.Response:
        """Send `method template` with encoded path parameters; return the 2xx response.

        `options` (the caller's per-call `RequestOptions`) are applied here, for every
        method alike: extra query, headers and body fields on top of the method's own,
        then the timeout and retry limit of this one call.
        """
        body = None if json is None else to_body(json)
        timeout = None
        max_retries = None
        if options:
            if "extra_query" in options:
                params = {**(params or {}), **options["extra_query"]}
            if "extra_headers" in options:
                headers = {**(headers or {}), **options["extra_headers"]}
            if "extra_body" in options:
                body = _with_extra_body(body, options["extra_body"], content, files)
            if "timeout" in options:
                timeout = as_timeout(options["timeout"])
            max_retries = options.get("max_retries")
        response = await self._client._transport.request(
            method,
            build_path(template, path),
            params=params,
            json=body,
            content=content,
            files=files,
            headers=headers,
            max_retries=max_retries,
            timeout=timeout,
            idempotent=idempotent,
        )
        sink = captured.get()
        if sink is not None:  # inside `with_raw_response`
            sink.append(response)
        return response

    async def _model(
        self,
        cast: type[M],
        method: str,
        template: str,
        *,
        path: Mapping[str, object] | None = None,
        params: QueryParams | None = None,
        json: object = None,
        content: bytes | str | None = None,
        files: FileTypes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = False,
        options: RequestOptions | None = None,
    ) -> M:
        """A request whose response body is one `cast`."""
        response = await self._request(
            method,
            template,
            path=path,
            params=params,
            json=json,
            content=content,
            files=files,
            headers=headers,
            idempotent=idempotent,
            options=options,
        )
        return parse_model(cast, response)

    async def _list(
        self,
        item: type[M],
        method: str,
        template: str,
        *,
        path: Mapping[str, object] | None = None,
        params: QueryParams | None = None,
        json: object = None,
        options: RequestOptions | None = None,
    ) -> list[M]:
        """A request whose response is `{"data": [...]}` (or a bare array) of `item`."""
        response = await self._request(
            method, template, path=path, params=params, json=json, options=options
        )
        return unwrap_list(item, parse_json(response), response)

    def _listing(self, fetch: Callable[[], Awaitable[list[M]]]) -> AsyncPager[M]:
        """A `list()` of a list the API returns whole: one page, sent when awaited."""

        async def first() -> Page[M]:
            return single_page(await fetch())

        return _aio.pager(first)

    def _list_pages(
        self,
        item: type[M],
        template: str,
        *,
        path: Mapping[str, object] | None = None,
        params: QueryParams | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[M]:
        """`_listing` of a plain GET of `{"data": [...]}` (or a bare array)."""
        return self._listing(
            lambda: self._list(item, "GET", template, path=path, params=params, options=options)
        )

    def _pages(
        self,
        item: type[M],
        template: str,
        *,
        path: Mapping[str, object] | None = None,
        params: QueryParams | None = None,
        offset: int | None = None,
        limit: int | None = None,
        options: RequestOptions | None = None,
        until_empty: bool = False,
    ) -> AsyncPager[M]:
        """A `list()` of a paginated list: the first page, sent when awaited.

        `until_empty`: a list answered as a bare array (no total) has a next page until
        one comes back empty."""
        return _aio.pager(
            lambda: self._page(
                item,
                template,
                path=path,
                params=params,
                offset=offset,
                limit=limit,
                options=options,
                until_empty=until_empty,
            )
        )

    async def _page(
        self,
        item: type[M],
        template: str,
        *,
        path: Mapping[str, object] | None = None,
        params: QueryParams | None = None,
        offset: int | None = None,
        limit: int | None = None,
        options: RequestOptions | None = None,
        until_empty: bool = False,
    ) -> Page[M]:
        """GET a paginated list; the page fetches its successors with the same filters."""
        query = dict(params or {})
        query["offset"] = offset
        query["limit"] = limit
        response = await self._request("GET", template, path=path, params=query, options=options)
        body = parse_json(response)
        items = unwrap_list(item, body, response)
        meta = body if isinstance(body, dict) else {}

        async def fetch(next_offset: int) -> Page[M]:
            return await self._page(
                item,
                template,
                path=path,
                params=params,
                offset=next_offset,
                limit=limit,
                options=options,
                until_empty=until_empty,
            )

        start = _int(meta.get("offset"), offset or 0)
        more = None  # judged by the total
        if "total" not in meta:
            # A bare array: a page as long as asked for may have a next one (asking
            # costs one request that comes back empty at the end); without a limit,
            # the server's own page size is unknown, so only `until_empty` lists go on.
            more = len(items) >= limit if limit else until_empty and bool(items)
        return Page(
            items,
            total=_int(meta.get("total"), start + len(items)),
            offset=start,
            limit=_int(meta.get("limit"), limit or len(items)),
            fetch=fetch,
            more=more,
        )


def _with_extra_body(
    body: object, extra: Mapping[str, object], content: object, files: object
) -> dict[object, object]:
    """The JSON body with `extra` merged in at the top level (extra wins)."""
    if content is not None or files is not None:
        raise ValidationError("extra_body applies to JSON request bodies only")
    if body is not None and not isinstance(body, dict):
        raise ValidationError("extra_body needs a JSON object body to merge into")
    added = to_body(dict(extra))
    assert isinstance(added, dict)
    return {**(body or {}), **added}


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default
