"""Retries shown as they happen, on a terminal: a closed port is not seconds of silence
before the error. One `retrying` line on stderr per failed attempt, from the SDK's own
debug records of its retries (request pipeline and event stream), never the key (the SDK
scrubs it from what it logs). Off a terminal, stderr keeps its one `error:` line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from everruns_sdk._retry import REQUEST_RETRY_MESSAGE, STREAM_RETRY_MESSAGE
from everruns_sdk.cli._style import color_enabled, is_tty, paint

__all__ = ["RetryNotes", "install"]


def _cause(cause: Any) -> str:
    """The failure without the advice that the final error gives anyway."""
    return str(cause).split("; check that", 1)[0]


class RetryNotes(logging.Handler):
    """Writes one line per retry record of the `everruns_sdk` logger to stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        args: tuple[Any, ...] = record.args if isinstance(record.args, tuple) else ()
        if record.msg == REQUEST_RETRY_MESSAGE and len(args) == 5:
            _method, _url, cause, retry, delay = args
            text = f"{_cause(cause)}; retry {retry} in {float(delay):.1f} s"
        elif record.msg == STREAM_RETRY_MESSAGE and len(args) == 4:
            _path, cause, failure, delay = args
            text = f"{_cause(cause)}; reconnecting in {float(delay):.1f} s (failure {failure})"
        else:
            return
        label = paint("retrying:", "yellow", enabled=color_enabled(sys.stderr))
        sys.stderr.write(f"{label} {text}\n")
        sys.stderr.flush()


def install() -> Callable[[], None]:
    """Show retries while this invocation runs, when stderr is a terminal and
    `EVERRUNS_DEBUG` is not already printing them. Returns the undo function."""
    logger = logging.getLogger("everruns_sdk")
    if not is_tty(sys.stderr) or logger.isEnabledFor(logging.DEBUG):
        return lambda: None
    handler = RetryNotes(logging.DEBUG)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)  # other debug records reach no handler that prints them

    def undo() -> None:
        logger.removeHandler(handler)
        logger.setLevel(level)

    return undo
