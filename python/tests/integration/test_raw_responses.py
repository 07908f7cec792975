"""Raw responses (`with_raw_response`), the response on `ApiError`, the stream's headers,
and errors that pickle and copy, against the local server over real HTTP."""

from __future__ import annotations

import asyncio
import copy
import multiprocessing
import pickle
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor

import pytest
from error_helpers import fetch_missing_agent

import everruns_sdk
from everruns_sdk import (
    ApiError,
    APIResponse,
    Everruns,
    EverrunsError,
    NotFoundError,
    Page,
    StreamRetriesExhaustedError,
    SyncEverruns,
    TurnFailedError,
    TurnTimeoutError,
)
from everruns_sdk.lib.results import TurnResult
from everruns_sdk.streaming._sse import SSEProtocolError
from everruns_sdk.testing import EverrunsEmulator
from everruns_sdk.types import Agent, AgentVersion, Session

MISSING = "agent_" + "0" * 32


@pytest.fixture
async def client(everruns_emulator: EverrunsEmulator) -> AsyncIterator[Everruns]:
    async with Everruns(api_key=everruns_emulator.api_key, base_url=everruns_emulator.url) as c:
        yield c


async def test_raw_get_has_status_headers_request_id_and_the_model(
    client: Everruns, everruns_emulator: EverrunsEmulator
) -> None:
    agent = await client.agents.create("raw-agent", "Be brief.")
    raw = await client.agents.with_raw_response.get(agent.id)
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.request_id == everruns_emulator.request_log[-1].request_id
    assert raw.json()["id"] == agent.id
    parsed = raw.parse()
    assert isinstance(parsed, Agent) and parsed.id == agent.id
    assert raw.parse(Agent) is parsed
    with pytest.raises(TypeError, match="not Session"):
        raw.parse(Session)
    # The response handed out holds no credentials.
    assert raw.http_response.request.headers["authorization"] == "****"
    assert everruns_emulator.api_key not in pickle.dumps(raw.http_response).decode("latin-1")


async def test_raw_on_lists_nested_clients_deletes_and_options(
    client: Everruns, everruns_emulator: EverrunsEmulator
) -> None:
    agent = await client.agents.create("raw-list", "Be brief.")
    raw_page = await client.agents.with_raw_response.list(limit=1)
    assert isinstance(raw_page.parse(), Page) and raw_page.parse()[0].id == agent.id
    assert raw_page.json()["total"] == 1
    await client.agents.versions.create(agent.id, summary="first")
    versions = await client.agents.with_raw_response.versions.list(agent.id)
    assert versions.status_code == 200 and isinstance(versions.parse()[0], AgentVersion)
    deleted = await client.agents.with_raw_response.delete(
        agent.id, extra_headers={"X-Request-Id": "req_raw_delete"}
    )
    assert deleted.status_code == 204 and deleted.parse() is None
    assert deleted.request_id == "req_raw_delete"


async def test_raw_of_something_that_is_not_a_request(client: Everruns) -> None:
    raw = client.agents.with_raw_response
    with pytest.raises(AttributeError):
        raw._request  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError):  # a live stream: its .headers are the raw part
        client.events.with_raw_response.stream  # type: ignore[attr-defined]  # noqa: B018


async def test_raw_of_nested_and_text_results(
    client: Everruns, everruns_emulator: EverrunsEmulator
) -> None:
    session = await client.sessions.create()
    await client.sessions.files.write(session.id, "notes.txt", "hello")
    raw = await client.sessions.with_raw_response.files.read(session.id, "notes.txt")
    assert raw.status_code == 200 and raw.parse() == "hello"
    assert raw.request_id == everruns_emulator.request_log[-1].request_id
    assert raw.__class__ is APIResponse


def test_raw_in_the_blocking_client(everruns_emulator: EverrunsEmulator) -> None:
    with SyncEverruns(api_key=everruns_emulator.api_key, base_url=everruns_emulator.url) as c:
        session = c.sessions.create()
        raw = c.sessions.with_raw_response.get(session.id)
        assert raw.status_code == 200 and raw.parse(Session).id == session.id
        assert raw.request_id == everruns_emulator.request_log[-1].request_id


async def test_api_error_carries_the_response_and_headers(
    client: Everruns, everruns_emulator: EverrunsEmulator
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.agents.get(MISSING)
    error = caught.value
    assert error.response is not None and error.response.status_code == 404
    assert error.headers["x-request-id"] == error.request_id
    assert error.request_id == everruns_emulator.request_log[-1].request_id
    assert error.response.json() == error.body
    assert error.response.request.headers["authorization"] == "****"
    assert ApiError("by hand", status_code=400).headers == {}


async def test_stream_exposes_the_headers_of_its_connection(client: Everruns) -> None:
    session = await client.sessions.create()
    await client.messages.create(session.id, "Hello")
    async with client.events.stream(session.id) as stream:
        assert stream.response_headers is None
        await asyncio.wait_for(stream.__anext__(), 10)
        headers = stream.response_headers
        assert headers is not None
        assert headers["content-type"].startswith("text/event-stream")
        assert headers.get("x-request-id")


def _round_trips(error: BaseException) -> None:
    for twin in (
        pickle.loads(pickle.dumps(error)),
        copy.copy(error),
        copy.deepcopy(error),
    ):
        assert type(twin) is type(error)
        assert str(twin) == str(error) and repr(twin) == repr(error)
        assert twin.__dict__.keys() == error.__dict__.keys()


async def test_every_exception_pickles_and_copies(
    client: Everruns, everruns_emulator: EverrunsEmulator
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.agents.get(MISSING)
    real = caught.value
    twin = pickle.loads(pickle.dumps(real))
    assert (twin.status_code, twin.code, twin.request_id, twin.body) == (
        real.status_code,
        real.code,
        real.request_id,
        real.body,
    )
    assert twin.response is not None and twin.response.headers == real.headers
    assert everruns_emulator.api_key not in pickle.dumps(real).decode("latin-1")
    result = TurnResult(
        status="failed", turn_id="turn_1", message=None, error="boom", error_code="x"
    )
    errors: list[BaseException] = [
        real,
        TurnFailedError(result),
        TurnTimeoutError(1.5, "turn_1", []),
        StreamRetriesExhaustedError("gave up", attempts=3),
        SSEProtocolError("line too long"),
    ]
    for name in everruns_sdk.__all__:
        cls = getattr(everruns_sdk, name)
        if isinstance(cls, type) and issubclass(cls, ApiError):
            errors.append(cls("boom", status_code=418, code="teapot", request_id="req_1"))
        elif isinstance(cls, type) and issubclass(cls, EverrunsError):
            errors.append(cls("boom") if cls not in _SPECIAL else _SPECIAL[cls])
    assert len(errors) > 15
    for error in errors:
        _round_trips(error)


_SPECIAL: dict[type, BaseException] = {
    everruns_sdk.ResponseValidationError: everruns_sdk.ResponseValidationError(
        "bad body", status_code=200, request_id="req_2"
    ),
    StreamRetriesExhaustedError: StreamRetriesExhaustedError("gave up", attempts=2),
    TurnFailedError: TurnFailedError(
        TurnResult(status="failed", turn_id="t", message=None, error="e")
    ),
    TurnTimeoutError: TurnTimeoutError(2.0, None, []),
}


def test_an_error_crosses_a_process_boundary(everruns_emulator: EverrunsEmulator) -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(fetch_missing_agent, everruns_emulator.url, everruns_emulator.api_key)
        with pytest.raises(NotFoundError) as caught:
            future.result(timeout=60)
    assert caught.value.status_code == 404 and caught.value.request_id
    assert caught.value.response is not None and caught.value.response.status_code == 404
