"""Unit tests of the local server's building blocks (no HTTP)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import pytest

from everruns_sdk.testing import Faults, Reply, Script, TurnContext
from everruns_sdk.testing._agentdoc import dump_markdown, parse_agent_document, parse_yaml
from everruns_sdk.testing._clock import now_iso, parse_ts
from everruns_sdk.testing._faults import compile_pattern
from everruns_sdk.testing._fs import FileTree
from everruns_sdk.testing._ids import new_id, uuid_of
from everruns_sdk.testing._images import THUMBNAIL_JPEG, dimensions, sniff_type
from everruns_sdk.testing._problems import ApiError
from everruns_sdk.testing._validation import validate_slug


def test_ids_are_prefixed_hex_and_strictly_increasing() -> None:
    ids = [new_id("event") for _ in range(5000)]
    assert all(re.fullmatch(r"event_[0-9a-f]{32}", i) for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert uuid_of(ids[0])[14] == "7"  # UUID version 7


def test_ids_increase_across_threads() -> None:
    out: list[list[str]] = [[] for _ in range(4)]

    def make(slot: list[str]) -> None:
        slot.extend(new_id("x") for _ in range(1000))

    threads = [threading.Thread(target=make, args=(slot,)) for slot in out]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [i for slot in out for i in slot]
    assert len(set(everything)) == 4000
    assert all(slot == sorted(slot) for slot in out)


def test_timestamps() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", now_iso())
    assert parse_ts("2026-01-02T03:04:05.1Z").microsecond == 100000
    assert parse_ts("2026-01-02T03:04:05+02:00").hour == 3
    with pytest.raises(ValueError):
        parse_ts("nope")


@pytest.mark.parametrize("good", ["a", "a-b", "abc-123-x", "9" * 64])
def test_slugs(good: str) -> None:
    assert validate_slug(good) == good


@pytest.mark.parametrize("bad", ["", "A", "a-", "-a", "a--b", "a_b", "é", "9" * 65, None])
def test_bad_slugs(bad: object) -> None:
    with pytest.raises(ApiError):
        validate_slug(bad)


def test_yaml_subset() -> None:
    doc = parse_yaml(
        "name: x  # comment\n"
        "n: 3\nf: 1.5\nb: true\nnull_value: ~\n"
        "quoted: 'it''s'\n"
        "list:\n  - a\n  - 'b c'\n"
        "flow: [1, two]\n"
        'maps:\n  - ref: r\n    config: {"k": [1]}\n'
        "text: |\n  one\n\n  two\n"
        "folded: >-\n  a\n  b\n"
    )
    assert doc == {
        "name": "x",
        "n": 3,
        "f": 1.5,
        "b": True,
        "null_value": None,
        "quoted": "it's",
        "list": ["a", "b c"],
        "flow": [1, "two"],
        "maps": [{"ref": "r", "config": {"k": [1]}}],
        "text": "one\n\ntwo\n",
        "folded": "a b",
    }


def test_agent_documents_round_trip() -> None:
    agent = {
        "name": "a",
        "display_name": "A: the agent",
        "system_prompt": "Line one.\n\nLine two: with colon.",
        "tags": ["x", "123", "true"],
        "capabilities": [{"ref": "c", "config": {"n": 1}}],
        "max_iterations": 5,
        "parallel_tool_calls": False,
        "mcpServers": {},
    }
    text = dump_markdown(agent, "generic")
    parsed = parse_agent_document(text)
    assert parsed.pop("harness_name") == "generic"
    assert parsed == {k: v for k, v in agent.items() if v != {}}


def test_agent_document_kinds() -> None:
    assert parse_agent_document("Just be nice.") == {"system_prompt": "Just be nice."}
    assert parse_agent_document("Note: be nice.") == {"system_prompt": "Note: be nice."}
    assert parse_agent_document('{"name": "j", "system_prompt": "p"}')["name"] == "j"
    assert parse_agent_document("name: y\nharness: generic\n")["harness_name"] == "generic"
    with pytest.raises(ApiError):
        parse_agent_document("---\nname: [unclosed\n---\nx")
    with pytest.raises(ApiError):
        parse_agent_document("")


def test_file_tree() -> None:
    tree = FileTree()
    tree.create("/a/b/c.txt", content="hello\nworld\n")
    assert [n.path for n in tree.children("/")] == ["/a"]
    assert [n.path for n in tree.children("/", recursive=True)] == ["/a", "/a/b", "/a/b/c.txt"]
    with pytest.raises(ApiError) as info:
        tree.create("/a/b/c.txt", content="again")
    assert info.value.status == 409
    with pytest.raises(ApiError):
        tree.create("/a/b/c.txt/d", content="under a file")
    tree.move("/a", "/z")
    assert tree.get("/z/b/c.txt") is not None and tree.get("/a") is None
    hits = tree.grep("wor", "*.txt")
    assert [(n.path, h) for n, h in hits] == [("/z/b/c.txt", [(2, "world")])]
    assert tree.delete("/z", recursive=True) and tree.nodes == {}
    with pytest.raises(ApiError):
        tree.create("/x", content="!!", encoding="base64")


def test_fault_patterns() -> None:
    assert compile_pattern("*").fullmatch("/v1/anything/at/all")
    pattern = compile_pattern("/v1/sessions/{session_id}/sse")
    assert pattern.fullmatch("/v1/sessions/session_1/sse")
    assert not pattern.fullmatch("/v1/sessions/a/b/sse")
    assert compile_pattern("/api/v1/agents").fullmatch("/v1/agents")
    assert compile_pattern("/v1/**").fullmatch("/v1/a/b/c")
    assert compile_pattern("/v1/agents/agent_*").fullmatch("/v1/agents/agent_1")


def test_fault_rules_are_consumed() -> None:
    faults = Faults()
    slow = faults.delay(0.5, times=2)
    error = faults.error(503, "/v1/agents", method="post")
    first = faults.take_http("POST", "/v1/agents")
    assert (first.delay, first.response) == (0.5, error)
    second = faults.take_http("POST", "/v1/agents")
    assert (second.delay, second.response) == (0.5, None)
    assert slow.exhausted and faults.rules == []
    cut = faults.sse_cut(after_events=2, mid_event=True, session_id="s1")
    assert faults.take_sse("/v1/sessions/s2/sse") is None
    sse = faults.take_sse("/v1/sessions/s1/sse")
    assert sse is not None and (sse.kind, sse.after_events) == ("cut_mid_event", 2)
    assert cut.hits == 1


def test_images() -> None:
    assert sniff_type(THUMBNAIL_JPEG) == "image/jpeg"
    assert dimensions(THUMBNAIL_JPEG) == (8, 8)
    assert THUMBNAIL_JPEG.endswith(b"\xff\xd9")
    assert sniff_type(b"GIF89a\x02\x00\x03\x00") == "image/gif"
    assert dimensions(b"GIF89a\x02\x00\x03\x00") == (2, 3)
    assert sniff_type(b"hello") is None


def _ctx(**overrides: object) -> TurnContext:
    values: dict[str, object] = {
        "session_id": "s",
        "agent_id": None,
        "agent_name": None,
        "turn_id": "t",
        "iteration": 1,
        "input_text": "hi",
        "input_message": {},
        "tool_results": [],
        "messages": [],
    }
    values.update(overrides)
    return TurnContext(**values)  # type: ignore[arg-type]


def test_script_queues_and_default() -> None:
    script = Script()
    assert script.next_reply(_ctx()).text == "Echo: hi"
    script.add("one", Reply(text="two"))
    script.add(lambda ctx: f"{ctx.input_text}!", session_id="s")
    assert script.pending() == 2 and script.pending(session_id="s") == 1
    assert script.next_reply(_ctx()).text == "hi!"
    assert [script.next_reply(_ctx()).text for _ in range(2)] == ["one", "two"]
    results = [{"name": "t", "result": {"a": 1}, "error": None}]
    assert script.next_reply(_ctx(tool_results=results)).text == 'Tool results: t -> {"a": 1}'
    with pytest.raises(ValueError):
        Reply(text="x", chunk_size=0)
    with pytest.raises(ValueError):
        script.add("x", session_id="s", agent="a")


def test_package_and_plugin_import_without_starlette() -> None:
    code = (
        "import sys\n"
        "import everruns_sdk.testing, everruns_sdk.testing.pytest_plugin\n"
        "from everruns_sdk.testing import EverrunsEmulator, Reply\n"
        "assert 'starlette' not in sys.modules and 'uvicorn' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
