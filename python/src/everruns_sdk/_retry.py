"""Retry policy: which failures may be retried for which methods, and how long to wait."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx


@dataclass(frozen=True)
class RetryPolicy:
    """The one retry policy: how often and how long the request pipeline retries a call
    and the event stream reconnects. Both take every default from `RETRY_POLICY`.

    A wait is `first * 2**n` seconds for the n-th consecutive failure (0-based), capped
    at `max_delay`, minus up to `jitter` of it (so that clients do not retry in step).
    """

    #: Retries of one request after its first attempt (`Everruns(max_retries=...)`).
    max_retries: int = 3
    #: Consecutive failed reconnects of an event stream (None: unbounded, API-NOTES).
    max_reconnects: int | None = None
    #: The first wait of a request retry, and of a stream reconnect (API-NOTES: 1 s).
    initial_delay: float = 0.5
    reconnect_delay: float = 1.0
    #: The longest wait between two attempts, requests and streams alike.
    max_delay: float = 30.0
    #: The fraction of a wait that is taken off at random, at most: of a request retry,
    #: and of a stream reconnect (10 %, as the TypeScript and Rust streams take off).
    jitter: float = 0.25
    reconnect_jitter: float = 0.1
    #: The longest `Retry-After` waited for: a request raises beyond it, a stream waits
    #: this long.
    max_retry_after: float = 60.0

    def delay(
        self,
        failures: int,
        *,
        first: float,
        cap: float | None = None,
        jitter: float | None = None,
        rng: random.Random | None = None,
    ) -> float:
        """The wait after failure number `failures` (0-based) whose first wait is `first`;
        `cap` and `jitter` default to this policy's."""
        cap = self.max_delay if cap is None else cap
        jitter = self.jitter if jitter is None else jitter
        base = min(cap, first * 2.0 ** min(failures, 62))
        return base * (1.0 - jitter * (rng or random).random())


#: The defaults of every retry: change them here and requests and streams follow.
RETRY_POLICY = RetryPolicy()

#: The debug records of a retry (logger `everruns_sdk`): a request's (method, URL, cause,
#: retry number, delay) and an event stream's (path, cause, failure number, delay). The
#: CLI shows them as they happen (`everruns_sdk.cli._notes`).
REQUEST_RETRY_MESSAGE = "%s %s failed (%s); retry %d in %.2f s"
STREAM_RETRY_MESSAGE = "event stream %s: attempt failed (%s); failure %d, next attempt in %.2f s"

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:  # pragma: no cover - older Pythons
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds or seconds < 0:  # NaN or in the past
        return 0.0 if seconds < 0 else None
    return float(seconds)


def backoff_delay(attempt: int, *, rng: random.Random | None = None) -> float:
    """The wait before retry number `attempt` (0-based) of a request."""
    policy = RETRY_POLICY
    return policy.delay(attempt, first=policy.initial_delay, rng=rng)


def status_is_retryable(method: str, status: int, retry_after: float | None) -> bool:
    """Whether an error status may be retried for `method` without risking a double effect.

    GET, PUT and DELETE are harmless to repeat. POST and PATCH may already have taken
    effect on a 5xx, so they are retried only when the server says so (429, or 503 with
    Retry-After).
    """
    if status not in RETRYABLE_STATUSES:
        return False
    if method in IDEMPOTENT_METHODS:
        return True
    return status == 429 or (status == 503 and retry_after is not None)


def exception_is_retryable(method: str, exc: httpx.RequestError) -> bool:
    """Connect failures never reached the server, so any method may retry; others only
    when the method is idempotent."""
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return True
    return method in IDEMPOTENT_METHODS
