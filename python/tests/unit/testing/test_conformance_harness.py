"""The conformance runner's own parts (conformance/harness): what makes a verdict fail.

The suite itself runs in `make conformance`; these check that its comparisons can fail
and that the scenario files are well-formed and cover the 85 operations."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "conformance"))

from harness.match import diff  # noqa: E402
from harness.scenarios import ScenarioError, load_scenarios, substitute  # noqa: E402
from harness.verdict import judge  # noqa: E402


def test_subset_objects_exact_arrays_and_special_forms() -> None:
    assert diff({"a": 1}, {"a": 1.0, "extra": True}) == []
    assert diff({"a": 1}, {"a": 2}) == ["$.a: expected 1, got 2"]
    assert diff([1, 2], [1, 2, 3]) != []
    assert diff({"$exact": {"a": 1}}, {"a": 1, "b": 2}) != []
    assert diff({"$match": "agent_[0-9a-f]{32}"}, "agent_" + "a" * 32) == []
    assert diff({"$match": "agent_[0-9a-f]{32}"}, "agent_" + "a" * 31) != []
    assert diff("$any", None) != [] and diff("$absent", 0) != []
    assert diff({"$contains": [{"id": 2}]}, [{"id": 1}, {"id": 2}]) == []
    assert diff({"$len": 2}, [1]) != []
    assert diff(True, 1) != []  # a boolean is not a number


def test_substitution_keeps_types_and_embeds_text() -> None:
    saved = {"agent": {"id": "agent_1", "n": 3, "tags": ["a"]}}
    assert substitute("${agent.n}", saved) == 3
    assert substitute("/v1/agents/${agent.id}", saved) == "/v1/agents/agent_1"
    assert substitute({"x": ["${agent.tags.0}"]}, saved) == {"x": ["a"]}
    with pytest.raises(ScenarioError):
        substitute("${agent.missing}", saved)


def _answer(status: str, **rest: Any) -> dict[str, Any]:
    return {"id": "s", "status": status, **rest}


def test_a_second_post_fails_the_verdict() -> None:
    expect = {"requests": [{"method": "POST", "status": 500}], "error": {"kind": "server"}}
    log = [{"method": "POST", "path": "/v1/agents", "status": 500, "query_pairs": []}]
    assert judge(expect, _answer("error", error={"kind": "server"}), log).passed
    twice = judge(expect, _answer("error", error={"kind": "server"}), log * 2)
    assert not twice.passed and "expected 1" in twice.problems[0]


def test_body_is_exact_and_query_keeps_the_order_of_repeated_keys() -> None:
    want = {"method": "GET", "query": [["types", "a"], ["types", "b"], ["limit", "1"]]}
    got = {"method": "GET", "query_pairs": [["limit", "1"], ["types", "a"], ["types", "b"]]}
    assert judge({"requests": [want]}, _answer("ok", result=None), [got]).passed
    swapped = {**got, "query_pairs": [["types", "b"], ["types", "a"], ["limit", "1"]]}
    assert not judge({"requests": [want]}, _answer("ok", result=None), [swapped]).passed
    body = {"method": "POST", "body": {"name": "x"}}
    extra = {"method": "POST", "body": {"name": "x", "unexpected": None}}
    assert not judge({"requests": [body]}, _answer("ok", result=None), [extra]).passed


def test_unsupported_and_stream_sequences_fail() -> None:
    unsupported = judge({"result": None}, _answer("unsupported", reason="no method"), None)
    assert not unsupported.passed and "cannot express" in unsupported.problems[0]
    events = {"events": ["e1", "e2"]}
    ok = {"events": [{"id": "e1"}, {"id": "e2"}], "error": None}
    assert judge(events, _answer("ok", result=ok), None).passed
    duplicated = {"events": [{"id": "e1"}, {"id": "e1"}, {"id": "e2"}], "error": None}
    assert not judge(events, _answer("ok", result=duplicated), None).passed
    failed = {**ok, "error": {"kind": "authentication"}}
    assert not judge(events, _answer("ok", result=failed), None).passed


def test_the_scenarios_load_and_cover_every_operation() -> None:
    scenarios = load_scenarios()
    shared = Path(os.environ.get("SHARED") or ROOT.parent / "shared")
    scope = json.loads((shared / "openapi" / "sdk-scope.json").read_text(encoding="utf-8"))
    wanted = {op["operation_id"] for op in scope["operations"]}
    covered = {op for s in scenarios for op in s.operations}
    assert len(wanted) == 85 and wanted <= covered
    assert covered <= wanted


def test_a_sample_id_with_31_hex_digits_is_refused(tmp_path: Path) -> None:
    scenario = {
        "id": "x",
        "call": {"operation": "list_events", "args": {"since_id": "event_" + "0" * 31}},
        "expect": {},
    }
    (tmp_path / "bad.json").write_text(json.dumps({"scenarios": [scenario]}))
    with pytest.raises(ScenarioError, match="32 hex"):
        load_scenarios(tmp_path)
