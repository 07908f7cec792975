"""RFC 9457 problem details, as the Everruns API answers errors.

Every error body is ``application/problem+json`` with ``type``, ``title``,
``status``, ``detail`` and a stable snake_case ``code``. Route code raises
`ApiError`; the app turns it into a response.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.responses import Response

__all__ = [
    "ApiError",
    "bad_request",
    "conflict",
    "not_found",
    "problem_body",
    "problem_response",
]

ERROR_TYPE_BASE = "https://docs.everruns.com/errors/"


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class ApiError(Exception):
    """An error answer: raise it anywhere in a route to reply with problem details."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra or {}


def problem_body(
    status: int, code: str, detail: str, *, instance: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": ERROR_TYPE_BASE + code,
        "title": _title(status),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance is not None:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(error: ApiError, *, instance: str | None = None) -> Response:
    from starlette.responses import Response

    body = problem_body(error.status, error.code, error.detail, instance=instance, **error.extra)
    return Response(
        json.dumps(body),
        status_code=error.status,
        media_type="application/problem+json",
        headers=error.headers,
    )


def not_found(kind: str, ident: str, org_id: str | None = None) -> ApiError:
    """404 ``<kind>_not_found``, worded like the real service."""
    where = f" in org {org_id}" if org_id else ""
    label = kind.replace("_", " ").capitalize()
    return ApiError(404, f"{kind}_not_found", f"{label} {ident} not found{where}.")


def bad_request(detail: str, code: str = "validation_error") -> ApiError:
    return ApiError(400, code, detail)


def conflict(detail: str, code: str = "conflict") -> ApiError:
    return ApiError(409, code, detail)
