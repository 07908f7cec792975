"""Blocking twins of `_aio`, used by the generated sync client."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Timer(Protocol):
    """A scheduled callback (`call_later`) that can still be called off."""

    def cancel(self) -> None: ...


def pager(fetch: Callable[[], T]) -> T:
    """What a `list()` returns in the blocking client: the page, fetched now."""
    return fetch()


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def gather(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run `calls` concurrently in threads and return their results in order."""
    if len(calls) <= 1:
        return [call() for call in calls]
    with ThreadPoolExecutor(max_workers=min(len(calls), 16)) as pool:
        return list(pool.map(lambda call: call(), calls))


def to_thread(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """The blocking twin of `_aio.to_thread`: just call the function."""
    return function(*args, **kwargs)


def run_function(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call a user function that may be sync or async; an awaitable result (a coroutine
    function's) is run to completion in an event loop of its own."""
    result = function(*args, **kwargs)
    if inspect.isawaitable(result):
        return run_awaitable(result)
    return result


def wait_for(call: Callable[[], T], timeout: float | None) -> T:
    """The blocking twin of `_aio.wait_for`: run `call()` in a daemon thread and wait at
    most `timeout` seconds (None: no limit, called inline); raises the builtin
    `TimeoutError` then. A thread cannot be stopped: `call` keeps running in it,
    abandoned, and being a daemon thread it does not block interpreter exit."""
    if timeout is None:
        return call()
    future: concurrent.futures.Future[T] = concurrent.futures.Future()

    def target() -> None:
        try:
            future.set_result(call())
        except BaseException as exc:  # handed to the waiting thread
            future.set_exception(exc)

    threading.Thread(target=target, name="everruns-tool", daemon=True).start()
    try:
        return future.result(timeout)
    except concurrent.futures.TimeoutError:
        if future.done():  # `call` itself raised a TimeoutError
            raise
        raise TimeoutError(f"timed out after {timeout:g} s") from None


def run_awaitable(awaitable: Awaitable[T]) -> T:
    """Run `awaitable` to completion from blocking code: in a new event loop, or in a
    worker thread's new loop when this thread already runs one."""

    async def main() -> T:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


def call_later(seconds: float, callback: Callable[[], object]) -> Timer:
    """Call `callback` (in a daemon thread) after `seconds`, unless cancelled."""
    timer = threading.Timer(seconds, callback)
    timer.daemon = True
    timer.start()
    return timer
