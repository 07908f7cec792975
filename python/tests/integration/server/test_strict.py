"""Strict mode: requests checked against the spec's request schemas (400 naming the
field), responses against its response schemas (a violation is a 500 and is listed)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from everruns_sdk.testing import EverrunsEmulator

AGENT = {"name": "helper", "system_prompt": "Be helpful."}
TOOL = {"type": "client_side", "name": "t", "description": "A tool.", "parameters": {}}


def _error(response: httpx.Response) -> tuple[str, list[dict[str, Any]]]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "validation_error"
    return body["detail"], body["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**AGENT, "nmae": "x"}, "nmae"),
        ({**AGENT, "tools": [{**TOOL, "descriptoin": "typo"}]}, "tools[0].descriptoin"),
        ({**AGENT, "max_iterations": "5"}, "max_iterations"),
        ({**AGENT, "tags": ["a", 3]}, "tags[1]"),
        ({"name": "helper"}, "system_prompt"),
    ],
)
def test_bad_request_bodies_name_the_field(
    client: httpx.Client, body: dict[str, Any], field: str
) -> None:
    detail, errors = _error(client.post("/v1/agents", json=body))
    assert detail.startswith(f"{field}: ")
    assert field in [e["field"] for e in errors]
    assert client.get("/v1/agents").json()["total"] == 0  # nothing was created


def test_bad_enum_value(client: httpx.Client) -> None:
    session = client.post("/v1/sessions", json={}).json()
    detail, _ = _error(
        client.post(
            f"/v1/sessions/{session['id']}/messages",
            json={"message": {"role": "robot", "content": [{"type": "text", "text": "x"}]}},
        )
    )
    assert detail.startswith("message.role: ")


def test_query_pattern_and_type_violations(client: httpx.Client) -> None:
    sid = client.post("/v1/sessions", json={}).json()["id"]
    # The spec's own example has 31 hex digits: a validating server rejects it.
    short = "event_01933b5a00007000800000000000001"
    detail, _ = _error(client.get(f"/v1/sessions/{sid}/events", params={"since_id": short}))
    assert detail.startswith("since_id: ")
    detail, _ = _error(client.get(f"/v1/sessions/{sid}/events", params={"limit": "many"}))
    assert detail.startswith("limit: ")
    detail, _ = _error(client.get("/v1/models", params={"source": "bogus"}))
    assert detail.startswith("source: ")
    good = "event_" + "0" * 31 + "1"
    assert client.get(f"/v1/sessions/{sid}/events", params={"since_id": good}).status_code == 200


def test_free_form_objects_stay_open(client: httpx.Client) -> None:
    """Tool parameters are a JSON Schema of the caller's: any keys are fine there."""
    tool = {**TOOL, "parameters": {"type": "object", "x-anything": {"deep": True}}}
    assert client.post("/v1/agents", json={**AGENT, "tools": [tool]}).status_code == 201


@pytest.fixture
def strict(
    everruns_emulator_factory: Callable[..., EverrunsEmulator],
) -> Iterator[EverrunsEmulator]:
    emu = everruns_emulator_factory(strict=True)
    yield emu
    assert emu.state.strict is not None
    emu.state.strict.clear()  # the violations below are on purpose


def test_an_off_spec_response_is_a_500_and_listed(strict: EverrunsEmulator) -> None:
    with httpx.Client(base_url=strict.url, headers=strict.headers) as client:
        agent = client.post("/v1/agents", json=AGENT).json()
        strict.store.org(None).agents[agent["id"]]["tags"] = "not-a-list"  # break the server
        response = client.get(f"/v1/agents/{agent['id']}")
    assert response.status_code == 500
    assert response.json()["code"] == "contract_violation"
    (violation,) = strict.contract_violations
    assert (violation.operation, violation.status) == ("get_agent", 200)
    assert any("tags" in p for p in violation.problems)
    root = strict.url.removesuffix("/api")
    listed = httpx.get(root + "/_emulator/violations").json()
    assert listed["strict"] is True and listed["data"][0]["operation"] == "get_agent"


def test_not_strict_lets_both_through(
    everruns_emulator_factory: Callable[..., EverrunsEmulator],
) -> None:
    emu = everruns_emulator_factory(strict=False)
    with httpx.Client(base_url=emu.url, headers=emu.headers) as client:
        assert client.post("/v1/agents", json={**AGENT, "nmae": "x"}).status_code == 201
    assert emu.contract_violations == []


def test_an_off_spec_stream_event_is_listed(strict: EverrunsEmulator) -> None:
    with httpx.Client(base_url=strict.url, headers=strict.headers) as client:
        sid = client.post("/v1/sessions", json={}).json()["id"]
        strict.emit_event(sid, "turn.completed", {"iterations": "three"})  # break it
        strict.cycle_interval = 0.2
        with client.stream("GET", f"/v1/sessions/{sid}/sse") as response:
            assert b"turn.completed" in response.read()
    (violation,) = strict.contract_violations
    assert violation.operation == "stream_sse"
    assert any("iterations" in p for p in violation.problems)
