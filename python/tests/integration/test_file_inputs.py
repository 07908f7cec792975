"""File inputs (`pathlib.Path`, bytes, binary file objects) everywhere a file goes up,
and downloads that stream (`iter_bytes`, `write_to`), against the local server."""

from __future__ import annotations

import io
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from everruns_sdk import Everruns, SyncEverruns, ValidationError
from everruns_sdk.resources import _base
from everruns_sdk.testing import EverrunsEmulator

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
async def client(everruns_emulator: EverrunsEmulator) -> AsyncIterator[Everruns]:
    async with Everruns(api_key=everruns_emulator.api_key, base_url=everruns_emulator.url) as c:
        yield c


async def test_images_upload_from_a_path_bytes_and_a_file_object(
    client: Everruns, tmp_path: Path
) -> None:
    path = tmp_path / "dot.png"
    path.write_bytes(PNG)
    from_path = await client.images.upload(path)
    from_str = await client.images.upload(str(path))
    from_bytes = await client.images.upload(PNG)
    with path.open("rb") as handle:
        from_file = await client.images.upload(handle)
    for uploaded in (from_path, from_str, from_bytes, from_file):
        assert await client.images.content(uploaded.id) == PNG
    infos = {info.id: info async for info in client.images.list()}
    assert infos[from_path.id].filename == "dot.png" == infos[from_file.id].filename
    with pytest.raises(ValidationError, match="binary mode"):
        await client.images.upload(io.StringIO("not bytes"))  # type: ignore[arg-type]


async def test_workspace_and_session_files_take_paths_and_file_objects(
    client: Everruns, tmp_path: Path
) -> None:
    source = tmp_path / "data.bin"
    source.write_bytes(b"\x00\x01binary\xff")
    session = await client.sessions.create()
    await client.sessions.files.write(session.id, "/from-path.bin", source)
    with source.open("rb") as handle:
        await client.sessions.files.write(session.id, "/from-file.bin", handle)
    await client.sessions.files.write(session.id, "/text.txt", "plain text")
    assert await client.sessions.files.read_bytes(session.id, "/from-path.bin") == (
        source.read_bytes()
    )
    assert await client.sessions.files.read_bytes(session.id, "/from-file.bin") == (
        source.read_bytes()
    )
    assert await client.sessions.files.read_bytes(session.id, "/text.txt") == b"plain text"
    workspace = await client.workspaces.create("files")
    await client.workspace_files.create(workspace.id, "/a.bin", source)
    await client.workspace_files.update(workspace.id, "/a.bin", io.BytesIO(b"replaced"))
    assert await client.workspace_files.read_bytes(workspace.id, "/a.bin") == b"replaced"


async def test_a_path_is_read_off_the_event_loop(
    client: Everruns, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readers: list[int] = []
    real = _base.read_binary

    def recording(source: object) -> bytes:
        readers.append(threading.get_ident())
        return real(source)  # type: ignore[arg-type]

    monkeypatch.setattr(_base, "read_binary", recording)
    path = tmp_path / "x.txt"
    path.write_bytes(b"x")
    session = await client.sessions.create()
    await client.sessions.files.write(session.id, "/x.txt", path)
    assert readers and threading.get_ident() not in readers


async def test_downloads_stream_in_chunks_and_to_a_file(client: Everruns, tmp_path: Path) -> None:
    image = await client.images.upload(PNG, filename="dot.png")
    chunks = [chunk async for chunk in client.images.iter_bytes(image.id)]
    assert b"".join(chunks) == PNG
    target = tmp_path / "out" / "copy.png"
    target.parent.mkdir()
    assert await client.images.write_to(image.id, target) == len(PNG)
    assert target.read_bytes() == PNG
    thumb = tmp_path / "thumb.jpg"
    written = await client.images.write_to(image.id, thumb, thumbnail=True)
    assert written == thumb.stat().st_size == len(await client.images.thumbnail(image.id))


def test_blocking_client_files_and_downloads(
    everruns_emulator: EverrunsEmulator, tmp_path: Path
) -> None:
    path = tmp_path / "dot.png"
    path.write_bytes(PNG)
    with SyncEverruns(api_key=everruns_emulator.api_key, base_url=everruns_emulator.url) as c:
        image = c.images.upload(path)
        assert b"".join(c.images.iter_bytes(image.id)) == PNG
        assert c.images.write_to(image.id, tmp_path / "copy.png") == len(PNG)
        assert (tmp_path / "copy.png").read_bytes() == PNG
        session = c.sessions.create()
        c.sessions.files.write(session.id, "/p.png", path)
        assert c.sessions.files.read_bytes(session.id, "/p.png") == PNG
