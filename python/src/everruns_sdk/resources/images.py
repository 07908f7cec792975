"""`client.images`: upload images for messages, list them, fetch them back."""

from __future__ import annotations

import mimetypes
import os
import pathlib
from collections.abc import AsyncIterator
from typing import IO, TYPE_CHECKING

from everruns_sdk import _aio
from everruns_sdk._errors import NotFoundError, ValidationError
from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._body import read_binary, source_name
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import ImageInfo, ImageUploadResponse

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager

# Page size used by `get` while it scans the image list.
_SCAN_PAGE_SIZE = 100
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def sniff_image_type(data: bytes) -> str | None:
    """The MIME type of common image formats, from their first bytes."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _upload_field(
    data: bytes, name: str | None, content_type: str | None = None
) -> tuple[str, bytes, str]:
    """The multipart `file` field `(filename, bytes, content type)` for an upload."""
    if not data:
        raise ValidationError("the image is empty")
    mime = (
        content_type
        or (mimetypes.guess_type(name)[0] if name else None)
        or sniff_image_type(data)
        or "application/octet-stream"
    )
    if not name:
        name = "image" + (mimetypes.guess_extension(mime) or "")
    return name, data, mime


class Images(Resource):
    """Upload images (then refer to them in messages by ID), list, fetch, delete."""

    @property
    def with_raw_response(self) -> ImagesWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return ImagesWithRawResponse(self)

    async def upload(
        self,
        file: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        filename: str | None = None,
        content_type: str | None = None,
        session_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ImageUploadResponse:
        """Upload an image from a path, bytes or a binary file object.

        The content type comes from `content_type`, else the file name, else the image
        bytes. Use the returned `id` in a message part (`messages.image_file_part`).
        """
        if isinstance(file, (bytes, bytearray, memoryview)):
            data = bytes(file)
        else:  # a path (str or os.PathLike) or a binary file object, read in a thread
            source = pathlib.Path(file) if isinstance(file, str) else file
            data = await _aio.to_thread(read_binary, source)
            filename = filename or source_name(source)
        part = _upload_field(data, filename, content_type)
        return await self._model(
            ImageUploadResponse,
            "POST",
            "/v1/images",
            params={"session_id": session_id},
            files={"file": part},
            options=options,
        )

    def list(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ImageInfo]:
        """A page of the organization's images (metadata), `limit` at a time from
        `offset`; `async for image in client.images.list()` walks all of them."""
        return self._pages(
            ImageInfo, "/v1/images", offset=offset, limit=limit, options=options, until_empty=True
        )

    async def get(self, image_id: str, **options: Unpack[RequestOptions]) -> ImageInfo:
        """Metadata of one image.

        The API has no metadata endpoint for a single image, so this pages through
        `list` until it finds `image_id`: one request per 100 images. Raises
        NotFoundError when no image has this ID.
        """
        if not isinstance(image_id, str) or not image_id:
            raise ValidationError("image_id must be a non-empty string")
        seen: set[str] = set()
        offset = 0
        while True:
            page = await self.list(limit=_SCAN_PAGE_SIZE, offset=offset, **options)
            for info in page:
                if info.id == image_id:
                    return info
            new_ids = {info.id for info in page} - seen
            if not new_ids:  # the end, or a server that ignores offset
                break
            seen |= new_ids
            offset += len(page)
        raise NotFoundError(f"image {image_id} not found", status_code=404, code="not_found")

    async def content(self, image_id: str, **options: Unpack[RequestOptions]) -> bytes:
        """The image itself, as stored."""
        response = await self._request(
            "GET",
            "/v1/images/{image_id}",
            path={"image_id": image_id},
            headers={"Accept": "image/*"},
            options=options,
        )
        return response.content

    async def iter_bytes(
        self, image_id: str, *, thumbnail: bool = False, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[bytes]:
        """The image (or its thumbnail) in chunks as they arrive, without holding it
        whole in memory: `async for chunk in client.images.iter_bytes(image_id)`."""
        template = "/v1/images/{image_id}/thumbnail" if thumbnail else "/v1/images/{image_id}"
        async for chunk in self._stream_bytes(template, {"image_id": image_id}, options):
            yield chunk

    async def write_to(
        self,
        image_id: str,
        destination: str | os.PathLike[str],
        *,
        thumbnail: bool = False,
        **options: Unpack[RequestOptions],
    ) -> int:
        """Stream the image (or its thumbnail) into the file `destination`; returns the
        number of bytes written. File writes run in a worker thread."""
        handle = await _aio.to_thread(open, os.fspath(destination), "wb")
        written = 0
        try:
            async for chunk in self.iter_bytes(image_id, thumbnail=thumbnail, **options):
                written += await _aio.to_thread(handle.write, chunk)
        finally:
            await _aio.to_thread(handle.close)
        return written

    async def thumbnail(self, image_id: str, **options: Unpack[RequestOptions]) -> bytes:
        """A small JPEG preview of the image."""
        response = await self._request(
            "GET",
            "/v1/images/{image_id}/thumbnail",
            path={"image_id": image_id},
            headers={"Accept": "image/*"},
            options=options,
        )
        return response.content

    async def delete(self, image_id: str, **options: Unpack[RequestOptions]) -> None:
        await self._request(
            "DELETE", "/v1/images/{image_id}", path={"image_id": image_id}, options=options
        )


class ImagesWithRawResponse:
    """`Images` methods answering an `APIResponse` of their result."""

    def __init__(self, images: Images) -> None:
        self.upload = raw_method(images.upload)
        self.list = raw_method(images.list)
        self.get = raw_method(images.get)
        self.content = raw_method(images.content)
        self.thumbnail = raw_method(images.thumbnail)
        self.delete = raw_method(images.delete)
