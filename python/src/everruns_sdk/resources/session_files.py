"""`client.sessions.files`: the files of a session, addressed by session ID.

A session's files are the files of its workspace; this sub-client looks the workspace
up once per session and delegates to `client.workspaces.files`.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._body import FileInput
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import (
    DeleteFileResponse,
    FileInfo,
    FileStat,
    GetPathResponse,
    GrepResult,
    SessionFile,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._client import Everruns
    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager
    from everruns_sdk.resources.workspaces import WorkspaceFiles


class SessionFiles(Resource):
    """List, read, write and search a session's files without handling its workspace."""

    @property
    def with_raw_response(self) -> SessionFilesWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return SessionFilesWithRawResponse(self)

    def __init__(self, client: Everruns) -> None:
        super().__init__(client)
        self._workspace_ids: dict[str, str] = {}

    async def workspace_id(self, session_id: str, **options: Unpack[RequestOptions]) -> str:
        """The ID of the workspace that holds the session's files (fetched once)."""
        workspace_id = self._workspace_ids.get(session_id)
        if workspace_id is None:
            session = await self._client.sessions.get(session_id, **options)
            workspace_id = session.workspace_id
            self._workspace_ids[session_id] = workspace_id
        return workspace_id

    @property
    def _files(self) -> WorkspaceFiles:
        return self._client.workspaces.files

    def list(
        self,
        session_id: str,
        path: str | None = None,
        *,
        recursive: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[FileInfo]:
        """The entries of a directory (the root by default), recursively on request."""

        async def fetch() -> builtins.list[FileInfo]:
            workspace_id = await self.workspace_id(session_id, **options)
            page = await self._files.list(workspace_id, path, recursive=recursive, **options)
            return page.data

        return self._listing(fetch)

    async def get(
        self,
        session_id: str,
        path: str,
        *,
        recursive: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> GetPathResponse:
        """A file with its content (`SessionFile`) or a directory's entries (`FileInfoList`)."""
        return await self._files.get(
            await self.workspace_id(session_id, **options), path, recursive=recursive, **options
        )

    async def read(self, session_id: str, path: str, **options: Unpack[RequestOptions]) -> str:
        """The content of a text file."""
        return await self._files.read_text(
            await self.workspace_id(session_id, **options), path, **options
        )

    async def read_bytes(
        self, session_id: str, path: str, **options: Unpack[RequestOptions]
    ) -> bytes:
        """The content of a file as bytes."""
        return await self._files.read_bytes(
            await self.workspace_id(session_id, **options), path, **options
        )

    async def write(
        self,
        session_id: str,
        path: str,
        content: FileInput,
        *,
        encoding: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SessionFile:
        """Create the file or replace its content, whichever applies."""
        return await self._files.write(
            await self.workspace_id(session_id, **options),
            path,
            content,
            encoding=encoding,
            **options,
        )

    async def create(
        self,
        session_id: str,
        path: str,
        content: FileInput | None = None,
        *,
        encoding: str | None = None,
        is_directory: bool | None = None,
        is_readonly: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> SessionFile:
        """Create a file, or a directory with `is_directory=True`."""
        return await self._files.create(
            await self.workspace_id(session_id, **options),
            path,
            content,
            encoding=encoding,
            is_directory=is_directory,
            is_readonly=is_readonly,
            **options,
        )

    async def update(
        self,
        session_id: str,
        path: str,
        content: FileInput | None = None,
        *,
        encoding: str | None = None,
        is_readonly: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> SessionFile:
        """Replace the content (or the read-only flag) of an existing file."""
        return await self._files.update(
            await self.workspace_id(session_id, **options),
            path,
            content,
            encoding=encoding,
            is_readonly=is_readonly,
            **options,
        )

    async def delete(
        self,
        session_id: str,
        path: str,
        *,
        recursive: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> DeleteFileResponse:
        """Delete a file, or a directory (a non-empty one needs `recursive=True`)."""
        return await self._files.delete(
            await self.workspace_id(session_id, **options), path, recursive=recursive, **options
        )

    async def move(
        self, session_id: str, src_path: str, dst_path: str, **options: Unpack[RequestOptions]
    ) -> SessionFile:
        return await self._files.move(
            await self.workspace_id(session_id, **options), src_path, dst_path, **options
        )

    async def copy(
        self, session_id: str, src_path: str, dst_path: str, **options: Unpack[RequestOptions]
    ) -> SessionFile:
        return await self._files.copy(
            await self.workspace_id(session_id, **options), src_path, dst_path, **options
        )

    async def stat(self, session_id: str, path: str, **options: Unpack[RequestOptions]) -> FileStat:
        """Metadata of a file or directory, without its content."""
        return await self._files.stat(
            await self.workspace_id(session_id, **options), path, **options
        )

    async def grep(
        self,
        session_id: str,
        pattern: str,
        *,
        path_pattern: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[GrepResult]:
        """Lines matching the regular expression `pattern`, grouped by file."""
        return await self._files.grep(
            await self.workspace_id(session_id, **options),
            pattern,
            path_pattern=path_pattern,
            **options,
        )


class SessionFilesWithRawResponse:
    """`SessionFiles` methods answering an `APIResponse` of their result."""

    def __init__(self, session_files: SessionFiles) -> None:
        self.list = raw_method(session_files.list)
        self.get = raw_method(session_files.get)
        self.read = raw_method(session_files.read)
        self.read_bytes = raw_method(session_files.read_bytes)
        self.write = raw_method(session_files.write)
        self.create = raw_method(session_files.create)
        self.update = raw_method(session_files.update)
        self.delete = raw_method(session_files.delete)
        self.move = raw_method(session_files.move)
        self.copy = raw_method(session_files.copy)
        self.stat = raw_method(session_files.stat)
        self.grep = raw_method(session_files.grep)
