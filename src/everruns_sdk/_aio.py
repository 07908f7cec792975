"""The few async primitives that async modules use; `_syncio` has the blocking twins.

`scripts/gen_sync.py` rewrites `_aio` to `_syncio` when it derives the sync client, so
async modules must take these from here rather than from asyncio directly.

asyncio is imported when first needed, not with this module: `import everruns_sdk`
stays as cheap as importing httpx (which does not load asyncio either).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Timer(Protocol):
    """A scheduled callback (`call_later`) that can still be called off."""

    def cancel(self) -> None: ...


async def sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def gather(calls: Sequence[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run `calls` concurrently and return their results in order."""
    import asyncio

    return list(await asyncio.gather(*(call() for call in calls)))


async def to_thread(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run a blocking function in a worker thread, without blocking the event loop."""
    import asyncio

    return await asyncio.to_thread(function, *args, **kwargs)


async def run_function(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call a user function that may be sync or async: a coroutine function is awaited
    in the loop, a plain function runs in a worker thread (and an awaitable it returns
    is awaited)."""
    import asyncio

    if _is_async_callable(function):
        return await function(*args, **kwargs)
    result = await asyncio.to_thread(function, *args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


def call_later(seconds: float, callback: Callable[[], object]) -> Timer:
    """Call `callback` (in the event loop) after `seconds`, unless cancelled."""
    import asyncio

    return asyncio.get_running_loop().call_later(seconds, callback)


def _is_async_callable(function: object) -> bool:
    """A coroutine function (partials unwrapped), or an object with `async def __call__`."""
    return inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(
        type(function).__call__
    )
