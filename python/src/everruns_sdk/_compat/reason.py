"""The change reason of 0.3.1's `client.with_reason(reason)`: a header on every request.

0.3.1 sent it as `Everruns-Change-Reason`: the reason stripped, percent-encoded as
UTF-8, and no header at all for a blank reason. `MAX_CHANGE_REASON_CHARS` is the
length 0.3.1 documented as the limit; like 0.3.1 we leave enforcing it to the server.
`Everruns.with_reason` uses this.
"""

from __future__ import annotations

from urllib.parse import quote

CHANGE_REASON_HEADER = "Everruns-Change-Reason"
MAX_CHANGE_REASON_CHARS = 1000


def encode_reason(reason: str) -> str | None:
    """The header value for `reason`, or None when it is blank."""
    text = reason.strip()
    return quote(text, safe="") if text else None


def with_reason_headers(
    headers: tuple[tuple[str, str], ...], reason: str
) -> tuple[tuple[str, str], ...]:
    """`headers` with any earlier change reason replaced by `reason` (or removed)."""
    kept = tuple(pair for pair in headers if pair[0].lower() != CHANGE_REASON_HEADER.lower())
    value = encode_reason(reason)
    return kept if value is None else (*kept, (CHANGE_REASON_HEADER, value))
