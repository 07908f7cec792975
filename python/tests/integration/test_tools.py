"""Client-side tools run by `sessions.run(..., tools=[...])`, against the local server.

Each scenario runs with `Everruns` and `SyncEverruns`. The scripted model calls the
tools; after the results it answers (default model) `Tool results: <name> -> <JSON>`,
so the text shows exactly what the agent received.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import AsyncIterator, Callable
from functools import reduce
from typing import Any, Literal

import pytest

from everruns_sdk import Everruns, SyncEverruns, Tool, tool
from everruns_sdk.testing import EverrunsEmulator, Reply, ScriptedToolCall

WAIT = 10.0  # liveness guard only: a barrier that is never reached fails the test


class Api:
    """The same calls through `Everruns` (awaited) or `SyncEverruns` (in a thread)."""

    def __init__(self, mode: str, emu: EverrunsEmulator) -> None:
        self.mode = mode
        self.emu = emu
        options: dict[str, Any] = {"api_key": emu.api_key, "base_url": emu.url}
        self.client: Everruns | SyncEverruns = (
            Everruns(**options) if mode == "async" else SyncEverruns(**options)
        )

    async def __call__(self, dotted: str, *args: Any, **kwargs: Any) -> Any:
        function: Callable[..., Any] = reduce(getattr, dotted.split("."), self.client)  # type: ignore[arg-type]
        if self.mode == "async":
            return await function(*args, **kwargs)
        return await asyncio.to_thread(function, *args, **kwargs)

    async def session(self, tools: list[Any], *replies: Any) -> str:
        session = await self("sessions.create", tools=tools)
        self.emu.script.add(*replies, session_id=session.id)
        return str(session.id)

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


def results_of(text: str) -> dict[str, Any]:
    """`Tool results: a -> {...}; b -> {...}` as {name: value}."""
    assert text.startswith("Tool results: "), text
    items = re.split(r"; (?=[\w-]+ -> )", text[len("Tool results: ") :])
    pairs = (item.split(" -> ", 1) for item in items)
    return {name: json.loads(value) for name, value in pairs}


def call(name: str, arguments: dict[str, Any], call_id: str | None = None) -> ScriptedToolCall:
    return ScriptedToolCall(name, arguments, id=call_id, client_side=True)


calls_seen: list[tuple[str, str]] = []


@tool
def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict[str, Any]:
    """Current weather in a city.

    Args:
        city: Name of the city.
        unit: Temperature unit.
    """
    calls_seen.append((city, unit))
    if city == "Atlantis":
        raise LookupError("no weather station in Atlantis")
    return {"city": city, "temperature": 21 if unit == "c" else 70, "unit": unit}


@pytest.fixture(autouse=True)
def _fresh_calls() -> None:
    calls_seen.clear()


async def test_a_tool_call_is_answered(api: Api) -> None:
    session_id = await api.session(
        [get_weather], Reply.tool("get_weather", {"city": "Paris", "unit": "f"})
    )
    declared = api.emu.store.session(session_id)
    assert declared is not None
    assert declared["tools"] == [get_weather.definition().to_dict()]
    result = await api("sessions.run", session_id, "Weather in Paris?", tools=[get_weather])
    assert result.status == "completed"
    assert results_of(result.text) == {
        "get_weather": {"city": "Paris", "temperature": 70, "unit": "f"}
    }
    assert calls_seen == [("Paris", "f")]
    types = [e.type for e in result.events]
    assert types.count("tool.call_requested") == 1 and types[-1] == "turn.completed"
    assert api.emu.count("POST", "/v1/sessions/*/tool-results") == 1


def barrier_tools(barrier: threading.Barrier, *, use_async: bool) -> list[Tool[..., Any]]:
    """Two tools that each wait for the other: they succeed only when both run at once."""
    started: list[str] = []

    def meet(name: str) -> dict[str, Any]:
        started.append(name)
        barrier.wait()  # BrokenBarrierError (a tool error) unless both are in flight
        return {"tool": name, "both_started": sorted(started) == ["alpha", "beta"]}

    if use_async:

        async def alpha() -> dict[str, Any]:
            """First."""
            return await asyncio.to_thread(meet, "alpha")

        async def beta() -> dict[str, Any]:
            """Second."""
            return await asyncio.to_thread(meet, "beta")

    else:

        def alpha() -> dict[str, Any]:  # type: ignore[misc]
            """First."""
            return meet("alpha")

        def beta() -> dict[str, Any]:  # type: ignore[misc]
            """Second."""
            return meet("beta")

    return [Tool(alpha), Tool(beta)]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync-functions", "async-functions"])
async def test_tools_of_one_batch_run_concurrently(api: Api, use_async: bool) -> None:
    barrier = threading.Barrier(2, timeout=WAIT)
    tools = barrier_tools(barrier, use_async=use_async)
    batch = Reply.tools(call("alpha", {}), call("beta", {}))
    session_id = await api.session(tools, batch)
    result = await api("sessions.run", session_id, "Both at once", tools=tools)
    assert results_of(result.text) == {
        "alpha": {"tool": "alpha", "both_started": True},
        "beta": {"tool": "beta", "both_started": True},
    }
    assert api.emu.count("POST", "/v1/sessions/*/tool-results") == 1  # one submission


async def test_a_tool_that_raises(api: Api) -> None:
    session_id = await api.session([get_weather], Reply.tool("get_weather", {"city": "Atlantis"}))
    result = await api("sessions.run", session_id, "Weather in Atlantis?", tools=[get_weather])
    assert result.status == "completed"
    assert results_of(result.text) == {
        "get_weather": {"error": "LookupError: no weather station in Atlantis"}
    }


async def test_invalid_arguments_are_an_error_result(api: Api) -> None:
    bad = Reply.tool("get_weather", {"city": 42, "unit": "kelvin"})
    session_id = await api.session([get_weather], bad)
    result = await api("sessions.run", session_id, "Weather?", tools=[get_weather])
    error = results_of(result.text)["get_weather"]["error"]
    assert "invalid arguments" in error
    assert "city: Input should be a valid string" in error
    assert "unit: Input should be 'c' or 'f'" in error
    assert calls_seen == []  # the function never ran
    assert result.status == "completed"


async def test_an_unknown_tool_is_an_error_result(api: Api) -> None:
    session_id = await api.session([get_weather], Reply.tools(call("get_stock_price", {})))
    result = await api("sessions.run", session_id, "Price?", tools=[get_weather])
    error = results_of(result.text)["get_stock_price"]["error"]
    assert "unknown tool 'get_stock_price'" in error and "get_weather" in error
    assert result.status == "completed"


async def test_one_batch_with_every_outcome(api: Api) -> None:
    @tool
    def not_json() -> object:
        """Returns something that is not JSON."""
        return object()

    batch = Reply.tools(
        call("get_weather", {"city": "Rome"}),
        call("get_weather", {"city": "Atlantis"}, "call_atlantis"),
        call("not_json", {}),
        call("missing", {"x": 1}),
    )
    tools = [get_weather, not_json]
    session_id = await api.session(tools, batch)
    result = await api("sessions.run", session_id, "Everything", tools=tools)
    assert result.status == "completed"
    stored = [
        part
        for message in api.emu.store.messages(session_id)
        if message["role"] == "tool_result"
        for part in message["content"]
    ]
    assert len(stored) == 4
    assert stored[0]["result"] == {"city": "Rome", "temperature": 21, "unit": "c"}
    assert stored[1]["tool_call_id"] == "call_atlantis" and "LookupError" in stored[1]["error"]
    assert "not JSON serializable" in stored[2]["error"]
    assert "unknown tool 'missing'" in stored[3]["error"]
    assert api.emu.count("POST", "/v1/sessions/*/tool-results") == 1


async def test_several_rounds_of_tool_calls(api: Api) -> None:
    session_id = await api.session(
        [get_weather],
        Reply.tool("get_weather", {"city": "Oslo"}),
        Reply.tool("get_weather", {"city": "Lima"}),
        "Oslo is colder than Lima.",
    )
    result = await api("sessions.run", session_id, "Compare", tools=[get_weather])
    assert result.text == "Oslo is colder than Lima."
    assert calls_seen == [("Oslo", "c"), ("Lima", "c")]


async def test_plain_functions_are_accepted_as_tools(api: Api) -> None:
    def shout(text: str) -> str:
        """Upper-case a text."""
        return text.upper()

    session_id = await api.session([Tool(shout)], Reply.tool("shout", {"text": "hi"}))
    result = await api("sessions.run", session_id, "Shout", tools=[shout])
    assert results_of(result.text) == {"shout": "HI"}


async def test_stream_turn_with_tools_shows_the_request_then_answers_it() -> None:
    with EverrunsEmulator() as emu:
        async with Everruns(api_key=emu.api_key, base_url=emu.url) as client:
            session = await client.sessions.create(tools=[get_weather])
            emu.script.add(Reply.tool("get_weather", {"city": "Nice"}), session_id=session.id)
            stream = client.sessions.stream_turn(session.id, "Weather?", tools=[get_weather])
            async with stream as turn:
                types = []
                async for event in turn:
                    types.append(event.type)
                    if event.type == "tool.call_requested":
                        assert calls_seen == []  # the caller sees the request first
            assert types[-1] == "turn.completed" and calls_seen == [("Nice", "c")]


def test_without_tools_the_caller_answers(everruns_emulator: EverrunsEmulator) -> None:
    emu = everruns_emulator
    with SyncEverruns(api_key=emu.api_key, base_url=emu.url) as client:
        session = client.sessions.create(tools=[get_weather])
        emu.script.add(Reply.tool("get_weather", {"city": "Bern"}), session_id=session.id)
        with client.sessions.stream_turn(session.id, "Weather?") as turn:
            for event in turn:
                if event.type == "tool.call_requested":
                    request = event.data.tool_calls[0]  # type: ignore[union-attr]
                    answer = client.messages.tool_result(request.id, {"sunny": True})
                    client.messages.submit_tool_results(session.id, [answer])
            result = turn.final()
        assert results_of(result.text) == {"get_weather": {"sunny": True}}
        assert calls_seen == []


async def test_a_turn_cancelled_while_its_tools_run(api: Api) -> None:
    started, release = threading.Event(), threading.Event()

    @tool
    def slow() -> str:
        """Waits until released."""
        started.set()
        release.wait(WAIT)
        return "too late"

    session_id = await api.session([slow], Reply.tool("slow", {}))
    running = asyncio.ensure_future(api("sessions.run", session_id, "Go", tools=[slow]))
    assert await asyncio.to_thread(started.wait, WAIT)
    await api("sessions.cancel", session_id)
    release.set()
    result = await asyncio.wait_for(running, WAIT)
    assert result.status == "cancelled"  # the refused results (409) did not end the run
    assert api.emu.count("POST", "/v1/sessions/*/tool-results", status=409) == 1


def stuck_tool(
    release: threading.Event, *, use_async: bool, timeout: float | None
) -> Tool[..., Any]:
    """A tool that returns only once `release` is set (at the end of the test)."""
    if use_async:

        async def stuck() -> str:
            """Never returns in time."""
            await asyncio.to_thread(release.wait, WAIT)
            return "too late"

    else:

        def stuck() -> str:  # type: ignore[misc]
            """Never returns in time."""
            release.wait(WAIT)
            return "too late"

    return Tool(stuck, timeout=timeout)


@pytest.mark.parametrize("use_async", [False, True], ids=["sync-function", "async-function"])
async def test_a_tool_past_its_timeout_is_an_error_result(api: Api, use_async: bool) -> None:
    release = threading.Event()
    stuck = stuck_tool(release, use_async=use_async, timeout=0.2)
    tools = [stuck, get_weather]
    batch = Reply.tools(call("stuck", {}), call("get_weather", {"city": "Oslo"}))
    session_id = await api.session(tools, batch)
    try:
        result = await api("sessions.run", session_id, "Go", tools=tools)
    finally:
        release.set()  # the abandoned function ends with the test
    assert result.status == "completed"
    assert results_of(result.text) == {
        "stuck": {"error": "tool 'stuck' timed out after 0.2 s"},
        "get_weather": {"city": "Oslo", "temperature": 21, "unit": "c"},  # unaffected
    }
    assert api.emu.count("POST", "/v1/sessions/*/tool-results") == 1


async def test_tool_timeout_of_a_turn_replaces_the_tools_own(api: Api) -> None:
    release = threading.Event()
    stuck = stuck_tool(release, use_async=False, timeout=None)  # no limit of its own
    session_id = await api.session([stuck], Reply.tool("stuck", {}))
    try:
        result = await api("sessions.run", session_id, "Go", tools=[stuck], tool_timeout=0.2)
    finally:
        release.set()
    assert result.status == "completed"
    assert results_of(result.text) == {"stuck": {"error": "tool 'stuck' timed out after 0.2 s"}}


def test_tool_timeout_option() -> None:
    assert get_weather.timeout == 60.0  # the default

    @tool(timeout=1.5)
    def quick() -> None:
        """Quick."""

    assert quick.timeout == 1.5 and Tool(quick.function, timeout=None).timeout is None
    with pytest.raises(ValueError, match="timeout must be > 0"):
        Tool(quick.function, timeout=0)
