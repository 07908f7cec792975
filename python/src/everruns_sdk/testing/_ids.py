"""Resource IDs: ``<prefix>_<32 hex>``, built on a monotonic UUIDv7.

IDs of one kind sort by creation time, and IDs made by one emulator process are
strictly increasing (within one millisecond a counter takes over from the random
bits, as RFC 9562 section 6.2 allows), so event IDs strictly increase per session.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid

__all__ = ["new_id", "new_uuid7", "uuid_of"]

_lock = threading.Lock()
_last_ms = 0
_last_seq = 0
_SEQ_BITS = 74  # 12 bits rand_a + 62 bits rand_b
_SEQ_MAX = (1 << _SEQ_BITS) - 1


def _pack(ms: int, seq: int) -> int:
    rand_a = seq >> 62
    rand_b = seq & ((1 << 62) - 1)
    return (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b


def new_uuid7() -> uuid.UUID:
    """A UUIDv7 strictly greater than every one this process made before."""
    global _last_ms, _last_seq
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            # Fresh millisecond: random start, top bits clear to leave room to count.
            _last_ms, _last_seq = ms, secrets.randbits(_SEQ_BITS - 8)
        else:
            _last_seq += 1 + secrets.randbits(8)
            if _last_seq > _SEQ_MAX:  # pragma: no cover - needs 2**66 IDs in 1 ms
                _last_ms, _last_seq = _last_ms + 1, 0
        return uuid.UUID(int=_pack(_last_ms, _last_seq))


def new_id(prefix: str) -> str:
    """A new ``<prefix>_<32 hex>`` ID, e.g. ``new_id("agent")``."""
    return f"{prefix}_{new_uuid7().hex}"


def uuid_of(resource_id: str) -> str:
    """The UUID (canonical hyphenated form) under a ``<prefix>_<32 hex>`` ID."""
    return str(uuid.UUID(hex=resource_id.rsplit("_", 1)[-1]))
