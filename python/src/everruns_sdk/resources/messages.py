"""`client.messages`: the messages of a session, and client-side tool results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from everruns_sdk._compat.resources import MessagesCompat, text_keyword
from everruns_sdk._errors import ValidationError
from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import (
    ClientToolResult,
    Controls,
    CreateMessageRequest,
    Message,
    SubmitToolResultsResponse,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager

ContentInput = str | Sequence[Mapping[str, Any] | Any]


def text_part(text: str) -> dict[str, Any]:
    """A text content part."""
    return {"type": "text", "text": text}


def image_file_part(image_id: str) -> dict[str, Any]:
    """A content part that refers to an image uploaded with `client.images.upload`."""
    return {"type": "image_file", "image_id": image_id}


def tool_result(tool_call_id: str, result: Any) -> ClientToolResult:
    """The successful result of a client-side tool call (any JSON value)."""
    return ClientToolResult(tool_call_id=tool_call_id, result=result)


def tool_error(tool_call_id: str, error: str | BaseException) -> ClientToolResult:
    """A failed client-side tool call; the agent sees `error` as the reason."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return ClientToolResult(tool_call_id=tool_call_id, error=text)


def _content(content: ContentInput) -> list[Any]:
    if isinstance(content, str):
        return [text_part(content)]
    parts = list(content)
    if not parts:
        raise ValidationError("a message needs at least one content part")
    return [text_part(part) if isinstance(part, str) else part for part in parts]


class Messages(MessagesCompat, Resource):
    """Send user messages (each starts a turn), list them, answer tool calls."""

    @property
    def with_raw_response(self) -> MessagesWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return MessagesWithRawResponse(self)

    tool_result = staticmethod(tool_result)
    tool_error = staticmethod(tool_error)

    async def create(
        self,
        session_id: str,
        content: ContentInput | None = None,
        controls: Controls | Mapping[str, Any] | None = None,
        *,
        text: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        tags: Sequence[str] | None = None,
        request: CreateMessageRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Message:
        """Send a user message and start a turn.

        `content` is a string (one text part) or a list of parts: strings, dicts such as
        `{"type": "image_file", "image_id": ...}`, or content-part models. The message is
        never sent twice by a retry. (`text=` is the 0.3.x keyword for `content`.)
        """
        if text is not None:
            content = text_keyword(content, text)
        if request is not None and content is not None:
            raise ValidationError("pass either content or request, not both")
        if request is None and content is None:
            raise ValidationError("a message needs content")
        if request is not None:
            body: Any = request
        else:
            assert content is not None
            body = {"message": {"role": "user", "content": _content(content)}}
            if controls is not None:
                body["controls"] = controls
            if metadata is not None:
                body["metadata"] = dict(metadata)
            if tags is not None:
                body["tags"] = list(tags)
        return await self._model(
            Message,
            "POST",
            "/v1/sessions/{session_id}/messages",
            path={"session_id": session_id},
            json=body,
            options=options,
        )

    def list(self, session_id: str, **options: Unpack[RequestOptions]) -> AsyncPager[Message]:
        """All messages of a session, oldest first."""
        return self._list_pages(
            Message,
            "/v1/sessions/{session_id}/messages",
            path={"session_id": session_id},
            options=options,
        )

    async def submit_tool_results(
        self,
        session_id: str,
        results: Sequence[ClientToolResult | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> SubmitToolResultsResponse:
        """Answer the client-side tool calls of a `tool.call_requested` event; the turn
        resumes. Build results with `tool_result(...)` / `tool_error(...)`. A session that
        is not waiting for tool results answers 409 (ConflictError)."""
        if not results:
            raise ValidationError("results must not be empty")
        return await self._model(
            SubmitToolResultsResponse,
            "POST",
            "/v1/sessions/{session_id}/tool-results",
            path={"session_id": session_id},
            json={"tool_results": list(results)},
            options=options,
        )


class MessagesWithRawResponse:
    """`Messages` methods answering an `APIResponse` of their result."""

    def __init__(self, messages: Messages) -> None:
        self.create = raw_method(messages.create)
        self.list = raw_method(messages.list)
        self.submit_tool_results = raw_method(messages.submit_tool_results)
