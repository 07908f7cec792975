"""Hostile input: whatever bytes a server sends, the SDK raises one of its own typed
errors (subclasses of EverrunsError) or skips what the protocol says to skip; it never
hangs, never raises an unrelated exception and never buffers without bound.

- Event streams, over real HTTP (hostile_server.py): hypothesis writes arbitrary
  event-stream bodies (random bytes, invalid UTF-8, invalid JSON, JSON of the wrong
  shape, known types with wrong data types, deeply nested JSON, lifecycle frames with
  garbage, odd line ends, random chunking). Both clients must give exactly the outcome
  a reference model predicts from the bytes: the events delivered, then the error.
- Endless lines / endless events hit the decoder's cap (SSEProtocolError) with a
  bounded tracemalloc peak.
- Regular endpoints: a 2xx body that is not JSON or not the promised shape is a
  ResponseValidationError (hypothesis over random JSON values, via respx), and so is
  one over real HTTP.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import respx
from hostile_server import Conn, HostileServer, Request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import WAIT, SleepRecorder, report, wait_until
from streaming_server import SESSION_ID, connected_frame, frame, make_event

from everruns_sdk import (
    Everruns,
    EverrunsError,
    NotFoundError,
    ResponseValidationError,
    StreamRetriesExhaustedError,
    SyncEverruns,
)
from everruns_sdk.streaming._sse import DEFAULT_MAX_EVENT_BYTES, SSEDecoder, SSEProtocolError
from everruns_sdk.types.events import EVENT_TYPES, EventDecodeError, parse_event

LIFECYCLE = ("connected", "disconnecting")
KNOWN_TYPES = sorted(EVENT_TYPES - set(LIFECYCLE))
DEEP = 5_000  # nesting depth far beyond Python's recursion limit

EXAMPLES: dict[str, int] = {}  # test -> hypothesis examples run (reported at the end)


def count_example(name: str) -> None:
    EXAMPLES[name] = EXAMPLES.get(name, 0) + 1


def examples_tried(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The examples counted between two snapshots of EXAMPLES, by property."""
    return {name: n - before.get(name, 0) for name, n in after.items() if n > before.get(name, 0)}


MIN_EXAMPLES = 10


@pytest.fixture(autouse=True)
def _property_tried_enough(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each property of this module: report how many examples it tried, and fail
    it when hypothesis found (almost) nothing to try. Checked in the test's own process,
    so it holds under pytest-xdist too (a figures test at the end of the module could
    only skip when the properties ran in another worker)."""
    before = dict(EXAMPLES)
    yield
    if not getattr(request.function, "is_hypothesis_test", False):
        return
    tried = examples_tried(before, EXAMPLES)
    assert tried, f"{request.node.name} counted no example"
    for name, n in tried.items():
        report(f"hypothesis: {n} examples of {name}")
    assert all(n >= MIN_EXAMPLES for n in tried.values()), tried


def test_examples_tried_counts_only_what_ran_since() -> None:
    assert examples_tried({"a": 3}, {"a": 15, "b": 2}) == {"a": 12, "b": 2}
    assert examples_tried({"a": 3}, {"a": 3}) == {}


# -- strategies ---------------------------------------------------------------------------

_line_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=20)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _line_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_line_text, inner, max_size=4),
    max_leaves=12,
)


def envelope(type_: str, data: Any, **over: Any) -> dict[str, Any]:
    event = make_event(7, type_)
    event["data"] = data
    event.update(over)
    return event


def dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


@st.composite
def data_payloads(draw: st.DrawFn) -> bytes:
    """The value of one `data:` line: one line of bytes, hostile in some way."""
    kind = draw(
        st.sampled_from(
            [
                "valid",
                "known-type-wrong-data",
                "wrong-envelope",
                "random-json",
                "array",
                "number",
                "no-type",
                "invalid-json",
                "invalid-utf8-in-string",
                "invalid-utf8-raw",
                "deep",
            ]
        )
    )
    type_ = draw(st.sampled_from([*KNOWN_TYPES, "test.tick", "x.unknown"]))
    if kind == "valid":
        return dumps(envelope(type_, draw(st.dictionaries(_line_text, json_values, max_size=3))))
    if kind == "known-type-wrong-data":
        return dumps(envelope(type_, draw(json_values)))
    if kind == "wrong-envelope":
        field_name = draw(st.sampled_from(["id", "ts", "session_id", "sequence", "context"]))
        return dumps(envelope(type_, {}, **{field_name: draw(json_values)}))
    if kind == "random-json":
        return dumps(draw(json_values))
    if kind == "array":
        return dumps(draw(st.lists(json_values, max_size=3)))
    if kind == "number":
        return dumps(draw(st.integers() | st.floats(allow_nan=False, allow_infinity=False)))
    if kind == "no-type":
        value = envelope(type_, {})
        del value["type"]
        return dumps(value)
    if kind == "invalid-json":
        text = draw(st.sampled_from(['{"id":', "{not json", "[1,2", '{"type": x}', "NaN]"]))
        return text.encode()
    if kind == "invalid-utf8-in-string":
        raw = dumps(envelope(type_, {"text": "@@"}))
        return raw.replace(b"@@", draw(st.sampled_from([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80"])))
    if kind == "invalid-utf8-raw":
        return draw(st.binary(max_size=20)).replace(b"\n", b"").replace(b"\r", b"") + b"\xff"
    depth = draw(st.sampled_from([50, DEEP]))
    return b"[" * depth + b"]" * depth


@st.composite
def sse_lines(draw: st.DrawFn) -> bytes:
    kind = draw(
        st.sampled_from(["data", "data", "data", "event", "id", "retry", "comment", "blank", "raw"])
    )
    if kind == "data":
        return b"data: " + draw(data_payloads())
    if kind == "event":
        type_ = draw(st.sampled_from([*LIFECYCLE, *KNOWN_TYPES[:5], "x.unknown", ""]))
        return b"event: " + type_.encode()
    if kind == "id":
        return b"id: " + draw(_line_text).encode() + draw(st.sampled_from([b"", b"\x00"]))
    if kind == "retry":
        return b"retry: " + draw(st.sampled_from([b"1", b"99999999999999999999", b"-5", b"x"]))
    if kind == "comment":
        return b": " + draw(_line_text).encode()
    if kind == "blank":
        return b""
    return draw(st.binary(max_size=30))


@st.composite
def lifecycle_frames(draw: st.DrawFn) -> bytes:
    """`connected` / `disconnecting` with payloads that are not what they should be."""
    kind = draw(st.sampled_from(LIFECYCLE))
    payload = draw(
        st.sampled_from(
            [
                b'{"status":"connected"}',
                b'{"reason":"connection_cycle","retry_ms":-1}',
                b'{"retry_ms":"soon"}',
                b'{"retry_ms":1e308}',
                b'{"retry_ms":NaN}',
                b"[1,2,3]",
                b"not json",
                b"\xff\xfe",
                b"[" * DEEP + b"]" * DEEP,
            ]
        )
    )
    return b"event: " + kind.encode() + b"\ndata: " + payload + b"\n\n"


@st.composite
def stream_bodies(draw: st.DrawFn) -> tuple[bytes, list[int]]:
    """(body, cuts): an event-stream body and where to split it into chunks."""
    parts: list[bytes] = []
    if draw(st.booleans()):
        parts.append(connected_frame())
    for _ in range(draw(st.integers(0, 6))):
        choice = draw(st.sampled_from(["frame", "good", "lifecycle", "lines", "noise"]))
        if choice == "good":
            parts.append(frame(make_event(draw(st.integers(1, 99)))))
        elif choice == "lifecycle":
            parts.append(draw(lifecycle_frames()))
        elif choice == "noise":
            parts.append(draw(st.binary(max_size=40)))
        else:
            eol = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
            lines = draw(st.lists(sse_lines(), min_size=1, max_size=5))
            parts.append(eol.join(lines) + eol + (eol if choice == "frame" else b""))
    body = b"".join(parts)
    cuts = sorted(draw(st.lists(st.integers(0, max(len(body), 1)), max_size=5)))
    return body, cuts


# -- the reference model --------------------------------------------------------------------


def expected_outcome(body: bytes) -> tuple[list[tuple[str, str, str]], type[EverrunsError]]:
    """What the protocol says a client must do with `body`, served once then answered
    404 (with max_retries=0): the events it must deliver, then the error it must raise."""
    delivered: list[tuple[str, str, str]] = []
    planned = False
    for raw in SSEDecoder().feed(body):
        if raw.event in LIFECYCLE:  # consumed internally, whatever their payload
            planned = planned or raw.event == "disconnecting"
            continue
        try:
            event = parse_event(raw.data)
        except (EventDecodeError, RecursionError):
            continue  # one malformed event never ends a stream: logged and skipped
        delivered.append((type(event).__name__, event.type, event.id))
    # the body ended: after `disconnecting` a planned reconnect (answered 404), else an
    # unexpected end, which max_retries=0 does not allow to retry
    return delivered, NotFoundError if planned else StreamRetriesExhaustedError


@dataclass
class Scenario:
    """What the server sends on the first connection; later ones get a 404."""

    chunks: list[bytes] = field(default_factory=list)
    served: int = 0


class ScenarioServer:
    def __init__(self, server: HostileServer) -> None:
        self.current = Scenario()
        server.handler = self.handler

    async def handler(self, conn: Conn, request: Request) -> None:
        scenario = self.current
        scenario.served += 1
        if scenario.served > 1:
            await conn.respond_problem(404, detail="gone")
            return
        await conn.start_stream()
        for chunk in scenario.chunks:
            await conn.send(chunk)
        await conn.end()


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    bounds = [0, *cuts, len(body)]
    return [body[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def describe(event: Any) -> tuple[str, str, str]:
    return (type(event).__name__, event.type, event.id)


Outcome = tuple[list[tuple[str, str, str]], type[BaseException]]


def run_sync(client: SyncEverruns) -> Outcome:
    got: list[tuple[str, str, str]] = []
    try:
        with client.events.stream(SESSION_ID, max_retries=0, idle_timeout=WAIT) as stream:
            for event in stream:
                got.append(describe(event))
    except EverrunsError as exc:
        check_message(exc)
        return got, type(exc)
    raise AssertionError("the stream ended without an error")


async def run_async(client: Everruns) -> Outcome:
    got: list[tuple[str, str, str]] = []

    async def consume() -> None:
        async with client.events.stream(SESSION_ID, max_retries=0, idle_timeout=WAIT) as s:
            async for event in s:
                got.append(describe(event))

    try:
        await asyncio.wait_for(consume(), WAIT)
    except EverrunsError as exc:
        check_message(exc)
        return got, type(exc)
    raise AssertionError("the stream ended without an error")


def check_message(exc: EverrunsError) -> None:
    """Errors from hostile streams stay readable: bounded, whatever the input size."""
    assert len(str(exc)) <= 2_000, f"{type(exc).__name__} message of {len(str(exc))} chars"


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One event loop for every hypothesis example of a test (sync test functions)."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body_and_cuts=stream_bodies())
def test_any_event_stream_body_gives_the_protocols_outcome(
    hostile: HostileServer,
    loop: asyncio.AbstractEventLoop,
    sleeps: SleepRecorder,
    body_and_cuts: tuple[bytes, list[int]],
) -> None:
    """(Waits are recorded, not slept: a hostile `retry_ms` may ask for up to
    backoff_max, 30 s, which is the most it can get.)"""
    count_example("event stream bodies (async + sync, real HTTP)")
    sleeps.delays.clear()
    body, cuts = body_and_cuts
    expected = expected_outcome(body)
    scenarios = ScenarioServer(hostile)
    scenarios.current = Scenario(split(body, cuts))
    with SyncEverruns(api_key="evr_pat_h", base_url=hostile.url) as client:
        assert run_sync(client) == expected
    scenarios.current = Scenario(split(body, cuts))

    async def run() -> Outcome:
        async with Everruns(api_key="evr_pat_h", base_url=hostile.url) as client:
            return await run_async(client)

    assert loop.run_until_complete(run()) == expected
    assert hostile.errors == []
    assert sum(sleeps.delays) <= 2 * 30.0 + 1  # at most one planned wait per client


# -- specific hostile streams (readable failures for the cases above) ------------------------


HOSTILE_STREAMS: dict[str, tuple[bytes, type[EverrunsError], int]] = {
    # name: (body after `connected`, error, events delivered before it); a malformed
    # event is skipped, so the stream ends as the body does (an unexpected end)
    "invalid json": (b"data: {not json\n\n", StreamRetriesExhaustedError, 0),
    "json array": (b"data: [1,2]\n\n", StreamRetriesExhaustedError, 0),
    "json number": (b"data: 42\n\n", StreamRetriesExhaustedError, 0),
    "object without type": (b'data: {"id":"e"}\n\n', StreamRetriesExhaustedError, 0),
    "deeply nested json": (
        b"data: " + b"[" * DEEP + b"]" * DEEP + b"\n\n",
        StreamRetriesExhaustedError,
        0,
    ),
    "deeply nested event": (
        b"data: "
        + dumps(envelope("test.tick", {})).replace(b'"data":{}', b'"data":' + b"[" * DEEP)
        + b"\n\n",
        StreamRetriesExhaustedError,
        0,
    ),
    "invalid utf-8 in structure": (b'data: {"type"\xff:"x"}\n\n', StreamRetriesExhaustedError, 0),
    "huge event type in a bad event": (
        b"event: " + b"t" * 1_000_000 + b"\nid: " + b"i" * 1_000_000 + b"\ndata: [0]\n\n",
        StreamRetriesExhaustedError,
        0,
    ),
    "huge type inside a bad event": (
        b'data: {"type":"' + b"t" * 1_000_000 + b'","id":5}\n\n',
        StreamRetriesExhaustedError,
        0,
    ),
    "known type, wrong data types, then good": (
        dumps(envelope("output.message.delta", {"delta": 5, "accumulated": []})).join(
            [b"data: ", b"\n\n"]
        )
        + frame(make_event(8)),
        StreamRetriesExhaustedError,
        2,
    ),
    "invalid utf-8 inside a string is replaced": (
        b"data: " + dumps(envelope("test.tick", {"t": "@"})).replace(b"@", b"\xff") + b"\n\n",
        StreamRetriesExhaustedError,
        1,
    ),
    "garbage lifecycle frames are ignored": (
        b"event: connected\ndata: " + b"[" * DEEP + b"\n\n"
        b"event: disconnecting\ndata: [1]\n\n"
        b"event: disconnecting\ndata: \xff\n\n",
        NotFoundError,
        0,
    ),
    "field-less noise": (b"\x00\x01\x02\n\xff\xfe\n:\n\n", StreamRetriesExhaustedError, 0),
}


@pytest.mark.parametrize("name", list(HOSTILE_STREAMS))
def test_specific_hostile_streams(
    hostile: HostileServer, loop: asyncio.AbstractEventLoop, sleeps: SleepRecorder, name: str
) -> None:
    body, error, delivered = HOSTILE_STREAMS[name]
    body = connected_frame() + body
    expected = expected_outcome(body)
    assert expected[1] is error and len(expected[0]) == delivered  # the model agrees
    scenarios = ScenarioServer(hostile)
    scenarios.current = Scenario([body])
    with SyncEverruns(api_key="evr_pat_h", base_url=hostile.url) as client:
        assert run_sync(client) == expected
    scenarios.current = Scenario([body])

    async def run() -> Outcome:
        async with Everruns(api_key="evr_pat_h", base_url=hostile.url) as client:
            return await run_async(client)

    assert loop.run_until_complete(run()) == expected
    if "wrong data types" in name:
        assert expected[0][0][0] == "OutputMessageDeltaEvent"  # kept as its class


# -- caps: endless lines and events --------------------------------------------------------

CHUNK = 64 * 1024
SERVER_LIMIT = 4 * DEFAULT_MAX_EVENT_BYTES  # what the server would send if never stopped


def endless(piece: Callable[[], bytes], sent: list[int]) -> Callable[[Conn, Request], Any]:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.start_stream()
        await conn.send(connected_frame() + frame(make_event(1)))
        while (
            not conn.closed_by_client.is_set()
            and not conn.writer.is_closing()
            and sent[0] < SERVER_LIMIT
        ):
            data = piece()
            await conn.send(data)
            sent[0] += len(data)
        await conn.stall()

    return handler


ENDLESS = {
    "one line without a line end": b"data: ",
    "one event of endless data lines": b"",
    "an endless event type": b"event: ",
    "an endless comment": b":",
}


@pytest.mark.parametrize("flavour", ["async", "sync"])
@pytest.mark.parametrize("name", list(ENDLESS))
def test_endless_input_hits_the_cap_with_bounded_memory(
    hostile: HostileServer, loop: asyncio.AbstractEventLoop, name: str, flavour: str
) -> None:
    first = ENDLESS[name]
    line = b"data: " + b"x" * (CHUNK - 7) + b"\n"
    filler = b"y" * CHUNK
    started = [False]

    def piece() -> bytes:
        if not started[0]:
            started[0] = True
            return first
        return line if name == "one event of endless data lines" else filler

    sent = [0]
    hostile.handler = endless(piece, sent)
    got: list[str] = []
    tracemalloc.start()
    try:
        if flavour == "sync":
            with (
                pytest.raises(SSEProtocolError),
                SyncEverruns(api_key="evr_pat_h", base_url=hostile.url) as client,
                client.events.stream(SESSION_ID, idle_timeout=WAIT) as stream,
            ):
                for event in stream:
                    got.append(event.id)
        else:

            async def run() -> None:
                async with (
                    Everruns(api_key="evr_pat_h", base_url=hostile.url) as client,
                    client.events.stream(SESSION_ID, idle_timeout=WAIT) as stream,
                ):
                    async for event in stream:
                        got.append(event.id)

            with pytest.raises(SSEProtocolError):
                loop.run_until_complete(asyncio.wait_for(run(), WAIT * 2))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got == [make_event(1)["id"]]
    assert wait_until(lambda: hostile.open_connections == 0)  # the connection is closed
    # the stream gave up near the cap: the server was far from its own limit
    assert sent[0] < DEFAULT_MAX_EVENT_BYTES + 32 * CHUNK + 8 * 1024 * 1024
    assert len(hostile.requests) == 1  # a protocol violation is final: no reconnect
    limit = DEFAULT_MAX_EVENT_BYTES * 3 // 2 + 8 * 1024 * 1024
    report(
        f"cap[{flavour}] {name}: SSEProtocolError after {sent[0] / 2**20:.1f} MiB sent, "
        f"tracemalloc peak {peak / 2**20:.1f} MiB (cap {DEFAULT_MAX_EVENT_BYTES / 2**20:.0f} MiB)"
    )
    assert peak < limit, f"peak {peak} bytes for a cap of {DEFAULT_MAX_EVENT_BYTES}"


def test_decoder_memory_is_bounded_for_any_chunking() -> None:
    """Pure parser: 40 MiB of one endless line through a 1 MiB cap, in odd chunk sizes."""
    cap = 1024 * 1024
    decoder = SSEDecoder(max_event_bytes=cap)
    tracemalloc.start()
    fed = 0
    try:
        with pytest.raises(SSEProtocolError):
            for size in [1, 7, 4096, 65536, 1_000_003] * 1000:
                decoder.feed(b"d" * size)
                fed += size
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert fed <= cap + 1_000_003
    assert peak < 3 * cap + 2_000_000


# -- regular endpoints: 2xx bodies that are not what they should be ---------------------------

BASE = "http://hostile.test/api"
PARSED_CALLS: dict[str, Callable[[Any], Any]] = {
    "agents.get": lambda c: c.agents.get("agent_1"),
    "sessions.list": lambda c: c.sessions.list(),
    "messages.list": lambda c: c.messages.list("s"),
    "events.list": lambda c: c.events.list("s"),
    "messages.create": lambda c: c.messages.create("s", "hi"),
    "workspace_files.get": lambda c: c.workspace_files.get("w", "a/b"),
    "memory_files.get": lambda c: c.memory_files.get("m", "a"),
    "sessions.export": lambda c: c.sessions.export("s"),
}

response_bodies = st.one_of(
    json_values.map(dumps),
    st.binary(max_size=60),
    st.sampled_from(
        [
            b"",
            b"{",
            b"<html>oops</html>",
            b"null",
            b"[" * DEEP + b"]" * DEEP,
            b'{"data":' + b"[" * DEEP + b"]" * DEEP + b"}",
            b'{"data":[' + b"{" * 10 + b"]}",
            b"\xff\xfe{}",
        ]
    ),
)


@dataclass
class Mocked:
    """respx answering every request with `status` and `body` (set per example)."""

    router: respx.MockRouter
    status: int = 200
    body: bytes = b""

    def answer(self, request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json"}
        return httpx.Response(self.status, content=self.body, headers=headers)


@pytest.fixture
def mocked() -> Iterator[Mocked]:
    with respx.mock(assert_all_called=False) as router:
        mock = Mocked(router)
        router.route(host="hostile.test").mock(side_effect=mock.answer)
        yield mock


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=response_bodies, status=st.sampled_from([200, 201]))
def test_any_2xx_body_parses_or_is_a_response_validation_error(
    mocked: Mocked, loop: asyncio.AbstractEventLoop, body: bytes, status: int
) -> None:
    count_example(f"2xx bodies x {len(PARSED_CALLS)} methods (async + sync, respx)")
    mocked.status, mocked.body = status, body

    def outcome(call: Callable[[], Any]) -> str:
        try:
            call()
        except ResponseValidationError as exc:
            assert len(str(exc)) < 1_000
            return "invalid"
        return "ok"

    with SyncEverruns(api_key="evr_pat_h", base_url=BASE) as sync_client:
        sync_results = {
            name: outcome(lambda call=call: call(sync_client))
            for name, call in PARSED_CALLS.items()
        }

    async def run_all() -> dict[str, str]:
        results = {}
        async with Everruns(api_key="evr_pat_h", base_url=BASE) as client:
            for name, call in PARSED_CALLS.items():
                try:
                    await call(client)
                except ResponseValidationError as exc:
                    assert len(str(exc)) < 1_000
                    results[name] = "invalid"
                else:
                    results[name] = "ok"
        return results

    # the same verdict from both clients (the sync one is generated from the async one)
    assert loop.run_until_complete(run_all()) == sync_results


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"<!DOCTYPE html><html>login</html>", b"[1,2]", b"[" * DEEP],
    ids=["invalid", "empty", "html", "array", "deep"],
)
async def test_2xx_bodies_over_real_http(hostile: HostileServer, body: bytes) -> None:
    async def handler(conn: Conn, request: Request) -> None:
        await conn.respond(200, body, content_type="application/json")

    hostile.handler = handler
    async with Everruns(api_key="evr_pat_h", base_url=hostile.url) as client:
        for call in (
            client.agents.get("agent_1"),
            client.events.list("s"),
            client.messages.list("s"),
        ):
            with pytest.raises(ResponseValidationError) as info:
                await call
            assert info.value.status_code == 200
            assert len(str(info.value)) < 500
