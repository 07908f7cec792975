"""Small shared pieces of the reliability suite (imported by conftest and the tests)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

#: Figures reported at the end of the run (terminal summary) and written to REPORT_FILE.
REPORT: list[str] = []
REPORT_FILE = Path(os.environ.get("EVERRUNS_RELIABILITY_REPORT", "/tmp/everruns-reliability.txt"))

#: A key that must never show up anywhere (its masked form is `evr_****`).
SECRET_KEY = "evr_pat_S3CR3TK3Y0123456789abcdefSECRET"
#: A fragment of the key distinctive enough that finding it means a leak.
SECRET_FRAGMENT = "S3CR3TK3Y"

#: Liveness guard only: a hang fails the test instead of blocking the run.
WAIT = 15.0


def report(line: str) -> None:
    """Record one figure line: printed now (visible with -s), in the terminal summary
    and in REPORT_FILE (rewritten with every line of this run so far)."""
    print(line)
    REPORT.append(line)
    with contextlib.suppress(OSError):
        REPORT_FILE.write_text("\n".join(REPORT) + "\n")


class SleepRecorder:
    """Stands in for `_aio.sleep` / `_syncio.sleep`: records the delay, does not wait."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def async_sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)  # still a checkpoint, like the real one

    def sync_sleep(self, seconds: float) -> None:
        self.delays.append(seconds)


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT) -> bool:
    """Poll `predicate` (a liveness guard, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


async def async_wait_until(predicate: Callable[[], bool], timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.005)
    return True


def texts_of_exception(exc: BaseException) -> Iterator[str]:
    """Every text an exception shows: str, repr, args, and the same for its whole
    chain (`__cause__` and `__context__`)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield from (repr(a) for a in current.args)
        for name in ("message", "body", "request_id", "code"):
            if hasattr(current, name):
                yield repr(getattr(current, name))
        todo.append(current.__cause__)
        todo.append(current.__context__)
