"""Images: multipart upload (field ``file``), metadata list, bytes, thumbnail, delete."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from .._clock import now_iso
from .._ids import new_id
from .._images import THUMBNAIL_JPEG, dimensions, sniff_type
from .._problems import bad_request, not_found
from .._store import ImageRecord, OrgState
from .._validation import q_int, q_str
from ._common import JSON, json_response, no_content, org_of, path_param, route, session_or_404

__all__ = ["ROUTES"]

MAX_IMAGE_BYTES = 20 * 1024 * 1024
UPLOAD_FIELDS = ("id", "filename", "content_type", "size_bytes", "created_at")


async def upload_image(request: Request) -> Response:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise bad_request("body: expected multipart/form-data with a 'file' field")
    session_id = q_str(request, "session_id")
    if session_id:
        session_or_404(request, session_id)
    async with request.form() as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise bad_request("file: a file field named 'file' is required")
        data = await upload.read()
        filename = upload.filename or "image"
    if not data:
        raise bad_request("file: the file is empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise bad_request(f"file: larger than {MAX_IMAGE_BYTES} bytes", code="image_too_large")
    kind = sniff_type(data)
    if kind is None:
        raise bad_request("file: not a PNG, JPEG, GIF or WebP image", code="unsupported_image")
    size = dimensions(data)
    metadata: JSON = {"width": size[0], "height": size[1]} if size else {}
    if session_id:
        metadata["session_id"] = session_id
    info: JSON = {
        "id": new_id("img"),
        "filename": filename,
        "content_type": kind,
        "size_bytes": len(data),
        "metadata": metadata,
        "created_at": now_iso(),
    }
    org_of(request).images[info["id"]] = ImageRecord(info, data)
    return json_response({k: info[k] for k in UPLOAD_FIELDS}, 201)


async def list_images(request: Request) -> Response:
    org = org_of(request)
    offset = q_int(request, "offset", 0, minimum=0) or 0
    limit = q_int(request, "limit", 20, minimum=1, maximum=100) or 20
    infos = [r.info for r in sorted(org.images.values(), key=lambda r: r.info["id"], reverse=True)]
    return json_response(infos[offset : offset + limit])


def _image_or_404(org: OrgState, image_id: str) -> ImageRecord:
    record = org.images.get(image_id)
    if record is None:
        raise not_found("image", image_id, org.org_id)
    return record


async def get_image(request: Request) -> Response:
    record = _image_or_404(org_of(request), path_param(request, "image_id"))
    return Response(record.data, media_type=record.info["content_type"])


async def get_thumbnail(request: Request) -> Response:
    _image_or_404(org_of(request), path_param(request, "image_id"))
    return Response(THUMBNAIL_JPEG, media_type="image/jpeg")


async def delete_image(request: Request) -> Response:
    org = org_of(request)
    _image_or_404(org, path_param(request, "image_id"))
    del org.images[path_param(request, "image_id")]
    return no_content()


ROUTES = [
    route("POST", "/v1/images", upload_image),
    route("GET", "/v1/images", list_images),
    route("GET", "/v1/images/{image_id}", get_image),
    route("DELETE", "/v1/images/{image_id}", delete_image),
    route("GET", "/v1/images/{image_id}/thumbnail", get_thumbnail),
]
