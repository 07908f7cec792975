"""Short IDs for tables: `session_…3f9a1b2c`, the prefix and the last hex digits (8, or
more where two IDs of the table would otherwise look the same)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

__all__ = ["MIN_DIGITS", "ellipsis", "is_long_id", "parse_short", "short_ids"]

MIN_DIGITS = 8
_ID = re.compile(r"^([a-z][a-z0-9]*)_([0-9a-f]{32})$")
_SHORT = re.compile(r"^([a-z][a-z0-9]*)_(?:…|\.\.)([0-9a-f]{8,31})$")  # MIN_DIGITS or more


def parse_short(value: str) -> tuple[str, str] | None:
    """(prefix, last digits) of a short ID as a table shows it (`…` or `..`), else None."""
    found = _SHORT.match(value.strip())
    return (found.group(1), found.group(2)) if found else None


def is_long_id(value: str) -> bool:
    """Whether `value` is a resource ID (`<prefix>_<32 hex>`)."""
    return _ID.match(value) is not None


def ellipsis() -> str:
    """`…` where stdout can write it, `..` elsewhere."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return "…" if encoding in ("utf8", "utf_8") else ".."


def short_ids(values: Iterable[str], *, mark: str | None = None) -> dict[str, str]:
    """The short form of each ID among `values` (other values are left out): unique
    among the IDs given, the same ID always shortened the same way."""
    mark = ellipsis() if mark is None else mark
    by_prefix: dict[str, set[str]] = {}
    for value in values:
        found = _ID.match(value)
        if found:
            by_prefix.setdefault(found.group(1), set()).add(found.group(2))
    short: dict[str, str] = {}
    for prefix, digits in by_prefix.items():
        size = MIN_DIGITS
        while size < 32 and len({d[-size:] for d in digits}) < len(digits):
            size += 1
        for d in digits:
            short[f"{prefix}_{d}"] = f"{prefix}_{mark}{d[-size:]}" if size < 32 else f"{prefix}_{d}"
    return short
