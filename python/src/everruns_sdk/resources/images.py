"""`client.images`: upload images for messages, list them, fetch them back."""

from __future__ import annotations

import mimetypes
import os
from typing import IO, TYPE_CHECKING

from everruns_sdk._errors import NotFoundError, ValidationError
from everruns_sdk.resources._base import Resource
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
    file: str | os.PathLike[str] | bytes | IO[bytes],
    filename: str | None = None,
    content_type: str | None = None,
) -> tuple[str, bytes, str]:
    """The multipart `file` field `(filename, bytes, content type)` for an upload.

    Everything is read into memory, so a retried request sends the same bytes again.
    """
    if isinstance(file, (bytes, bytearray, memoryview)):
        data = bytes(file)
        name = filename
    elif isinstance(file, (str, os.PathLike)):
        path = os.fspath(file)
        with open(path, "rb") as handle:
            data = handle.read()
        name = filename or os.path.basename(path)
    elif callable(getattr(file, "read", None)):
        read = file.read()
        if not isinstance(read, (bytes, bytearray)):
            raise ValidationError("open the image file in binary mode ('rb')")
        data = bytes(read)
        source_name = getattr(file, "name", None)
        name = filename or (os.path.basename(source_name) if isinstance(source_name, str) else None)
    else:
        raise ValidationError(
            f"file must be a path, bytes or a binary file object, got {type(file).__name__}"
        )
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
        part = _upload_field(file, filename, content_type)
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
