"""The 0.3.x module `everruns_sdk.errors` (deprecated): the exceptions are exported by
`everruns_sdk` itself (`from everruns_sdk import ApiError`)."""

from __future__ import annotations

from everruns_sdk._compat._warn import deprecated
from everruns_sdk._errors import (
    ApiError,
    AuthenticationError,
    EverrunsError,
    NotFoundError,
    RateLimitError,
    ValidationError,
)

deprecated("the module everruns_sdk.errors", "from everruns_sdk import ApiError, ...")

__all__ = [
    "ApiError",
    "AuthenticationError",
    "EverrunsError",
    "NotFoundError",
    "RateLimitError",
    "ValidationError",
]
