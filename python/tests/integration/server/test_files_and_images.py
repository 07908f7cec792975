"""Workspaces and their files, memories and their files, images."""

from __future__ import annotations

import base64

import httpx

from everruns_sdk.testing._images import THUMBNAIL_JPEG

PNG_1x1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_workspace_crud(client: httpx.Client) -> None:
    created = client.post("/v1/workspaces", json={"name": "team-research"})
    assert created.status_code == 201
    wid = created.json()["id"]
    assert client.post("/v1/workspaces", json={"name": "team-research"}).status_code == 409
    assert (
        client.patch(f"/v1/workspaces/{wid}", json={"name": "renamed"}).json()["name"] == "renamed"
    )
    assert client.get(f"/v1/workspaces/{wid}").json()["status"] == "active"
    assert [w["id"] for w in client.get("/v1/workspaces").json()["data"]] == [wid]
    assert client.delete(f"/v1/workspaces/{wid}").status_code == 204
    assert client.get(f"/v1/workspaces/{wid}").json()["status"] == "archived"
    assert client.get("/v1/workspaces").json()["data"] == []
    assert client.get("/v1/workspaces", params={"include_archived": True}).json()["data"]
    assert client.get("/v1/workspaces/wsp_none").status_code == 404


def test_workspace_filesystem(client: httpx.Client) -> None:
    wid = client.post("/v1/workspaces", json={"name": "fs"}).json()["id"]
    fs = f"/v1/workspaces/{wid}/fs"
    made = client.post(f"{fs}/src/app/main.py", json={"content": "print('hi')\n"})
    assert made.status_code == 201
    assert made.json()["path"] == "/src/app/main.py" and made.json()["size_bytes"] == 12
    assert client.post(f"{fs}/src/app/main.py", json={"content": "x"}).status_code == 409
    assert client.get(f"{fs}/src/app/main.py").json()["content"] == "print('hi')\n"
    listing = client.get(f"{fs}/src").json()["data"]
    assert [f["path"] for f in listing] == ["/src/app"]
    deep = client.get(fs, params={"recursive": "true"}).json()["data"]
    assert {f["path"] for f in deep} == {"/src", "/src/app", "/src/app/main.py"}
    updated = client.put(f"{fs}/src/app/main.py", json={"content": "print('bye')\n"})
    assert updated.json()["content"] == "print('bye')\n"
    assert client.put(f"{fs}/missing.txt", json={"content": "x"}).status_code == 404
    b64 = base64.b64encode(b"\x00\x01\x02").decode()
    binary = client.post(f"{fs}/bin/data.bin", json={"content": b64, "encoding": "base64"})
    assert binary.json()["size_bytes"] == 3 and binary.json()["encoding"] == "base64"
    moved = client.post(f"{fs}/_/move", json={"src_path": "/bin", "dst_path": "/blobs"})
    assert moved.status_code == 200 and moved.json()["path"] == "/blobs"
    assert client.get(f"{fs}/blobs/data.bin").status_code == 200
    copied = client.post(f"{fs}/_/copy", json={"src_path": "/blobs/data.bin", "dst_path": "/c.bin"})
    assert copied.status_code == 201
    assert (
        client.post(f"{fs}/_/copy", json={"src_path": "/blobs", "dst_path": "/d"}).status_code
        == 400
    )
    grep = client.post(f"{fs}/_/grep", json={"pattern": "bye", "path_pattern": "*.py"}).json()
    assert grep["data"][0]["matches"][0]["line_number"] == 1
    assert client.post(f"{fs}/_/grep", json={"pattern": "("}).status_code == 400
    stat = client.post(f"{fs}/_/stat", json={"path": "/src"}).json()
    assert stat["is_directory"] is True and stat["name"] == "src"
    assert client.post(f"{fs}/_/stat", json={"path": "/nope"}).status_code == 404
    assert client.delete(f"{fs}/src").status_code == 400  # not empty
    assert client.delete(f"{fs}/src", params={"recursive": "true"}).json() == {"deleted": True}
    assert client.delete(f"{fs}/src").json() == {"deleted": False}
    assert client.get(f"{fs}/src").status_code == 404


def test_path_segments_are_percent_decoded_one_by_one(client: httpx.Client) -> None:
    wid = client.post("/v1/workspaces", json={"name": "enc"}).json()["id"]
    fs = f"/v1/workspaces/{wid}/fs"
    made = client.post(f"{fs}/my%20dir/r%C3%A9sum%C3%A9%3F.txt", json={"content": "x"})
    assert made.status_code == 201
    assert made.json()["path"] == "/my dir/résumé?.txt"
    assert client.get(f"{fs}/my%20dir/r%C3%A9sum%C3%A9%3F.txt").json()["content"] == "x"
    assert client.post(f"{fs}/a%2Fb.txt", json={"content": "x"}).status_code == 400
    assert client.post(f"{fs}/a/%2E%2E/b.txt", json={"content": "x"}).status_code == 400


def test_readonly_files(client: httpx.Client) -> None:
    wid = client.post("/v1/workspaces", json={"name": "ro"}).json()["id"]
    fs = f"/v1/workspaces/{wid}/fs"
    client.post(f"{fs}/locked.txt", json={"content": "x", "is_readonly": True})
    assert client.put(f"{fs}/locked.txt", json={"content": "y"}).status_code == 403
    assert client.delete(f"{fs}/locked.txt").status_code == 403


def test_memories(client: httpx.Client) -> None:
    created = client.post("/v1/memories", json={"name": "notes"})
    assert created.status_code == 201
    memory = created.json()
    assert memory["source"] == {"provider": "manual"} and memory["is_readonly"] is False
    mid = memory["id"]
    assert client.post("/v1/memories", json={"name": "notes"}).status_code == 409
    fs = f"/v1/memories/{mid}/fs"
    made = client.post(f"{fs}/docs/a.md", json={"content": "# Title\nbody\n"})
    assert made.status_code == 201 and made.json()["content_hash"].startswith("sha256:")
    assert client.get(f"{fs}/docs/a.md").json()["content"] == "# Title\nbody\n"
    assert [f["path"] for f in client.get(fs).json()["data"]] == ["/docs"]
    assert [f["path"] for f in client.get(f"{fs}/docs").json()["data"]] == ["/docs/a.md"]
    assert client.put(f"{fs}/docs/a.md", json={"content": "new"}).json()["content"] == "new"
    download = client.get(f"{fs}/_/download/docs/a.md")
    assert download.content == b"new"
    assert client.get(f"{fs}/_/download/docs").status_code == 400
    grep = client.post(f"{fs}/_/grep", json={"pattern": "new"}).json()
    assert grep == {"data": [{"path": "/docs/a.md", "size_bytes": 3}]}
    assert client.post(f"{fs}/_/stat", json={"path": "/docs/a.md"}).json()["size_bytes"] == 3
    assert client.delete(f"{fs}/docs").status_code == 409
    assert client.delete(f"{fs}/docs/a.md").status_code == 204
    assert client.delete(f"{fs}/docs/a.md").status_code == 404
    assert client.post(f"/v1/memories/{mid}/sync").status_code == 400  # manual memory
    renamed = client.patch(f"/v1/memories/{mid}", json={"name": "renamed"}).json()
    assert renamed["name"] == "renamed"
    assert client.delete(f"/v1/memories/{mid}").status_code == 204
    assert client.get(f"/v1/memories/{mid}").json()["status"] == "archived"


def test_git_backed_memory_is_read_only_and_syncs(client: httpx.Client) -> None:
    memory = client.post(
        "/v1/memories",
        json={"name": "docs", "source": {"type": "github", "repository": "acme/docs"}},
    ).json()
    assert memory["source"]["provider"] == "github" and memory["is_readonly"] is True
    mid = memory["id"]
    assert client.post(f"/v1/memories/{mid}/fs/a.md", json={"content": "x"}).status_code == 403
    queued = client.post(f"/v1/memories/{mid}/sync").json()
    assert queued["sync_status"] == "queued"
    done = client.get(f"/v1/memories/{mid}").json()
    assert done["sync_status"] == "succeeded" and done["last_synced_at"]


def test_images(client: httpx.Client) -> None:
    files = {"file": ("dot.png", PNG_1x1, "image/png")}
    uploaded = client.post("/v1/images", files=files)
    assert uploaded.status_code == 201
    info = uploaded.json()
    assert info["id"].startswith("img_") and info["content_type"] == "image/png"
    assert info["size_bytes"] == len(PNG_1x1) and info["filename"] == "dot.png"
    iid = info["id"]
    assert client.get(f"/v1/images/{iid}").content == PNG_1x1
    thumb = client.get(f"/v1/images/{iid}/thumbnail")
    assert thumb.headers["content-type"] == "image/jpeg" and thumb.content == THUMBNAIL_JPEG
    listed = client.get("/v1/images").json()
    assert listed[0]["metadata"] == {"width": 1, "height": 1}
    bad = client.post("/v1/images", files={"file": ("x.txt", b"hello", "text/plain")})
    assert bad.status_code == 400
    assert client.post("/v1/images", files={"other": ("a.png", PNG_1x1)}).status_code == 400
    assert client.post("/v1/images", json={}).status_code == 400
    assert client.delete(f"/v1/images/{iid}").status_code == 204
    assert client.get(f"/v1/images/{iid}").status_code == 404
    assert client.get(f"/v1/images/{iid}/thumbnail").status_code == 404
