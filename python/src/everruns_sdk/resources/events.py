"""`client.events`: a session's events, live (`stream`) or polled (`list`, `iter`)."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from everruns_sdk._errors import ResponseValidationError
from everruns_sdk._paths import build_path
from everruns_sdk._transport import parse_json
from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.streaming._stream import EventStream
from everruns_sdk.types.events import Event, EventDecodeError, parse_event

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager

MAX_PAGE_SIZE = 1000


class Events(Resource):
    """Follow a session's events live, or read them page by page."""

    @property
    def with_raw_response(self) -> EventsWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return EventsWithRawResponse(self)

    def stream(
        self,
        session_id: str,
        *,
        since_id: str | None = None,
        types: Sequence[str] | None = None,
        exclude: Sequence[str] | None = None,
        max_retries: int | None = None,
        idle_timeout: float = 45.0,
        include_lifecycle: bool = False,
    ) -> EventStream:
        """Live events of a session, reconnecting by itself and never losing one.

        Without `since_id` the stream starts at the session's first event. Use it as
        `async for event in client.events.stream(session_id)` or as an async context
        manager; `stop()` ends it. `max_retries` bounds consecutive failed reconnects
        (default: unbounded); `idle_timeout` drops a silent connection and resumes.
        """
        return EventStream(
            self._client._transport,
            build_path("/v1/sessions/{session_id}/sse", {"session_id": session_id}),
            since_id=since_id,
            types=types,
            exclude=exclude,
            max_retries=max_retries,
            idle_timeout=idle_timeout,
            include_lifecycle=include_lifecycle,
        )

    def list(
        self,
        session_id: str,
        *,
        since_id: str | None = None,
        types: Sequence[str] | None = None,
        exclude: Sequence[str] | None = None,
        limit: int | None = None,
        before_sequence: int | None = None,
        after_sequence: int | None = None,
        around: str | None = None,
        window: int | None = None,
        from_ts: str | None = None,
        to_ts: str | None = None,
        turn_id: str | None = None,
        exec_id: str | None = None,
        trace_id: str | None = None,
        tags: Sequence[str] | None = None,
        tool_name: str | None = None,
        q: str | None = None,
        order_desc: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Event]:
        """Events of a session matching every given filter.

        Without `limit`, all of them; with `limit`, the last N (oldest first). `around`
        with `window` centres on one event and cannot be combined with `since_id` or the
        `*_sequence` bounds. Array filters are sent as repeated keys.
        """

        async def fetch() -> builtins.list[Event]:
            response = await self._request(
                "GET",
                "/v1/sessions/{session_id}/events",
                path={"session_id": session_id},
                params={
                    "since_id": since_id,
                    "types": types,
                    "exclude": exclude,
                    "limit": limit,
                    "before_sequence": before_sequence,
                    "after_sequence": after_sequence,
                    "around": around,
                    "window": window,
                    "from_ts": from_ts,
                    "to_ts": to_ts,
                    "turn_id": turn_id,
                    "exec_id": exec_id,
                    "trace_id": trace_id,
                    "tags": tags,
                    "tool_name": tool_name,
                    "q": q,
                    "order_desc": order_desc,
                },
                options=options,
            )
            body = parse_json(response)
            items = body.get("data") if isinstance(body, dict) else body
            if not isinstance(items, list):
                raise ResponseValidationError(
                    "expected {'data': [...]} from the events list",
                    status_code=response.status_code,
                )
            try:
                return [parse_event(item) for item in items]
            except EventDecodeError as exc:
                raise ResponseValidationError(
                    f"malformed event in the events list: {exc}", status_code=response.status_code
                ) from None

        return self._listing(fetch)

    async def iter(
        self,
        session_id: str,
        *,
        types: Sequence[str] | None = None,
        exclude: Sequence[str] | None = None,
        after_sequence: int = 0,
        page_size: int = 200,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[Event]:
        """Every event of a session, oldest first, fetched `page_size` at a time."""
        page_size = max(1, min(page_size, MAX_PAGE_SIZE))
        cursor = after_sequence
        while True:
            page = await self.list(
                session_id,
                types=types,
                exclude=exclude,
                after_sequence=cursor,
                limit=page_size,
                **options,
            )
            for event in page:
                yield event
            sequences = [e.sequence for e in page if e.sequence is not None]
            if len(page) < page_size or not sequences or max(sequences) <= cursor:
                return
            cursor = max(sequences)


class EventsWithRawResponse:
    """`Events` methods answering an `APIResponse` of their result."""

    def __init__(self, events: Events) -> None:
        self.list = raw_method(events.list)
