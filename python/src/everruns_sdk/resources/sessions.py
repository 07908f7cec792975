"""`client.sessions`: sessions of agents, their lifecycle, export and files."""

from __future__ import annotations

import builtins
import json
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from everruns_sdk._compat.resources import positional_harness_id
from everruns_sdk._compat.unsupported import SessionsNotOffered
from everruns_sdk._errors import ResponseValidationError
from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._body import exclusive, merge_body
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import (
    AgentCapabilityConfig,
    CancelTurnResponse,
    CreateSessionRequest,
    InitialFile,
    Session,
    ToolDefinition,
    UpdateSessionRequest,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager
    from everruns_sdk.lib.results import TurnOptions, TurnResult
    from everruns_sdk.lib.tools import Tool
    from everruns_sdk.lib.turns import TurnStream
    from everruns_sdk.resources.messages import ContentInput
    from everruns_sdk.resources.session_databases import SessionDatabases
    from everruns_sdk.resources.session_files import SessionFiles
    from everruns_sdk.resources.session_storage import SessionStorage


_EXCLUSIVE = (("agent_id", "agent_name"), ("harness_id", "harness_name"))


class Sessions(SessionsNotOffered, Resource):
    """Start, list, update, cancel, pin and export sessions."""

    @property
    def with_raw_response(self) -> SessionsWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return SessionsWithRawResponse(self)

    async def create(
        self,
        legacy_harness_id: str | None = None,
        /,
        *,
        agent_id: str | None = None,
        agent_name: str | None = None,
        harness_id: str | None = None,
        harness_name: str | None = None,
        title: str | None = None,
        model_id: str | None = None,
        system_prompt: str | None = None,
        tags: Sequence[str] | None = None,
        tools: Sequence[ToolDefinition | Mapping[str, Any] | Tool[..., Any]] | None = None,
        locale: str | None = None,
        workspace_id: str | None = None,
        capabilities: Sequence[AgentCapabilityConfig | Mapping[str, Any]] | None = None,
        initial_files: Sequence[InitialFile | Mapping[str, Any]] | None = None,
        parallel_tool_calls: bool | None = None,
        request: CreateSessionRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Session:
        """Start a session, with an agent (`agent_id` or `agent_name`) or without one.

        Without a harness the agent's harness (or the org's `generic` one) is used.
        `tools` declares tools of this session; client-side tools made with `@tool` can
        be passed as they are (their `definition()` is sent), and are then run by
        `run(..., tools=[...])`. Every other field of the API is reachable through
        `request`. `capabilities` and `initial_files` add to the agent's own.
        """
        harness_id = positional_harness_id(legacy_harness_id, harness_id)
        body = exclusive(
            merge_body(
                request,
                {
                    "agent_id": agent_id,
                    "agent_name": agent_name,
                    "harness_id": harness_id,
                    "harness_name": harness_name,
                    "title": title,
                    "model_id": model_id,
                    "system_prompt": system_prompt,
                    "tags": None if tags is None else list(tags),
                    "tools": None if tools is None else list(tools),
                    "locale": locale,
                    "workspace_id": workspace_id,
                    "capabilities": None if capabilities is None else list(capabilities),
                    "initial_files": None if initial_files is None else list(initial_files),
                    "parallel_tool_calls": parallel_tool_calls,
                },
            ),
            *_EXCLUSIVE,
        )
        return await self._model(Session, "POST", "/v1/sessions", json=body, options=options)

    def list(
        self,
        agent_id: str | None = None,
        *,
        search: str | None = None,
        offset: int | None = None,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Session]:
        """A page of sessions; `async for session in page` walks all of them."""
        return self._pages(
            Session,
            "/v1/sessions",
            params={"agent_id": agent_id, "search": search},
            offset=offset,
            limit=limit,
            options=options,
        )

    async def get(self, session_id: str, **options: Unpack[RequestOptions]) -> Session:
        return await self._model(
            Session,
            "GET",
            "/v1/sessions/{session_id}",
            path={"session_id": session_id},
            options=options,
        )

    async def update(
        self,
        session_id: str,
        *,
        title: str | None = None,
        tags: Sequence[str] | None = None,
        locale: str | None = None,
        request: UpdateSessionRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Session:
        """Change the title, tags or locale of a session."""
        body = merge_body(
            request,
            {"title": title, "tags": None if tags is None else list(tags), "locale": locale},
        )
        return await self._model(
            Session,
            "PATCH",
            "/v1/sessions/{session_id}",
            path={"session_id": session_id},
            json=body,
            options=options,
        )

    async def delete(self, session_id: str, **options: Unpack[RequestOptions]) -> None:
        await self._request(
            "DELETE", "/v1/sessions/{session_id}", path={"session_id": session_id}, options=options
        )

    async def cancel(
        self, session_id: str, **options: Unpack[RequestOptions]
    ) -> CancelTurnResponse:
        """Cancel the running turn (the session stays usable); a no-op when idle."""
        return await self._model(
            CancelTurnResponse,
            "POST",
            "/v1/sessions/{session_id}/cancel",
            path={"session_id": session_id},
            idempotent=True,
            options=options,
        )

    async def pin(self, session_id: str, **options: Unpack[RequestOptions]) -> None:
        await self._request(
            "PUT", "/v1/sessions/{session_id}/pin", path={"session_id": session_id}, options=options
        )

    async def unpin(self, session_id: str, **options: Unpack[RequestOptions]) -> None:
        await self._request(
            "DELETE",
            "/v1/sessions/{session_id}/pin",
            path={"session_id": session_id},
            options=options,
        )

    async def export_text(
        self,
        session_id: str,
        *,
        format: str | None = None,
        segmented: bool | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> str:
        """The session as JSON Lines text, exactly as the server sends it."""
        response = await self._request(
            "GET",
            "/v1/sessions/{session_id}/export",
            path={"session_id": session_id},
            params={"format": format, "segmented": segmented, "cursor": cursor},
            headers={"Accept": "application/x-ndjson"},
            options=options,
        )
        return response.text

    async def export(
        self,
        session_id: str,
        *,
        format: str | None = None,
        segmented: bool | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[dict[str, Any]]:
        """The session as parsed JSON Lines records (one dict per line)."""
        text = await self.export_text(
            session_id, format=format, segmented=segmented, cursor=cursor, **options
        )
        records: builtins.list[dict[str, Any]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):  # RecursionError: absurdly deep JSON
                raise ResponseValidationError(
                    f"session export line {number} is not JSON", status_code=200
                ) from None
            if not isinstance(record, dict):
                raise ResponseValidationError(
                    f"session export line {number} is not a JSON object", status_code=200
                )
            records.append(record)
        return records

    async def run(
        self,
        session_id: str,
        content: ContentInput,
        **options: Unpack[TurnOptions],
    ) -> TurnResult:
        """Send a user message and follow that turn to its end; return its `TurnResult`
        (`.status`, `.text`, `.message`, `.error`, `.usage`, `.events`).

        With `tools`, the client-side tool calls of the turn are answered by running
        those functions (declare them at session creation: `create(tools=[...])`).
        `raise_on_failure=True` raises `TurnFailedError` for a failed turn; `timeout`
        (seconds) raises `TurnTimeoutError` when the turn has not ended by then.
        `tool_timeout` (seconds), when given, replaces each tool's own `timeout`: a call
        that outlives it is answered with an error result and the turn goes on.
        """
        from everruns_sdk.lib.turns import run_turn

        return await run_turn(
            self._client,
            session_id,
            content,
            **options,
        )

    def stream_turn(
        self,
        session_id: str,
        content: ContentInput,
        **options: Unpack[TurnOptions],
    ) -> TurnStream:
        """Send a user message and follow that turn live::

            async with client.sessions.stream_turn(session_id, "Hello!") as turn:
                async for text in turn.text_deltas():
                    print(text, end="")
                result = await turn.final()

        `async for event in turn` yields every event of this turn (and only of it).
        Arguments as for `run`.
        """
        from everruns_sdk.lib.turns import TurnStream

        return TurnStream(
            self._client,
            session_id,
            content,
            **options,
        )

    @cached_property
    def files(self) -> SessionFiles:
        """The files of a session (its workspace), addressed by session ID."""
        from everruns_sdk.resources.session_files import SessionFiles

        return SessionFiles(self._client)

    @property
    def databases(self) -> SessionDatabases:
        """Same as `client.session_databases`."""
        return self._client.session_databases

    @property
    def storage(self) -> SessionStorage:
        """Same as `client.session_storage`."""
        return self._client.session_storage


class SessionsWithRawResponse:
    """`Sessions` methods answering an `APIResponse` of their result."""

    def __init__(self, sessions: Sessions) -> None:
        self.create = raw_method(sessions.create)
        self.list = raw_method(sessions.list)
        self.get = raw_method(sessions.get)
        self.update = raw_method(sessions.update)
        self.delete = raw_method(sessions.delete)
        self.cancel = raw_method(sessions.cancel)
        self.pin = raw_method(sessions.pin)
        self.unpin = raw_method(sessions.unpin)
        self.export_text = raw_method(sessions.export_text)
        self.export = raw_method(sessions.export)
        self.files = sessions.files.with_raw_response
        self.databases = sessions.databases.with_raw_response
        self.storage = sessions.storage.with_raw_response
