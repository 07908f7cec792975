"""Path templates to URL paths, every parameter percent-encoded inside its own segment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from ._errors import ValidationError

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Parameters that are file paths: several segments, each encoded on its own.
FILE_PATH_PARAMS = frozenset({"path"})


def encode_segment(name: str, value: object) -> str:
    """Encode one path parameter so that nothing in it can change the route.

    Every reserved character (`/`, `?`, `#`, `%`, space, CR/LF, ...) is percent-encoded.
    The dot segments `.` and `..` are refused: no spelling of them survives URL
    normalisation (`%2E%2E` is a dot segment too, for WHATWG URL parsers and proxies), and
    no ID or name is ever a dot. The three SDKs refuse them alike (conformance `paths.*`).
    """
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, got {type(value).__name__}")
    if not value:
        raise ValidationError(f"{name} must not be empty")
    if value in (".", ".."):
        raise ValidationError(f"{name} must not be {value!r}: a dot segment would leave its path")
    return quote(value, safe="")


def encode_file_path(name: str, value: object) -> str:
    """Encode a `/`-separated file path: `/` stays between segments, each segment is encoded.

    Empty, `.` and `..` segments are rejected: a file path can never climb out of its root.
    """
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, got {type(value).__name__}")
    segments = value.strip("/").split("/")
    if not value.strip("/"):
        raise ValidationError(f"{name} must name a file or directory, got {value!r}")
    for segment in segments:
        if segment in ("", ".", ".."):
            raise ValidationError(
                f"{name} {value!r} has an empty, '.' or '..' segment; use a plain relative path"
            )
    return "/".join(quote(segment, safe="") for segment in segments)


def build_path(template: str, params: Mapping[str, object] | None = None) -> str:
    """Fill `template` (`/v1/agents/{agent_id}`) with encoded `params`."""
    if "{" not in template:
        return template
    params = params or {}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise ValidationError(f"missing path parameter {name!r}")
        value = params[name]
        if name in FILE_PATH_PARAMS:
            return encode_file_path(name, value)
        return encode_segment(name, value)

    return _PLACEHOLDER.sub(substitute, template)
