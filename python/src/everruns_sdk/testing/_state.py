"""The server-wide objects every route reaches through ``request.app.state``."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._faults import Faults
from ._script import Script
from ._sse import Hub
from ._store import Store
from ._turns import TurnRunner

if TYPE_CHECKING:
    from ._strict import StrictChecker

__all__ = ["RequestRecord", "ServerConfig", "ServerState"]


@dataclass
class ServerConfig:
    """Settings read on every request, so tests may change them while serving."""

    api_keys: set[str]
    heartbeat_interval: float = 30.0
    cycle_interval: float = 300.0
    record: bool = False  # keep request headers and bodies in the log (costs a copy each)
    strict: bool = False  # check requests and responses against the spec (see _strict.py)
    defaults: tuple[float, float] = field(init=False)

    def __post_init__(self) -> None:
        self.defaults = (self.heartbeat_interval, self.cycle_interval)

    def restore_defaults(self) -> None:
        """The SSE timings the server was started with."""
        self.heartbeat_interval, self.cycle_interval = self.defaults


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it (``status`` is None for a reset connection).

    ``headers`` (names lower-cased, ``authorization`` masked), ``body`` (the bytes
    the server read) and ``raw_path`` are kept only by a server started with
    ``record=True``.
    """

    method: str
    path: str
    query: str
    status: int | None
    request_id: str
    fault: str | None = None
    headers: tuple[tuple[str, str], ...] | None = None
    body: bytes | None = None
    raw_path: str | None = None  # as sent, percent-encoding kept (``record=True``)


@dataclass
class ServerState:
    config: ServerConfig
    store: Store = field(default_factory=Store)
    script: Script = field(default_factory=Script)
    faults: Faults = field(default_factory=Faults)
    hub: Hub = field(default_factory=Hub)
    runner: TurnRunner = field(init=False)
    log_lock: threading.Lock = field(default_factory=threading.Lock)
    request_log: list[RequestRecord] = field(default_factory=list)
    loop: asyncio.AbstractEventLoop | None = None
    strict: StrictChecker | None = None

    def __post_init__(self) -> None:
        self.runner = TurnRunner(self.store, self.script)
        self.store.on_event = self.hub.notify
        if self.config.strict and self.strict is None:
            from ._strict import StrictChecker

            self.strict = StrictChecker()

    def record(self, entry: RequestRecord) -> None:
        with self.log_lock:
            self.request_log.append(entry)

    def clear_log(self) -> None:
        with self.log_lock:
            self.request_log.clear()

    async def reset(self) -> None:
        """Forget every resource, reply, fault and logged request (in the server's loop)."""
        await self.runner.shutdown()
        self.hub.reset()
        self.reset_data()

    def reset_data(self) -> None:
        """The part of `reset` that needs no event loop (a server not running)."""
        self.store.reset()
        self.script.clear()
        self.faults.clear()
        self.clear_log()
        self.config.restore_defaults()
        if self.strict is not None:
            self.strict.clear()
