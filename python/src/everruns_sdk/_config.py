"""Client configuration: environment fallbacks, base-URL normalisation, key masking."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Final

import httpx

from ._errors import EverrunsError, ValidationError
from ._retry import RETRY_POLICY

DEFAULT_BASE_URL: Final = "https://app.everruns.com/api"
DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_MAX_RETRIES: Final = RETRY_POLICY.max_retries

ENV_API_KEY: Final = "EVERRUNS_API_KEY"
ENV_API_URL: Final = "EVERRUNS_API_URL"
ENV_ORG_ID: Final = "EVERRUNS_ORG_ID"


def mask_key(key: str) -> str:
    """Return a display form of `key` that reveals only its kind (`evr_****`)."""
    prefix, sep, _ = key.partition("_")
    if sep and prefix.isalnum() and len(prefix) <= 8:
        return f"{prefix}_****"
    return "****"


class Secret:
    """Holds the API key; its repr and str are masked so it cannot leak by accident."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        """The real key, for the Authorization header only."""
        return self._value

    @property
    def masked(self) -> str:
        return mask_key(self._value)

    def __repr__(self) -> str:
        return f"Secret({self.masked!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> str:  # pragma: no cover - defensive
        raise TypeError("Secret cannot be pickled")


def normalize_base_url(url: str) -> str:
    """Return `url` without a trailing slash, so `/v1/...` paths join under its prefix.

    `http://host/api` and `http://host/api/` both become `http://host/api`, and
    `base + "/v1/agents"` keeps the `/api` prefix.
    """
    url = url.strip()
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise EverrunsError(f"base URL is not a valid URL ({exc}): {url!r}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise EverrunsError(f"base URL must be an absolute http(s) URL, got {url!r}")
    if parsed.query or parsed.fragment:
        raise EverrunsError("base URL must not contain a query string or fragment")
    return url.rstrip("/")


def check_header_value(name: str, value: str) -> str:
    """Reject CR, LF and NUL in a header value (header injection), naming only the header."""
    if any(ch in value for ch in "\r\n\x00"):
        raise EverrunsError(f"header {name!r} contains a forbidden control character")
    return value


@dataclass(frozen=True)
class ClientConfig:
    """Everything a client needs to build a request; shared by derived clients."""

    api_key: Secret
    base_url: str
    org_id: str | None = None
    timeout: httpx.Timeout = field(default_factory=lambda: httpx.Timeout(DEFAULT_TIMEOUT))
    max_retries: int = DEFAULT_MAX_RETRIES
    default_headers: tuple[tuple[str, str], ...] = ()

    def with_changes(self, **changes: object) -> ClientConfig:
        """This configuration with the given fields replaced (already validated)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def as_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    """`timeout` as an `httpx.Timeout`; `None` means no timeout (as in httpx)."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is not None and (isinstance(timeout, bool) or timeout < 0):
        raise EverrunsError(f"timeout must be a non-negative number or None, got {timeout!r}")
    return httpx.Timeout(timeout)


def check_max_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise EverrunsError(f"max_retries must be a non-negative int, got {max_retries!r}")
    return max_retries


def default_header_pairs(headers: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Checked default headers; the key and the org have their own arguments."""
    pairs = tuple((k, check_header_value(k, v)) for k, v in headers.items())
    for name, _ in pairs:
        if name.lower() in ("authorization", "x-org-id"):
            raise EverrunsError(
                f"default_headers must not set {name!r}: pass api_key=/org= instead"
            )
    return pairs


def _pick(name: str, *values: str | None) -> str | None:
    """First non-None of `values` (explicit arguments that are aliases of each other)."""
    given = [v for v in values if v is not None]
    if len(set(given)) > 1:
        raise EverrunsError(f"conflicting values given for {name}")
    return given[0] if given else None


def resolve_config(
    *,
    api_key: str | None,
    org: str | None,
    org_id: str | None,
    api_url: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int,
    default_headers: dict[str, str] | None,
) -> ClientConfig:
    """Combine explicit arguments with the environment; explicit arguments win."""
    key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
    if not key:  # a ValidationError is also a ValueError, as 0.3.x raised
        raise ValidationError(
            f"No API key: pass api_key=... or set the {ENV_API_KEY} environment variable."
        )
    check_header_value("Authorization", key)
    org_value = _pick("org/org_id", org, org_id) or os.environ.get(ENV_ORG_ID) or None
    if org_value is not None:
        check_header_value("X-Org-Id", org_value)
    url = _pick("api_url/base_url", api_url, base_url) or os.environ.get(ENV_API_URL)
    headers = default_header_pairs(default_headers or {})
    return ClientConfig(
        api_key=Secret(key),
        base_url=normalize_base_url(url or DEFAULT_BASE_URL),
        org_id=org_value,
        timeout=as_timeout(timeout),
        max_retries=check_max_retries(max_retries),
        default_headers=headers,
    )
