"""Incremental Server-Sent Events decoder: bytes in, raw events out.

Implements the event-stream interpretation rules of the WHATWG HTML standard
(section 9.2.6, "Interpreting an event stream"):

- the stream is UTF-8; invalid sequences decode to U+FFFD (never an error) and one
  leading byte order mark is dropped;
- a line ends at CRLF, LF or a lone CR, also when the CR and the LF of a CRLF arrive in
  different chunks (that pair is one line ending, not two);
- a line starting with ``:`` is a comment (counted in :attr:`SSEDecoder.comments`, so
  a reader can tell that the connection is alive);
- ``name: value`` sets a field (one space after the colon is dropped); a line without a
  colon is a field with an empty value; unknown fields are ignored;
- ``data`` lines are joined with ``\\n``; ``event`` sets the type (``message`` when
  empty); ``id`` sets the last event ID unless it contains U+0000, and that ID persists
  for later events; ``retry`` is honoured only when it is all ASCII digits;
- an empty line dispatches the event, unless no ``data`` arrived (then only the last
  event ID is updated);
- an event not terminated by an empty line when the stream ends is never delivered:
  the decoder only emits events whose blank line it has seen, so a torn event simply
  stays in the buffer and dies with the decoder.

Speed: this is the hot path of every event stream. The decoder works on whole chunks:
CR and CRLF become LF through two C-level ``bytes.replace`` calls, and only when the
chunk holds a CR; the complete lines of a chunk are decoded from UTF-8 in one call and
split with ``str.split``; each line is cut once with ``str.partition``; an event is
built as a tuple in C. There is no per-byte Python loop and no regular expression.
(Decoding all complete lines at once equals decoding the stream as a whole: a line end
byte never occurs inside a UTF-8 sequence, and it ends an invalid one either way.)

Memory is bounded: an unterminated line or the ``data`` of an event larger than
``max_event_bytes`` raises :class:`SSEProtocolError` instead of growing forever.
"""

from __future__ import annotations

from typing import NamedTuple

from everruns_sdk._errors import EverrunsError

__all__ = ["DEFAULT_MAX_EVENT_BYTES", "SSEDecoder", "SSEProtocolError", "ServerSentEvent"]

DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024

_BOM = b"\xef\xbb\xbf"
# A `retry:` value longer than this is ignored (an int that large means nothing, and
# converting a huge digit string is slow or, past sys.get_int_max_str_digits(), an error).
_MAX_RETRY_DIGITS = 15


class SSEProtocolError(EverrunsError):
    """The event stream broke a limit of the decoder (a line or event too large)."""


class ServerSentEvent(NamedTuple):
    """One dispatched event, before any JSON parsing.

    ``id`` is the stream's last event ID at dispatch time (it persists across events
    that carry no ``id`` field; ``""`` until the server sets one). ``retry`` is the
    value of a valid ``retry`` field received within this event, else ``None``.
    """

    event: str
    data: str
    id: str
    retry: int | None


_new_event = tuple.__new__  # builds the NamedTuple in C, skipping ServerSentEvent.__new__


class SSEDecoder:
    """Turns chunks of an event stream into :class:`ServerSentEvent` objects.

    Use one decoder per HTTP response. ``feed`` never raises on malformed input: the
    only error is :class:`SSEProtocolError` when ``max_event_bytes`` is exceeded (by an
    unterminated line, counted in bytes, or by the data of one event, counted in
    decoded characters), after which the decoder must be discarded.
    """

    __slots__ = (
        "_bom_prefix",
        "_data",
        "_data_size",
        "_event",
        "_event_retry",
        "_last_id",
        "_max",
        "_skip_lf",
        "_tail",
        "_tail_size",
        "comments",
        "last_event_id",
        "retry",
    )

    def __init__(self, *, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        if max_event_bytes <= 0:
            raise ValueError("max_event_bytes must be positive")
        self._max = max_event_bytes
        # Bytes held back at the very start while they may still be a split BOM;
        # None once the BOM question is settled.
        self._bom_prefix: bytes | None = b""
        # True when the previous chunk ended with CR: a LF starting the next chunk is
        # the second half of that CRLF and must be dropped.
        self._skip_lf = False
        # The unterminated last line (CR-normalised, not yet decoded), in pieces.
        self._tail: list[bytes] = []
        self._tail_size = 0
        # Fields of the event being assembled, kept between feeds.
        self._data: list[str] | None = None
        self._data_size = 0  # characters in self._data, +1 per line (set between feeds)
        self._event = ""
        self._event_retry: int | None = None
        # The spec's "last event ID buffer".
        self._last_id = ""
        #: The spec's "last event ID string": set at each blank line, with or without data.
        self.last_event_id = ""
        #: The last valid ``retry`` value received (milliseconds), or None.
        self.retry: int | None = None
        #: Number of comment lines received (``: heartbeat`` and the like).
        self.comments = 0

    @property
    def pending_bytes(self) -> int:
        """Size of an event or line received but not yet terminated (0 between events)."""
        return self._tail_size + self._data_size

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode one chunk; return the events it completes (often several, maybe none)."""
        if self._bom_prefix is not None:
            chunk = self._strip_bom(chunk)
        if self._skip_lf:
            if not chunk:
                return []
            self._skip_lf = False
            if chunk[0] == 10:  # b"\n": second half of a CRLF split across chunks
                chunk = chunk[1:]
        if b"\r" in chunk:
            if chunk[-1] == 13:  # b"\r": a LF may follow in the next chunk
                self._skip_lf = True
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        cut = chunk.rfind(b"\n")
        if cut < 0:
            if chunk:
                self._tail.append(chunk)
                self._tail_size += len(chunk)
                if self._tail_size > self._max:
                    raise SSEProtocolError(
                        f"event stream line longer than {self._max} bytes without a line end"
                    )
            return []
        tail = self._tail
        if tail:
            cut += self._tail_size
            tail.append(chunk)
            chunk = b"".join(tail)
            tail.clear()
        rest = len(chunk) - cut - 1
        if rest:
            if rest > self._max:
                raise SSEProtocolError(
                    f"event stream line longer than {self._max} bytes without a line end"
                )
            tail.append(chunk[cut + 1 :])
        self._tail_size = rest
        # Only complete lines are decoded, and a line end is never inside a UTF-8
        # sequence, so decoding them in one go equals decoding the stream as a whole.
        return self._process(str(memoryview(chunk)[:cut], "utf-8", "replace").split("\n"))

    def _strip_bom(self, chunk: bytes) -> bytes:
        prefix = self._bom_prefix
        buf = prefix + chunk if prefix else chunk
        if len(buf) < len(_BOM) and _BOM.startswith(buf):
            self._bom_prefix = buf  # could still become a BOM: wait for more bytes
            return b""
        self._bom_prefix = None
        return buf[len(_BOM) :] if buf.startswith(_BOM) else buf

    def _process(self, lines: list[str]) -> list[ServerSentEvent]:
        # The state lives in locals during the loop and is written back once at the end.
        events: list[ServerSentEvent] = []
        append_event = events.append
        data = carried = self._data
        carried_lines = len(data) if data is not None else 0
        event = self._event
        event_retry = self._event_retry
        last_id = self._last_id
        id_string = self.last_event_id
        limit = self._max
        comments = 0
        for line in lines:
            if not line:  # blank line: dispatch
                id_string = last_id
                if data is not None:
                    text = data[0] if len(data) == 1 else "\n".join(data)
                    if len(text) > limit:
                        raise SSEProtocolError(f"event stream event larger than {limit} bytes")
                    append_event(
                        _new_event(
                            ServerSentEvent, (event or "message", text, id_string, event_retry)
                        )
                    )
                    data = None
                event = ""
                event_retry = None
                continue
            # Fast split for the usual "name: value"; the exact rule (split at the
            # first colon, then drop one leading space) when that does not apply.
            name, sep, value = line.partition(": ")
            if not sep or ":" in name:
                name, _, value = line.partition(":")
                if value[:1] == " ":
                    value = value[1:]
            if name == "data":
                if data is None:
                    data = [value]
                else:
                    data.append(value)
            elif name == "event":
                event = value
            elif name == "id":
                if "\x00" not in value:
                    last_id = value
            elif not name:
                comments += 1
            elif (
                name == "retry"
                and value.isdigit()
                and value.isascii()
                and len(value) <= _MAX_RETRY_DIGITS
            ):
                event_retry = self.retry = int(value)
        # An event that continues into the next chunk: bound what it may accumulate.
        # Sizes are counted here, once per feed and only for lines added by this feed,
        # rather than on every data line.
        data_size = 0
        if data is not None:
            if data is carried:
                new_lines = data[carried_lines:]
                data_size = self._data_size + sum(map(len, new_lines)) + len(new_lines)
            else:
                data_size = sum(map(len, data)) + len(data)
            if data_size > limit:
                raise SSEProtocolError(f"event stream event larger than {limit} bytes")
        self._data = data
        self._data_size = data_size
        self._event = event
        self._event_retry = event_retry
        self._last_id = last_id
        self.last_event_id = id_string
        if comments:
            self.comments += comments
        return events
