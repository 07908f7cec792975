"""Blocking twins of `_aio`, used by the generated sync client."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def gather(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run `calls` concurrently in threads and return their results in order."""
    if len(calls) <= 1:
        return [call() for call in calls]
    with ThreadPoolExecutor(max_workers=min(len(calls), 16)) as pool:
        return list(pool.map(lambda call: call(), calls))
