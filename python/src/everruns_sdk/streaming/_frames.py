"""Pure helpers of the event stream: query values, lifecycle frames, safe text.

No I/O and nothing async here, so the sync mirror of `_stream` imports it as it is.
"""

from __future__ import annotations

import datetime
import json
import urllib.parse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from everruns_sdk.types.events import parse_event

if TYPE_CHECKING:
    from everruns_sdk.types.events import Event


def as_list(values: Sequence[str] | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values]


def clip(text: str, limit: int = 100) -> str:
    """`text` cut to `limit` characters: a hostile stream must not make huge messages."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def text(value: bytes) -> str:
    """A field of the event stream as text (invalid UTF-8 becomes U+FFFD)."""
    return str(value, "utf-8", "replace")


def json_object(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep JSON
        return {}
    return value if isinstance(value, dict) else {}


def lifecycle_event(kind: str, sse_id: str, payload: dict[str, Any], session_id: str) -> Event:
    """A `ConnectedEvent`/`DisconnectingEvent` for a lifecycle frame. Those frames carry
    only `data` (no envelope): the ID is the frame's (usually empty), the session is the
    stream's and the timestamp is the time of receipt."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return parse_event(
        {
            "id": sse_id,
            "type": kind,
            "ts": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "session_id": session_id,
            "data": payload,
        }
    )


def session_id_from_path(path: str) -> str:
    """`session_...` out of `/v1/sessions/{session_id}/sse` (empty if not that shape)."""
    parts = path.split("?", 1)[0].rstrip("/").split("/")
    if len(parts) >= 3 and parts[-3] == "sessions":
        return urllib.parse.unquote(parts[-2])
    return ""
