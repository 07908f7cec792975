"""`EventStream`: a session's live events, reconnecting by itself without losing one.

Protocol (API-NOTES, "Server-Sent Events"): every connection starts with `connected`;
the server ends a connection on purpose after sending `disconnecting` (with
`retry_ms`); anything else that ends a connection is unexpected. Each (re)connect sends
`since_id` = the ID of the last event delivered to the caller, so an event torn by a
disconnect is never delivered half, and is delivered whole, exactly once, by the next
connection.

Design notes:

- An explicit `__anext__` state machine, not an async generator. The open connection
  (the transport's stream context manager, the response and its chunk iterator) lives
  in attributes; `aclose()` exits the context manager, which closes the response. So
  `async with stream:` (or `aclose()`) always releases the connection, also after a
  `break`, without depending on the event loop's async-generator finalisers. A stream
  that is merely dropped after a `break` is still released: its httpx response
  iterators are async generators whose finalisation (run by the loop) closes the
  connection, and `__del__` additionally shuts the socket down at once so the server
  sees the disconnect without waiting for that.
- No timer per event: the idle timeout is the read timeout of the streaming request
  (`httpx.Timeout(read=min(idle_timeout, 45))`), so a silent, half-open connection
  raises `httpx.ReadTimeout`, which counts as an unexpected end and reconnects.
- `stop()` is synchronous and may be called from another task (or thread, in the sync
  mirror): it forbids reconnects and shuts the socket of the current response down, so
  a read blocked in another task returns at once and iteration ends. A backoff sleep
  is done in short slices that check the flag.
- Only `_aio` (mapped to `_syncio` by the sync generator) is used from asyncio.
- The hot path, per event, is one dict lookup and one call into pydantic-core: the
  SSE `event:` field (still bytes) picks the class's `validate_json`, which turns the
  data bytes (never decoded to str) into the model in one pass. Everything else (a
  lifecycle event, an unknown type, the first event of a type, data the class
  rejects) goes through `_other`, whose result is exactly `parse_event`'s. The body
  is read with `aiter_raw()` unless it is compressed. Nothing is logged or timed per
  event.
- Concurrent iteration is refused (RuntimeError) while another task waits in a read;
  the hot path never awaits, so tasks cannot interleave there.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError as ModelValidationError

from everruns_sdk import _aio, _retry
from everruns_sdk._errors import (
    APIConnectionError,
    ApiError,
    APITimeoutError,
    EverrunsError,
    ResponseValidationError,
    StreamRetriesExhaustedError,
    redact_exception_chain,
)
from everruns_sdk._logging import logger
from everruns_sdk.streaming import _frames
from everruns_sdk.streaming._sse import (
    DEFAULT_MAX_EVENT_BYTES,
    RawServerSentEvent,
    SSEDecoder,
)
from everruns_sdk.types.events import EVENT_CLASSES, EventDecodeError
from everruns_sdk.types.events import _parse as _parse_event

if TYPE_CHECKING:
    from types import TracebackType

    from everruns_sdk._transport import Transport
    from everruns_sdk.types.events import Event

__all__ = ["EventStream"]

LIFECYCLE_TYPES = frozenset({"connected", "disconnecting"})
MAX_READ_TIMEOUT = 45.0
DEFAULT_PLANNED_DELAY = 0.1  # seconds, when `disconnecting` names no retry_ms
_STOP_POLL = 0.1  # a backoff sleep checks stop() at least this often (seconds)
_RETRYABLE_STATUSES = frozenset({408, 429})
# `validate_json` of each event class by SSE event name (UTF-8 bytes), lifecycle types
# left out. Filled on first use of each type (models are built lazily); the bound
# method of the validator is what `Model.model_validate_json` calls, minus one Python
# frame. Typed Any so that the hot path needs no cast() call.
_VALIDATORS: dict[bytes | None, Any] = {}
_NO_EVENTS: Iterator[RawServerSentEvent] = iter(())  # exhausted: stays empty


class EventStream:
    """Live events of one session, as an async iterator that reconnects by itself.

    Use it as ``async for event in stream`` (preferably inside ``async with stream:``,
    which releases the connection however the loop ends). Lifecycle events
    (``connected``, ``disconnecting``) are handled internally and only yielded with
    ``include_lifecycle=True``.

    Reconnects: after ``disconnecting``, wait its ``retry_ms`` (else the stream's
    ``retry:`` hint, else 100 ms), not counted as a failure; after an unexpected end
    (network error, EOF without ``disconnecting``, idle timeout, 408/429/5xx), wait
    ``backoff_base * 2**(n-1)`` seconds (capped at ``backoff_max``, minus up to
    ``jitter`` of it, at least any ``Retry-After``) where ``n`` counts consecutive
    failures. ``connected`` or any delivered event resets ``n``. When ``n`` exceeds
    ``max_retries``, `StreamRetriesExhaustedError` is raised, chained to the last
    cause. What is not given comes from the SDK's one retry policy
    (`everruns_sdk._retry.RETRY_POLICY`, shared with the request pipeline): 1 s,
    capped at 30 s, 10 % jitter, unbounded retries. Any other error status (401, 403,
    404, 400, ...) is raised at once, on the first connection or any later one.
    """

    def __init__(
        self,
        transport: Transport,
        path: str,
        *,
        since_id: str | None = None,
        types: Sequence[str] | None = None,
        exclude: Sequence[str] | None = None,
        max_retries: int | None = None,
        idle_timeout: float | None = 45.0,
        include_lifecycle: bool = False,
        backoff_base: float | None = None,
        backoff_max: float | None = None,
        jitter: float | None = None,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
    ) -> None:
        policy = self._policy = _retry.RETRY_POLICY
        max_retries = policy.max_reconnects if max_retries is None else max_retries
        backoff_base = policy.reconnect_delay if backoff_base is None else backoff_base
        backoff_max = policy.max_delay if backoff_max is None else backoff_max
        jitter = policy.reconnect_jitter if jitter is None else jitter
        if max_retries is not None and max_retries < 0:
            raise ValueError("max_retries must be >= 0 or None")
        if idle_timeout is not None and idle_timeout <= 0:
            raise ValueError("idle_timeout must be > 0 or None")
        if backoff_base < 0 or backoff_max < 0 or not 0 <= jitter <= 1:
            raise ValueError("backoff_base and backoff_max must be >= 0, jitter in [0, 1]")
        self._transport = transport
        self._path = path
        self._filters: list[tuple[str, str]] = [
            *(("types", t) for t in _frames.as_list(types)),
            *(("exclude", t) for t in _frames.as_list(exclude)),
        ]
        self._last_event_id = since_id or None
        self._max_retries = max_retries
        self._include_lifecycle = include_lifecycle
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._jitter = jitter
        self._max_event_bytes = max_event_bytes
        read = MAX_READ_TIMEOUT if idle_timeout is None else min(idle_timeout, MAX_READ_TIMEOUT)
        base = transport.config.timeout
        self._timeout = httpx.Timeout(
            connect=base.connect, read=read, write=base.write, pool=base.pool
        )
        # The open connection, if any.
        self._cm: contextlib.AbstractAsyncContextManager[httpx.Response] | None = None
        self._response: httpx.Response | None = None
        # The headers of the latest connection's response (kept after it closes).
        self._headers: httpx.Headers | None = None
        self._chunks: AsyncIterator[bytes] | None = None
        self._decoder = SSEDecoder(max_event_bytes=max_event_bytes)
        # Events decoded from the last chunk and not yet handed out.
        self._events: Iterator[RawServerSentEvent] = _NO_EVENTS
        # Reconnection state.
        self._failures = 0  # consecutive failed attempts, reset by `connected`/events
        self._connections = 0  # connection attempts so far
        self._planned_delay: float | None = None  # set by `disconnecting`
        self._delay = 0.0  # to wait before the next connection attempt
        self._stopped = False
        self._closed = False
        self._busy = False  # a call to __anext__ is in progress
        self._interrupted = False  # a read was cancelled: that response is unusable

    # -- public surface ---------------------------------------------------------------

    @property
    def last_event_id(self) -> str | None:
        """ID of the last event delivered (or the initial ``since_id``): the resume point."""
        return self._last_event_id

    @property
    def response_headers(self) -> httpx.Headers | None:
        """The response headers of the current (or, once closed, the latest) connection,
        e.g. its `x-request-id`; None before the first connection."""
        return self._headers

    @property
    def reconnects(self) -> int:
        """Connection attempts after the first one (planned cycles and retries alike)."""
        return max(0, self._connections - 1)

    @property
    def consecutive_failures(self) -> int:
        """Failed attempts since the last `connected` or delivered event."""
        return self._failures

    @property
    def stopped(self) -> bool:
        """True once `stop()` or `aclose()` was called, or the stream ended with an error."""
        return self._stopped

    def stop(self) -> None:
        """End the stream: no more reconnects; iteration ends once the current read
        returns, which is at once when the connection uses HTTP/1.1 (the socket is shut
        down). Safe to call from another task, and more than once."""
        self._stopped = True
        self._abort_socket()

    async def aclose(self) -> None:
        """Stop and release the connection. Idempotent. Called from another task while
        an iteration is in progress, it stops the stream and that iteration releases
        the connection as it ends."""
        self._stopped = True
        if self._closed:
            return
        if self._busy:
            self._abort_socket()
            return
        self._closed = True
        await self._close_connection()

    def __aiter__(self) -> EventStream:
        return self

    async def __aenter__(self) -> EventStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        # Best effort for a stream dropped without aclose(): let the server see the
        # disconnect now; httpx's own finalisers release the pooled connection.
        if getattr(self, "_response", None) is not None:
            self._abort_socket()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "stopped" if self._stopped else "open"
        return (
            f"<EventStream {self._path} {state} last_event_id={self._last_event_id!r} "
            f"reconnects={self.reconnects}>"
        )

    async def __anext__(self) -> Event:
        if self._busy:
            raise RuntimeError("this EventStream is already being iterated by another task")
        try:
            while True:
                # The hot path: events decoded from the last chunk. Nothing here awaits,
                # so no other task can interleave; the SSE `event:` field names the
                # class, which validates the data in one pass (JSON text to model).
                if self._stopped:
                    raise StopAsyncIteration
                for kind, data, sse_id, _ in self._events:
                    validate = _VALIDATORS.get(kind)
                    event: Event | None
                    if validate is None:
                        event = self._other(kind, data, sse_id, False)
                        if event is None:
                            continue  # a lifecycle event, consumed here (or malformed)
                    else:
                        try:
                            event = validate(data)
                        except ModelValidationError:
                            event = self._other(kind, data, sse_id, True)
                            if event is None:
                                continue  # malformed: logged and skipped
                    self._failures = 0
                    self._last_event_id = (
                        event.id or (sse_id and _frames.text(sse_id)) or self._last_event_id
                    )
                    return event
                self._busy = True
                try:
                    await self._advance()
                finally:
                    self._busy = False
        except Exception:
            # The end (StopAsyncIteration), a final API error or exhausted retries: the
            # stream is over.
            self._stopped = True
            self._closed = True
            self._busy = True
            try:
                await self._close_connection()
            finally:
                self._busy = False
            raise
        except BaseException:
            # Cancelled (e.g. by a timeout around __anext__): not the end of the stream.
            # If a read was in flight, httpx has given that response up: the next call
            # reconnects from the last delivered event, at once and without counting a
            # failure. Nothing is lost: undelivered bytes are fetched again.
            if self._chunks is not None:
                self._interrupted = True
            raise

    # -- the state machine ------------------------------------------------------------

    async def _advance(self) -> None:
        """One step when no decoded event is left: connect (after the delay owed), read
        and decode the next chunk, or wind up a connection that ended."""
        chunks = self._chunks
        if chunks is None:
            await self._connect()
            return
        if self._interrupted:
            self._interrupted = False
            await self._close_connection()
            return
        try:
            chunk = await chunks.__anext__()
        except StopAsyncIteration:
            await self._connection_ended(None)
            return
        except (httpx.RequestError, httpx.StreamError) as exc:
            await self._connection_ended(exc)
            return
        self._events = iter(self._decoder.feed_raw(chunk))

    def _other(
        self, name: bytes | None, data: bytes, sse_id: bytes, rejected: bool
    ) -> Event | None:
        """The event to deliver for a frame off the hot path (a lifecycle event, an
        unknown type, the first event of a type, data its class `rejected`), or None
        when it is consumed here."""
        kind = _frames.text(name) if name else "message"
        cls = EVENT_CLASSES.get(kind)
        rejected_by = cls if rejected else None
        if cls is not None and not rejected and kind not in LIFECYCLE_TYPES:
            # The first event of this type: its validator joins the hot path.
            validate = _VALIDATORS[name] = cls.__pydantic_validator__.validate_json
            try:
                event: Event = validate(data)
                return event
            except ModelValidationError:
                rejected_by = cls
        try:
            text = data.decode()
        except UnicodeDecodeError:
            # What the stream means (invalid UTF-8 reads as U+FFFD), which is not what
            # `rejected_by` saw: it may yet accept it.
            text = _frames.text(data)
            rejected_by = None
        if kind in LIFECYCLE_TYPES:
            payload = _frames.json_object(text)
            if kind == "connected":
                self._failures = 0
            else:
                self._planned_delay = self._planned_delay_from(payload)
            if not self._include_lifecycle:
                return None
            return _frames.lifecycle_event(
                kind, _frames.text(sse_id), payload, _frames.session_id_from_path(self._path)
            )
        try:
            # exactly parse_event(data), without trying `rejected_by` a second time
            return _parse_event(text, rejected_by)
        except EventDecodeError as exc:
            # One malformed event never ends a stream: it is logged and skipped.
            logger.warning(
                "%s",
                self._transport._scrub(
                    f"skipped a malformed {_frames.clip(kind)!r} event in the event stream "
                    f"(SSE id {_frames.clip(_frames.text(sse_id))!r}): {exc}"
                ),
            )
            return None

    def _planned_delay_from(self, payload: dict[str, Any]) -> float:
        retry_ms = payload.get("retry_ms")
        if isinstance(retry_ms, (int, float)) and not isinstance(retry_ms, bool) and retry_ms >= 0:
            return min(float(retry_ms) / 1000.0, self._backoff_max)
        if self._decoder.retry is not None:
            return min(self._decoder.retry / 1000.0, self._backoff_max)
        return DEFAULT_PLANNED_DELAY

    async def _connect(self) -> None:
        """Wait the delay owed, then open a connection (or record why it failed)."""
        if self._delay > 0:
            await self._sleep(self._delay)
            self._delay = 0.0
            if self._stopped:
                return
        params = list(self._filters)
        if self._last_event_id:
            params.insert(0, ("since_id", self._last_event_id))
        self._connections += 1
        if self._connections > 1:
            logger.debug(
                "event stream %s: reconnecting (since_id=%s, failures=%d)",
                self._path,
                self._last_event_id,
                self._failures,
            )
        cm = self._transport.stream(
            "GET",
            self._path,
            params=params,
            headers={"Accept": "text/event-stream", "Cache-Control": "no-cache"},
            timeout=self._timeout,
        )
        try:
            response = await cm.__aenter__()
        except ApiError as exc:
            status = exc.status_code
            if status in _RETRYABLE_STATUSES or status >= 500:
                self._failed(exc, exc.retry_after)
                return
            raise
        except APIConnectionError as exc:
            self._failed(exc, None)
            return
        self._cm = cm
        self._response = response
        self._headers = response.headers
        content_type = response.headers.get("content-type", "")
        if "text/event-stream" not in content_type.lower():
            raise ResponseValidationError(
                f"expected an event stream from {self._path}, got {content_type or 'no'} "
                "content type",
                status_code=response.status_code,
                request_id=response.headers.get("x-request-id"),
            )
        self._decoder = SSEDecoder(max_event_bytes=self._max_event_bytes)
        # The raw body when it is not compressed (SSE never is, in practice): one async
        # generator less per chunk than aiter_bytes(), which only decodes and re-chunks.
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("", "identity"):
            self._chunks = response.aiter_raw()
        else:
            self._chunks = response.aiter_bytes()
        if self._stopped:  # stop() came while connecting: the socket was not known yet
            self._abort_socket()

    async def _connection_ended(self, exc: BaseException | None) -> None:
        """The current connection ended (EOF when `exc` is None): close it, plan the next."""
        if exc is not None:  # its text may quote what a hostile server sent: the key too
            redact_exception_chain(exc, self._transport._redact)
        torn = self._decoder.pending_bytes
        await self._close_connection()
        if self._stopped:
            return
        if torn:
            logger.debug(
                "event stream %s: discarded %d bytes of an incomplete event", self._path, torn
            )
        if self._planned_delay is not None:
            # The server said `disconnecting`: a planned reconnect, never a failure.
            self._delay = self._planned_delay
            self._planned_delay = None
            return
        if exc is None:
            cause: EverrunsError = APIConnectionError(
                "the event stream ended without a 'disconnecting' event"
            )
        elif isinstance(exc, httpx.TimeoutException):
            cause = APITimeoutError(
                f"no data on the event stream for {self._timeout.read:g} s "
                f"(idle timeout, {type(exc).__name__})"
            )
            cause.__cause__ = exc
        else:
            cause = APIConnectionError(
                f"the event stream connection failed ({type(exc).__name__}: {exc})"
            )
            cause.__cause__ = exc
        self._failed(cause, None)

    def _failed(self, cause: EverrunsError, retry_after: float | None) -> None:
        """Count one failed attempt; raise when the retries are exhausted, else set
        the backoff delay."""
        self._failures += 1
        n = self._failures
        if self._max_retries is not None and n > self._max_retries:
            raise StreamRetriesExhaustedError(
                f"event stream {self._path}: {n} consecutive connection attempts failed "
                f"(max_retries={self._max_retries}); last error: {cause}",
                attempts=n,
            ) from cause
        delay = self._policy.delay(
            n - 1, first=self._backoff_base, cap=self._backoff_max, jitter=self._jitter
        )
        if retry_after is not None and retry_after > delay:
            # The limit the request pipeline also keeps (it raises beyond it; a stream
            # has no caller to raise to between events, so it waits that long at most).
            delay = min(retry_after, self._policy.max_retry_after)
        self._delay = delay
        logger.debug(
            _retry.STREAM_RETRY_MESSAGE,
            self._path,
            cause,
            n,
            delay,
        )

    async def _sleep(self, seconds: float) -> None:
        """Sleep, in slices so that stop() from another task is noticed quickly."""
        while seconds > 0 and not self._stopped:
            step = min(seconds, _STOP_POLL)
            await _aio.sleep(step)
            seconds -= step

    async def _close_connection(self) -> None:
        cm = self._cm
        self._cm = None
        self._response = None
        self._chunks = None
        self._events = _NO_EVENTS
        if cm is not None:
            try:
                await cm.__aexit__(None, None, None)
            except Exception as exc:  # closing a broken connection may fail: nothing to do
                logger.debug("event stream %s: error while closing: %r", self._path, exc)

    def _abort_socket(self) -> None:
        """Shut the socket of the current HTTP/1.1 response down, so that a read blocked
        in another task (or thread) returns now. Synchronous, never raises."""
        try:
            response = self._response
            if response is None or response.http_version != "HTTP/1.1":
                return  # HTTP/2 shares the connection with other requests: leave it be
            stream = response.extensions.get("network_stream")
            # a socket.socket (sync) or asyncio's TransportSocket: both have shutdown()
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception:  # already closed, or torn down at interpreter exit
            pass
