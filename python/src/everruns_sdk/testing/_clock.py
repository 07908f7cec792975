"""Timestamps as the API writes them: ISO 8601, UTC, milliseconds, ``Z``."""

from __future__ import annotations

import re
from datetime import datetime, timezone

__all__ = ["now_iso", "parse_ts", "to_iso"]


def to_iso(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now_iso() -> str:
    """The current time, e.g. ``2026-05-27T15:24:00.123Z``."""
    return to_iso(datetime.now(timezone.utc))


def parse_ts(value: str) -> datetime:
    """Parse an ISO 8601 timestamp (``Z`` or an offset); raise ValueError if invalid."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python 3.10 only reads 3 or 6 fractional digits: pad or cut to 6.
    text = re.sub(r"\.(\d+)", lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment
