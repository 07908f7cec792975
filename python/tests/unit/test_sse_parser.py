"""The SSE decoder against the WHATWG event-stream rules, one rule per test, plus
properties: any chunking gives the same events, arbitrary bytes never break it."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everruns_sdk.streaming._sse import ServerSentEvent, SSEDecoder, SSEProtocolError


def decode(*chunks: bytes, **kwargs: int) -> list[ServerSentEvent]:
    decoder = SSEDecoder(**kwargs)
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    return events


def datas(*chunks: bytes) -> list[str]:
    return [e.data for e in decode(*chunks)]


# -- line endings -----------------------------------------------------------------------


def test_lf_line_endings() -> None:
    assert decode(b"event: a\ndata: x\n\n") == [ServerSentEvent("a", "x", "", None)]


def test_crlf_line_endings() -> None:
    assert decode(b"event: a\r\ndata: x\r\n\r\n") == [ServerSentEvent("a", "x", "", None)]


def test_lone_cr_line_endings() -> None:
    assert decode(b"event: a\rdata: x\r\r") == [ServerSentEvent("a", "x", "", None)]


def test_mixed_line_endings() -> None:
    assert datas(b"data: a\rdata: b\r\ndata: c\n\r\n") == ["a\nb\nc"]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    # Were the LF a second line end, "a" would be dispatched alone.
    assert datas(b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n") == ["a\nb"]


def test_cr_at_chunk_end_followed_by_cr_is_two_line_ends() -> None:
    assert datas(b"data: a\r", b"\rdata: b\n\n") == ["a", "b"]


def test_cr_at_chunk_end_then_empty_chunk_then_lf() -> None:
    assert datas(b"data: a\r", b"", b"\n", b"data: b\n\n") == ["a\nb"]


def test_cr_at_chunk_end_terminates_the_line_at_once() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\r") == [ServerSentEvent("message", "a", "", None)]


# -- encoding ---------------------------------------------------------------------------


def test_invalid_utf8_becomes_replacement_character() -> None:
    assert datas(b"data: a\xffb\xc3\n\n") == ["a\ufffdb\ufffd"]


def test_multibyte_character_split_across_chunks() -> None:
    encoded = "data: h\u00e9\u20ac\U0001f600\n\n".encode()
    for cut in range(len(encoded) + 1):
        assert datas(encoded[:cut], encoded[cut:]) == ["h\u00e9\u20ac\U0001f600"]


def test_leading_bom_is_stripped() -> None:
    assert decode(b"\xef\xbb\xbfevent: a\ndata: x\n\n") == [ServerSentEvent("a", "x", "", None)]


def test_leading_bom_split_across_chunks_is_stripped() -> None:
    assert datas(b"\xef", b"\xbb", b"\xbfdata: x\n\n") == ["x"]


def test_bom_is_stripped_only_once() -> None:
    # A second BOM is part of the first line: the field "\ufeffdata" is unknown.
    assert datas(b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\ndata: y\n\n") == ["y"]


def test_bom_later_in_the_stream_is_kept() -> None:
    assert datas(b"data: a\n\n\xef\xbb\xbfdata: b\n\ndata: \xef\xbb\xbfc\n\n") == ["a", "\ufeffc"]


def test_partial_bom_that_is_not_a_bom_is_data() -> None:
    assert datas(b"\xef", b"data: x\n\n") == []  # "\ufffddata" is an unknown field
    assert datas(b"\xef\xbb", b"\n", b"data: x\n\n") == ["x"]


# -- comments and fields ---------------------------------------------------------------


def test_comment_is_ignored_and_counted() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b": heartbeat\n") == []
    assert decoder.comments == 1
    assert decoder.feed(b":\n:x\ndata: a\n\n") == [ServerSentEvent("message", "a", "", None)]
    assert decoder.comments == 3


def test_comment_is_counted_before_any_blank_line() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n: still alive\n")
    assert decoder.comments == 1


def test_field_without_colon_has_empty_value() -> None:
    assert decode(b"data\n\n") == [ServerSentEvent("message", "", "", None)]
    assert decode(b"event\ndata: x\n\n") == [ServerSentEvent("message", "x", "", None)]


def test_one_space_after_colon_is_stripped() -> None:
    assert datas(b"data: x\n\n", b"data:x\n\n", b"data:  x\n\n", b"data:\tx\n\n") == [
        "x",
        "x",
        " x",
        "\tx",
    ]


def test_value_may_contain_colons() -> None:
    assert datas(b"data: a: b\n\ndata:x: y\n\ndata::\n\n") == ["a: b", "x: y", ":"]


def test_field_names_are_case_sensitive() -> None:
    assert datas(b"Data: x\n\nDATA: y\n\n") == []


def test_data_lines_are_joined_with_newline() -> None:
    assert datas(b"data: a\ndata: b\ndata: c\n\n") == ["a\nb\nc"]


def test_only_the_final_newline_of_data_is_removed() -> None:
    assert datas(b"data\ndata\n\n") == ["\n"]
    assert datas(b"data:\n\n") == [""]


def test_event_type_defaults_to_message() -> None:
    assert [e.event for e in decode(b"data: a\n\nevent:\ndata: b\n\nevent: x\ndata: c\n\n")] == [
        "message",
        "message",
        "x",
    ]


def test_event_type_does_not_leak_into_the_next_event() -> None:
    assert [e.event for e in decode(b"event: x\ndata: a\n\ndata: b\n\n")] == ["x", "message"]


def test_event_type_without_data_is_forgotten() -> None:
    assert [e.event for e in decode(b"event: x\n\ndata: b\n\n")] == ["message"]


def test_last_field_wins() -> None:
    assert decode(b"event: a\nevent: b\nid: 1\nid: 2\ndata: x\n\n") == [
        ServerSentEvent("b", "x", "2", None)
    ]


def test_id_sets_the_event_id() -> None:
    assert decode(b"id: event_1\ndata: a\n\n") == [ServerSentEvent("message", "a", "event_1", None)]


def test_id_persists_across_events() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"id: 1\ndata: a\n\ndata: b\n\n")
    assert [e.id for e in events] == ["1", "1"]
    assert decoder.last_event_id == "1"


def test_empty_id_resets_the_last_event_id() -> None:
    assert [e.id for e in decode(b"id: 1\ndata: a\n\nid\ndata: b\n\n")] == ["1", ""]


def test_id_containing_nul_is_ignored() -> None:
    assert [e.id for e in decode(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n")] == ["1", "1"]


def test_id_without_data_updates_last_event_id_but_dispatches_nothing() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"id: 7\n\n") == []
    assert decoder.last_event_id == "7"
    assert decoder.feed(b"data: a\n\n") == [ServerSentEvent("message", "a", "7", None)]


def test_id_of_an_unterminated_event_is_not_yet_the_last_event_id() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"id: 1\ndata: a\n\nid: 2\ndata: b\n")
    assert decoder.last_event_id == "1"


def test_retry_with_digits_is_kept() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"retry: 1500\ndata: a\n\n") == [ServerSentEvent("message", "a", "", 1500)]
    assert decoder.retry == 1500
    assert decoder.feed(b"data: b\n\n")[0].retry is None  # per event; decoder keeps 1500
    assert decoder.retry == 1500


def test_retry_without_data_still_sets_the_reconnection_time() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"retry: 250\n\n") == []
    assert decoder.retry == 250


@pytest.mark.parametrize(
    "value",
    [b"", b"  10", b" 10 ", b"1.5", b"-1", b"+1", b"1e3", b"abc", "\u0661\u0662".encode()],
)
def test_retry_that_is_not_only_ascii_digits_is_ignored(value: bytes) -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"retry: 1\n\nretry:" + value + b"\ndata: a\n\n")
    assert decoder.retry == 1
    assert events[0].retry is None


def test_absurdly_long_retry_is_ignored_without_error() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"retry: " + b"9" * 10_000 + b"\ndata: a\n\n")
    assert decoder.retry is None


def test_unknown_fields_are_ignored() -> None:
    assert decode(b"foo: bar\ndata: a\nbaz\n\n") == [ServerSentEvent("message", "a", "", None)]


def test_blank_line_without_data_dispatches_nothing() -> None:
    assert decode(b"\n\n\nevent: x\n\n: c\n\n") == []


def test_dispatch_happens_on_the_blank_line_only() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n") == []
    assert decoder.feed(b"data: b") == []
    assert decoder.feed(b"\n") == []
    assert decoder.feed(b"\n") == [ServerSentEvent("message", "a\nb", "", None)]


def test_unterminated_event_at_end_of_stream_is_never_delivered() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\ndata: torn\nid: 9\n") == [
        ServerSentEvent("message", "a", "", None)
    ]
    assert decoder.pending_bytes > 0  # end of stream here: the torn event dies with it


def test_pending_bytes_is_zero_between_events() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\n")
    assert decoder.pending_bytes == 0


# -- limits -----------------------------------------------------------------------------


def test_endless_line_raises_protocol_error() -> None:
    decoder = SSEDecoder(max_event_bytes=1000)
    with pytest.raises(SSEProtocolError):
        for _ in range(100):
            decoder.feed(b"x" * 100)


def test_endless_line_in_one_chunk_raises_protocol_error() -> None:
    with pytest.raises(SSEProtocolError):
        decode(b"data: a\n" + b"x" * 2000, max_event_bytes=1000)


def test_event_with_endless_data_lines_raises_protocol_error() -> None:
    decoder = SSEDecoder(max_event_bytes=1000)
    with pytest.raises(SSEProtocolError):
        for _ in range(1000):
            decoder.feed(b"data: 0123456789\n")


def test_big_event_in_one_chunk_raises_protocol_error() -> None:
    with pytest.raises(SSEProtocolError):
        decode(b"data: " + b"x" * 2000 + b"\n\n", max_event_bytes=1000)


def test_events_within_the_limit_pass_in_any_number() -> None:
    decoder = SSEDecoder(max_event_bytes=1000)
    for _ in range(100):
        assert len(decoder.feed(b"data: " + b"x" * 900 + b"\n\n")) == 1


def test_protocol_error_is_an_everruns_error() -> None:
    from everruns_sdk._errors import EverrunsError

    assert issubclass(SSEProtocolError, EverrunsError)


def test_max_event_bytes_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SSEDecoder(max_event_bytes=0)


# -- properties -------------------------------------------------------------------------


def reference(stream: bytes) -> tuple[list[ServerSentEvent], str, int | None, int]:
    """A direct, slow transcription of the WHATWG algorithm (character by character)."""
    text = stream.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = re.split("\r\n|\r|\n", text)
    lines.pop()  # the text after the last line end is not a complete line
    events: list[ServerSentEvent] = []
    data, event_type, id_buffer, last_id = "", "", "", ""
    retry: int | None = None
    event_retry: int | None = None
    comments = 0
    for line in lines:
        if line == "":
            last_id = id_buffer
            if data == "":
                event_type, event_retry = "", None
                continue
            events.append(ServerSentEvent(event_type or "message", data[:-1], last_id, event_retry))
            data, event_type, event_retry = "", "", None
        elif line.startswith(":"):
            comments += 1
        else:
            field, colon, value = line.partition(":")
            if colon and value.startswith(" "):
                value = value[1:]
            if field == "event":
                event_type = value
            elif field == "data":
                data += value + "\n"
            elif field == "id":
                if "\x00" not in value:
                    id_buffer = value
            elif (
                field == "retry"
                and value
                and all(c in "0123456789" for c in value)
                and len(value) <= 15
            ):
                retry = event_retry = int(value)
    return events, last_id, retry, comments


def run(chunks: list[bytes]) -> tuple[list[ServerSentEvent], str, int | None, int]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    return events, decoder.last_event_id, decoder.retry, decoder.comments


_line_ends = st.sampled_from(["\n", "\r\n", "\r"])
_values = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"),
    max_size=12,
)
_lines = st.one_of(
    st.builds(lambda v: "data:" + v, _values),
    st.builds(lambda v: "data: " + v, _values),
    st.builds(lambda v: "event: " + v, _values),
    st.builds(lambda v: "id: " + v, st.one_of(_values, st.just("a\x00b"))),
    st.builds(lambda v: "retry: " + v, st.one_of(_values, st.integers(0, 10**6).map(str))),
    st.builds(lambda v: ":" + v, _values),
    st.just("data"),
    st.just(""),
    _values,
)


@st.composite
def sse_streams(draw: st.DrawFn) -> bytes:
    parts = ["\ufeff"] if draw(st.booleans()) else []
    for line in draw(st.lists(_lines, max_size=25)):
        parts.append(line + draw(_line_ends))
    if draw(st.booleans()):
        parts.append(draw(_values))  # a torn last line
    return "".join(parts).encode()


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    bounds = [0, *sorted(c % (len(data) + 1) for c in cuts), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(sse_streams())
def test_matches_reference_and_every_two_chunk_split_agrees(stream: bytes) -> None:
    expected = reference(stream)
    assert run([stream]) == expected
    for cut in range(len(stream) + 1):
        assert run([stream[:cut], stream[cut:]]) == expected, cut


@settings(max_examples=300)
@given(sse_streams(), st.lists(st.integers(min_value=0), max_size=30))
def test_random_chunkings_agree(stream: bytes, cuts: list[int]) -> None:
    assert run(_split(stream, cuts)) == reference(stream)


@settings(max_examples=100)
@given(sse_streams())
def test_byte_at_a_time_agrees(stream: bytes) -> None:
    assert run([stream[i : i + 1] for i in range(len(stream))]) == reference(stream)


@settings(max_examples=500)
@given(st.binary(max_size=400), st.lists(st.integers(min_value=0), max_size=20))
def test_arbitrary_bytes_match_the_reference(data: bytes, cuts: list[int]) -> None:
    assert run(_split(data, cuts)) == reference(data)


_noise = st.binary(max_size=64) | st.sampled_from(
    [b"\r", b"\n", b"\r\n", b":", b"data: ", b"id: \x00", b"retry: 9", b"\xef\xbb\xbf", b"\xff"]
)


@settings(max_examples=500)
@given(st.lists(_noise, max_size=60), st.integers(min_value=1, max_value=200))
def test_arbitrary_bytes_raise_nothing_but_protocol_error(
    chunks: list[bytes], max_event_bytes: int
) -> None:
    decoder = SSEDecoder(max_event_bytes=max_event_bytes)
    try:
        for chunk in chunks:
            for event in decoder.feed(chunk):
                assert isinstance(event.data, str)
                assert len(event.data) <= max_event_bytes
    except SSEProtocolError:
        pass


# -- the usual-shape fast path ----------------------------------------------------------
# Frames shaped `event:`/`id:`/`data:` + blank line are taken whole by one regular
# expression; everything else goes through the general rules. Both must agree with the
# reference, whatever comes before and after, and however the bytes are cut.

_usual_frames = st.builds(
    lambda event, id_, data: (
        (f"event: {event}\n" if event is not None else "")
        + (f"id: {id_}\n" if id_ is not None else "")
        + f"data: {data}\n\n"
    ),
    st.none() | _values,
    st.none() | _values | st.just("a\x00b"),
    _values,
)


@st.composite
def mostly_usual_streams(draw: st.DrawFn) -> bytes:
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 3)):
            parts.append(draw(_usual_frames))
        else:
            parts.append(draw(_lines) + draw(_line_ends))
    return "".join(parts).encode()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mostly_usual_streams(), st.lists(st.integers(min_value=0), max_size=10))
def test_usual_frames_mixed_with_anything_match_the_reference(
    stream: bytes, cuts: list[int]
) -> None:
    expected = reference(stream)
    assert run([stream]) == expected
    assert run(_split(stream, cuts)) == expected
    for cut in range(0, len(stream) + 1, 7):
        assert run([stream[:cut], stream[cut:]]) == expected, cut


def test_usual_frames_after_an_unfinished_event_continue_it() -> None:
    # `data: a` is still open when a usual frame follows: its lines join that event.
    assert decode(b"data: a\n", b"event: x\nid: 1\ndata: b\n\nevent: y\ndata: c\n\n") == [
        ServerSentEvent("x", "a\nb", "1", None),
        ServerSentEvent("y", "c", "1", None),
    ]


def test_usual_frame_fields_keep_their_exact_values() -> None:
    assert decode(b"event: \nid: \ndata: \n\nevent:  t\nid:  i\ndata:  d\n\n") == [
        ServerSentEvent("message", "", "", None),
        ServerSentEvent(" t", " d", " i", None),
    ]


def test_usual_frame_with_a_nul_in_its_id_keeps_the_previous_id() -> None:
    assert [e.id for e in decode(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n")] == ["1", "1"]


def test_retry_and_comments_between_usual_frames() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(
        b"event: a\nid: 1\ndata: x\n\n: ping\n\nretry: 5\nevent: b\ndata: y\n\nid: 2\ndata: z\n\n"
    )
    assert events == [
        ServerSentEvent("a", "x", "1", None),
        ServerSentEvent("b", "y", "1", 5),
        ServerSentEvent("message", "z", "2", None),
    ]
    assert (decoder.comments, decoder.retry, decoder.last_event_id) == (1, 5, "2")


def test_feed_raw_leaves_fields_as_utf8_bytes() -> None:
    decoder = SSEDecoder()
    raw = decoder.feed_raw(b'event: t\nid: \xc3\xa9\ndata: {"x": "\xe2\x82\xac"}\n\ndata: \xff\n\n')
    assert raw == [
        (b"t", b'{"x": "\xe2\x82\xac"}', b"\xc3\xa9", None),
        (None, b"\xff", b"\xc3\xa9", None),
    ]


def test_oversized_usual_frame_raises_protocol_error() -> None:
    with pytest.raises(SSEProtocolError):
        decode(b"event: t\nid: 1\ndata: " + b"x" * 2000 + b"\n\n", max_event_bytes=1000)
