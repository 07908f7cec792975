"""Session databases (create/list/get/delete/schema) and storage (keys, secret names).

Storage has no write endpoint in the SDK's scope: tests seed it with
``emulator.store.set_storage_key(...)`` / ``set_secret(...)``; a database's
``tables`` list can be filled through ``emulator.store`` too.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response

from .._clock import now_iso
from .._problems import ApiError, bad_request, conflict
from .._validation import json_body
from ._common import JSON, json_response, no_content, org_of, path_param, route, session_or_404

__all__ = ["MAX_DATABASES", "ROUTES"]

DB_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,62}$")
MAX_DATABASES = 10
PAGE_SIZE = 4096


def _databases(request: Request) -> dict[str, JSON]:
    sid = path_param(request, "session_id")
    session_or_404(request, sid)
    databases: dict[str, JSON] = org_of(request).databases[sid]
    return databases


def _view(db: JSON) -> JSON:
    return {k: v for k, v in db.items() if k != "tables"}


def _db_or_404(request: Request) -> JSON:
    name = path_param(request, "name")
    db = _databases(request).get(name)
    if db is None:
        raise ApiError(404, "database_not_found", f"Database '{name}' not found.")
    return db


async def list_databases(request: Request) -> Response:
    dbs = _databases(request)
    return json_response(
        {"data": [_view(d) for d in sorted(dbs.values(), key=lambda d: d["name"])]}
    )


async def create_database(request: Request) -> Response:
    body = await json_body(request, "CreateDatabaseRequest")
    dbs = _databases(request)
    name = body["name"]
    if not DB_NAME.match(name):
        raise bad_request(f"name: '{name}' is not a valid database name", code="invalid_name")
    if name in dbs:
        raise conflict(f"Database '{name}' already exists.", code="database_exists")
    if len(dbs) >= MAX_DATABASES:
        raise ApiError(
            422, "database_limit_exceeded", f"A session has at most {MAX_DATABASES} databases."
        )
    now = now_iso()
    dbs[name] = {
        "name": name,
        "size_bytes": 2 * PAGE_SIZE,
        "page_count": 2,
        "created_at": now,
        "updated_at": now,
        "tables": [],
    }
    return json_response(_view(dbs[name]), 201)


async def get_database(request: Request) -> Response:
    return json_response(_view(_db_or_404(request)))


async def delete_database(request: Request) -> Response:
    db = _db_or_404(request)
    del _databases(request)[db["name"]]
    return no_content()


async def get_schema(request: Request) -> Response:
    db = _db_or_404(request)
    return json_response({"database": db["name"], "tables": list(db["tables"])})


async def list_keys(request: Request) -> Response:
    sid = path_param(request, "session_id")
    session_or_404(request, sid)
    entries = org_of(request).storage_keys[sid]
    return json_response({"data": [entries[k] for k in sorted(entries)]})


async def list_secrets(request: Request) -> Response:
    sid = path_param(request, "session_id")
    session_or_404(request, sid)
    entries = org_of(request).storage_secrets[sid]
    return json_response({"data": [entries[k] for k in sorted(entries)]})


_DB = "/v1/sessions/{session_id}/databases"

ROUTES = [
    route("GET", _DB, list_databases),
    route("POST", _DB, create_database),
    route("GET", _DB + "/{name}", get_database),
    route("DELETE", _DB + "/{name}", delete_database),
    route("GET", _DB + "/{name}/schema", get_schema),
    route("GET", "/v1/sessions/{session_id}/storage/keys", list_keys),
    route("GET", "/v1/sessions/{session_id}/storage/secrets", list_secrets),
]
