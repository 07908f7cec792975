"""The few async primitives that async modules use; `_syncio` has the blocking twins.

`scripts/gen_sync.py` rewrites `_aio` to `_syncio` when it derives the sync client, so
async modules must take these from here rather than from asyncio directly.

asyncio is imported when first needed, not with this module: `import everruns_sdk`
stays as cheap as importing httpx (which does not load asyncio either).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from everruns_sdk._pager import AsyncPager
    from everruns_sdk._pagination import Page

T = TypeVar("T")


class Timer(Protocol):
    """A scheduled callback (`call_later`) that can still be called off."""

    def cancel(self) -> None: ...


def pager(fetch: Callable[[], Awaitable[Page[T]]]) -> AsyncPager[T]:
    """What a `list()` returns: sent when awaited or iterated (`_syncio`: at once)."""
    from everruns_sdk._pager import AsyncPager

    return AsyncPager(fetch)


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
    in the loop, a plain function runs in a daemon thread of its own (and an awaitable it
    returns is awaited). Cancelling the call (a timeout) abandons that thread: the
    function runs on, but neither the loop's shutdown nor interpreter exit waits for it."""
    if _is_async_callable(function):
        return await function(*args, **kwargs)
    result = await _in_daemon_thread(function, *args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


async def wait_for(call: Callable[[], Awaitable[T]], timeout: float | None) -> T:
    """Await `call()`, cancelling it after `timeout` seconds (None: no limit); raises the
    builtin `TimeoutError` then."""
    import asyncio

    if timeout is None:
        return await call()
    try:
        return await asyncio.wait_for(call(), timeout)
    except asyncio.TimeoutError:  # not the builtin TimeoutError before Python 3.11
        raise TimeoutError(f"timed out after {timeout:g} s") from None


async def _in_daemon_thread(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`asyncio.to_thread` in a daemon thread instead of the loop's default executor, so
    a function that never returns blocks neither `asyncio.run`'s exit nor the
    interpreter's."""
    import asyncio
    import contextvars
    import threading

    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()

    def target() -> None:
        try:
            value = context.run(function, *args, **kwargs)
        except BaseException as exc:  # handed to the awaiting task
            report = functools.partial(_settle, future, future.set_exception, exc)
        else:
            report = functools.partial(_settle, future, future.set_result, value)
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits for it
            loop.call_soon_threadsafe(report)

    threading.Thread(target=target, name="everruns-tool", daemon=True).start()
    return await future


def _settle(future: Any, set_outcome: Callable[[Any], object], outcome: Any) -> None:
    if not future.done():  # cancelled meanwhile (a timeout)
        set_outcome(outcome)


def call_later(seconds: float, callback: Callable[[], object]) -> Timer:
    """Call `callback` (in the event loop) after `seconds`, unless cancelled."""
    import asyncio

    return asyncio.get_running_loop().call_later(seconds, callback)


def _is_async_callable(function: object) -> bool:
    """A coroutine function (partials unwrapped), or an object with `async def __call__`."""
    return inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(
        type(function).__call__
    )
