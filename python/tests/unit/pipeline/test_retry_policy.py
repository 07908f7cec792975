"""One retry policy: the request pipeline's retries and the event stream's reconnects take
their limits (retries, first wait, cap, jitter, longest Retry-After) from `RETRY_POLICY`,
so a change there changes both."""

from __future__ import annotations

import inspect
import random

import httpx
import pytest
import respx

from everruns_sdk import (
    APIConnectionError,
    Everruns,
    InternalServerError,
    RateLimitError,
    StreamRetriesExhaustedError,
    SyncEverruns,
    _retry,
)
from everruns_sdk._config import ClientConfig
from everruns_sdk._retry import RETRY_POLICY, RetryPolicy
from everruns_sdk._sync.streaming._stream import SyncEventStream
from everruns_sdk.resources._base import Resource
from everruns_sdk.streaming._stream import EventStream

URL = "http://testserver/api/v1/agents/agent_1"
SSE = "/v1/sessions/s1/sse"

# Every value unlike the default one, and no jitter, so that each wait is exact.
CHANGED = RetryPolicy(
    max_retries=3,
    max_reconnects=2,
    initial_delay=0.125,
    reconnect_delay=0.25,
    max_delay=0.5,
    jitter=0.0,
    reconnect_jitter=0.0,
    max_retry_after=7.0,
)


async def _get(client: Everruns) -> httpx.Response:
    return await Resource(client)._request("GET", "/v1/agents/{id}", path={"id": "agent_1"})


def _waits(stream: EventStream, failures: int, retry_after: float | None = None) -> list[float]:
    waits = []
    for _ in range(failures):
        stream._failed(APIConnectionError("down"), retry_after)
        waits.append(stream._delay)
    return waits


async def test_a_changed_policy_changes_request_retries(
    router: respx.MockRouter,
    client: Everruns,
    sleeps: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_retry, "RETRY_POLICY", CHANGED)
    router.get(URL).respond(500)
    with pytest.raises(InternalServerError):
        await _get(client)
    assert sleeps == [0.125, 0.25, 0.5]  # initial_delay doubled, capped at max_delay
    sleeps.clear()
    router.get(URL).respond(429, headers={"Retry-After": "8"})  # beyond max_retry_after
    with pytest.raises(RateLimitError):
        await _get(client)
    assert sleeps == []


async def test_a_changed_policy_changes_stream_reconnects(
    client: Everruns, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_retry, "RETRY_POLICY", CHANGED)
    stream = EventStream(client._transport, SSE)
    assert _waits(stream, 2) == [0.25, 0.5]  # reconnect_delay doubled, capped at max_delay
    with pytest.raises(StreamRetriesExhaustedError):  # max_reconnects = 2
        _waits(stream, 1)
    long_wait = EventStream(client._transport, SSE)
    assert _waits(long_wait, 1, retry_after=3600.0) == [7.0]  # max_retry_after
    # What the caller gives still wins over the policy.
    own = EventStream(client._transport, SSE, backoff_base=0.01, backoff_max=0.02, max_retries=5)
    assert _waits(own, 3) == [0.01, 0.02, 0.02]


async def test_the_default_policy_is_the_one_both_use(client: Everruns) -> None:
    assert RetryPolicy() == RETRY_POLICY
    for cls in (Everruns, SyncEverruns):
        assert inspect.signature(cls).parameters["max_retries"].default == RETRY_POLICY.max_retries
    assert ClientConfig.__dataclass_fields__["max_retries"].default == RETRY_POLICY.max_retries
    assert client._transport.config.max_retries == RETRY_POLICY.max_retries
    for stream_cls in (EventStream, SyncEventStream):
        stream = stream_cls(client._transport, SSE)  # type: ignore[arg-type]
        assert stream._max_retries == RETRY_POLICY.max_reconnects
        assert stream._backoff_base == RETRY_POLICY.reconnect_delay
        assert stream._backoff_max == RETRY_POLICY.max_delay
        assert stream._jitter == RETRY_POLICY.reconnect_jitter
        assert stream._policy is RETRY_POLICY


def test_a_wait_is_doubled_capped_and_jittered_down_only() -> None:
    policy = RetryPolicy(max_delay=4.0, jitter=0.5)

    class Fixed(random.Random):
        def __init__(self, value: float) -> None:
            super().__init__()
            self.value = value

        def random(self) -> float:
            return self.value

    waits = [policy.delay(n, first=1.0, rng=Fixed(0.0)) for n in range(5)]
    assert waits == [1.0, 2.0, 4.0, 4.0, 4.0]
    assert policy.delay(1, first=1.0, rng=Fixed(1.0)) == 1.0
    assert policy.delay(10_000, first=1.0, rng=Fixed(0.0)) == 4.0
