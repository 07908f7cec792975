"""Client-side IDs and names: UUIDv7-based `<prefix>_<32 hex>` IDs and slug validation."""

from __future__ import annotations

import os
import re
import time

from everruns_sdk._errors import ValidationError

NAME_MAX_LENGTH = 64
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ID = re.compile(r"[a-z]+_[0-9a-f]{32}")


def uuid7_hex() -> str:
    """32 hex digits of a UUIDv7: a millisecond timestamp first, so IDs sort by creation."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= ((rand >> 62) & 0xFFF) << 64  # 12 random bits
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)
    return f"{value:032x}"


def generate_id(prefix: str) -> str:
    """A new ID such as `agent_0193...`; IDs of one prefix sort by creation time."""
    return f"{prefix}_{uuid7_hex()}"


def generate_agent_id() -> str:
    """A new agent ID, for creating or applying an agent with a client-chosen ID."""
    return generate_id("agent")


def generate_harness_id() -> str:
    """A new harness ID, for creating a harness with a client-chosen ID."""
    return generate_id("harness")


def is_valid_id(value: str, prefix: str) -> bool:
    return bool(_ID.fullmatch(value)) and value.startswith(prefix + "_")


def validate_name(name: object, *, kind: str = "agent") -> str:
    """Check an agent or harness name: a slug of lowercase letters, digits and single
    hyphens (`customer-support`), at most 64 characters. Raises ValidationError."""
    if not isinstance(name, str):
        raise ValidationError(f"{kind} name must be a string, got {type(name).__name__}")
    if not name:
        raise ValidationError(f"{kind} name must not be empty")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"{kind} name {name[:20]!r}... is {len(name)} characters; at most "
            f"{NAME_MAX_LENGTH} are allowed"
        )
    if not _SLUG.fullmatch(name):
        hint = slugify(name)
        suggestion = f" (for example {hint!r})" if hint else ""
        raise ValidationError(
            f"{kind} name {name!r} is not a slug: use lowercase letters, digits and single "
            f"hyphens, starting and ending with a letter or digit{suggestion}"
        )
    return name


def slugify(text: str) -> str:
    """The slug for a human name: `"Customer Support"` -> `"customer-support"` ('' if none)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")
    return slug[:NAME_MAX_LENGTH].rstrip("-")


def agent_name_and_display(name: str, display_name: str | None) -> tuple[str, str | None]:
    """Accept a human name where a slug is expected, as the quick start does.

    `"Assistant"` becomes the slug `assistant`, and the original is kept as the display
    name (unless one is given). A name that yields no slug raises ValidationError.
    """
    if isinstance(name, str) and _SLUG.fullmatch(name) and len(name) <= NAME_MAX_LENGTH:
        return name, display_name
    slug = slugify(name) if isinstance(name, str) else ""
    if not slug or len(name) > 4 * NAME_MAX_LENGTH:
        validate_name(name)  # raises with the precise reason
    return slug, display_name if display_name is not None else name
