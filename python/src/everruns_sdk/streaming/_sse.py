"""Incremental Server-Sent Events decoder: bytes in, raw events out.

Implements the event-stream interpretation rules of the WHATWG HTML standard
(section 9.2.6, "Interpreting an event stream"):

- the stream is UTF-8; invalid sequences decode to U+FFFD (never an error) and one
  leading byte order mark is dropped;
- a line ends at CRLF, LF or a lone CR, also when the CR and the LF of a CRLF arrive in
  different chunks (that pair is one line ending, not two);
- a line starting with ``:`` is a comment (counted in `SSEDecoder.comments`, so
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

Speed: this is the hot path of every event stream, so the decoder works on bytes and
decodes nothing it does not have to. CR and CRLF become LF through two C-level
``bytes.replace`` calls, and only when the chunk holds a CR. An event in the usual shape
(``event: T``, ``id: ID``, one ``data: JSON`` line, a blank line; the first two
optional) is taken whole by one precompiled regular expression, anchored where the
previous event ended; any other line (a comment, ``retry``, several ``data`` lines, other
spacing or order) goes through the general rules, one ``bytes.partition`` per line, up
to the next blank line. `SSEDecoder.feed_raw` hands events out with their
fields still UTF-8 bytes (JSON parsers read bytes directly, so the data of an event is
never decoded and re-encoded); `SSEDecoder.feed` decodes them. Decoding a field on
its own equals decoding the stream as a whole: fields are cut at line ends and at ASCII
``:`` and space, which never occur inside a UTF-8 sequence and end an invalid one either
way. There is no per-byte Python loop.

Memory is bounded: an unterminated line or the ``data`` of an event larger than
``max_event_bytes`` (counted in bytes) raises `SSEProtocolError` instead of
growing forever.
"""

from __future__ import annotations

import re
from typing import NamedTuple, TypeAlias

from everruns_sdk._errors import EverrunsError

__all__ = [
    "DEFAULT_MAX_EVENT_BYTES",
    "RawServerSentEvent",
    "SSEDecoder",
    "SSEProtocolError",
    "ServerSentEvent",
]

DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024

_BOM = b"\xef\xbb\xbf"
# A `retry:` value longer than this is ignored (an int that large means nothing, and
# converting a huge digit string is slow or, past sys.get_int_max_str_digits(), an error).
_MAX_RETRY_DIGITS = 15
# One whole event in the usual shape, from the start of a line while no event is being
# assembled: optional `event: T`, optional `id: ID` (without NUL), one `data: ...` line,
# a blank line. Exactly what the general rules make of those lines.
_FRAME = re.compile(rb"(?:event: ([^\n]*)\n)?(?:id: ([^\n\x00]*)\n)?data: ([^\n]*)\n\n")


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


#: A `ServerSentEvent` whose fields are still the UTF-8 bytes of the stream (decode
#: them with ``errors="replace"``): ``(event, data, id, retry)``, a plain tuple (cheaper
#: to build than a named one). ``event`` is ``None`` or ``b""`` when the event names no
#: type (that is, ``"message"``).
RawServerSentEvent: TypeAlias = "tuple[bytes | None, bytes, bytes, int | None]"


_new_event = tuple.__new__  # builds a NamedTuple in C, skipping its __new__


def _text(value: bytes) -> str:
    return str(value, "utf-8", "replace")


class SSEDecoder:
    """Turns chunks of an event stream into `ServerSentEvent` objects.

    Use one decoder per HTTP response. ``feed`` never raises on malformed input: the
    only error is `SSEProtocolError` when ``max_event_bytes`` is exceeded (by an
    unterminated line or by the data of one event, both counted in bytes), after which
    the decoder must be discarded.
    """

    __slots__ = (
        "_bom_prefix",
        "_data",
        "_data_size",
        "_event",
        "_event_retry",
        "_id_string",
        "_last_id",
        "_max",
        "_skip_lf",
        "_tail",
        "_tail_size",
        "comments",
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
        # The unterminated last line (CR-normalised), in pieces.
        self._tail: list[bytes] = []
        self._tail_size = 0
        # Fields of the event being assembled, kept between feeds.
        self._data: list[bytes] | None = None
        self._data_size = 0  # bytes in self._data, +1 per line (set between feeds)
        self._event: bytes | None = None
        self._event_retry: int | None = None
        # The spec's "last event ID buffer" and "last event ID string" (the latter is
        # set at each blank line, with or without data).
        self._last_id = b""
        self._id_string = b""
        #: The last valid ``retry`` value received (milliseconds), or None.
        self.retry: int | None = None
        #: Number of comment lines received (``: heartbeat`` and the like).
        self.comments = 0

    @property
    def last_event_id(self) -> str:
        """The spec's "last event ID string": the ID of the last event dispatched (or of
        the last blank line); ``""`` until the server sets one."""
        return _text(self._id_string)

    @property
    def pending_bytes(self) -> int:
        """Size of an event or line received but not yet terminated (0 between events)."""
        return self._tail_size + self._data_size

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode one chunk; return the events it completes (often several, maybe none)."""
        return [
            _new_event(
                ServerSentEvent,
                (_text(event) if event else "message", _text(data), _text(id_), retry),
            )
            for event, data, id_, retry in self.feed_raw(chunk)
        ]

    def feed_raw(self, chunk: bytes) -> list[RawServerSentEvent]:
        """Like `feed`, with the fields of each event left as UTF-8 bytes."""
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
        return self._process(chunk, cut + 1)

    def _strip_bom(self, chunk: bytes) -> bytes:
        prefix = self._bom_prefix
        buf = prefix + chunk if prefix else chunk
        if len(buf) < len(_BOM) and _BOM.startswith(buf):
            self._bom_prefix = buf  # could still become a BOM: wait for more bytes
            return b""
        self._bom_prefix = None
        return buf[len(_BOM) :] if buf.startswith(_BOM) else buf

    def _process(self, buf: bytes, end: int) -> list[RawServerSentEvent]:
        """Interpret the complete lines `buf[:end]` (each ends with LF)."""
        # The state lives in locals during the loop and is written back once at the end.
        events: list[RawServerSentEvent] = []
        append_event = events.append
        data = carried = self._data
        carried_lines = len(data) if data is not None else 0
        event = self._event
        event_retry = self._event_retry
        last_id = self._last_id
        id_string = self._id_string
        limit = self._max
        comments = 0
        pos = 0
        while pos < end:
            if data is None and not event and event_retry is None:
                # Between events: events in the usual shape are taken whole, one after
                # the other. A scanner's match() is anchored where the last one ended
                # (`Pattern.scanner` is what the stdlib's own `re.Scanner` uses).
                next_frame = _FRAME.scanner(buf, pos, end).match  # type: ignore[attr-defined]
                frame = next_frame()
                if frame is not None:
                    check_size = end - pos > limit  # else no event here can be too large
                    while frame is not None:
                        name, new_id, value = frame.groups()
                        if new_id is not None:
                            last_id = new_id
                        if check_size and len(value) > limit:
                            raise SSEProtocolError(f"event stream event larger than {limit} bytes")
                        append_event((name, value, last_id, None))
                        last = frame
                        frame = next_frame()
                    id_string = last_id
                    pos = last.end()
                    if pos >= end:
                        break
            # The general rules, for the lines up to and including the next blank one.
            if buf[pos] == 10:  # a blank line right here
                stop = pos + 1
            else:
                stop = buf.find(b"\n\n", pos, end) + 2
                if stop == 1:
                    stop = end  # no blank line: every line left
            lines = buf[pos : stop - 1].split(b"\n")
            pos = stop
            for line in lines:
                if not line:  # blank line: dispatch
                    id_string = last_id
                    if data is not None:
                        value = data[0] if len(data) == 1 else b"\n".join(data)
                        if len(value) > limit:
                            raise SSEProtocolError(f"event stream event larger than {limit} bytes")
                        append_event((event, value, id_string, event_retry))
                        data = None
                    event = None
                    event_retry = None
                    continue
                # Fast split for the usual "name: value"; the exact rule (split at the
                # first colon, then drop one leading space) when that does not apply.
                name, sep, value = line.partition(b": ")
                if not sep or b":" in name:
                    name, _, value = line.partition(b":")
                    if value[:1] == b" ":
                        value = value[1:]
                if name == b"data":
                    if data is None:
                        data = [value]
                    else:
                        data.append(value)
                elif name == b"event":
                    event = value
                elif name == b"id":
                    if b"\x00" not in value:
                        last_id = value
                elif not name:
                    comments += 1
                elif (
                    name == b"retry"
                    and value.isdigit()  # ASCII digits only, for bytes
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
        self._id_string = id_string
        if comments:
            self.comments += comments
        return events
