"""Fault injection: HTTP statuses, resets, delays, and SSE cuts, drops, stalls, cycles."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from emulator_helpers import new_session, run_turn, sse_frames

from everruns_sdk.testing import EverrunsEmulator


def test_rate_limit(emu: EverrunsEmulator, client: httpx.Client) -> None:
    rule = emu.faults.rate_limit("/v1/agents", method="GET", retry_after=2)
    response = client.get("/v1/agents")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    assert response.headers["x-request-id"]
    body = response.json()
    assert body["code"] == "rate_limited" and body["retry_after_seconds"] == 2
    assert client.get("/v1/agents").status_code == 200
    assert rule.hits == 1 and rule.exhausted and emu.faults.rules == []


def test_fractional_retry_after(emu: EverrunsEmulator, client: httpx.Client) -> None:
    emu.faults.rate_limit(retry_after=0.25)
    assert client.get("/v1/models").headers["retry-after"] == "0.25"


def test_fault_precedes_auth(emu: EverrunsEmulator) -> None:
    emu.faults.error(503)
    assert httpx.get(emu.url + "/v1/models").status_code == 503


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_as_problem_json(
    emu: EverrunsEmulator, client: httpx.Client, status: int
) -> None:
    emu.faults.error(status, "/v1/sessions", method="POST", times=2)
    assert client.get("/v1/sessions").status_code == 200  # method does not match
    for _ in range(2):
        response = client.post("/v1/sessions", json={})
        assert response.status_code == status
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == status
    assert client.post("/v1/sessions", json={}).status_code == 201


def test_server_error_as_html(emu: EverrunsEmulator, client: httpx.Client) -> None:
    emu.faults.error(502, html=True)
    response = client.get("/v1/models")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text


def test_custom_and_legacy_error_bodies(emu: EverrunsEmulator, client: httpx.Client) -> None:
    emu.faults.error(403, code="forbidden", detail="No access.")
    emu.faults.error(400, code="old_style", detail="Bad.", legacy=True)
    problem = client.get("/v1/models")
    assert problem.status_code == 403
    assert (problem.json()["code"], problem.json()["detail"]) == ("forbidden", "No access.")
    legacy = client.get("/v1/models")
    assert legacy.headers["content-type"] == "application/json"
    assert legacy.json() == {"error": {"code": "old_style", "message": "Bad."}}


def test_connection_reset(emu: EverrunsEmulator, client: httpx.Client) -> None:
    emu.faults.reset_connection("/v1/models/*")
    with pytest.raises(httpx.TransportError):
        client.get("/v1/models/llmsim")
    assert client.get("/v1/models/llmsim").status_code == 200
    record = next(r for r in emu.request_log if r.fault == "reset")
    assert (record.path, record.status) == ("/v1/models/llmsim", None)


def test_delay_then_normal_answer(emu: EverrunsEmulator, client: httpx.Client) -> None:
    rule = emu.faults.delay(0.05, "/v1/models")
    assert client.get("/v1/models").status_code == 200
    assert rule.hits == 1


def test_delay_beyond_client_timeout(emu: EverrunsEmulator, client: httpx.Client) -> None:
    emu.faults.delay(1.0, "/v1/models")
    with pytest.raises(httpx.ReadTimeout):
        client.get("/v1/models", timeout=0.1)


def test_unlimited_rule_and_clear(emu: EverrunsEmulator, client: httpx.Client) -> None:
    emu.faults.error(500, "/v1/sessions/{session_id}", times=None)
    sid = new_session(client)["id"]
    for _ in range(3):
        assert client.get(f"/v1/sessions/{sid}").status_code == 500
    assert client.get(f"/v1/sessions/{sid}/messages").status_code == 200
    emu.faults.clear()
    assert client.get(f"/v1/sessions/{sid}").status_code == 200


def test_faults_set_from_another_thread(emu: EverrunsEmulator, client: httpx.Client) -> None:
    threads = [threading.Thread(target=emu.faults.error, args=(503,)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = [client.get("/v1/models").status_code for _ in range(6)]
    assert statuses == [503] * 5 + [200]


# -- SSE ----------------------------------------------------------------------------


def stream(client: httpx.Client, sid: str, read: float = 5, **params: Any) -> Any:
    return client.stream(
        "GET", f"/v1/sessions/{sid}/sse", params=params, timeout=httpx.Timeout(5, read=read)
    )


@pytest.fixture
def finished_session(emu: EverrunsEmulator, client: httpx.Client) -> str:
    sid = new_session(client)["id"]
    run_turn(emu, client, sid)
    return str(sid)


def test_sse_cut_cleanly(
    emu: EverrunsEmulator, client: httpx.Client, finished_session: str
) -> None:
    emu.faults.sse_cut(after_events=3)
    with stream(client, finished_session) as response:
        frames = list(sse_frames(response))
    assert frames[0].event == "connected"
    assert len(frames) == 4 and all(f.event != "disconnecting" for f in frames)
    with stream(client, finished_session, since_id=frames[-1].id) as response:
        rest = []
        for frame in sse_frames(response):
            rest.append(frame)
            if frame.event == "session.idled":
                break
    assert rest[1].json()["sequence"] == 4


def test_sse_cut_mid_event(
    emu: EverrunsEmulator, client: httpx.Client, finished_session: str
) -> None:
    emu.faults.sse_cut(after_events=2, mid_event=True)
    received = b""
    with stream(client, finished_session) as response, pytest.raises(httpx.TransportError):
        for chunk in response.iter_raw():
            received += chunk
    text = received.decode()
    assert text.count("\n\n") == 3  # connected and two events, then half of the third
    assert '"sequence":3' in text and not text.endswith("\n\n")


def test_sse_drop(emu: EverrunsEmulator, client: httpx.Client, finished_session: str) -> None:
    emu.faults.sse_drop(after_events=1)
    with stream(client, finished_session) as response, pytest.raises(httpx.TransportError):
        for _ in response.iter_raw():
            pass


def test_sse_stall_sends_nothing(
    emu: EverrunsEmulator, client: httpx.Client, finished_session: str
) -> None:
    emu.heartbeat_interval = 0.01
    emu.faults.sse_stall(after_events=1)
    seen = []
    # heartbeats are due every 10 ms, yet nothing arrives: the read times out
    with stream(client, finished_session, read=0.3) as response, pytest.raises(httpx.ReadTimeout):
        for frame in sse_frames(response):
            seen.append(frame)
    assert [f.event for f in seen][:2] == ["connected", "input.message"]
    assert len(seen) == 2 and not any(f.comments for f in seen)


def test_sse_cycle_early(
    emu: EverrunsEmulator, client: httpx.Client, finished_session: str
) -> None:
    emu.faults.sse_cycle(after_events=2, session_id=finished_session)
    with stream(client, finished_session) as response:
        frames = list(sse_frames(response))
    assert [f.event for f in frames][-1] == "disconnecting"
    assert len(frames) == 4
    with stream(client, finished_session, since_id=frames[2].id) as response:
        frame = next(f for f in sse_frames(response) if f.id)
    assert frame.json()["sequence"] == 3


def test_sse_fault_for_another_session_does_not_apply(
    emu: EverrunsEmulator, client: httpx.Client, finished_session: str
) -> None:
    emu.faults.sse_cut(after_events=0, session_id="session_" + "0" * 32)
    with stream(client, finished_session) as response:
        frames = []
        for frame in sse_frames(response):
            frames.append(frame)
            if frame.event == "session.idled":
                break
    assert frames[-1].event == "session.idled"


def test_http_fault_on_sse_reconnect(
    emu: EverrunsEmulator, client: httpx.Client, finished_session: str
) -> None:
    emu.faults.error(503, "/v1/sessions/*/sse")
    with stream(client, finished_session) as response:
        assert response.status_code == 503
