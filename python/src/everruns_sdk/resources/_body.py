"""Shared by the sub-clients: request bodies (`request=` plus keywords), file content, paths."""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping, Sequence
from typing import IO, Any, TypeAlias

from everruns_sdk._errors import ValidationError
from everruns_sdk._parsing import to_body
from everruns_sdk._paths import encode_file_path


def merge_body(request: object, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON body: the fields of `request` (a model or a mapping), overridden by the
    keyword `fields` that are not None."""
    body: dict[str, Any] = {}
    if request is not None:
        dumped = to_body(dict(request) if isinstance(request, Mapping) else request)
        if not isinstance(dumped, dict):
            raise ValidationError("request must be a model or a mapping")
        body.update(dumped)
    body.update({key: _jsonable(value) for key, value in fields.items() if value is not None})
    return body


def exclusive(body: dict[str, Any], *pairs: tuple[str, str]) -> dict[str, Any]:
    """Reject a body that sets both fields of any pair (`harness_id` and `harness_name`)."""
    for first, second in pairs:
        if body.get(first) is not None and body.get(second) is not None:
            raise ValidationError(f"pass either {first} or {second}, not both")
    return body


def _jsonable(value: object) -> object:
    """Models dumped, any mapping or sequence (not text) turned into dicts and lists."""
    if isinstance(value, Mapping) and not isinstance(value, dict):
        value = dict(value)
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes, list, tuple)):
        value = list(value)
    return to_body(value)


#: What a file upload takes: text (`str`, for files that hold text), bytes, a path
#: (`pathlib.Path` or any `os.PathLike`) or a binary file object (`open(..., "rb")`).
FileInput: TypeAlias = "str | bytes | os.PathLike[str] | IO[bytes]"


def read_binary(source: os.PathLike[str] | IO[bytes]) -> bytes:
    """The bytes of a path or of a binary file object (read whole: a retried request
    sends the same bytes again). Blocking: the async client runs it in a thread."""
    if isinstance(source, os.PathLike):
        with open(os.fspath(source), "rb") as handle:
            return handle.read()
    read = getattr(source, "read", None)
    if not callable(read):
        raise ValidationError(
            f"expected text, bytes, a path or a binary file object, got {type(source).__name__}"
        )
    data = read()
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ValidationError("open the file in binary mode ('rb')")
    return bytes(data)


def source_name(source: object) -> str | None:
    """The base name of a path or of a file object's `name`, if it has one."""
    name = os.fspath(source) if isinstance(source, os.PathLike) else getattr(source, "name", None)
    return os.path.basename(name) if isinstance(name, str) else None


def file_content(
    content: str | bytes | None, encoding: str | None
) -> tuple[str | None, str | None]:
    """File content for a JSON body: text as it is, bytes as base64 (encoding `base64`)."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        if encoding not in (None, "base64"):
            raise ValidationError("bytes content is always sent as base64; drop encoding")
        return base64.b64encode(bytes(content)).decode("ascii"), "base64"
    return content, encoding


def decode_content(content: str | None, encoding: str | None) -> bytes:
    """The raw bytes of file content as the API returns it (text or base64)."""
    if not content:
        return b""
    if (encoding or "").lower() == "base64":
        return base64.b64decode(content)
    return content.encode("utf-8")


def is_root(path: str | None) -> bool:
    """True for the root of a file tree: None, `""` or `/`."""
    return path is None or (isinstance(path, str) and not path.strip("/"))


def absolute_path(path: str, name: str = "path") -> str:
    """`notes/a.txt` -> `/notes/a.txt`, for paths sent in a JSON body; rejects empty,
    `.` and `..` segments as the URL paths do."""
    encode_file_path(name, path)
    return "/" + path.strip("/")
