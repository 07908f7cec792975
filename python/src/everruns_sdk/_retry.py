"""Retry policy: which failures may be retried for which methods, and how long to wait."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

import httpx

# The one retry policy's limits, shared by the request pipeline and the event stream.
INITIAL_DELAY = 0.5
MAX_DELAY = 30.0  # the longest backoff between two attempts
# The longest Retry-After waited for: a request raises beyond it, a stream waits this.
MAX_RETRY_AFTER = 60.0

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
    """Exponential backoff with jitter for retry number `attempt` (0-based), capped."""
    base = min(MAX_DELAY, INITIAL_DELAY * (2.0**attempt))
    jitter = (rng or random).uniform(0.75, 1.0)
    return base * jitter


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
