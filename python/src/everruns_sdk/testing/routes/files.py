"""Workspaces and their filesystem (``/v1/workspaces/{id}/fs/...``).

A session's files are the files of its workspace. ``{path}`` is several
``/``-separated segments, each percent-encoded on its own.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .._clock import now_iso
from .._fs import FileTree, Node
from .._ids import new_id, uuid_of
from .._problems import conflict, not_found
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

__all__ = ["ROUTES", "new_workspace", "workspace_or_404", "write_initial_files"]


def new_workspace(org: OrgState, name: str, description: str | None = None) -> JSON:
    now = now_iso()
    workspace: JSON = {
        "id": new_id("wsp"),
        "name": name,
        "description": description,
        "status": "active",
        "archived_at": None,
        "deleted_at": None,
        "created_at": now,
        "updated_at": now,
    }
    org.workspaces[workspace["id"]] = workspace
    org.workspace_files[workspace["id"]] = FileTree()
    return workspace


def workspace_or_404(org: OrgState, workspace_id: str) -> JSON:
    workspace = org.workspaces.get(workspace_id)
    if workspace is None:
        raise not_found("workspace", workspace_id, org.org_id)
    return workspace


def write_initial_files(tree: FileTree, files: list[Any]) -> None:
    for item in files:
        tree.create(
            item["path"],
            content=item.get("content", ""),
            encoding=item.get("encoding"),
            is_readonly=bool(item.get("is_readonly")),
            overwrite=True,
        )


def _name_free(org: OrgState, name: str, own_id: str | None = None) -> str:
    name = validate_slug(name)
    for other in org.workspaces.values():
        if other["name"] == name and other["id"] != own_id and other["status"] != "deleted":
            raise conflict(f"A workspace named '{name}' already exists.", "workspace_name_conflict")
    return name


async def list_workspaces(request: Request) -> Response:
    org = org_of(request)
    archived = q_bool(request, "include_archived")
    items = [
        w
        for w in org.workspaces.values()
        if w["status"] == "active" or (archived and w["status"] == "archived")
    ]
    items = search_filter(items, q_str(request, "search"), "name")
    return json_response({"data": sorted(items, key=lambda w: w["id"], reverse=True)})


async def create_workspace(request: Request) -> Response:
    body = await json_body(request, "CreateWorkspaceRequest")
    org = org_of(request)
    name = _name_free(org, body["name"])
    return json_response(new_workspace(org, name, body.get("description")), 201)


async def get_workspace(request: Request) -> Response:
    return json_response(workspace_or_404(org_of(request), path_param(request, "workspace_id")))


async def update_workspace(request: Request) -> Response:
    body = await json_body(request, "UpdateWorkspaceRequest")
    org = org_of(request)
    workspace = workspace_or_404(org, path_param(request, "workspace_id"))
    if body.get("name") is not None:
        workspace["name"] = _name_free(org, body["name"], workspace["id"])
    if body.get("description") is not None:
        workspace["description"] = body["description"]
    if body.get("status") is not None:
        workspace["status"] = body["status"]
        workspace["archived_at"] = now_iso() if body["status"] == "archived" else None
    workspace["updated_at"] = now_iso()
    return json_response(workspace)


async def delete_workspace(request: Request) -> Response:
    workspace = workspace_or_404(org_of(request), path_param(request, "workspace_id"))
    if workspace["status"] != "archived":
        now = now_iso()
        workspace.update(status="archived", archived_at=now, updated_at=now)
    return no_content()


# -- the filesystem ------------------------------------------------------------------


def _tree(request: Request) -> tuple[str, FileTree]:
    org = org_of(request)
    wid = path_param(request, "workspace_id")
    workspace_or_404(org, wid)
    return wid, org.workspace_files[wid]


def file_info(workspace_id: str, node: Node) -> JSON:
    return {
        "id": node.id,
        "session_id": uuid_of(workspace_id),
        "path": node.path,
        "name": node.name,
        "is_directory": node.is_directory,
        "is_readonly": node.is_readonly,
        "size_bytes": node.size_bytes,
        "created_at": node.created_at,
        "updated_at": node.updated_at,
    }


def session_file(workspace_id: str, node: Node) -> JSON:
    info = file_info(workspace_id, node)
    info["content"] = None if node.is_directory else node.content
    info["encoding"] = node.encoding
    return info


def _listing(wid: str, tree: FileTree, path: str, recursive: bool) -> JSON:
    return {"data": [file_info(wid, n) for n in tree.children(path, recursive=recursive)]}


async def get_root(request: Request) -> Response:
    wid, tree = _tree(request)
    return json_response(_listing(wid, tree, "/", q_bool(request, "recursive")))


async def get_path(request: Request) -> Response:
    wid, tree = _tree(request)
    path = raw_path_tail(request, "/fs/")
    if tree.is_dir(path):
        return json_response(_listing(wid, tree, path, q_bool(request, "recursive")))
    return json_response(session_file(wid, tree.require(path)))


async def create_path(request: Request) -> Response:
    body = await json_body(request, "CreateFileRequest")
    wid, tree = _tree(request)
    node = tree.create(
        raw_path_tail(request, "/fs/"),
        content=body.get("content"),
        encoding=body.get("encoding"),
        is_directory=bool(body.get("is_directory")),
        is_readonly=bool(body.get("is_readonly")),
    )
    return json_response(session_file(wid, node), 201)


async def update_path(request: Request) -> Response:
    body = await json_body(request, "UpdateFileRequest")
    wid, tree = _tree(request)
    node = tree.update(
        raw_path_tail(request, "/fs/"),
        content=body.get("content"),
        encoding=body.get("encoding"),
        is_readonly=body.get("is_readonly"),
    )
    return json_response(session_file(wid, node))


async def delete_path(request: Request) -> Response:
    _, tree = _tree(request)
    path = raw_path_tail(request, "/fs/")
    # 400 for a non-empty directory: delete_path declares no 409
    deleted = tree.delete(path, recursive=q_bool(request, "recursive"), not_empty_status=400)
    return json_response({"deleted": deleted})


async def move_file(request: Request) -> Response:
    body = await json_body(request, "MoveFileRequest")
    wid, tree = _tree(request)
    return json_response(session_file(wid, tree.move(body["src_path"], body["dst_path"])))


async def copy_file(request: Request) -> Response:
    body = await json_body(request, "CopyFileRequest")
    wid, tree = _tree(request)
    return json_response(session_file(wid, tree.copy(body["src_path"], body["dst_path"])), 201)


async def grep_files(request: Request) -> Response:
    body = await json_body(request, "GrepRequest")
    _, tree = _tree(request)
    results = tree.grep(body["pattern"], body.get("path_pattern"))
    data = [
        {
            "path": node.path,
            "matches": [{"path": node.path, "line_number": n, "line": line} for n, line in hits],
        }
        for node, hits in results
    ]
    return json_response({"data": data})


async def stat_file(request: Request) -> Response:
    body = await json_body(request, "StatRequest")
    _, tree = _tree(request)
    node = tree.require(body["path"])
    stat = {
        "path": node.path,
        "name": node.name,
        "is_directory": node.is_directory,
        "is_readonly": node.is_readonly,
        "size_bytes": node.size_bytes,
        "created_at": node.created_at,
        "updated_at": node.updated_at,
    }
    return json_response(stat)


_FS = "/v1/workspaces/{workspace_id}/fs"

ROUTES = [
    route("GET", "/v1/workspaces", list_workspaces),
    route("POST", "/v1/workspaces", create_workspace),
    route("GET", "/v1/workspaces/{workspace_id}", get_workspace),
    route("PATCH", "/v1/workspaces/{workspace_id}", update_workspace),
    route("DELETE", "/v1/workspaces/{workspace_id}", delete_workspace),
    route("GET", _FS, get_root),
    route("POST", _FS + "/_/move", move_file),
    route("POST", _FS + "/_/copy", copy_file),
    route("POST", _FS + "/_/grep", grep_files),
    route("POST", _FS + "/_/stat", stat_file),
    route("GET", _FS + "/{path:path}", get_path),
    route("POST", _FS + "/{path:path}", create_path),
    route("PUT", _FS + "/{path:path}", update_path),
    route("DELETE", _FS + "/{path:path}", delete_path),
]
