"""`client.workspaces`: workspaces (the file trees sessions work in) and their files."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from everruns_sdk._compat.resources import WorkspaceFilesCompat
from everruns_sdk._errors import ConflictError, NotFoundError, ValidationError
from everruns_sdk._parsing import parse_model, unwrap_list
from everruns_sdk._transport import parse_json
from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._body import (
    FileInput,
    absolute_path,
    decode_content,
    file_content,
    is_root,
    merge_body,
)
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import (
    CreateFileRequest,
    CreateWorkspaceRequest,
    DeleteFileResponse,
    FileInfo,
    FileInfoList,
    FileStat,
    GetPathResponse,
    GrepResult,
    SessionFile,
    UpdateFileRequest,
    UpdateWorkspaceRequest,
    Workspace,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager

_ROOT = "/v1/workspaces/{workspace_id}/fs"
_PATH = "/v1/workspaces/{workspace_id}/fs/{path}"


class Workspaces(Resource):
    """Create, list, rename and archive workspaces; `files` reaches their contents."""

    @property
    def with_raw_response(self) -> WorkspacesWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return WorkspacesWithRawResponse(self)

    def list(
        self,
        *,
        search: str | None = None,
        include_archived: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Workspace]:
        """Every workspace of the organization (not paginated)."""
        return self._list_pages(
            Workspace,
            "/v1/workspaces",
            params={"search": search, "include_archived": include_archived},
            options=options,
        )

    async def create(
        self,
        name: str | None = None,
        *,
        description: str | None = None,
        request: CreateWorkspaceRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Workspace:
        """A new, empty workspace."""
        body = merge_body(request, {"name": name, "description": description})
        if body.get("name") is None:
            raise ValidationError("a workspace needs a name")
        return await self._model(Workspace, "POST", "/v1/workspaces", json=body, options=options)

    async def get(self, workspace_id: str, **options: Unpack[RequestOptions]) -> Workspace:
        return await self._model(
            Workspace,
            "GET",
            "/v1/workspaces/{workspace_id}",
            path={"workspace_id": workspace_id},
            options=options,
        )

    async def update(
        self,
        workspace_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        status: str | None = None,
        request: UpdateWorkspaceRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Workspace:
        """Rename or describe a workspace, or change its status."""
        body = merge_body(request, {"name": name, "description": description, "status": status})
        return await self._model(
            Workspace,
            "PATCH",
            "/v1/workspaces/{workspace_id}",
            path={"workspace_id": workspace_id},
            json=body,
            options=options,
        )

    async def delete(self, workspace_id: str, **options: Unpack[RequestOptions]) -> None:
        await self._request(
            "DELETE",
            "/v1/workspaces/{workspace_id}",
            path={"workspace_id": workspace_id},
            options=options,
        )

    @cached_property
    def files(self) -> WorkspaceFiles:
        """The files of a workspace (also `client.workspace_files`)."""
        return WorkspaceFiles(self._client)


class WorkspaceFiles(WorkspaceFilesCompat, Resource):
    """Read, write, list, move and search the files of a workspace.

    Paths are `/`-separated (`notes/todo.md`, with or without a leading `/`); each
    segment is encoded on its own, and `.`/`..` segments are refused.
    """

    @property
    def with_raw_response(self) -> WorkspaceFilesWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return WorkspaceFilesWithRawResponse(self)

    def list(
        self,
        workspace_id: str,
        path: str | None = None,
        *,
        recursive: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[FileInfo]:
        """The entries of a directory (the root by default), recursively on request.

        Like `ls`, a path that names a file gives a one-entry list.
        """

        async def fetch() -> builtins.list[FileInfo]:
            if is_root(path):
                return await self._list(
                    FileInfo,
                    "GET",
                    _ROOT,
                    path={"workspace_id": workspace_id},
                    params={"recursive": recursive},
                    options=options,
                )
            assert path is not None
            found = await self.get(workspace_id, path, recursive=recursive, **options)
            if isinstance(found, SessionFile):
                return [
                    FileInfo.model_validate(
                        found.model_dump(by_alias=True, exclude={"content", "encoding"})
                    )
                ]
            return found.data

        return self._listing(fetch)

    async def get(
        self,
        workspace_id: str,
        path: str,
        *,
        recursive: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> GetPathResponse:
        """A file with its content (`SessionFile`), or a directory's entries
        (`FileInfoList`, `.data`)."""
        if is_root(path):
            response = await self._request(
                "GET",
                _ROOT,
                path={"workspace_id": workspace_id},
                params={"recursive": recursive},
                options=options,
            )
            return parse_model(FileInfoList, response)
        response = await self._request(
            "GET",
            _PATH,
            path={"workspace_id": workspace_id, "path": path},
            params={"recursive": recursive},
            options=options,
        )
        body = parse_json(response)
        if isinstance(body, dict) and isinstance(body.get("data"), builtins.list):
            return parse_model(FileInfoList, response)
        return parse_model(SessionFile, response)

    async def read_bytes(
        self, workspace_id: str, path: str, **options: Unpack[RequestOptions]
    ) -> bytes:
        """The content of a file as bytes (base64 content is decoded)."""
        file = await self._file(workspace_id, path, options)
        return decode_content(file.content, file.encoding)

    async def read(
        self, workspace_id: str, path: str, **options: Unpack[RequestOptions]
    ) -> SessionFile:
        """The file, as the API returns it: `.content` (with `.encoding`), `.path`,
        `.size_bytes`, ... A directory is a ValidationError (use `list`)."""
        return await self._file(workspace_id, path, options)

    async def read_text(
        self, workspace_id: str, path: str, **options: Unpack[RequestOptions]
    ) -> str:
        """The content of a text file (base64 content is decoded as UTF-8)."""
        file = await self._file(workspace_id, path, options)
        if (file.encoding or "").lower() != "base64":
            return file.content or ""
        try:
            return decode_content(file.content, file.encoding).decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(f"{path} is not UTF-8 text; use read_bytes") from None

    async def _file(self, workspace_id: str, path: str, options: RequestOptions) -> SessionFile:
        found = await self.get(workspace_id, path, **options)
        if not isinstance(found, SessionFile) or found.is_directory:
            raise ValidationError(f"{path} is a directory, not a file")
        return found

    async def create(
        self,
        workspace_id: str,
        path: str,
        content: FileInput | None = None,
        *,
        encoding: str | None = None,
        is_directory: bool | None = None,
        is_readonly: bool | None = None,
        request: CreateFileRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> SessionFile:
        """Create a file (or a directory with `is_directory=True`); missing parent
        directories are created too. Bytes are sent as base64. An existing path is a
        ConflictError."""
        text, encoding = file_content(await self._content(content), encoding)
        body = merge_body(
            request,
            {
                "content": text,
                "encoding": encoding,
                "is_directory": is_directory,
                "is_readonly": is_readonly,
            },
        )
        return await self._model(
            SessionFile,
            "POST",
            _PATH,
            path={"workspace_id": workspace_id, "path": path},
            json=body,
            options=options,
        )

    async def update(
        self,
        workspace_id: str,
        path: str,
        content: FileInput | None = None,
        *,
        encoding: str | None = None,
        is_readonly: bool | None = None,
        request: UpdateFileRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> SessionFile:
        """Replace the content (or the read-only flag) of an existing file."""
        text, encoding = file_content(await self._content(content), encoding)
        body = merge_body(
            request, {"content": text, "encoding": encoding, "is_readonly": is_readonly}
        )
        return await self._model(
            SessionFile,
            "PUT",
            _PATH,
            path={"workspace_id": workspace_id, "path": path},
            json=body,
            options=options,
        )

    async def write(
        self,
        workspace_id: str,
        path: str,
        content: FileInput,
        *,
        encoding: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SessionFile:
        """Create the file or replace its content, whichever applies."""
        data = await self._content(content)  # read once, whichever call sends it
        try:
            return await self.update(workspace_id, path, data, encoding=encoding, **options)
        except NotFoundError:
            pass
        try:
            return await self.create(workspace_id, path, data, encoding=encoding, **options)
        except ConflictError:  # created meanwhile by someone else
            return await self.update(workspace_id, path, data, encoding=encoding, **options)

    async def delete(
        self,
        workspace_id: str,
        path: str,
        *,
        recursive: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> DeleteFileResponse:
        """Delete a file, or a directory (a non-empty one needs `recursive=True`)."""
        return await self._model(
            DeleteFileResponse,
            "DELETE",
            _PATH,
            path={"workspace_id": workspace_id, "path": path},
            params={"recursive": recursive},
            options=options,
        )

    async def move(
        self, workspace_id: str, src_path: str, dst_path: str, **options: Unpack[RequestOptions]
    ) -> SessionFile:
        """Move or rename a file or directory."""
        return await self._model(
            SessionFile,
            "POST",
            "/v1/workspaces/{workspace_id}/fs/_/move",
            path={"workspace_id": workspace_id},
            json={
                "src_path": absolute_path(src_path, "src_path"),
                "dst_path": absolute_path(dst_path, "dst_path"),
            },
            options=options,
        )

    async def copy(
        self, workspace_id: str, src_path: str, dst_path: str, **options: Unpack[RequestOptions]
    ) -> SessionFile:
        """Copy a file (directories cannot be copied)."""
        return await self._model(
            SessionFile,
            "POST",
            "/v1/workspaces/{workspace_id}/fs/_/copy",
            path={"workspace_id": workspace_id},
            json={
                "src_path": absolute_path(src_path, "src_path"),
                "dst_path": absolute_path(dst_path, "dst_path"),
            },
            options=options,
        )

    async def grep(
        self,
        workspace_id: str,
        pattern: str,
        *,
        path_pattern: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[GrepResult]:
        """Lines matching the regular expression `pattern`, grouped by file;
        `path_pattern` (a glob such as `*.md`) narrows the files searched."""
        response = await self._request(
            "POST",
            "/v1/workspaces/{workspace_id}/fs/_/grep",
            path={"workspace_id": workspace_id},
            json=merge_body(None, {"pattern": pattern, "path_pattern": path_pattern}),
            idempotent=True,  # a search changes nothing
            options=options,
        )
        return unwrap_list(GrepResult, parse_json(response), response)

    async def stat(
        self, workspace_id: str, path: str, **options: Unpack[RequestOptions]
    ) -> FileStat:
        """Metadata of a file or directory, without its content."""
        return await self._model(
            FileStat,
            "POST",
            "/v1/workspaces/{workspace_id}/fs/_/stat",
            path={"workspace_id": workspace_id},
            json={"path": absolute_path(path)},
            idempotent=True,  # reads only
            options=options,
        )


class WorkspacesWithRawResponse:
    """`Workspaces` methods answering an `APIResponse` of their result."""

    def __init__(self, workspaces: Workspaces) -> None:
        self.list = raw_method(workspaces.list)
        self.create = raw_method(workspaces.create)
        self.get = raw_method(workspaces.get)
        self.update = raw_method(workspaces.update)
        self.delete = raw_method(workspaces.delete)
        self.files = workspaces.files.with_raw_response


class WorkspaceFilesWithRawResponse:
    """`WorkspaceFiles` methods answering an `APIResponse` of their result."""

    def __init__(self, workspace_files: WorkspaceFiles) -> None:
        self.list = raw_method(workspace_files.list)
        self.get = raw_method(workspace_files.get)
        self.read_bytes = raw_method(workspace_files.read_bytes)
        self.read = raw_method(workspace_files.read)
        self.read_text = raw_method(workspace_files.read_text)
        self.create = raw_method(workspace_files.create)
        self.update = raw_method(workspace_files.update)
        self.write = raw_method(workspace_files.write)
        self.delete = raw_method(workspace_files.delete)
        self.move = raw_method(workspace_files.move)
        self.copy = raw_method(workspace_files.copy)
        self.grep = raw_method(workspace_files.grep)
        self.stat = raw_method(workspace_files.stat)
