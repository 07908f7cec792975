"""`client.memories`: memories (file trees shared across sessions) and their files."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from everruns_sdk._compat.resources import MemoriesCompat
from everruns_sdk._errors import ValidationError
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
    CreateMemoryFileRequest,
    CreateMemoryRequest,
    CreateMemorySourceRequest,
    Memory,
    MemoryFile,
    MemoryFileInfo,
    MemoryGrepResult,
    UpdateMemoryFileRequest,
    UpdateMemoryRequest,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager

_ROOT = "/v1/memories/{memory_id}/fs"
_PATH = "/v1/memories/{memory_id}/fs/{path}"


class Memories(MemoriesCompat, Resource):
    """Create, list, update and archive memories; sync source-backed ones."""

    @property
    def with_raw_response(self) -> MemoriesWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return MemoriesWithRawResponse(self)

    def list(
        self,
        *,
        search: str | None = None,
        include_archived: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Memory]:
        """Every memory of the organization (not paginated)."""
        return self._list_pages(
            Memory,
            "/v1/memories",
            params={"search": search, "include_archived": include_archived},
            options=options,
        )

    async def create(
        self,
        name: str | None = None,
        *,
        description: str | None = None,
        source: CreateMemorySourceRequest | Mapping[str, Any] | None = None,
        request: CreateMemoryRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Memory:
        """A new memory: empty and writable, or mirroring a Git/GitHub `source`
        (read-only, e.g. `{"type": "github", "repository": "acme/docs"}`)."""
        body = merge_body(request, {"name": name, "description": description, "source": source})
        if body.get("name") is None:
            raise ValidationError("a memory needs a name")
        return await self._model(Memory, "POST", "/v1/memories", json=body, options=options)

    async def get(self, memory_id: str, **options: Unpack[RequestOptions]) -> Memory:
        return await self._model(
            Memory,
            "GET",
            "/v1/memories/{memory_id}",
            path={"memory_id": memory_id},
            options=options,
        )

    async def update(
        self,
        memory_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        source: CreateMemorySourceRequest | Mapping[str, Any] | None = None,
        request: UpdateMemoryRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Memory:
        """Change the name, description or source of a memory."""
        body = merge_body(request, {"name": name, "description": description, "source": source})
        return await self._model(
            Memory,
            "PATCH",
            "/v1/memories/{memory_id}",
            path={"memory_id": memory_id},
            json=body,
            options=options,
        )

    async def delete(self, memory_id: str, **options: Unpack[RequestOptions]) -> None:
        """Archive a memory."""
        await self._request(
            "DELETE", "/v1/memories/{memory_id}", path={"memory_id": memory_id}, options=options
        )

    async def sync(self, memory_id: str, **options: Unpack[RequestOptions]) -> Memory:
        """Pull a source-backed memory from its repository now, not at the next interval."""
        return await self._model(
            Memory,
            "POST",
            "/v1/memories/{memory_id}/sync",
            path={"memory_id": memory_id},
            idempotent=True,  # a second sync is harmless
            options=options,
        )

    @cached_property
    def files(self) -> MemoryFiles:
        """The files of a memory (also `client.memory_files`)."""
        return MemoryFiles(self._client)


class MemoryFiles(Resource):
    """Read, write, list and search the files of a memory.

    Paths are `/`-separated (`notes/todo.md`, with or without a leading `/`); each
    segment is encoded on its own, and `.`/`..` segments are refused.
    """

    @property
    def with_raw_response(self) -> MemoryFilesWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return MemoryFilesWithRawResponse(self)

    def list(
        self, memory_id: str, path: str | None = None, **options: Unpack[RequestOptions]
    ) -> AsyncPager[MemoryFileInfo]:
        """The entries of a directory (the root by default); like `ls`, a path that
        names a file gives a one-entry list."""

        async def fetch() -> builtins.list[MemoryFileInfo]:
            if is_root(path):
                return await self._list(
                    MemoryFileInfo, "GET", _ROOT, path={"memory_id": memory_id}, options=options
                )
            assert path is not None
            found = await self.get(memory_id, path, **options)
            if isinstance(found, MemoryFile):
                return [
                    MemoryFileInfo.model_validate(
                        found.model_dump(by_alias=True, exclude={"content", "encoding"})
                    )
                ]
            return found

        return self._listing(fetch)

    async def get(
        self, memory_id: str, path: str, **options: Unpack[RequestOptions]
    ) -> MemoryFile | builtins.list[MemoryFileInfo]:
        """A file with its content (`MemoryFile`), or a directory's entries.

        The spec declares no body here; the server answers the file as a `MemoryFile`
        or the directory as `{"data": [MemoryFileInfo, ...]}`.
        """
        if is_root(path):
            return (await self.list(memory_id, **options)).data
        response = await self._request(
            "GET", _PATH, path={"memory_id": memory_id, "path": path}, options=options
        )
        body = parse_json(response)
        if isinstance(body, dict) and isinstance(body.get("data"), builtins.list):
            return unwrap_list(MemoryFileInfo, body, response)
        return parse_model(MemoryFile, response)

    async def read(self, memory_id: str, path: str, **options: Unpack[RequestOptions]) -> str:
        """The content of a text file."""
        found = await self.get(memory_id, path, **options)
        if not isinstance(found, MemoryFile):
            raise ValidationError(f"{path} is a directory, not a file")
        if (found.encoding or "").lower() != "base64":
            return found.content
        try:
            return decode_content(found.content, found.encoding).decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(f"{path} is not UTF-8 text; use download") from None

    async def create(
        self,
        memory_id: str,
        path: str,
        content: FileInput | None = None,
        *,
        encoding: str | None = None,
        is_directory: bool | None = None,
        request: CreateMemoryFileRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> MemoryFileInfo:
        """Create a file (or a directory with `is_directory=True`). Bytes are sent as
        base64. An existing path is a ConflictError."""
        text, encoding = file_content(await self._content(content), encoding)
        body = merge_body(
            request, {"content": text, "encoding": encoding, "is_directory": is_directory}
        )
        return await self._model(
            MemoryFileInfo,
            "POST",
            _PATH,
            path={"memory_id": memory_id, "path": path},
            json=body,
            options=options,
        )

    async def update(
        self,
        memory_id: str,
        path: str,
        content: FileInput | None = None,
        *,
        encoding: str | None = None,
        request: UpdateMemoryFileRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> MemoryFile:
        """Replace the content of an existing file."""
        text, encoding = file_content(await self._content(content), encoding)
        body = merge_body(request, {"content": text, "encoding": encoding})
        return await self._model(
            MemoryFile,
            "PUT",
            _PATH,
            path={"memory_id": memory_id, "path": path},
            json=body,
            options=options,
        )

    async def delete(
        self,
        memory_id: str,
        path: str,
        *,
        recursive: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Delete a file, or a directory (a non-empty one needs `recursive=True`)."""
        await self._request(
            "DELETE",
            _PATH,
            path={"memory_id": memory_id, "path": path},
            params={"recursive": recursive},
            options=options,
        )

    async def download(self, memory_id: str, path: str, **options: Unpack[RequestOptions]) -> bytes:
        """The raw bytes of a file."""
        response = await self._request(
            "GET",
            "/v1/memories/{memory_id}/fs/_/download/{path}",
            path={"memory_id": memory_id, "path": path},
            headers={"Accept": "*/*"},
            options=options,
        )
        return response.content

    async def grep(
        self,
        memory_id: str,
        pattern: str,
        *,
        path_pattern: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[MemoryGrepResult]:
        """Files with a line matching the regular expression `pattern`; `path_pattern`
        (a glob such as `*.md`) narrows the files searched."""
        response = await self._request(
            "POST",
            "/v1/memories/{memory_id}/fs/_/grep",
            path={"memory_id": memory_id},
            json=merge_body(None, {"pattern": pattern, "path_pattern": path_pattern}),
            idempotent=True,  # a search changes nothing
            options=options,
        )
        return unwrap_list(MemoryGrepResult, parse_json(response), response)

    async def stat(
        self, memory_id: str, path: str, **options: Unpack[RequestOptions]
    ) -> MemoryFileInfo:
        """Metadata of a file or directory, without its content."""
        return await self._model(
            MemoryFileInfo,
            "POST",
            "/v1/memories/{memory_id}/fs/_/stat",
            path={"memory_id": memory_id},
            json={"path": absolute_path(path)},
            idempotent=True,  # reads only
            options=options,
        )


class MemoriesWithRawResponse:
    """`Memories` methods answering an `APIResponse` of their result."""

    def __init__(self, memories: Memories) -> None:
        self.list = raw_method(memories.list)
        self.create = raw_method(memories.create)
        self.get = raw_method(memories.get)
        self.update = raw_method(memories.update)
        self.delete = raw_method(memories.delete)
        self.sync = raw_method(memories.sync)
        self.files = memories.files.with_raw_response


class MemoryFilesWithRawResponse:
    """`MemoryFiles` methods answering an `APIResponse` of their result."""

    def __init__(self, memory_files: MemoryFiles) -> None:
        self.list = raw_method(memory_files.list)
        self.get = raw_method(memory_files.get)
        self.read = raw_method(memory_files.read)
        self.create = raw_method(memory_files.create)
        self.update = raw_method(memory_files.update)
        self.delete = raw_method(memory_files.delete)
        self.download = raw_method(memory_files.download)
        self.grep = raw_method(memory_files.grep)
        self.stat = raw_method(memory_files.stat)
