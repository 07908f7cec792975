"""Whole turns: send a message and follow that turn to its end.

    result = await client.sessions.run(session_id, "Hello!")
    print(result.status, result.text)

    async with client.sessions.stream_turn(session_id, "Hello!") as turn:
        async for delta in turn.text_deltas():
            print(delta, end="")
        result = await turn.final()

How a turn is followed: before the message is posted, the ID of the session's last
event is read; the stream then starts right after it, so no event of the turn is
missed even when the turn ends before the stream connects. Only the events of this
turn are yielded (see `_tracker`). With `tools=[...]`, every `tool.call_requested` of
the turn is answered by running those tools (`_runner`), then the turn goes on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from everruns_sdk import _aio
from everruns_sdk._errors import APIConnectionError, ConflictError
from everruns_sdk._logging import logger
from everruns_sdk.lib._runner import answer_tool_calls, requested_calls
from everruns_sdk.lib._tracker import TurnTracker
from everruns_sdk.lib.results import TurnFailedError, TurnResult, TurnTimeoutError
from everruns_sdk.lib.tools import ToolInput, tools_by_name

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Unpack

    from everruns_sdk._client import Everruns
    from everruns_sdk.lib.results import TurnOptions
    from everruns_sdk.lib.tools import Tool
    from everruns_sdk.resources.messages import ContentInput
    from everruns_sdk.streaming._stream import EventStream
    from everruns_sdk.types import Message
    from everruns_sdk.types.events import Event

__all__ = ["TurnStream", "run_turn"]


class TurnStream:
    """One turn, followed live: `async with client.sessions.stream_turn(...) as turn`.

    - `async for event in turn`: every event of this turn, `input.message` to the
      event that ends it (`turn.completed`, `turn.failed` or `turn.cancelled`);
    - `async for text in turn.text_deltas()`: the text as the agent writes it;
    - `await turn.final()`: the rest of the turn, then its `TurnResult`.

    Entering sends the message; leaving closes the stream (the turn itself keeps
    running on the server if it has not ended: `client.sessions.cancel` stops it).
    A `tool.call_requested` event is answered, when `tools` were given, once the
    caller has seen it (on the next step of the iteration).
    """

    def __init__(
        self,
        client: Everruns,
        session_id: str,
        content: ContentInput,
        *,
        tools: Sequence[ToolInput] | None = None,
        raise_on_failure: bool = False,
        timeout: float | None = None,
        tool_timeout: float | None = None,
    ) -> None:
        if timeout is not None and timeout <= 0:
            raise ValueError("timeout must be > 0 or None")
        if tool_timeout is not None and not tool_timeout > 0:
            raise ValueError("tool_timeout must be > 0 or None")
        self._client = client
        self._session_id = session_id
        self._content = content
        self._tools: dict[str, Tool[..., Any]] | None = (
            None if tools is None else tools_by_name(tools)
        )
        self._raise_on_failure = raise_on_failure
        self._timeout = timeout
        self._tool_timeout = tool_timeout
        self._tracker: TurnTracker | None = None
        self._message: Message | None = None
        self._stream: EventStream | None = None
        self._timer: _aio.Timer | None = None
        self._timed_out = False
        self._started = False
        self._closed = False
        self._pending_calls: Event | None = None

    # -- state --------------------------------------------------------------------------

    @property
    def session_id(self) -> str:
        return self._session_id

    @property
    def message(self) -> Message | None:
        """The user message that started the turn (once sent)."""
        return self._message

    @property
    def turn_id(self) -> str | None:
        """The turn's ID, once its first event has been seen."""
        return self._tracker.turn_id if self._tracker is not None else None

    @property
    def events(self) -> list[Event]:
        """The events of this turn seen so far."""
        return list(self._tracker.events) if self._tracker is not None else []

    @property
    def done(self) -> bool:
        """True once the event that ends the turn has been seen."""
        return self._tracker is not None and self._tracker.ended

    # -- lifetime -----------------------------------------------------------------------

    async def start(self) -> TurnStream:
        """Send the message (done by `async with` or the first iteration)."""
        if self._started:
            return self
        self._started = True
        if self._timeout is not None:
            self._timer = _aio.call_later(self._timeout, self._on_timeout)
        events = self._client.events
        recent = await events.list(self._session_id, limit=1)
        since_id = recent[-1].id if recent else None
        self._message = await self._client.messages.create(self._session_id, self._content)
        self._tracker = TurnTracker(self._message.id)
        stream = events.stream(self._session_id, since_id=since_id)
        self._stream = stream
        if self._timed_out or self._closed:
            stream.stop()
        return self

    async def aclose(self) -> None:
        """Stop following the turn and release the connection. Idempotent."""
        self._closed = True
        self._cancel_timer()
        stream = self._stream
        if stream is not None:
            await stream.aclose()

    async def __aenter__(self) -> TurnStream:
        try:
            return await self.start()
        except BaseException:
            await self.aclose()
            raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def _on_timeout(self) -> None:
        self._timed_out = True
        stream = self._stream
        if stream is not None:
            stream.stop()

    def _cancel_timer(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()

    # -- iteration ------------------------------------------------------------------------

    def __aiter__(self) -> TurnStream:
        return self

    async def __anext__(self) -> Event:
        await self.start()
        tracker = self._tracker
        stream = self._stream
        assert tracker is not None and stream is not None
        if self._pending_calls is not None:
            event, self._pending_calls = self._pending_calls, None
            await self._answer(event)
        while not tracker.ended:
            try:
                event = await stream.__anext__()
            except StopAsyncIteration:
                self._stream_ended(tracker)
            if not tracker.accept(event):
                continue
            if tracker.ended:
                self._cancel_timer()
                await stream.aclose()
            elif event.type == "tool.call_requested" and self._tools is not None:
                self._pending_calls = event
            return event
        raise StopAsyncIteration

    def _stream_ended(self, tracker: TurnTracker) -> NoReturn:
        """The event stream ended before the turn did: say why."""
        if self._timed_out:
            assert self._timeout is not None
            raise TurnTimeoutError(self._timeout, tracker.turn_id, list(tracker.events))
        if self._closed:
            raise RuntimeError("this turn stream is closed")
        raise APIConnectionError("the event stream ended before the turn did")

    async def _answer(self, event: Event) -> None:
        assert self._tools is not None
        calls = requested_calls(event)
        try:
            await answer_tool_calls(
                self._client, self._session_id, calls, self._tools, timeout=self._tool_timeout
            )
        except ConflictError as exc:
            # The turn stopped waiting (cancelled meanwhile): its end event follows.
            logger.warning(
                "session %s: tool results not accepted, the turn moved on (%s)",
                self._session_id,
                exc,
            )

    async def text_deltas(self) -> AsyncIterator[str]:
        """The text of the agent's messages, piece by piece (`output.message.delta`)."""
        async for event in self:
            if event.type == "output.message.delta":
                delta = getattr(event.data, "delta", None)
                if isinstance(delta, str):
                    yield delta

    async def final(self) -> TurnResult:
        """Follow the turn to its end and return its result; raises `TurnFailedError`
        for a failed turn when `raise_on_failure` was set."""
        async for _ in self:
            pass
        assert self._tracker is not None
        result = self._tracker.result(self._message)
        if self._raise_on_failure and result.status == "failed":
            raise TurnFailedError(result)
        return result

    def __repr__(self) -> str:
        state = "done" if self.done else "closed" if self._closed else "open"
        return f"<TurnStream session={self._session_id} turn={self.turn_id} {state}>"


async def run_turn(
    client: Everruns,
    session_id: str,
    content: ContentInput,
    **options: Unpack[TurnOptions],
) -> TurnResult:
    """Send `content` and follow the turn to its end (see `Sessions.run`)."""
    turn = TurnStream(
        client,
        session_id,
        content,
        **options,
    )
    async with turn:
        return await turn.final()
