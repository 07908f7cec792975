"""Helpers shared by the route modules."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlencode

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from .._problems import bad_request, not_found
from .._state import ServerState
from .._store import OrgState

__all__ = [
    "JSON",
    "api_base",
    "json_response",
    "no_content",
    "org_of",
    "page",
    "path_param",
    "raw_path_tail",
    "route",
    "session_or_404",
    "state_of",
    "ui_base",
    "with_urls",
]

JSON = dict[str, Any]


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.everruns
    return state


def org_of(request: Request) -> OrgState:
    """The organization of the request (``X-Org-Id``, or the default one)."""
    return state_of(request).store.org(request.headers.get("x-org-id") or None)


def path_param(request: Request, name: str) -> str:
    value: str = request.path_params[name]
    return value


def api_base(request: Request) -> str:
    """``http://host:port/api``: the base URL the client used."""
    return f"{request.url.scheme}://{request.url.netloc}/api"


def ui_base(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def with_urls(request: Request, record: JSON, api_path: str, ui_path: str) -> JSON:
    """A resource with its ``self_url``/``view_url``/``ui_link``."""
    view = ui_base(request) + ui_path
    return {**record, "self_url": api_base(request) + api_path, "view_url": view, "ui_link": view}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body), status_code=status, media_type="application/json", headers=headers
    )


def no_content() -> Response:
    return Response(status_code=204)


def page(request: Request, items: list[JSON], offset: int, limit: int) -> JSON:
    """A paginated list body, with ``next_url``/``prev_url`` when there are more."""
    total = len(items)
    body: JSON = {
        "data": items[offset : offset + limit],
        "total": total,
        "offset": offset,
        "limit": limit,
    }
    base = api_base(request) + request.url.path[len("/api") :]
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")]

    def link(new_offset: int) -> str:
        return base + "?" + urlencode([*params, ("offset", new_offset), ("limit", limit)])

    body["next_url"] = link(offset + limit) if offset + limit < total else None
    body["prev_url"] = link(max(0, offset - limit)) if offset > 0 else None
    return body


def search_filter(items: Iterable[JSON], query: str | None, *fields: str) -> list[JSON]:
    """Case-insensitive substring search over some string fields."""
    if not query:
        return list(items)
    needle = query.lower()
    return [r for r in items if any(needle in str(r.get(f) or "").lower() for f in fields)]


def raw_path_tail(request: Request, marker: str) -> str:
    """The file path after ``marker`` (e.g. ``/fs/``), each raw segment percent-decoded.

    Read from ``raw_path`` so that an encoded ``/`` (``%2F``) inside a segment is not
    mistaken for a separator.
    """
    raw = request.scope.get("raw_path") or request.url.path.encode()
    text = raw.decode("latin-1").split("?", 1)[0]
    index = text.find(marker)
    if index < 0:
        raise bad_request("path: missing")
    segments = []
    for seg in text[index + len(marker) :].split("/"):
        decoded = unquote(seg, encoding="utf-8", errors="strict")
        if "/" in decoded:
            raise bad_request(f"path: segment '{decoded}' contains '/'")
        segments.append(decoded)
    return "/" + "/".join(s for s in segments if s)


def session_or_404(request: Request, session_id: str) -> JSON:
    org = org_of(request)
    session = org.sessions.get(session_id)
    if session is None:
        raise not_found("session", session_id, org.org_id)
    return session


Handler = Callable[[Request], Awaitable[Response]]


def route(method: str, path: str, handler: Handler, *, lock: bool = True) -> Route:
    """A route whose handler runs holding the store lock (after the body is read).

    The lock keeps the test thread's reads consistent; handlers that wait long
    (SSE, cancel) pass ``lock=False`` and lock around their own state changes.
    """
    if not lock:
        return Route(path, handler, methods=[method])

    async def locked(request: Request) -> Response:
        try:
            await request.body()  # read (and cache) the body before taking the lock
        except ClientDisconnect:  # nobody to answer
            return Response(status_code=499)
        with state_of(request).store.lock:
            return await handler(request)

    locked.__name__ = handler.__name__
    return Route(path, locked, methods=[method])
