"""`SyncEverruns` has exactly the public surface of `Everruns`, and works anywhere.

The sync client is generated from the async one (scripts/gen_sync.py); these tests
compare the two recursively: every public attribute of the client and of every
sub-client (nested ones too), the parameter names, kinds and defaults of every method,
and the objects the streaming methods return. Any difference fails with its path.
"""

from __future__ import annotations

import asyncio
import inspect
import types
from functools import cached_property
from typing import Any

import pytest

from everruns_sdk import Everruns, SyncEverruns, tool
from everruns_sdk._pagination import Page
from everruns_sdk._sync._pagination import SyncPage
from everruns_sdk._sync.lib.turns import SyncTurnStream
from everruns_sdk._sync.resources._base import SyncResource
from everruns_sdk._sync.streaming._stream import SyncEventStream
from everruns_sdk.lib.turns import TurnStream
from everruns_sdk.resources._base import Resource
from everruns_sdk.streaming._stream import EventStream
from everruns_sdk.testing import EverrunsEmulator, Reply

# Async-only names and their blocking twins.
TWINS = {
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "aclose": "close",
}
# Attributes that hold data (not methods): compared by presence only.
DATA_DESCRIPTORS = (
    property,
    cached_property,
    types.MemberDescriptorType,
    types.GetSetDescriptorType,
)
# Dunders that are part of the surface (the rest come from `object`).
PUBLIC_DUNDERS = frozenset(TWINS) | frozenset(TWINS.values())


def _public(cls: type) -> set[str]:
    names = {n for n in dir(cls) if not n.startswith("_") or n in PUBLIC_DUNDERS}
    return {TWINS.get(n, n) for n in names}


def _lookup(cls: type, name: str, *, is_async: bool) -> str:
    """The real attribute name on `cls` for a surface name (async twins mapped back)."""
    if is_async:
        for async_name, sync_name in TWINS.items():
            if sync_name == name and hasattr(cls, async_name):
                return async_name
    return name


def _signature(function: Any) -> list[tuple[str, str, str]]:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return []
    return [
        (p.name, p.kind.name, "<none>" if p.default is p.empty else repr(p.default))
        for p in signature.parameters.values()
    ]


def _is_async(function: Any) -> bool:
    return inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)


def compare_classes(async_cls: type, sync_cls: type, path: str) -> list[str]:
    """Differences between the public attributes of two classes (statically)."""
    problems: list[str] = []
    async_names, sync_names = _public(async_cls), _public(sync_cls)
    for name in sorted(async_names ^ sync_names):
        where = "async" if name in async_names else "sync"
        problems.append(f"{path}.{name}: only on the {where} side")
    for name in sorted(async_names & sync_names):
        a = inspect.getattr_static(async_cls, _lookup(async_cls, name, is_async=True))
        s = inspect.getattr_static(sync_cls, name)
        if type(a) is not type(s):
            problems.append(f"{path}.{name}: {type(a).__name__} vs {type(s).__name__}")
            continue
        if isinstance(a, DATA_DESCRIPTORS):
            continue
        a_fn = a.__func__ if isinstance(a, (staticmethod, classmethod)) else a
        s_fn = s.__func__ if isinstance(s, (staticmethod, classmethod)) else s
        if callable(a_fn):
            if _signature(a_fn) != _signature(s_fn):
                problems.append(
                    f"{path}.{name}: signature {_signature(a_fn)} vs {_signature(s_fn)}"
                )
            if _is_async(s_fn):
                problems.append(f"{path}.{name}: the sync method is async")
        elif a != s:
            problems.append(f"{path}.{name}: {a!r} vs {s!r}")
    return problems


def compare_clients(a: object, s: object, path: str, seen: set[int]) -> list[str]:
    """Differences between two client objects, recursing into sub-clients."""
    if id(a) in seen:
        return []
    seen.add(id(a))
    problems = compare_classes(type(a), type(s), path)
    if type(s).__name__ != "Sync" + type(a).__name__:
        problems.append(f"{path}: {type(a).__name__} vs {type(s).__name__}")
    common = _public(type(a)) & _public(type(s))
    for name in sorted(common):
        static = inspect.getattr_static(type(a), name, None)
        if not isinstance(static, (property, cached_property)):
            continue
        a_value, s_value = getattr(a, name), getattr(s, name)
        if isinstance(a_value, Resource) or isinstance(s_value, SyncResource):
            if not (isinstance(a_value, Resource) and isinstance(s_value, SyncResource)):
                problems.append(f"{path}.{name}: a sub-client on one side only")
                continue
            problems += compare_clients(a_value, s_value, f"{path}.{name}", seen)
        elif type(a_value) is not type(s_value) and (
            type(s_value).__name__ != "Sync" + type(a_value).__name__  # a generated twin
        ):
            problems.append(f"{path}.{name}: {type(a_value).__name__} vs {type(s_value).__name__}")
    return problems


@pytest.fixture
def clients() -> tuple[Everruns, SyncEverruns]:
    # Never sends a request: only attribute access and signatures.
    options: dict[str, Any] = {"api_key": "evr_x", "base_url": "http://localhost/api"}
    return Everruns(**options), SyncEverruns(**options)


def test_sync_client_has_the_async_surface(clients: tuple[Everruns, SyncEverruns]) -> None:
    a, s = clients
    assert compare_clients(a, s, "client", set()) == []


def test_every_sub_client_was_compared(clients: tuple[Everruns, SyncEverruns]) -> None:
    a, s = clients
    seen: set[int] = set()
    compare_clients(a, s, "client", seen)
    # the client, its sub-clients and the nested ones (sessions.files, ...)
    assert len(seen) >= 16
    assert a.sessions.files is not None and s.sessions.files is not None


@pytest.mark.parametrize(
    ("async_cls", "sync_cls"),
    [(EventStream, SyncEventStream), (TurnStream, SyncTurnStream), (Page, SyncPage)],
    ids=["EventStream", "TurnStream", "Page"],
)
def test_returned_objects_have_the_same_surface(async_cls: type, sync_cls: type) -> None:
    assert compare_classes(async_cls, sync_cls, async_cls.__name__) == []


def test_streaming_methods_return_their_sync_twins(
    clients: tuple[Everruns, SyncEverruns],
) -> None:
    a, s = clients
    assert isinstance(a.sessions.stream_turn("session_x", "hi"), TurnStream)
    assert isinstance(s.sessions.stream_turn("session_x", "hi"), SyncTurnStream)
    assert isinstance(a.events.stream("session_x"), EventStream)
    assert isinstance(s.events.stream("session_x"), SyncEventStream)


def test_the_comparison_finds_differences() -> None:
    class Async:
        async def run(self, session_id: str, *, timeout: float | None = None) -> None: ...

        async def only_here(self) -> None: ...

    class Sync:
        def run(self, session_id: str, *, timeout: float = 1.0) -> None: ...

    problems = compare_classes(Async, Sync, "x")
    assert any(p.startswith("x.only_here") for p in problems)
    assert any(p.startswith("x.run: signature") for p in problems)


async def _double(x: int) -> int:
    """Twice x (an async tool, run by the sync client)."""
    await asyncio.sleep(0)
    return 2 * x


def test_sync_client_works_inside_a_running_event_loop(
    everruns_emulator: EverrunsEmulator,
) -> None:
    emu = everruns_emulator
    double = tool(_double, name="double")

    async def main() -> tuple[str, str]:
        # Blocking calls from a coroutine: the sync client never touches the loop.
        with SyncEverruns(api_key=emu.api_key, base_url=emu.url) as client:
            session = client.sessions.create(tools=[double])
            emu.script.add(Reply(text="From inside a loop."), session_id=session.id)
            result = client.sessions.run(session.id, "Hello!", raise_on_failure=True)
            with client.sessions.stream_turn(session.id, "Again") as turn:
                deltas = list(turn.text_deltas())
            assert "".join(deltas) == "Echo: Again"
            # an async tool, run from a thread whose loop is busy running main()
            emu.script.add(Reply.tool("double", {"x": 21}), session_id=session.id)
            tooled = client.sessions.run(session.id, "Double", tools=[double])
            return result.text, tooled.text

    assert asyncio.run(main()) == ("From inside a loop.", "Tool results: double -> 42")
