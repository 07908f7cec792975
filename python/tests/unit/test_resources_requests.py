"""What each sub-client method puts on the wire, and what it makes of the answer.

One test per method of harnesses, models, capabilities, images, workspaces (+ files),
memories (+ files), session databases, session storage and session files: HTTP method,
raw (encoded) path, query pairs, body and content type, and the parsed result type.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from everruns_sdk import Everruns, Page
from everruns_sdk._errors import ConflictError, NotFoundError, ValidationError
from everruns_sdk.types import (
    CapabilityInfo,
    DatabaseInfoResponse,
    DeleteFileResponse,
    FileInfo,
    FileInfoList,
    FileStat,
    GrepResult,
    GuardrailExample,
    GuardrailsDryRunResponse,
    Harness,
    HarnessExample,
    ImageInfo,
    ImageUploadResponse,
    KeyValueInfo,
    Memory,
    MemoryFile,
    MemoryFileInfo,
    MemoryGrepResult,
    ModelWithProvider,
    SchemaResponse,
    SecretInfo,
    SessionFile,
    Workspace,
)

BASE = "http://testserver/api"
TS = "2026-04-01T10:00:00Z"
HARNESS_ID = "harness_01933b5a000070008000000000000602"
WSP = "wsp_01933b5a000070008000000000000a01"
MEM = "mem_01933b5a000070008000000000000b01"
SESSION_ID = "session_01933b5a000070008000000000000c01"
IMG = "img_01933b5a000070008000000000000d01"

HARNESS: dict[str, Any] = {
    "id": HARNESS_ID,
    "name": "deep-research",
    "display_name": "Deep Research",
    "status": "active",
    "capabilities": [{"ref": "web_fetch", "config": {}}],
    "tags": ["research"],
    "is_built_in": False,
    "created_at": TS,
    "updated_at": TS,
    "self_url": f"/v1/harnesses/{HARNESS_ID}",
    "view_url": f"/harnesses/{HARNESS_ID}",
    "ui_link": f"https://app.everruns.com/harnesses/{HARNESS_ID}",
}
MODEL: dict[str, Any] = {
    "id": "model_01933b5a00007000800000000000001",
    "provider_id": "provider_01933b5a00007000800000000000001",
    "model_id": "claude-sonnet-4-5",
    "display_name": "Claude Sonnet 4.5",
    "capabilities": ["text", "tools"],
    "is_favorite": True,
    "enabled": True,
    "source": "predefined",
    "created_at": TS,
    "updated_at": TS,
    "provider_name": "Anthropic",
    "provider_type": "anthropic",
    "healthy": True,
}
CAPABILITY: dict[str, Any] = {
    "id": "session_file_system",
    "name": "File system",
    "description": "Read and write files in the session workspace.",
    "status": "available",
    "category": "filesystem",
}
IMAGE_INFO: dict[str, Any] = {
    "id": IMG,
    "filename": "cat.png",
    "content_type": "image/png",
    "size_bytes": 12,
    "metadata": {"width": 1, "height": 1},
    "created_at": TS,
}
WORKSPACE: dict[str, Any] = {
    "id": WSP,
    "name": "research",
    "description": "Shared notes",
    "status": "active",
    "created_at": TS,
    "updated_at": TS,
}
FILE_INFO: dict[str, Any] = {
    "id": "0193b5a0-0000-7000-8000-000000000001",
    "session_id": "0193b5a0-0000-7000-8000-0000000000ff",
    "path": "/notes/todo.md",
    "name": "todo.md",
    "is_directory": False,
    "is_readonly": False,
    "size_bytes": 5,
    "created_at": TS,
    "updated_at": TS,
}
SESSION_FILE: dict[str, Any] = {**FILE_INFO, "content": "hello", "encoding": "utf-8"}
FILE_STAT: dict[str, Any] = {k: v for k, v in FILE_INFO.items() if k not in ("id", "session_id")}
GREP: dict[str, Any] = {
    "data": [
        {
            "path": "/notes/todo.md",
            "matches": [{"path": "/notes/todo.md", "line_number": 1, "line": "hello"}],
        }
    ]
}
MEMORY: dict[str, Any] = {
    "id": MEM,
    "name": "design-docs",
    "description": None,
    "source_type": "github",
    "source": {"provider": "github", "repository": "acme/design-docs", "branch": "main"},
    "is_readonly": True,
    "sync_status": "idle",
    "status": "active",
    "created_at": TS,
    "updated_at": TS,
}
MEMORY_FILE_INFO: dict[str, Any] = {
    "path": "/notes/todo.md",
    "is_directory": False,
    "size_bytes": 5,
    "content_hash": "sha256:2cf24dba",
    "created_at": TS,
    "updated_at": TS,
}
MEMORY_FILE: dict[str, Any] = {**MEMORY_FILE_INFO, "content": "hello", "encoding": "utf-8"}
DATABASE: dict[str, Any] = {
    "name": "crm",
    "size_bytes": 8192,
    "page_count": 2,
    "created_at": TS,
    "updated_at": TS,
}
SESSION: dict[str, Any] = {
    "id": SESSION_ID,
    "organization_id": "org_01933b5a000070008000000000000001",
    "harness_id": HARNESS_ID,
    "owner_principal_id": "user_01933b5a000070008000000000000001",
    "status": "idle",
    "workspace_id": WSP,
    "created_at": TS,
    "updated_at": TS,
}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EVERRUNS_API_KEY", "EVERRUNS_ORG_ID", "EVERRUNS_API_URL", "EVERRUNS_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as mock:
        yield mock


@pytest.fixture
async def client(router: respx.MockRouter) -> AsyncIterator[Everruns]:
    c = Everruns(api_key="evr_pat_test", base_url=BASE, max_retries=0)
    yield c
    await c.close()


def reply(router: respx.MockRouter, *responses: httpx.Response) -> respx.Route:
    """Answer the next requests (any method, any URL) with `responses`, in order."""
    return router.route().mock(side_effect=list(responses))


def ok(status: int = 200, body: Any = None, **kwargs: Any) -> httpx.Response:
    if body is None:
        return httpx.Response(status, **kwargs)
    return httpx.Response(status, json=body, **kwargs)


def problem(status: int, code: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={"title": code, "status": status, "code": code},
        headers={"content-type": "application/problem+json"},
    )


def request_of(route: respx.Route, index: int = -1) -> httpx.Request:
    return route.calls[index].request


def raw_path(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii").split("?", 1)[0]


def query(request: httpx.Request) -> list[tuple[str, str]]:
    return list(request.url.params.multi_items())


def body(request: httpx.Request) -> Any:
    assert request.headers["content-type"] == "application/json"
    return json.loads(request.content)


def assert_request(
    request: httpx.Request,
    method: str,
    path: str,
    params: list[tuple[str, str]] | None = None,
) -> None:
    assert request.method == method
    assert raw_path(request) == "/api" + path
    assert query(request) == (params or [])


# ----- harnesses -----------------------------------------------------------------------


async def test_harnesses_list(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [HARNESS]}))
    harnesses = await client.harnesses.list(search="deep", include_archived=True)
    assert_request(
        request_of(route),
        "GET",
        "/v1/harnesses",
        [("search", "deep"), ("include_archived", "true")],
    )
    assert isinstance(harnesses, Page) and harnesses.total == 1 and not harnesses.has_next_page()
    assert [type(h) for h in harnesses] == [Harness]
    assert harnesses[0].name == "deep-research"


async def test_harnesses_get(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=HARNESS))
    harness = await client.harnesses.get(HARNESS_ID)
    assert_request(request_of(route), "GET", f"/v1/harnesses/{HARNESS_ID}")
    assert isinstance(harness, Harness) and harness.id == HARNESS_ID


async def test_harnesses_create(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(201, HARNESS))
    harness_id = client.harnesses.generate_id()
    harness = await client.harnesses.create(
        "deep-research",
        id=harness_id,
        display_name="Deep Research",
        system_prompt="Research carefully.",
        tags=("research",),
        capabilities=[{"ref": "web_fetch", "config": {}}],
        request={"embedder_metadata": {"team": "platform"}, "display_name": "ignored"},
    )
    request = request_of(route)
    assert_request(request, "POST", "/v1/harnesses")
    assert body(request) == {
        "id": harness_id,
        "name": "deep-research",
        "display_name": "Deep Research",
        "system_prompt": "Research carefully.",
        "tags": ["research"],
        "capabilities": [{"ref": "web_fetch", "config": {}}],
        "embedder_metadata": {"team": "platform"},
    }
    assert harness_id.startswith("harness_") and len(harness_id) == len("harness_") + 32
    assert isinstance(harness, Harness)


async def test_harnesses_create_rejects_a_non_slug_name(
    router: respx.MockRouter, client: Everruns
) -> None:
    route = reply(router, ok(201, HARNESS))
    with pytest.raises(ValidationError, match="slug"):
        await client.harnesses.create("Deep Research")
    with pytest.raises(ValidationError, match="name"):
        await client.harnesses.create()
    assert route.call_count == 0


async def test_harnesses_update(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=HARNESS))
    harness = await client.harnesses.update(
        HARNESS_ID, description="Web research", request={"parent_harness_id": None}
    )
    request = request_of(route)
    assert_request(request, "PATCH", f"/v1/harnesses/{HARNESS_ID}")
    assert body(request) == {"description": "Web research", "parent_harness_id": None}
    assert isinstance(harness, Harness)


async def test_harnesses_delete(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(204))
    assert await client.harnesses.delete(HARNESS_ID) is None
    assert_request(request_of(route), "DELETE", f"/v1/harnesses/{HARNESS_ID}")


async def test_harnesses_examples(router: respx.MockRouter, client: Everruns) -> None:
    example = {
        "name": "data-analyst",
        "display_name": "Data Analyst",
        "description": "Analyses data.",
        "tags": ["data"],
        "capabilities": [{"ref": "session_sql_database", "config": {}}],
        "dev_only": False,
        "parent_name": "generic",
    }
    route = reply(router, ok(body=[example]))  # a bare array, as the spec declares
    examples = await client.harnesses.examples()
    assert_request(request_of(route), "GET", "/v1/harness-examples")
    assert [type(e) for e in examples] == [HarnessExample]
    assert examples[0].parent_name == "generic"


# ----- models ----------------------------------------------------------------------------


async def test_models_list(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [MODEL]}))
    models = await client.models.list(source="predefined", include_stale=False, favorites_only=True)
    assert_request(
        request_of(route),
        "GET",
        "/v1/models",
        [("source", "predefined"), ("include_stale", "false"), ("favorites_only", "true")],
    )
    assert [type(m) for m in models] == [ModelWithProvider]


async def test_models_get(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=MODEL))
    model = await client.models.get("model_01933b5a00007000800000000000001")
    assert_request(request_of(route), "GET", "/v1/models/model_01933b5a00007000800000000000001")
    assert isinstance(model, ModelWithProvider) and model.provider_name == "Anthropic"


# ----- capabilities ----------------------------------------------------------------------


async def test_capabilities_list_is_a_page(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(
        router,
        ok(body={"data": [CAPABILITY], "total": 2, "offset": 0, "limit": 1}),
        ok(body={"data": [{**CAPABILITY, "id": "web_fetch"}], "total": 2, "offset": 1, "limit": 1}),
    )
    page = await client.capabilities.list(search="file", limit=1)
    assert_request(
        request_of(route, 0), "GET", "/v1/capabilities", [("search", "file"), ("limit", "1")]
    )
    assert (page.total, page.offset, page.limit) == (2, 0, 1)
    ids = [capability.id async for capability in page]
    assert ids == ["session_file_system", "web_fetch"]
    assert query(request_of(route, 1)) == [("search", "file"), ("offset", "1"), ("limit", "1")]
    assert all(isinstance(c, CapabilityInfo) for c in page.data)


async def test_capabilities_get(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=CAPABILITY))
    capability = await client.capabilities.get("session_file_system")
    assert_request(request_of(route), "GET", "/v1/capabilities/session_file_system")
    assert isinstance(capability, CapabilityInfo)


async def test_capabilities_guardrail_examples(router: respx.MockRouter, client: Everruns) -> None:
    example = {
        "name": "profanity",
        "display_name": "Profanity filter",
        "description": "Masks profanity.",
        "tags": ["safety"],
        "check_types": ["word_list"],
        "stages": ["output"],
        "data_egress": "none",
        "config": {"checks": []},
    }
    route = reply(router, ok(body={"examples": [example]}))
    examples = await client.capabilities.guardrail_examples()
    assert_request(request_of(route), "GET", "/v1/capabilities/guardrails/examples")
    assert [type(e) for e in examples] == [GuardrailExample]


async def test_capabilities_dry_run_guardrails(router: respx.MockRouter, client: Everruns) -> None:
    answer = {
        "blocked": True,
        "hits": [
            {
                "check_index": 0,
                "check_id": "no-darn",
                "stage": "output",
                "rule_type": "word_list",
                "action": "block",
                "reason_code": "word_match",
                "matched": "darn",
            }
        ],
    }
    route = reply(router, ok(body=answer))
    config = {"checks": [{"id": "no-darn", "words": ["darn"]}]}
    result = await client.capabilities.dry_run_guardrails(config, stage="output", text="well darn")
    request = request_of(route)
    assert_request(request, "POST", "/v1/capabilities/guardrails/dry-run")
    assert body(request) == {"config": config, "stage": "output", "text": "well darn"}
    assert isinstance(result, GuardrailsDryRunResponse) and result.blocked is True
    with pytest.raises(ValidationError, match="stage"):
        await client.capabilities.dry_run_guardrails(config, text="x")


# ----- images ------------------------------------------------------------------------------


def _multipart_file(request: httpx.Request) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of the `file` field of a multipart request."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1].encode()
    parts = [p for p in request.content.split(b"--" + boundary) if p.strip() not in (b"", b"--")]
    assert len(parts) == 1
    head, _, data = parts[0].partition(b"\r\n\r\n")
    headers = head.decode()
    assert 'name="file"' in headers
    filename = headers.split('filename="', 1)[1].split('"', 1)[0]
    part_type = headers.split("Content-Type: ", 1)[1].split("\r\n", 1)[0]
    return filename, part_type, data.removesuffix(b"\r\n")


UPLOADED = {k: v for k, v in IMAGE_INFO.items() if k != "metadata"}


async def test_images_upload_bytes(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(201, UPLOADED))
    image = await client.images.upload(PNG, session_id=SESSION_ID)
    request = request_of(route)
    assert_request(request, "POST", "/v1/images", [("session_id", SESSION_ID)])
    assert _multipart_file(request) == ("image.png", "image/png", PNG)
    assert isinstance(image, ImageUploadResponse) and image.id == IMG


async def test_images_upload_path(
    router: respx.MockRouter, client: Everruns, tmp_path: Path
) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0jpeg")
    route = reply(router, ok(201, UPLOADED), ok(201, UPLOADED))
    await client.images.upload(path)
    await client.images.upload(str(path), filename="renamed.webp", content_type="image/webp")
    assert _multipart_file(request_of(route, 0)) == ("photo.jpg", "image/jpeg", path.read_bytes())
    assert _multipart_file(request_of(route, 1))[:2] == ("renamed.webp", "image/webp")
    assert query(request_of(route, 0)) == []


async def test_images_upload_file_object(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(201, UPLOADED))
    await client.images.upload(io.BytesIO(b"GIF89a..."))
    assert _multipart_file(request_of(route)) == ("image.gif", "image/gif", b"GIF89a...")
    with pytest.raises(ValidationError, match="binary"):
        await client.images.upload(io.StringIO("text"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="empty"):
        await client.images.upload(b"")
    assert route.call_count == 1


async def test_images_list(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=[IMAGE_INFO]))  # a bare array, as the spec declares
    images = await client.images.list(limit=10, offset=20)
    assert_request(request_of(route), "GET", "/v1/images", [("offset", "20"), ("limit", "10")])
    assert [type(i) for i in images] == [ImageInfo]


async def test_images_get_scans_the_list(router: respx.MockRouter, client: Everruns) -> None:
    others = [{**IMAGE_INFO, "id": f"img_{i:032x}"} for i in range(100)]
    route = reply(router, ok(body=others), ok(body=[IMAGE_INFO]))
    image = await client.images.get(IMG)
    assert isinstance(image, ImageInfo) and image.id == IMG
    assert_request(request_of(route, 0), "GET", "/v1/images", [("offset", "0"), ("limit", "100")])
    assert query(request_of(route, 1)) == [("offset", "100"), ("limit", "100")]


async def test_images_get_not_found(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=[IMAGE_INFO]), ok(body=[]))
    with pytest.raises(NotFoundError) as caught:
        await client.images.get("img_missing")
    assert caught.value.status_code == 404
    assert route.call_count == 2


async def test_images_get_stops_when_offset_is_ignored(
    router: respx.MockRouter, client: Everruns
) -> None:
    route = reply(router, ok(body=[IMAGE_INFO]), ok(body=[IMAGE_INFO]))
    with pytest.raises(NotFoundError):
        await client.images.get("img_missing")
    assert route.call_count == 2


async def test_images_content(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(content=PNG, headers={"content-type": "image/png"}))
    data = await client.images.content(IMG)
    request = request_of(route)
    assert_request(request, "GET", f"/v1/images/{IMG}")
    assert request.headers["accept"] == "image/*"
    assert data == PNG


async def test_images_thumbnail(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(content=b"\xff\xd8\xffthumb", headers={"content-type": "image/jpeg"}))
    data = await client.images.thumbnail(IMG)
    assert_request(request_of(route), "GET", f"/v1/images/{IMG}/thumbnail")
    assert data == b"\xff\xd8\xffthumb"


async def test_images_delete(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(204))
    assert await client.images.delete(IMG) is None
    assert_request(request_of(route), "DELETE", f"/v1/images/{IMG}")


# ----- workspaces --------------------------------------------------------------------------


async def test_workspaces_list(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [WORKSPACE]}))
    workspaces = await client.workspaces.list(search="res", include_archived=False)
    assert_request(
        request_of(route),
        "GET",
        "/v1/workspaces",
        [("search", "res"), ("include_archived", "false")],
    )
    assert [type(w) for w in workspaces] == [Workspace]


async def test_workspaces_create(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(201, WORKSPACE))
    workspace = await client.workspaces.create("research", description="Shared notes")
    request = request_of(route)
    assert_request(request, "POST", "/v1/workspaces")
    assert body(request) == {"name": "research", "description": "Shared notes"}
    assert isinstance(workspace, Workspace)


async def test_workspaces_get(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=WORKSPACE))
    workspace = await client.workspaces.get(WSP)
    assert_request(request_of(route), "GET", f"/v1/workspaces/{WSP}")
    assert isinstance(workspace, Workspace) and workspace.id == WSP


async def test_workspaces_update(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=WORKSPACE))
    await client.workspaces.update(WSP, name="notes", status="archived")
    request = request_of(route)
    assert_request(request, "PATCH", f"/v1/workspaces/{WSP}")
    assert body(request) == {"name": "notes", "status": "archived"}


async def test_workspaces_delete(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(204))
    assert await client.workspaces.delete(WSP) is None
    assert_request(request_of(route), "DELETE", f"/v1/workspaces/{WSP}")


# ----- workspace files ---------------------------------------------------------------------


async def test_workspace_files_list_root(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [FILE_INFO]}), ok(body={"data": []}))
    files = await client.workspaces.files.list(WSP, recursive=True)
    assert_request(request_of(route), "GET", f"/v1/workspaces/{WSP}/fs", [("recursive", "true")])
    assert [type(f) for f in files] == [FileInfo]
    await client.workspace_files.list(WSP, "/")
    assert_request(request_of(route), "GET", f"/v1/workspaces/{WSP}/fs")


async def test_workspace_files_list_directory(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [FILE_INFO]}), ok(body=SESSION_FILE))
    files = await client.workspace_files.list(WSP, "/notes dir/")
    assert_request(request_of(route), "GET", f"/v1/workspaces/{WSP}/fs/notes%20dir")
    assert [f.name for f in files] == ["todo.md"]
    # Like `ls`, a file lists as itself (without its content).
    single = await client.workspace_files.list(WSP, "notes/todo.md")
    assert [type(f) for f in single] == [FileInfo]
    assert single[0].path == "/notes/todo.md"
    assert "content" not in (single[0].model_extra or {})


async def test_workspace_files_get_file(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=SESSION_FILE))
    found = await client.workspace_files.get(WSP, "notes/a b#?.md")
    assert_request(request_of(route), "GET", f"/v1/workspaces/{WSP}/fs/notes/a%20b%23%3F.md")
    assert isinstance(found, SessionFile) and found.content == "hello"


async def test_workspace_files_get_directory(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [FILE_INFO]}))
    found = await client.workspace_files.get(WSP, "notes", recursive=False)
    assert_request(
        request_of(route), "GET", f"/v1/workspaces/{WSP}/fs/notes", [("recursive", "false")]
    )
    assert isinstance(found, FileInfoList) and [f.name for f in found.data] == ["todo.md"]


async def test_workspace_files_refuse_dot_segments(
    router: respx.MockRouter, client: Everruns
) -> None:
    route = reply(router, ok(body=SESSION_FILE))
    for bad in ("../secrets", "notes/../../x", "a//b", "./a"):
        with pytest.raises(ValidationError):
            await client.workspace_files.get(WSP, bad)
    with pytest.raises(ValidationError):
        await client.workspace_files.stat(WSP, "../x")
    assert route.call_count == 0


async def test_workspace_files_read(router: respx.MockRouter, client: Everruns) -> None:
    encoded = {
        **SESSION_FILE,
        "content": base64.b64encode(b"h\xc3\xa9").decode(),
        "encoding": "base64",
    }
    route = reply(router, ok(body=SESSION_FILE), ok(body=encoded), ok(body={"data": []}))
    file = await client.workspace_files.read(WSP, "notes/todo.md")  # the file, not a string
    assert (file.path, file.content) == (SESSION_FILE["path"], "hello")
    assert_request(request_of(route), "GET", f"/v1/workspaces/{WSP}/fs/notes/todo.md")
    assert await client.workspace_files.read_text(WSP, "notes/todo.md") == "h\u00e9"
    with pytest.raises(ValidationError, match="directory"):
        await client.workspace_files.read(WSP, "notes")


async def test_workspace_files_read_bytes(router: respx.MockRouter, client: Everruns) -> None:
    encoded = {**SESSION_FILE, "content": base64.b64encode(PNG).decode(), "encoding": "base64"}
    route = reply(router, ok(body=encoded))
    assert await client.workspace_files.read_bytes(WSP, "img.png") == PNG
    assert_request(request_of(route), "GET", f"/v1/workspaces/{WSP}/fs/img.png")


async def test_workspace_files_create(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(201, SESSION_FILE), ok(201, SESSION_FILE), ok(201, SESSION_FILE))
    created = await client.workspace_files.create(WSP, "/notes/todo.md", "hello", is_readonly=True)
    request = request_of(route)
    assert_request(request, "POST", f"/v1/workspaces/{WSP}/fs/notes/todo.md")
    assert body(request) == {"content": "hello", "is_readonly": True}
    assert isinstance(created, SessionFile)
    await client.workspace_files.create(WSP, "bin/blob", b"\x00\x01")
    assert body(request_of(route)) == {"content": "AAE=", "encoding": "base64"}
    await client.workspace_files.create(WSP, "notes", is_directory=True)
    assert body(request_of(route)) == {"is_directory": True}


async def test_workspace_files_update(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=SESSION_FILE))
    updated = await client.workspace_files.update(WSP, "notes/todo.md", "bye", encoding="utf-8")
    request = request_of(route)
    assert_request(request, "PUT", f"/v1/workspaces/{WSP}/fs/notes/todo.md")
    assert body(request) == {"content": "bye", "encoding": "utf-8"}
    assert isinstance(updated, SessionFile)


async def test_workspace_files_write_updates_then_creates(
    router: respx.MockRouter, client: Everruns
) -> None:
    route = reply(router, ok(body=SESSION_FILE))
    assert isinstance(await client.workspace_files.write(WSP, "a.md", "x"), SessionFile)
    assert [c.request.method for c in route.calls] == ["PUT"]

    router.reset()
    route = reply(router, problem(404, "file_not_found"), ok(201, SESSION_FILE))
    await client.workspace_files.write(WSP, "a.md", "x")
    assert [c.request.method for c in route.calls] == ["PUT", "POST"]
    assert body(request_of(route)) == {"content": "x"}

    router.reset()
    route = reply(
        router,
        problem(404, "file_not_found"),
        problem(409, "already_exists"),
        ok(body=SESSION_FILE),
    )
    await client.workspace_files.write(WSP, "a.md", "x")
    assert [c.request.method for c in route.calls] == ["PUT", "POST", "PUT"]


async def test_workspace_files_write_surfaces_other_errors(
    router: respx.MockRouter, client: Everruns
) -> None:
    reply(router, problem(404, "file_not_found"), problem(409, "already_exists"), problem(409, "x"))
    with pytest.raises(ConflictError):
        await client.workspace_files.write(WSP, "a.md", "x")


async def test_workspace_files_delete(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"deleted": True}))
    result = await client.workspace_files.delete(WSP, "notes", recursive=True)
    assert_request(
        request_of(route), "DELETE", f"/v1/workspaces/{WSP}/fs/notes", [("recursive", "true")]
    )
    assert isinstance(result, DeleteFileResponse) and result.deleted is True


async def test_workspace_files_move(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=SESSION_FILE))
    moved = await client.workspace_files.move(WSP, "a.md", "/notes/a.md")
    request = request_of(route)
    assert_request(request, "POST", f"/v1/workspaces/{WSP}/fs/_/move")
    assert body(request) == {"src_path": "/a.md", "dst_path": "/notes/a.md"}
    assert isinstance(moved, SessionFile)


async def test_workspace_files_copy(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(201, SESSION_FILE))
    copied = await client.workspace_files.copy(WSP, "/a.md", "b.md")
    request = request_of(route)
    assert_request(request, "POST", f"/v1/workspaces/{WSP}/fs/_/copy")
    assert body(request) == {"src_path": "/a.md", "dst_path": "/b.md"}
    assert isinstance(copied, SessionFile)


async def test_workspace_files_grep(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=GREP))
    results = await client.workspace_files.grep(WSP, "hel+o", path_pattern="*.md")
    request = request_of(route)
    assert_request(request, "POST", f"/v1/workspaces/{WSP}/fs/_/grep")
    assert body(request) == {"pattern": "hel+o", "path_pattern": "*.md"}
    assert [type(r) for r in results] == [GrepResult]
    assert results[0].matches[0].line_number == 1


async def test_workspace_files_stat(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=FILE_STAT))
    stat = await client.workspace_files.stat(WSP, "notes/todo.md")
    request = request_of(route)
    assert_request(request, "POST", f"/v1/workspaces/{WSP}/fs/_/stat")
    assert body(request) == {"path": "/notes/todo.md"}
    assert isinstance(stat, FileStat) and stat.size_bytes == 5


# ----- memories ----------------------------------------------------------------------------


async def test_memories_list(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [MEMORY]}))
    memories = await client.memories.list(search="design", include_archived=True)
    assert_request(
        request_of(route),
        "GET",
        "/v1/memories",
        [("search", "design"), ("include_archived", "true")],
    )
    assert [type(m) for m in memories] == [Memory]
    assert memories[0].source.provider == "github"


async def test_memories_create(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(201, MEMORY))
    source = {"type": "github", "repository": "acme/design-docs", "branch": "main"}
    memory = await client.memories.create("design-docs", source=source)
    request = request_of(route)
    assert_request(request, "POST", "/v1/memories")
    assert body(request) == {"name": "design-docs", "source": source}
    assert isinstance(memory, Memory)


async def test_memories_get(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=MEMORY))
    memory = await client.memories.get(MEM)
    assert_request(request_of(route), "GET", f"/v1/memories/{MEM}")
    assert isinstance(memory, Memory) and memory.id == MEM


async def test_memories_update(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=MEMORY))
    await client.memories.update(MEM, description="Docs")
    request = request_of(route)
    assert_request(request, "PATCH", f"/v1/memories/{MEM}")
    assert body(request) == {"description": "Docs"}


async def test_memories_delete(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(204))
    assert await client.memories.delete(MEM) is None
    assert_request(request_of(route), "DELETE", f"/v1/memories/{MEM}")


async def test_memories_sync(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={**MEMORY, "sync_status": "syncing"}))
    memory = await client.memories.sync(MEM)
    request = request_of(route)
    assert_request(request, "POST", f"/v1/memories/{MEM}/sync")
    assert request.content == b""
    assert isinstance(memory, Memory) and memory.sync_status == "syncing"


# ----- memory files ------------------------------------------------------------------------


async def test_memory_files_list_root(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [MEMORY_FILE_INFO]}))
    files = await client.memories.files.list(MEM)
    assert_request(request_of(route), "GET", f"/v1/memories/{MEM}/fs")
    assert [type(f) for f in files] == [MemoryFileInfo]


async def test_memory_files_list_directory(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [MEMORY_FILE_INFO]}))
    files = await client.memory_files.list(MEM, "notes")
    assert_request(request_of(route), "GET", f"/v1/memories/{MEM}/fs/notes")
    assert [type(f) for f in files] == [MemoryFileInfo]


async def test_memory_files_get(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=MEMORY_FILE), ok(body={"data": [MEMORY_FILE_INFO]}))
    found = await client.memory_files.get(MEM, "notes/to do.md")
    assert_request(request_of(route), "GET", f"/v1/memories/{MEM}/fs/notes/to%20do.md")
    assert isinstance(found, MemoryFile) and found.content == "hello"
    listing = await client.memory_files.get(MEM, "notes")
    assert isinstance(listing, list) and [type(f) for f in listing] == [MemoryFileInfo]


async def test_memory_files_read(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=MEMORY_FILE))
    assert await client.memory_files.read(MEM, "notes/todo.md") == "hello"
    assert_request(request_of(route), "GET", f"/v1/memories/{MEM}/fs/notes/todo.md")


async def test_memory_files_create(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(201, MEMORY_FILE_INFO))
    created = await client.memory_files.create(MEM, "notes/todo.md", "hello")
    request = request_of(route)
    assert_request(request, "POST", f"/v1/memories/{MEM}/fs/notes/todo.md")
    assert body(request) == {"content": "hello"}
    assert isinstance(created, MemoryFileInfo)


async def test_memory_files_update(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=MEMORY_FILE))
    updated = await client.memory_files.update(MEM, "notes/todo.md", b"\xff")
    request = request_of(route)
    assert_request(request, "PUT", f"/v1/memories/{MEM}/fs/notes/todo.md")
    assert body(request) == {"content": "/w==", "encoding": "base64"}
    assert isinstance(updated, MemoryFile)


async def test_memory_files_delete(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(204), ok(204))
    assert await client.memory_files.delete(MEM, "notes/todo.md") is None
    assert_request(request_of(route), "DELETE", f"/v1/memories/{MEM}/fs/notes/todo.md")
    await client.memory_files.delete(MEM, "notes", recursive=True)
    assert_request(
        request_of(route), "DELETE", f"/v1/memories/{MEM}/fs/notes", [("recursive", "true")]
    )


async def test_memory_files_download(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(content=PNG, headers={"content-type": "image/png"}))
    data = await client.memory_files.download(MEM, "img/cat.png")
    assert_request(request_of(route), "GET", f"/v1/memories/{MEM}/fs/_/download/img/cat.png")
    assert data == PNG


async def test_memory_files_grep(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [{"path": "/notes/todo.md", "size_bytes": 5}]}))
    results = await client.memory_files.grep(MEM, "hello")
    request = request_of(route)
    assert_request(request, "POST", f"/v1/memories/{MEM}/fs/_/grep")
    assert body(request) == {"pattern": "hello"}
    assert [type(r) for r in results] == [MemoryGrepResult]


async def test_memory_files_stat(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=MEMORY_FILE_INFO))
    stat = await client.memory_files.stat(MEM, "notes/todo.md")
    request = request_of(route)
    assert_request(request, "POST", f"/v1/memories/{MEM}/fs/_/stat")
    assert body(request) == {"path": "/notes/todo.md"}
    assert isinstance(stat, MemoryFileInfo)


# ----- session databases and storage -------------------------------------------------------


async def test_session_databases_list(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body={"data": [DATABASE]}))
    databases = await client.session_databases.list(SESSION_ID)
    assert_request(request_of(route), "GET", f"/v1/sessions/{SESSION_ID}/databases")
    assert [type(d) for d in databases] == [DatabaseInfoResponse]


async def test_session_databases_create(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(201, DATABASE))
    database = await client.sessions.databases.create(SESSION_ID, "crm")
    request = request_of(route)
    assert_request(request, "POST", f"/v1/sessions/{SESSION_ID}/databases")
    assert body(request) == {"name": "crm"}
    assert isinstance(database, DatabaseInfoResponse)


async def test_session_databases_get(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=DATABASE))
    database = await client.session_databases.get(SESSION_ID, "my db/1")
    assert_request(request_of(route), "GET", f"/v1/sessions/{SESSION_ID}/databases/my%20db%2F1")
    assert isinstance(database, DatabaseInfoResponse) and database.page_count == 2


async def test_session_databases_delete(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(204))
    assert await client.session_databases.delete(SESSION_ID, "crm") is None
    assert_request(request_of(route), "DELETE", f"/v1/sessions/{SESSION_ID}/databases/crm")


async def test_session_databases_schema(router: respx.MockRouter, client: Everruns) -> None:
    schema = {
        "database": "crm",
        "tables": [{"name": "contacts", "columns": [{"name": "id", "type": "INTEGER"}]}],
    }
    route = reply(router, ok(body=schema))
    result = await client.session_databases.schema(SESSION_ID, "crm")
    assert_request(request_of(route), "GET", f"/v1/sessions/{SESSION_ID}/databases/crm/schema")
    assert isinstance(result, SchemaResponse) and result.database == "crm"


async def test_session_storage_keys(router: respx.MockRouter, client: Everruns) -> None:
    item = {"key": "theme", "value": "dark", "created_at": TS, "updated_at": TS}
    route = reply(router, ok(body={"data": [item]}))
    keys = await client.session_storage.keys(SESSION_ID)
    assert_request(request_of(route), "GET", f"/v1/sessions/{SESSION_ID}/storage/keys")
    assert [type(k) for k in keys] == [KeyValueInfo] and keys[0].value == "dark"


async def test_session_storage_secrets(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(
        router, ok(body={"data": [{"name": "API_TOKEN", "created_at": TS, "updated_at": TS}]})
    )
    secrets = await client.sessions.storage.secrets(SESSION_ID)
    assert_request(request_of(route), "GET", f"/v1/sessions/{SESSION_ID}/storage/secrets")
    assert [type(s) for s in secrets] == [SecretInfo]


# ----- session files -----------------------------------------------------------------------


async def test_session_files_resolve_the_workspace_once(
    router: respx.MockRouter, client: Everruns
) -> None:
    route = reply(
        router,
        ok(body=SESSION),
        ok(body={"data": [FILE_INFO]}),
        ok(body=SESSION_FILE),
        ok(body=FILE_STAT),
        ok(body=GREP),
        ok(body={"deleted": True}),
    )
    files = await client.sessions.files.list(SESSION_ID, recursive=True)
    assert [type(f) for f in files] == [FileInfo]
    assert await client.sessions.files.read(SESSION_ID, "notes/todo.md") == "hello"
    assert isinstance(await client.sessions.files.stat(SESSION_ID, "notes/todo.md"), FileStat)
    assert [type(r) for r in await client.sessions.files.grep(SESSION_ID, "x")] == [GrepResult]
    assert (await client.sessions.files.delete(SESSION_ID, "notes/todo.md")).deleted is True
    sent = [(c.request.method, raw_path(c.request), query(c.request)) for c in route.calls]
    assert sent == [
        ("GET", f"/api/v1/sessions/{SESSION_ID}", []),
        ("GET", f"/api/v1/workspaces/{WSP}/fs", [("recursive", "true")]),
        ("GET", f"/api/v1/workspaces/{WSP}/fs/notes/todo.md", []),
        ("POST", f"/api/v1/workspaces/{WSP}/fs/_/stat", []),
        ("POST", f"/api/v1/workspaces/{WSP}/fs/_/grep", []),
        ("DELETE", f"/api/v1/workspaces/{WSP}/fs/notes/todo.md", []),
    ]


async def test_session_files_write_and_get(router: respx.MockRouter, client: Everruns) -> None:
    route = reply(router, ok(body=SESSION), ok(body=SESSION_FILE), ok(body={"data": []}))
    written = await client.sessions.files.write(SESSION_ID, "notes/todo.md", "hello")
    assert isinstance(written, SessionFile)
    assert_request(request_of(route, 1), "PUT", f"/v1/workspaces/{WSP}/fs/notes/todo.md")
    assert body(request_of(route, 1)) == {"content": "hello"}
    listing = await client.sessions.files.get(SESSION_ID, "notes")
    assert isinstance(listing, FileInfoList) and listing.data == []
    assert await client.sessions.files.workspace_id(SESSION_ID) == WSP
    assert route.call_count == 3
