"""Everruns SDK: a typed, async-first client for the Everruns AI-agent API.

    from everruns_sdk import Everruns

    client = Everruns(org="my-org")  # EVERRUNS_API_KEY from the environment

Importing this package stays cheap: models (`everruns_sdk.types`), the sync client and
helpers load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from everruns_sdk._client import Everruns
from everruns_sdk._errors import (
    APIConnectionError,
    ApiError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    EverrunsError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    StreamRetriesExhaustedError,
    UnprocessableEntityError,
    ValidationError,
)
from everruns_sdk._lazy import lazy_exports
from everruns_sdk._pagination import Page
from everruns_sdk._version import __version__

if TYPE_CHECKING:
    from everruns_sdk._response import APIResponse
    from everruns_sdk._sync._client import SyncEverruns
    from everruns_sdk._sync._pagination import SyncPage
    from everruns_sdk.lib.results import TurnFailedError, TurnResult, TurnTimeoutError
    from everruns_sdk.lib.tools import Tool, tool
    from everruns_sdk.streaming._stream import EventStream
    from everruns_sdk.types.events import Event

# Public names that load on first access: name -> module.
_LAZY = {
    "APIResponse": "everruns_sdk._response",
    "SyncEverruns": "everruns_sdk._sync._client",
    "SyncPage": "everruns_sdk._sync._pagination",
    "EventStream": "everruns_sdk.streaming._stream",
    "Event": "everruns_sdk.types.events",
    "Tool": "everruns_sdk.lib.tools",
    "tool": "everruns_sdk.lib.tools",
    "TurnFailedError": "everruns_sdk.lib.results",
    "TurnResult": "everruns_sdk.lib.results",
    "TurnTimeoutError": "everruns_sdk.lib.results",
}


__all__ = [
    "APIConnectionError",
    "APIResponse",
    "APITimeoutError",
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "Event",
    "EventStream",
    "Everruns",
    "EverrunsError",
    "InternalServerError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "StreamRetriesExhaustedError",
    "SyncEverruns",
    "SyncPage",
    "Tool",
    "TurnFailedError",
    "TurnResult",
    "TurnTimeoutError",
    "UnprocessableEntityError",
    "ValidationError",
    "__version__",
    "tool",
]

_lazy_getattr, __dir__ = lazy_exports(__name__, _LAZY, __all__)


def __getattr__(name: str) -> Any:
    """Our lazy names first; then the 0.3.x names (models, helpers), which warn."""
    try:
        return _lazy_getattr(name)
    except AttributeError:
        from everruns_sdk._compat.names import legacy_getattr

        return legacy_getattr(__name__, name)
