"""The DeprecationWarning of an old spelling, at most once per spelling and process,
and the error of an API that 0.3.1 called but this server API does not define."""

from __future__ import annotations

import threading
import warnings

from everruns_sdk._errors import EverrunsError

_warned: set[str] = set()
_lock = threading.Lock()


class NotOfferedError(EverrunsError, NotImplementedError):
    """A 0.3.x method whose endpoint is not part of the Everruns API this SDK is built
    from (budgets, user connections, the separate agent-execution API, session resume
    and secrets). The name still imports, so old programs start; calling it raises."""


def deprecated(old: str, new: str, *, stacklevel: int = 3, key: str | None = None) -> None:
    """Warn that `old` is deprecated in favour of `new`, the first time `old` (or the
    group `key`, such as "model names from everruns_sdk") is used.

    `stacklevel=3` points at the caller of the alias (warn -> alias -> caller).
    """
    with _lock:
        if (key or old) in _warned:
            return
        _warned.add(key or old)
    warnings.warn(
        f"{old} is the everruns-sdk 0.3 spelling and is deprecated; use {new} instead "
        "(see docs/migrating.md)",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def reset_warnings() -> None:
    """Forget which spellings have warned (tests count warnings program by program)."""
    with _lock:
        _warned.clear()


def not_offered(spelling: str, api: str) -> NotOfferedError:
    """The error for calling `spelling`, which needs the `api` this SDK does not have."""
    return NotOfferedError(
        f"{spelling} calls the {api}, which this server API does not offer: it is not "
        "part of the Everruns API specification this SDK is built from"
    )
