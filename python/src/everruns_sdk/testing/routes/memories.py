"""Memories (manual or Git-backed) and their filesystem."""

from __future__ import annotations

import mimetypes

from starlette.requests import Request
from starlette.responses import Response

from .._clock import now_iso
from .._fs import FileTree, Node
from .._ids import new_id
from .._problems import ApiError, bad_request, conflict, not_found
from .._store import OrgState
from .._validation import json_body, q_bool, q_str, validate_slug
from ._common import (
    JSON,
    json_response,
    no_content,
    org_of,
    path_param,
    raw_path_tail,
    route,
    search_filter,
)

__all__ = ["ROUTES"]


def _source(body: JSON | None) -> tuple[str, JSON]:
    """(source_type, source response) for a create/update ``source`` field."""
    if not body:
        return "manual", {"provider": "manual"}
    kind = body.get("type")
    common = {
        "branch": body.get("branch") or "main",
        "root_folder": body.get("root_folder"),
        "sync_interval_secs": body.get("sync_interval_secs"),
    }
    if kind == "github":
        return "github", {"provider": "github", "repository": body["repository"], **common}
    if kind == "git":
        return "git", {"provider": "git", "url": body["url"], **common}
    raise bad_request(f"source.type: unknown memory source '{kind}'")


def _memory_or_404(org: OrgState, memory_id: str) -> JSON:
    memory = org.memories.get(memory_id)
    if memory is None:
        raise not_found("memory", memory_id, org.org_id)
    return memory


def _view(memory: JSON) -> JSON:
    """A memory whose sync was queued reports it done once observed."""
    if memory["sync_status"] == "queued":
        memory.update(sync_status="succeeded", last_synced_at=now_iso(), last_sync_error=None)
    return dict(memory)


def _name_free(org: OrgState, name: str, own_id: str | None = None) -> str:
    name = validate_slug(name)
    for other in org.memories.values():
        if other["name"] == name and other["id"] != own_id and other["status"] != "deleted":
            raise conflict(f"A memory named '{name}' already exists.", "memory_name_conflict")
    return name


def _apply_source(memory: JSON, source: JSON | None) -> None:
    source_type, response = _source(source)
    readonly = source_type != "manual"
    memory.update(
        source_type=source_type,
        source=response,
        is_readonly=readonly,
        sync_status="queued" if readonly else "idle",
    )


async def list_memories(request: Request) -> Response:
    org = org_of(request)
    archived = q_bool(request, "include_archived")
    items = [
        m
        for m in org.memories.values()
        if m["status"] == "active" or (archived and m["status"] == "archived")
    ]
    items = search_filter(items, q_str(request, "search"), "name")
    return json_response({"data": [_view(m) for m in sorted(items, key=lambda m: m["id"])]})


async def create_memory(request: Request) -> Response:
    body = await json_body(request, "CreateMemoryRequest")
    org = org_of(request)
    now = now_iso()
    memory: JSON = {
        "id": new_id("mem"),
        "name": _name_free(org, body["name"]),
        "description": body.get("description"),
        "status": "active",
        "last_synced_at": None,
        "last_sync_error": None,
        "archived_at": None,
        "deleted_at": None,
        "created_at": now,
        "updated_at": now,
    }
    _apply_source(memory, body.get("source"))
    org.memories[memory["id"]] = memory
    org.memory_files[memory["id"]] = FileTree()
    return json_response(dict(memory), 201)


async def get_memory(request: Request) -> Response:
    return json_response(_view(_memory_or_404(org_of(request), path_param(request, "memory_id"))))


async def update_memory(request: Request) -> Response:
    body = await json_body(request, "UpdateMemoryRequest")
    org = org_of(request)
    memory = _memory_or_404(org, path_param(request, "memory_id"))
    if body.get("name") is not None:
        memory["name"] = _name_free(org, body["name"], memory["id"])
    if body.get("description") is not None:
        memory["description"] = body["description"]
    if body.get("source") is not None:
        _apply_source(memory, body["source"])
    memory["updated_at"] = now_iso()
    return json_response(dict(memory))


async def delete_memory(request: Request) -> Response:
    memory = _memory_or_404(org_of(request), path_param(request, "memory_id"))
    if memory["status"] != "archived":
        now = now_iso()
        memory.update(status="archived", archived_at=now, updated_at=now)
    return no_content()


async def sync_memory(request: Request) -> Response:
    memory = _memory_or_404(org_of(request), path_param(request, "memory_id"))
    if memory["source_type"] == "manual":
        raise bad_request("A manual memory has no source to sync.", code="invalid_sync_request")
    memory.update(sync_status="queued", updated_at=now_iso())
    return json_response(dict(memory))


# -- the filesystem ------------------------------------------------------------------


def _tree(request: Request, *, writing: bool = False) -> FileTree:
    org = org_of(request)
    memory = _memory_or_404(org, path_param(request, "memory_id"))
    if writing and memory["is_readonly"]:
        raise ApiError(403, "memory_read_only", "A source-backed memory is read-only.")
    return org.memory_files[memory["id"]]


def _info(node: Node) -> JSON:
    return {
        "path": node.path,
        "is_directory": node.is_directory,
        "size_bytes": node.size_bytes,
        "content_hash": node.content_hash,
        "created_at": node.created_at,
        "updated_at": node.updated_at,
    }


def _file(node: Node) -> JSON:
    return {**_info(node), "content": node.content, "encoding": node.encoding}


async def list_root(request: Request) -> Response:
    tree = _tree(request)
    return json_response({"data": [_info(n) for n in tree.children("/")]})


async def get_file(request: Request) -> Response:
    tree = _tree(request)
    path = raw_path_tail(request, "/fs/")
    if tree.is_dir(path):
        return json_response({"data": [_info(n) for n in tree.children(path)]})
    return json_response(_file(tree.require(path)))


async def create_file(request: Request) -> Response:
    body = await json_body(request, "CreateMemoryFileRequest")
    tree = _tree(request, writing=True)
    node = tree.create(
        raw_path_tail(request, "/fs/"),
        content=body.get("content"),
        encoding=body.get("encoding"),
        is_directory=bool(body.get("is_directory")),
    )
    return json_response(_info(node), 201)


async def update_file(request: Request) -> Response:
    body = await json_body(request, "UpdateMemoryFileRequest")
    tree = _tree(request, writing=True)
    node = tree.update(
        raw_path_tail(request, "/fs/"), content=body.get("content"), encoding=body.get("encoding")
    )
    return json_response(_file(node))


async def delete_file(request: Request) -> Response:
    tree = _tree(request, writing=True)
    path = raw_path_tail(request, "/fs/")
    if not tree.delete(path):
        raise ApiError(404, "file_not_found", f"Path {path} not found.")
    return no_content()


async def download_file(request: Request) -> Response:
    tree = _tree(request)
    node = tree.require(raw_path_tail(request, "/fs/_/download/"))
    if node.is_directory:
        raise bad_request(f"path: {node.path} is a directory", code="is_directory")
    media = mimetypes.guess_type(node.name)[0] or "application/octet-stream"
    return Response(node.raw(), media_type=media)


async def grep_memory(request: Request) -> Response:
    body = await json_body(request, "GrepRequest")
    tree = _tree(request)
    results = tree.grep(body["pattern"], body.get("path_pattern"))
    return json_response(
        {"data": [{"path": n.path, "size_bytes": n.size_bytes} for n, _ in results]}
    )


async def stat_memory(request: Request) -> Response:
    body = await json_body(request, "StatRequest")
    return json_response(_info(_tree(request).require(body["path"])))


_FS = "/v1/memories/{memory_id}/fs"

ROUTES = [
    route("GET", "/v1/memories", list_memories),
    route("POST", "/v1/memories", create_memory),
    route("GET", "/v1/memories/{memory_id}", get_memory),
    route("PATCH", "/v1/memories/{memory_id}", update_memory),
    route("DELETE", "/v1/memories/{memory_id}", delete_memory),
    route("POST", "/v1/memories/{memory_id}/sync", sync_memory),
    route("GET", _FS, list_root),
    route("GET", _FS + "/_/download/{path:path}", download_file),
    route("POST", _FS + "/_/grep", grep_memory),
    route("POST", _FS + "/_/stat", stat_memory),
    route("GET", _FS + "/{path:path}", get_file),
    route("POST", _FS + "/{path:path}", create_file),
    route("PUT", _FS + "/{path:path}", update_file),
    route("DELETE", _FS + "/{path:path}", delete_file),
]
