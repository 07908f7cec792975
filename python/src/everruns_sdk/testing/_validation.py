"""Reading requests: JSON bodies checked against the generated request models,
and query parameters parsed the way the real server does (400 on bad values).
"""

from __future__ import annotations

import functools
import importlib
import json
from typing import Any

from starlette.requests import Request

from ._problems import ApiError, bad_request

__all__ = [
    "json_body",
    "pagination",
    "q_bool",
    "q_int",
    "q_list",
    "q_str",
    "validate_slug",
]

JSON = dict[str, Any]

MAX_ARRAY_VALUES = 25

# Used only while a generated model is missing from everruns_sdk.types: the
# required fields of each request body, with their JSON types.
_REQUIRED: dict[str, dict[str, type | tuple[type, ...]]] = {
    "CreateAgentRequest": {"name": str, "system_prompt": str},
    "CreateHarnessRequest": {"name": str},
    "CreateMessageRequest": {"message": dict},
    "SubmitToolResultsRequest": {"tool_results": list},
    "CreateWorkspaceRequest": {"name": str},
    "CreateMemoryRequest": {"name": str},
    "CreateDatabaseRequest": {"name": str},
    "MoveFileRequest": {"src_path": str, "dst_path": str},
    "CopyFileRequest": {"src_path": str, "dst_path": str},
    "GrepRequest": {"pattern": str},
    "StatRequest": {"path": str},
    "ForkAgentVersionRequest": {"name": str},
    "SetDefaultAgentVersionRequest": {"version_id": str},
    "PreviewAgentRequest": {"system_prompt": str},
    "GuardrailsDryRunRequest": {"config": dict, "stage": str, "text": str},
}


@functools.cache
def request_model(name: str) -> Any:
    """The generated pydantic model ``name`` from ``everruns_sdk.types``, or None."""
    try:
        types = importlib.import_module("everruns_sdk.types")
        model = getattr(types, name, None)
    except Exception:  # the generated package is absent or broken: fall back
        return None
    return model if hasattr(model, "model_validate") else None


def _loc(parts: tuple[Any, ...]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "body"


def validate_body(model_name: str, body: JSON) -> None:
    """Raise a 400 naming the field when ``body`` does not fit the request model."""
    model = request_model(model_name)
    if model is not None:
        try:
            # Strict JSON mode, like the real (serde) server: no "5" for 5.
            model.model_validate_json(json.dumps(body), strict=True)
        except Exception as exc:
            errors = getattr(exc, "errors", None)
            if not callable(errors):
                raise
            items = [
                {"field": _loc(tuple(e.get("loc", ()))), "message": str(e.get("msg", ""))}
                for e in errors()
            ]
            first = items[0] if items else {"field": "body", "message": str(exc)}
            raise ApiError(
                400,
                "validation_error",
                f"{first['field']}: {first['message']}",
                extra={"errors": items},
            ) from None
        return
    for field, kind in _REQUIRED.get(model_name, {}).items():
        if field not in body or body[field] is None:
            raise bad_request(f"{field}: Field required")
        if not isinstance(body[field], kind) or isinstance(body[field], bool):
            raise bad_request(f"{field}: wrong type")


async def json_body(request: Request, model_name: str | None = None) -> JSON:
    """The JSON object in the request body, validated against ``model_name``."""
    raw = await request.body()
    if not raw.strip():
        body: Any = {}
    else:
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad_request(f"body: invalid JSON: {exc}", code="invalid_json") from None
    if not isinstance(body, dict):
        raise bad_request("body: expected a JSON object", code="invalid_json")
    if model_name is not None:
        validate_body(model_name, body)
    return body


def q_str(request: Request, name: str) -> str | None:
    return request.query_params.get(name)


def q_int(
    request: Request,
    name: str,
    default: int | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"{name}: '{raw}' is not an integer") from None
    if minimum is not None and value < minimum:
        raise bad_request(f"{name}: must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise bad_request(f"{name}: must be at most {maximum}")
    return value


def q_bool(request: Request, name: str, default: bool = False) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    low = raw.lower()
    if low in ("true", "1"):
        return True
    if low in ("false", "0"):
        return False
    raise bad_request(f"{name}: '{raw}' is not a boolean")


def q_list(request: Request, name: str) -> list[str]:
    """A repeated-key array parameter (``?types=a&types=b``); ``types[]=`` is a 400."""
    if f"{name}[]" in request.query_params:
        raise bad_request(f"{name}[]: array parameters are repeated keys: use {name}=a&{name}=b")
    values = request.query_params.getlist(name)
    if len(values) > MAX_ARRAY_VALUES:
        raise bad_request(f"{name}: at most {MAX_ARRAY_VALUES} values are allowed")
    return values


def pagination(request: Request, *, max_limit: int = 100) -> tuple[int, int]:
    """``offset`` (default 0) and ``limit`` (default 20, at most ``max_limit``)."""
    offset = q_int(request, "offset", 0, minimum=0)
    limit = q_int(request, "limit", 20, minimum=1, maximum=max_limit)
    assert offset is not None and limit is not None
    return offset, limit


_SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789")


def validate_slug(value: Any, field: str = "name") -> str:
    """``[a-z0-9]+(-[a-z0-9]+)*``, at most 64 characters."""
    if not isinstance(value, str) or not value:
        raise bad_request(f"{field}: must be a non-empty string")
    if len(value) > 64:
        raise bad_request(f"{field}: must be at most 64 characters", code="invalid_name")
    parts = value.split("-")
    if any(not p or not set(p) <= _SLUG_CHARS for p in parts):
        raise bad_request(
            f"{field}: '{value}' is not a slug (lowercase letters, digits and single hyphens)",
            code="invalid_name",
        )
    return value
