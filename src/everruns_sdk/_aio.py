"""The few async primitives that async modules use; `_syncio` has the blocking twins.

`scripts/gen_sync.py` rewrites `_aio` to `_syncio` when it derives the sync client, so
async modules must take these from here rather than from asyncio directly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


async def sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def gather(calls: Sequence[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run `calls` concurrently and return their results in order."""
    return list(await asyncio.gather(*(call() for call in calls)))
