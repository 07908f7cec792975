"""The control API (``/_emulator``) over real HTTP: what a test suite in another
language uses to reset the server, script replies, inject faults and read the log."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from emulator_helpers import sse_frames, user_message, wait_for_count

from everruns_sdk.testing import EverrunsEmulator


@pytest.fixture
def remu(everruns_emulator_factory: Callable[..., EverrunsEmulator]) -> EverrunsEmulator:
    """A dedicated server that records headers and bodies."""
    return everruns_emulator_factory(record=True)


@pytest.fixture
def api(remu: EverrunsEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=remu.url, headers=remu.headers, timeout=10) as c:
        yield c


@pytest.fixture
def control(remu: EverrunsEmulator) -> Iterator[httpx.Client]:
    """The control API: the server root, no key."""
    root = remu.url.removesuffix("/api")
    with httpx.Client(base_url=root + "/_emulator", timeout=10) as c:
        yield c


def _problem_field(response: httpx.Response) -> Any:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "invalid_control_input"
    return body["field"]


def test_rate_limit_rule_answers_its_json(api: httpx.Client, control: httpx.Client) -> None:
    created = control.post(
        "/faults/rate_limit", json={"path": "/v1/agents", "method": "GET", "retry_after": 2}
    )
    assert created.status_code == 201
    rule = created.json()
    assert rule["kind"] == "status" and rule["status"] == 429 and rule["retry_after"] == 2
    assert rule["path"] == "/v1/agents" and rule["method"] == "GET" and rule["times"] == 1
    limited = api.get("/v1/agents")
    assert limited.status_code == 429 and limited.headers["retry-after"] == "2"
    assert api.get("/v1/agents").status_code == 200
    assert control.get("/faults").json() == []


@pytest.mark.parametrize(
    ("method", "body", "field"),
    [
        ("rate_limit", {"retry_afterr": 1}, "retry_afterr"),
        ("rate_limit", {"retry_after": "1"}, "retry_after"),
        ("error", {"status": True}, "status"),
        ("delay", {"path": "*"}, "seconds"),
        ("sse_cut", {"after_events": 1.5}, "after_events"),
        ("sse_stall", {"times": "forever"}, "times"),
    ],
)
def test_bad_fault_input_names_the_field(
    control: httpx.Client, method: str, body: dict[str, Any], field: str
) -> None:
    assert _problem_field(control.post(f"/faults/{method}", json=body)) == field
    assert control.get("/faults").json() == []


def test_unknown_fault_method_and_non_object_body(control: httpx.Client) -> None:
    assert control.post("/faults/explode", json={}).status_code == 404
    response = control.post("/faults/error", content=b"[1]")
    assert response.status_code == 400 and response.json()["code"] == "invalid_json"


def test_error_fault_kinds_and_clear(api: httpx.Client, control: httpx.Client) -> None:
    control.post("/faults/error", json={"status": 502, "html": True, "times": None})
    assert api.get("/v1/models").headers["content-type"].startswith("text/html")
    assert api.get("/v1/models").status_code == 502
    assert control.post("/faults/clear").status_code == 204
    assert api.get("/v1/models").status_code == 200
    control.post("/faults/error", json={"status": 500, "legacy": True, "code": "boom"})
    assert api.get("/v1/models").json() == {"error": {"code": "boom", "message": "Injected fault."}}


def test_reset_connection_fault(api: httpx.Client, control: httpx.Client) -> None:
    control.post("/faults/reset_connection", json={"path": "/v1/models"})
    with pytest.raises(httpx.TransportError):
        api.get("/v1/models")
    assert api.get("/v1/models").status_code == 200


def _turn(api: httpx.Client, remu: EverrunsEmulator, text: str) -> list[dict[str, Any]]:
    """Run one turn in a new session; its events."""
    sid = api.post("/v1/sessions", json={}).json()["id"]
    assert api.post(f"/v1/sessions/{sid}/messages", json=user_message(text)).status_code == 201
    wait_for_count(remu, sid, lambda evs: any(e["type"] == "turn.completed" for e in evs))
    return remu.store.events(sid)


def _text(events: list[dict[str, Any]]) -> str:
    return "".join(e["data"]["delta"] for e in events if e["type"] == "output.message.delta")


def test_script_add_text_and_tool_replies(
    remu: EverrunsEmulator, api: httpx.Client, control: httpx.Client
) -> None:
    replies = [
        {"tool_calls": [{"name": "lookup", "arguments": {"q": "x"}, "result": {"hits": 1}}]},
        "Found one.",
    ]
    added = control.post("/script/add", json={"replies": replies})
    assert added.status_code == 201 and added.json() == {"queued": 2, "pending": 2}
    events = _turn(api, remu, "hi")
    assert _text(events) == "Found one."
    (completed,) = [e for e in events if e["type"] == "tool.completed"]
    assert completed["data"]["result"] == [{"type": "text", "text": '{"hits": 1}'}]
    assert _text(_turn(api, remu, "again")) == "Echo: again"  # the script is used up


def test_script_failure_reply(
    remu: EverrunsEmulator, api: httpx.Client, control: httpx.Client
) -> None:
    failure = {"failure": {"error": "no quota", "error_code": "quota"}}
    control.post("/script/add", json={"replies": [failure]})
    sid = api.post("/v1/sessions", json={}).json()["id"]
    api.post(f"/v1/sessions/{sid}/messages", json=user_message("hi"))
    wait_for_count(remu, sid, lambda evs: any(e["type"] == "turn.failed" for e in evs))
    failed = next(e for e in remu.store.events(sid) if e["type"] == "turn.failed")
    assert failed["data"]["error_code"] == "quota"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "replies"),
        ({"replies": "hi"}, "replies"),
        ({"replies": [5]}, "replies[0]"),
        ({"replies": [{"txt": "hi"}]}, "replies[0].txt"),
        ({"replies": [{"tool_calls": [{"arguments": {}}]}]}, "replies[0].tool_calls[0].name"),
        (
            {"replies": [{"tool_calls": [{"name": "t", "client_side": 1}]}]},
            "replies[0].tool_calls[0].client_side",
        ),
        ({"replies": ["a"], "session_id": 3}, "session_id"),
        ({"replies": ["a"], "sessionid": "s"}, "sessionid"),
    ],
)
def test_bad_script_input_names_the_field(
    control: httpx.Client, body: dict[str, Any], field: str
) -> None:
    assert _problem_field(control.post("/script/add", json=body)) == field


def test_request_log_records_headers_and_bodies(api: httpx.Client, control: httpx.Client) -> None:
    api.post("/v1/agents", json={"name": "a", "system_prompt": "p"}, params={"x": ["1", "2"]})
    api.get("/v1/agents", headers={"Authorization": "Bearer wrong"})
    log = control.get("/requests").json()
    assert log["recording"] is True
    first, second = log["data"]
    assert first["method"] == "POST" and first["path"] == "/v1/agents"
    assert first["status"] == 201 and first["query_pairs"] == [["x", "1"], ["x", "2"]]
    assert first["body"] == {"name": "a", "system_prompt": "p"}
    assert first["headers"]["authorization"] == "<api-key>"
    assert first["headers"]["content-type"] == "application/json"
    assert first["request_id"].startswith("req_")
    assert second["status"] == 401 and second["headers"]["authorization"] == "<redacted>"
    assert "evr_test_key" not in json.dumps(log)
    assert control.delete("/requests").status_code == 204
    assert control.get("/requests").json()["data"] == []


def test_a_faulted_post_is_logged_with_its_body(api: httpx.Client, control: httpx.Client) -> None:
    control.post("/faults/error", json={"status": 503, "method": "POST"})
    api.post("/v1/agents", json={"name": "a", "system_prompt": "p"})
    (entry,) = control.get("/requests").json()["data"]
    assert entry["status"] == 503 and entry["fault"] == "status"
    assert entry["body"] == {"name": "a", "system_prompt": "p"}


def test_without_record_the_log_has_no_headers_or_bodies(
    emu: EverrunsEmulator, client: httpx.Client
) -> None:
    client.post("/v1/agents", json={"name": "a", "system_prompt": "p"})
    root = emu.url.removesuffix("/api")
    log = httpx.get(root + "/_emulator/requests").json()
    assert log["recording"] is False
    (entry,) = log["data"]
    assert entry["status"] == 201 and entry["headers"] is None and entry["body"] is None


def test_control_calls_need_no_key_skip_faults_and_are_not_logged(
    api: httpx.Client, control: httpx.Client
) -> None:
    control.post("/faults/error", json={"status": 500, "times": None})
    assert control.get("/config").status_code == 200
    assert control.get("/requests").json()["data"] == []


def test_reset_forgets_everything(
    remu: EverrunsEmulator, api: httpx.Client, control: httpx.Client
) -> None:
    api.post("/v1/agents", json={"name": "a", "system_prompt": "p"})
    control.post("/script/add", json={"replies": ["x"]})
    control.post("/faults/delay", json={"seconds": 5, "path": "/v1/nothing"})
    control.patch("/config", json={"heartbeat_interval": 0.05})
    assert control.post("/reset").status_code == 204
    assert api.get("/v1/agents").json()["data"] == []
    assert control.get("/faults").json() == []
    assert control.get("/config").json()["heartbeat_interval"] == 30.0
    assert remu.script.pending() == 0
    assert [r["path"] for r in control.get("/requests").json()["data"]] == ["/v1/agents"]


def test_config_sets_sse_timings(api: httpx.Client, control: httpx.Client) -> None:
    patched = control.patch("/config", json={"heartbeat_interval": 0.02, "cycle_interval": 0.3})
    assert patched.json()["cycle_interval"] == 0.3
    sid = api.post("/v1/sessions", json={}).json()["id"]
    with api.stream("GET", f"/v1/sessions/{sid}/sse") as response:
        frames = list(sse_frames(response))
    assert frames[0].event == "connected" and frames[-1].event == "disconnecting"
    assert any("heartbeat" in c for f in frames for c in f.comments)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"heartbeat_interval": 0}, "heartbeat_interval"),
        ({"cycle_interval": "1"}, "cycle_interval"),
        ({"idle": 1}, "idle"),
    ],
)
def test_bad_config_names_the_field(
    control: httpx.Client, body: dict[str, Any], field: str
) -> None:
    assert _problem_field(control.patch("/config", json=body)) == field


def test_emit_event_reaches_the_api(api: httpx.Client, control: httpx.Client) -> None:
    sid = api.post("/v1/sessions", json={}).json()["id"]
    emitted = control.post(
        f"/sessions/{sid}/events", json={"type": "custom.thing", "data": {"n": 1}}
    )
    assert emitted.status_code == 201
    event = emitted.json()
    listed = api.get(f"/v1/sessions/{sid}/events").json()["data"]
    assert [e["id"] for e in listed] == [event["id"]]
    assert listed[0]["type"] == "custom.thing" and listed[0]["data"] == {"n": 1}


def test_emit_event_bad_input(api: httpx.Client, control: httpx.Client) -> None:
    missing = control.post("/sessions/session_nope/events", json={"type": "x"})
    assert missing.status_code == 404
    sid = api.post("/v1/sessions", json={}).json()["id"]
    assert _problem_field(control.post(f"/sessions/{sid}/events", json={"data": {}})) == "type"
    bad_data = control.post(f"/sessions/{sid}/events", json={"type": "x", "data": []})
    assert _problem_field(bad_data) == "data"


def test_command_line_server_with_record() -> None:
    """What another language's suite does: start it, read the JSON line, drive it."""
    args = [sys.executable, "-m", "everruns_sdk.testing", "--port", "0", "--json", "--record"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())
        assert set(ready) == {"url", "api_key", "org_id", "port"}
        root = ready["url"].removesuffix("/api")
        httpx.post(root + "/_emulator/faults/rate_limit", json={"retry_after": 1})
        limited = httpx.get(
            ready["url"] + "/v1/models", headers={"Authorization": ready["api_key"]}
        )
        assert limited.status_code == 429
        (entry,) = httpx.get(root + "/_emulator/requests").json()["data"]
        assert entry["status"] == 429 and entry["headers"]["authorization"] == "<api-key>"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_skip_lets_the_first_requests_through(api: httpx.Client, control: httpx.Client) -> None:
    """``skip``: fail a stream's reconnect, not its first connect (the 401-on-reconnect case)."""
    rule = control.post("/faults/error", json={"status": 401, "path": "/v1/models", "skip": 1})
    assert rule.json()["skip"] == 1
    assert api.get("/v1/models").status_code == 200
    assert api.get("/v1/models").status_code == 401
    assert api.get("/v1/models").status_code == 200


def test_request_log_keeps_the_raw_path(api: httpx.Client, control: httpx.Client) -> None:
    api.get("/v1/agents/a%2Fb")
    (entry,) = control.get("/requests").json()["data"]
    assert entry["raw_path"] == "/v1/agents/a%2Fb" and entry["path"] == "/v1/agents/a/b"
