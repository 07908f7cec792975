"""Soak: thousands of events through a server that keeps breaking the stream.

`make soak` (EVERRUNS_SOAK=1, `-m soak`) streams 10,000 events; `make test` runs the
same test with 1,500 (EVERRUNS_SOAK_EVENTS overrides both). The server
(hostile_server.py, its own thread, real HTTP on loopback) decides per connection,
with a seeded RNG (the seed is printed; EVERRUNS_SOAK_SEED replays a run), to:

- cycle the connection properly (`disconnecting`, then a clean end);
- cut it between events: a clean end of the body without `disconnecting`, or a TCP
  reset;
- cut it in the middle of an event (half a frame, then a reset or a clean end);
- stall: keep the socket open and say nothing (the client's idle_timeout, 0.3 s here,
  must drop it);
- answer the (re)connect with 503 + Retry-After (0 or 0.01) or 500 with an HTML page.

Frames are written in random pieces, sometimes with CRLF line ends and heartbeats.
Every event must arrive exactly once and in order, through the public
`client.events.stream(...)` of the async client and of `SyncEverruns`; the SDK's
backoff is shortened through EventStream's own parameters (`backoff_base`,
`backoff_max`, `jitter`), never by patching time.
"""

from __future__ import annotations

import functools
import itertools
import os
import random
import time
from collections import Counter
from typing import Any

import pytest
from hostile_server import Conn, HostileServer, Request
from reliability_support import report
from streaming_server import (
    HEARTBEAT,
    SESSION_ID,
    connected_frame,
    disconnecting_frame,
    event_id,
    frame,
    make_event,
)

import everruns_sdk._sync.resources.events as sync_events
import everruns_sdk.resources.events as async_events
from everruns_sdk import Everruns, SyncEverruns

SOAK = os.environ.get("EVERRUNS_SOAK", "") not in ("", "0")
TOTAL = int(os.environ.get("EVERRUNS_SOAK_EVENTS") or (10_000 if SOAK else 1_500))
SEED = int(os.environ.get("EVERRUNS_SOAK_SEED") or random.SystemRandom().randrange(2**32))
# Bounded time: the whole test, server included, must finish within this.
TIMEOUT = max(60, TOTAL // 25)

IDLE_TIMEOUT = 0.3
FAST_BACKOFF = {"backoff_base": 0.002, "backoff_max": 0.05, "jitter": 0.5}
# Consecutive failed attempts allowed: a bound that a healthy run never reaches.
MAX_RETRIES = 25

# fault kind -> weight (per connection attempt)
FAULTS = {
    "cycle": 5,
    "cut": 3,
    "reset": 3,
    "cut-mid-event": 2,
    "reset-mid-event": 2,
    "stall": 1,
    "503+retry-after": 2,
    "500-html": 2,
}
HTML_PAGE = (
    "\n  <!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>"
    "<body><h1>Internal Server Error</h1><p>upstream went away</p></body></html>\n"
)


class SoakServer:
    """The handler: serves events `since_id`+1... with one fault per connection."""

    def __init__(self, total: int, seed: int) -> None:
        self.total = total
        self.rng = random.Random(seed)
        self.frames = {n: frame(make_event(n)) for n in range(1, total + 1)}
        self.faults: Counter[str] = Counter()
        # Every kind once first (in a seeded order), so any seed exercises all of them.
        first = list(FAULTS)
        self.rng.shuffle(first)
        self.forced = iter(first)
        self.sent = 0

    def next_fault(self) -> str:
        forced = next(self.forced, None)
        if forced is not None:
            return forced
        return self.rng.choices(list(FAULTS), list(FAULTS.values()))[0]

    async def handler(self, conn: Conn, request: Request) -> None:
        rng = self.rng
        since = request.param("since_id")
        start = 1 if since is None else int(since.removeprefix("event_"), 16) + 1
        numbers = range(start, self.total + 1)
        fault = self.next_fault()
        if fault == "503+retry-after":
            self.faults[fault] += 1
            retry_after = rng.choice(["0", "0.01"])
            await conn.respond_problem(503, headers={"Retry-After": retry_after})
            return
        if fault == "500-html":
            self.faults[fault] += 1
            await conn.respond(500, HTML_PAGE, content_type="text/html")
            return
        await conn.start_stream()
        crlf = rng.random() < 0.2
        batch = numbers[: rng.randint(1, 40)]
        last = len(batch) == len(numbers)  # everything left fits: the final connection
        if last:
            fault = "final"
        body = connected_frame(retry_ms=1)
        for n in batch:
            body += self.frames[n]
            if rng.random() < 0.02:
                body += HEARTBEAT
        mid_event = fault.endswith("mid-event")
        if mid_event:
            torn = self.frames[numbers[len(batch)]]
            body += torn[: rng.randint(1, len(torn) - 1)]
        if crlf:
            body = body.replace(b"\n", b"\r\n")
        cuts = sorted(rng.randrange(len(body) + 1) for _ in range(rng.randint(0, 4)))
        for a, b in itertools.pairwise([0, *cuts, len(body)]):
            await conn.send(body[a:b])
        self.sent += len(batch)
        if fault != "final":
            self.faults[fault] += 1
        if fault == "cycle":
            await conn.send(disconnecting_frame(retry_ms=rng.choice([0, 1, None])))
            await conn.end()
        elif fault in ("cut", "cut-mid-event"):
            await conn.end()  # a clean end of the body, without `disconnecting`
        elif fault in ("reset", "reset-mid-event"):
            conn.abort()
        else:  # "stall", or "final": silence until the client goes away
            await conn.stall()


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.events.stream(...)` builds its stream with a short backoff: the SDK's
    own EventStream parameters, set through the class the resource instantiates."""
    monkeypatch.setattr(
        async_events, "EventStream", functools.partial(async_events.EventStream, **FAST_BACKOFF)
    )
    monkeypatch.setattr(
        sync_events,
        "SyncEventStream",
        functools.partial(sync_events.SyncEventStream, **FAST_BACKOFF),
    )


def check_and_report(
    flavour: str, got: list[str], soak: SoakServer, server: HostileServer, **extra: Any
) -> None:
    expected = [event_id(n) for n in range(1, TOTAL + 1)]
    counts = Counter(got)
    duplicated = sum(c - 1 for c in counts.values() if c > 1)
    lost = len(set(expected) - set(counts))
    faults = ", ".join(f"{kind}={soak.faults[kind]}" for kind in FAULTS)
    report(
        f"soak[{flavour}] seed={SEED} events={len(got)}/{TOTAL} lost={lost} "
        f"duplicated={duplicated} in_order={got == expected} "
        f"connections={len(server.conns)} requests={len(server.requests)} "
        f"faults_survived={sum(soak.faults.values())} ({faults}) "
        + " ".join(f"{k}={v}" for k, v in extra.items())
    )
    assert lost == 0 and duplicated == 0
    assert got == expected
    assert all(soak.faults[kind] > 0 for kind in FAULTS), soak.faults
    # every (re)connect resumed from the last delivered event
    since = [s for s in server.since_ids if s is not None]
    assert since == sorted(since)


@pytest.mark.soak
@pytest.mark.timeout(TIMEOUT)
async def test_soak_async_stream_every_event_exactly_once_in_order(
    hostile: HostileServer, fast_backoff: None
) -> None:
    print(f"\nsoak seed {SEED} ({TOTAL} events; EVERRUNS_SOAK_SEED={SEED} replays it)")
    soak = SoakServer(TOTAL, SEED)
    hostile.handler = soak.handler
    got: list[str] = []
    started = time.perf_counter()
    async with Everruns(api_key="evr_pat_soak", base_url=hostile.url) as client:
        stream = client.events.stream(
            SESSION_ID, idle_timeout=IDLE_TIMEOUT, max_retries=MAX_RETRIES
        )
        async with stream:
            async for event in stream:
                got.append(event.id)
                if len(got) == TOTAL:
                    break
        reconnects = stream.reconnects
    check_and_report(
        "async",
        got,
        soak,
        hostile,
        reconnects=reconnects,
        seconds=f"{time.perf_counter() - started:.1f}",
    )


@pytest.mark.soak
@pytest.mark.timeout(TIMEOUT)
def test_soak_sync_stream_every_event_exactly_once_in_order(
    hostile: HostileServer, fast_backoff: None
) -> None:
    print(f"\nsoak seed {SEED} ({TOTAL} events; EVERRUNS_SOAK_SEED={SEED} replays it)")
    soak = SoakServer(TOTAL, SEED)
    hostile.handler = soak.handler
    got: list[str] = []
    started = time.perf_counter()
    with SyncEverruns(api_key="evr_pat_soak", base_url=hostile.url) as client:
        stream = client.events.stream(
            SESSION_ID, idle_timeout=IDLE_TIMEOUT, max_retries=MAX_RETRIES
        )
        with stream:
            for event in stream:
                got.append(event.id)
                if len(got) == TOTAL:
                    break
        reconnects = stream.reconnects
    check_and_report(
        "sync",
        got,
        soak,
        hostile,
        reconnects=reconnects,
        seconds=f"{time.perf_counter() - started:.1f}",
    )


def test_soak_server_is_deterministic_for_a_seed() -> None:
    """The replay promise of EVERRUNS_SOAK_SEED: the same seed gives the same faults."""
    a, b = SoakServer(10, 1234), SoakServer(10, 1234)
    assert [a.next_fault() for _ in range(50)] == [b.next_fault() for _ in range(50)]
