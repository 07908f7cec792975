"""Whole turns against the local server over real HTTP: `sessions.run`, `stream_turn`.

Each scenario runs with `Everruns` and with `SyncEverruns` (`api` fixture; the sync
client runs in a worker thread). No assert depends on timing: waits only turn a hang
into a failure.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from functools import reduce
from typing import Any

import pytest

from everruns_sdk import (
    Everruns,
    SyncEverruns,
    TurnFailedError,
    TurnResult,
    TurnTimeoutError,
)
from everruns_sdk.testing import EverrunsEmulator, Reply

WAIT = 10.0  # liveness guard only


class Api:
    """The same calls through `Everruns` (awaited) or `SyncEverruns` (in a thread)."""

    def __init__(self, mode: str, emu: EverrunsEmulator) -> None:
        self.mode = mode
        self.emu = emu
        options: dict[str, Any] = {"api_key": emu.api_key, "base_url": emu.url}
        self.client: Everruns | SyncEverruns = (
            Everruns(**options) if mode == "async" else SyncEverruns(**options)
        )

    def method(self, dotted: str) -> Callable[..., Any]:
        return reduce(getattr, dotted.split("."), self.client)  # type: ignore[arg-type]

    async def __call__(self, dotted: str, *args: Any, **kwargs: Any) -> Any:
        function = self.method(dotted)
        if self.mode == "async":
            return await function(*args, **kwargs)
        return await asyncio.to_thread(function, *args, **kwargs)

    async def session(self, **kwargs: Any) -> str:
        session = await self("sessions.create", **kwargs)
        return str(session.id)

    def script(self, session_id: str, *replies: Any) -> None:
        self.emu.script.add(*replies, session_id=session_id)

    async def close(self) -> None:
        if isinstance(self.client, Everruns):
            await self.client.close()
        else:
            self.client.close()


@pytest.fixture(params=["async", "sync"])
async def api(
    request: pytest.FixtureRequest, everruns_emulator: EverrunsEmulator
) -> AsyncIterator[Api]:
    client = Api(request.param, everruns_emulator)
    yield client
    await client.close()


@pytest.fixture
def emu(everruns_emulator: EverrunsEmulator) -> EverrunsEmulator:
    return everruns_emulator


def wait_until(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.005)


def server_turn(emu: EverrunsEmulator, session_id: str, turn_id: str) -> list[dict[str, Any]]:
    """The server's events of one turn, up to the one that ends it."""
    events = [e for e in emu.store.events(session_id) if e["context"].get("turn_id") == turn_id]
    ends = [
        i
        for i, e in enumerate(events)
        if e["type"].startswith("turn.") and e["type"] != "turn.started"
    ]
    return events[: ends[0] + 1] if ends else events


def assert_one_turn(result: TurnResult) -> None:
    assert result.turn_id is not None
    assert {e.context.turn_id for e in result.events} == {result.turn_id}
    assert result.events[0].type == "input.message"
    assert result.events[-1].type == f"turn.{result.status}"


def test_quickstart_in_sync_form(emu: EverrunsEmulator) -> None:
    client = SyncEverruns(api_key=emu.api_key, base_url=emu.url)
    agent = client.agents.create(name="Assistant", system_prompt="You are a helpful assistant.")
    session = client.sessions.create(agent_id=agent.id)
    client.messages.create(session.id, "Hello!")
    seen = []
    for event in client.events.stream(session.id):
        seen.append(event.type)
        if event.type == "turn.completed":
            break
    assert seen[0] == "input.message" and seen[-1] == "turn.completed"
    result = client.sessions.run(session.id, "And once more.")
    assert (result.status, result.text) == ("completed", "Echo: And once more.")
    client.close()


async def test_run_returns_the_final_message(api: Api, emu: EverrunsEmulator) -> None:
    session_id = await api.session()
    result = await api("sessions.run", session_id, "Hello!")
    assert result.status == "completed" and result.ok
    assert result.text == "Echo: Hello!"
    assert result.message is not None and result.message.role == "agent"
    assert result.input_message is not None and result.input_message.role == "user"
    assert result.error is None and result.error_code is None
    assert result.usage is not None and result.usage.output_tokens > 0
    assert_one_turn(result)
    assert [e.id for e in result.events] == [
        e["id"] for e in server_turn(emu, session_id, result.turn_id)
    ]


async def test_failed_turn(api: Api) -> None:
    session_id = await api.session()
    api.script(session_id, Reply.failure("The model is overloaded", error_code="model_overloaded"))
    result = await api("sessions.run", session_id, "Hello!")
    assert (result.status, result.error, result.error_code) == (
        "failed",
        "The model is overloaded",
        "model_overloaded",
    )
    assert result.message is None and result.text == "" and not result.ok
    assert_one_turn(result)
    with pytest.raises(TurnFailedError) as info:
        result.raise_for_status()
    assert info.value.error_code == "model_overloaded"


async def test_raise_on_failure(api: Api) -> None:
    session_id = await api.session()
    api.script(session_id, Reply.failure("boom", error_code="model_error"))
    with pytest.raises(TurnFailedError) as info:
        await api("sessions.run", session_id, "Hello!", raise_on_failure=True)
    error = info.value
    assert (error.error, error.error_code) == ("boom", "model_error")
    assert error.result.status == "failed" and error.turn_id == error.result.turn_id
    assert "boom" in str(error) and "model_error" in str(error)
    # a completed turn does not raise
    result = await api("sessions.run", session_id, "Again", raise_on_failure=True)
    assert result.text == "Echo: Again"


async def test_cancelled_turn(api: Api, emu: EverrunsEmulator) -> None:
    session_id = await api.session()
    api.script(session_id, Reply.hanging())
    running = asyncio.ensure_future(api("sessions.run", session_id, "Wait forever"))
    await asyncio.to_thread(emu.wait_for_event, session_id, "reason.started", timeout=WAIT)
    await api("sessions.cancel", session_id)
    result = await asyncio.wait_for(running, WAIT)
    assert result.status == "cancelled" and result.error is None
    assert_one_turn(result)


async def test_turn_that_ends_before_the_stream_connects(api: Api, emu: EverrunsEmulator) -> None:
    session_id = await api.session()
    await api("sessions.run", session_id, "An earlier turn")
    events = api.client.events
    open_stream = events.stream
    ended_first: list[bool] = []

    def late_stream(session: str, **kwargs: Any) -> Any:
        # Hold the stream back until the server has finished the whole turn.
        wait_until(lambda: _completed_turns(emu, session) == 2, "the second turn never ended")
        ended_first.append(True)
        return open_stream(session, **kwargs)

    events.stream = late_stream  # type: ignore[method-assign]
    result = await api("sessions.run", session_id, "Instant")
    assert ended_first == [True]
    assert result.text == "Echo: Instant"
    expected = server_turn(emu, session_id, result.turn_id)
    assert [e.id for e in result.events] == [e["id"] for e in expected]
    assert [e.type for e in result.events][:2] == ["input.message", "turn.started"]


async def test_second_turn_does_not_see_the_first(api: Api, emu: EverrunsEmulator) -> None:
    session_id = await api.session()
    first = await api("sessions.run", session_id, "First")
    second = await api("sessions.run", session_id, "Second")
    assert (first.text, second.text) == ("Echo: First", "Echo: Second")
    assert first.turn_id != second.turn_id
    assert {e.id for e in first.events}.isdisjoint(e.id for e in second.events)
    assert_one_turn(second)
    assert second.input_message is not None
    assert second.events[0].data.message.id == second.input_message.id  # type: ignore[union-attr]


async def test_a_turn_still_running_is_ignored(api: Api, emu: EverrunsEmulator) -> None:
    """The message of an earlier turn, still streaming when ours is sent: none of its
    events are ours, although they come after our starting point."""
    session_id = await api.session()
    api.script(session_id, Reply(text="a slow and long answer", chunk_size=1, delay=0.005))
    await api("messages.create", session_id, "Earlier")
    await asyncio.to_thread(emu.wait_for_event, session_id, "output.message.delta", timeout=WAIT)
    result = await api("sessions.run", session_id, "Mine")
    assert result.text == "Echo: Mine"
    assert_one_turn(result)
    assert _completed_turns(emu, session_id) == 2


async def test_timeout(api: Api, emu: EverrunsEmulator) -> None:
    session_id = await api.session()
    api.script(session_id, Reply.hanging())
    with pytest.raises(TurnTimeoutError) as info:
        await asyncio.wait_for(api("sessions.run", session_id, "Hang", timeout=0.3), WAIT)
    assert isinstance(info.value, TimeoutError)
    assert info.value.turn_id is not None
    assert [e.type for e in info.value.events][:2] == ["input.message", "turn.started"]
    await api("sessions.cancel", session_id)


async def test_stream_turn_async(emu: EverrunsEmulator) -> None:
    async with Everruns(api_key=emu.api_key, base_url=emu.url) as client:
        session = await client.sessions.create()
        emu.script.add(
            Reply(text="Hello there, streaming world", chunk_size=5), session_id=session.id
        )
        async with client.sessions.stream_turn(session.id, "Hello!") as turn:
            assert turn.message is not None and turn.message.role == "user"
            deltas = [delta async for delta in turn.text_deltas()]
            result = await turn.final()
            assert turn.done
        assert "".join(deltas) == result.text == "Hello there, streaming world"
        assert len(deltas) == 6
        async with client.sessions.stream_turn(session.id, "Events") as turn:
            types = [event.type async for event in turn]
            assert [event.type async for event in turn] == []  # the turn is over
        assert types[0] == "input.message" and types[-1] == "turn.completed"
        assert "session.idled" not in types
        assert (await turn.final()).text == "Echo: Events"


def test_stream_turn_sync(emu: EverrunsEmulator) -> None:
    with SyncEverruns(api_key=emu.api_key, base_url=emu.url) as client:
        session = client.sessions.create()
        emu.script.add(
            Reply(text="Hello there, streaming world", chunk_size=5), session_id=session.id
        )
        with client.sessions.stream_turn(session.id, "Hello!") as turn:
            deltas = list(turn.text_deltas())
            result = turn.final()
        assert "".join(deltas) == result.text == "Hello there, streaming world"
        with client.sessions.stream_turn(session.id, "Events") as turn:
            first = next(iter(turn))
            rest = [event.type for event in turn]
            assert turn.turn_id is not None
        assert first.type == "input.message" and rest[-1] == "turn.completed"
        assert [e.type for e in turn.events] == [first.type, *rest]


def test_leaving_early_closes_the_stream(emu: EverrunsEmulator) -> None:
    with SyncEverruns(api_key=emu.api_key, base_url=emu.url) as client:
        session = client.sessions.create()
        with client.sessions.stream_turn(session.id, "Hello!") as turn:
            for event in turn:
                if event.type == "turn.started":
                    break
        with pytest.raises(RuntimeError, match="closed"):
            turn.final()
        # the session is usable, the turn ended on the server by itself
        assert client.sessions.run(session.id, "Next").text == "Echo: Next"


def _completed_turns(emu: EverrunsEmulator, session_id: str) -> int:
    return sum(e["type"] == "turn.completed" for e in emu.store.events(session_id))
