"""The EverrunsEmulator runner: context managers, reset, thread safety, helpers."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from emulator_helpers import new_session, run_turn

from everruns_sdk.testing import EverrunsEmulator, Reply


async def test_async_context_manager() -> None:
    async with EverrunsEmulator("evr_async") as emu:
        assert emu.running and emu.url.endswith("/api")
        async with httpx.AsyncClient(base_url=emu.url, headers=emu.headers) as client:
            response = await client.post("/v1/sessions", json={})
            assert response.status_code == 201
    assert not emu.running


def test_sync_context_manager_and_restart() -> None:
    emu = EverrunsEmulator(port=0)
    with pytest.raises(RuntimeError):
        _ = emu.url
    with emu:
        assert httpx.get(emu.url + "/v1/models", headers=emu.headers).status_code == 200
        assert repr(emu) == f"EverrunsEmulator({emu.url})"
    with pytest.raises(httpx.ConnectError):
        httpx.get(emu.url + "/v1/models", headers=emu.headers)


def test_reset_forgets_everything(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    emu.script.add("queued")
    emu.faults.error(500, "/v1/never")
    emu.heartbeat_interval = 1
    emu.reset()
    assert client.get(f"/v1/sessions/{sid}").status_code == 404
    assert emu.script.pending() == 0 and emu.faults.rules == []
    assert emu.heartbeat_interval == 30.0
    assert [r.path for r in emu.request_log] == [f"/v1/sessions/{sid}"]


def test_reset_cancels_running_turns(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    emu.script.add(Reply.hanging(), session_id=sid)
    client.post(
        f"/v1/sessions/{sid}/messages",
        json={"message": {"content": [{"type": "text", "text": "x"}]}},
    )
    emu.wait_for_status(sid, "active")
    emu.reset()
    assert emu.store.session(sid) is None


def test_concurrent_clients(emu: EverrunsEmulator) -> None:
    errors: list[BaseException] = []
    created: list[str] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        try:
            with httpx.Client(base_url=emu.url, headers=emu.headers) as client:
                for i in range(5):
                    body: dict[str, Any] = {"name": f"agent-{n}-{i}", "system_prompt": "x"}
                    agent = client.post("/v1/agents", json=body).json()
                    sid = new_session(client, agent_id=agent["id"])["id"]
                    run_turn(emu, client, sid, f"hi {n} {i}")
                    with lock:
                        created.append(sid)
                    emu.store.sessions()  # reads from this thread while the server writes
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len(set(created)) == 20
    for sid in created:
        assert [m["role"] for m in emu.store.messages(sid)] == ["user", "agent"]


def test_wait_helpers_time_out(emu: EverrunsEmulator, client: httpx.Client) -> None:
    sid = new_session(client)["id"]
    with pytest.raises(TimeoutError):
        emu.wait_for_status(sid, "active", timeout=0.01)
    with pytest.raises(TimeoutError):
        emu.wait_for_event(sid, "turn.*", timeout=0.01)


def test_env_fixture(everruns_env: EverrunsEmulator) -> None:
    import os

    assert os.environ["EVERRUNS_API_URL"] == everruns_env.url
    assert os.environ["EVERRUNS_API_KEY"] == everruns_env.api_key
    assert "EVERRUNS_ORG_ID" not in os.environ
