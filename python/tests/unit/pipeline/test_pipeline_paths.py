"""Path templates: every parameter stays inside its own URL segment."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from everruns_sdk import Everruns, ValidationError
from everruns_sdk._paths import build_path, encode_file_path, encode_segment
from everruns_sdk.resources._base import Resource

TEMPLATE = "/v1/sessions/{session_id}/messages"
FS_TEMPLATE = "/v1/workspaces/{workspace_id}/fs/{path}"

HOSTILE_IDS = [
    ("../x", "..%2Fx"),
    ("a/b", "a%2Fb"),
    ("x?y", "x%3Fy"),
    ("x#y", "x%23y"),
    ("x%2Fy", "x%252Fy"),
    ("a b", "a%20b"),
    ("a\r\nb", "a%0D%0Ab"),
    ("h\u00e9llo\u4e16", "h%C3%A9llo%E4%B8%96"),
    ("a;b=c&d", "a%3Bb%3Dc%26d"),
    ("\\..\\", "%5C..%5C"),
]


@pytest.mark.parametrize(("value", "encoded"), HOSTILE_IDS)
def test_build_path_encodes_inside_segment(value: str, encoded: str) -> None:
    path = build_path(TEMPLATE, {"session_id": value})
    assert path == f"/v1/sessions/{encoded}/messages"
    segments = path.split("/")
    assert len(segments) == 5
    assert unquote(segments[3]) == value


async def test_raw_path_on_the_wire(router: respx.MockRouter, client: Everruns) -> None:
    route = router.route().respond(200, json={})
    for value, encoded in HOSTILE_IDS:
        await Resource(client)._request("POST", TEMPLATE, path={"session_id": value}, json={})
        request = route.calls.last.request
        assert request.url.raw_path == f"/api/v1/sessions/{encoded}/messages".encode(), value
        assert request.url.host == "testserver"
        assert request.url.query == b""
    assert route.call_count == len(HOSTILE_IDS)


@pytest.mark.parametrize("value", [".", ".."])
def test_dot_segments_are_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="dot segment"):
        build_path(TEMPLATE, {"session_id": value})


async def test_dot_segment_ids_send_nothing(router: respx.MockRouter, client: Everruns) -> None:
    route = router.route().respond(200, json={})
    for value in (".", ".."):
        with pytest.raises(ValidationError):
            await Resource(client)._request("GET", TEMPLATE, path={"session_id": value})
    assert route.call_count == 0


def test_plain_id_unchanged() -> None:
    agent_id = "agent_0192f3a4b5c6d7e8f9a0b1c2d3e4f5a6"
    assert build_path("/v1/agents/{agent_id}", {"agent_id": agent_id}) == f"/v1/agents/{agent_id}"


def test_several_params() -> None:
    path = build_path(
        "/v1/sessions/{session_id}/storage/{key}", {"session_id": "s/1", "key": "k?2"}
    )
    assert path == "/v1/sessions/s%2F1/storage/k%3F2"


@pytest.mark.parametrize("bad", ["", None, 123, b"agent_1", ["a"], 1.5])
def test_empty_or_non_str_id_rejected(bad: object) -> None:
    with pytest.raises(ValidationError, match="agent_id"):
        build_path("/v1/agents/{agent_id}", {"agent_id": bad})


def test_missing_param_rejected() -> None:
    with pytest.raises(ValidationError, match="agent_id"):
        build_path("/v1/agents/{agent_id}", {"other": "x"})


@pytest.mark.parametrize("params", [None, {}])
def test_missing_params_entirely_rejected(params: dict[str, object] | None) -> None:
    with pytest.raises(ValidationError, match="agent_id"):
        build_path("/v1/agents/{agent_id}", params)


def test_template_without_params_unchanged() -> None:
    assert build_path("/v1/agents") == "/v1/agents"
    assert build_path("/v1/agents", {}) == "/v1/agents"


async def test_invalid_id_raises_before_sending(router: respx.MockRouter, client: Everruns) -> None:
    route = router.route().respond(200, json={})
    with pytest.raises(ValidationError):
        await Resource(client)._request("GET", "/v1/agents/{agent_id}", path={"agent_id": ""})
    assert not route.called


def test_validation_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        encode_segment("agent_id", "")


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("notes.txt", "notes.txt"),
        ("dir/sub/file.md", "dir/sub/file.md"),
        ("/leading/slash.txt", "leading/slash.txt"),
        ("dir/", "dir"),
        ("my dir/a?b#c.txt", "my%20dir/a%3Fb%23c.txt"),
        ("x%2Fy/z", "x%252Fy/z"),
        ("\u00e9t\u00e9/r\u00e9sum\u00e9.pdf", "%C3%A9t%C3%A9/r%C3%A9sum%C3%A9.pdf"),
        (".hidden/...", ".hidden/..."),
    ],
)
def test_file_path_keeps_slashes_between_segments(value: str, encoded: str) -> None:
    assert encode_file_path("path", value) == encoded
    assert build_path(FS_TEMPLATE, {"workspace_id": "wsp_1", "path": value}) == (
        f"/v1/workspaces/wsp_1/fs/{encoded}"
    )


@pytest.mark.parametrize(
    "bad",
    ["", "/", "//", "a/../b", "../etc/passwd", "a/..", "./a", "a/./b", "a//b", ".", ".."],
)
def test_file_path_rejects_dot_and_empty_segments(bad: str) -> None:
    with pytest.raises(ValidationError):
        encode_file_path("path", bad)


def test_file_path_rejects_non_str() -> None:
    with pytest.raises(ValidationError):
        build_path(FS_TEMPLATE, {"workspace_id": "wsp_1", "path": 42})


async def test_file_path_on_the_wire(router: respx.MockRouter, client: Everruns) -> None:
    route = router.route().respond(200, json={})
    await Resource(client)._request(
        "GET", FS_TEMPLATE, path={"workspace_id": "wsp/1", "path": "src/a b/c?.py"}
    )
    assert route.calls.last.request.url.raw_path == (
        b"/api/v1/workspaces/wsp%2F1/fs/src/a%20b/c%3F.py"
    )


@given(st.text(min_size=1).filter(lambda s: s not in (".", "..")))  # refused, see above
def test_any_id_stays_one_segment_and_round_trips(value: str) -> None:
    path = build_path(TEMPLATE, {"session_id": value})
    # what httpx would put on the wire, under a base-path prefix
    raw = httpx.URL("http://testserver/api" + path).raw_path.decode("ascii")
    segments = raw.split("/")
    assert len(segments) == len(("/api" + TEMPLATE).split("/"))
    assert segments[:4] == ["", "api", "v1", "sessions"]
    assert segments[5] == "messages"
    assert unquote(segments[4], errors="strict") == value


@given(
    st.lists(
        st.text(min_size=1).filter(lambda s: "/" not in s and s not in (".", "..")),
        min_size=1,
        max_size=5,
    )
)
def test_any_file_path_keeps_segment_count(parts: list[str]) -> None:
    encoded = encode_file_path("path", "/".join(parts))
    segments = encoded.split("/")
    assert [unquote(s, errors="strict") for s in segments] == parts
