"""The server-wide objects every route reaches through ``request.app.state``."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

from ._faults import Faults
from ._script import Script
from ._sse import Hub
from ._store import Store
from ._turns import TurnRunner

__all__ = ["RequestRecord", "ServerConfig", "ServerState"]


@dataclass
class ServerConfig:
    """Settings read on every request, so tests may change them while serving."""

    api_keys: set[str]
    heartbeat_interval: float = 30.0
    cycle_interval: float = 300.0


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it (``status`` is None for a reset connection)."""

    method: str
    path: str
    query: str
    status: int | None
    request_id: str
    fault: str | None = None


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

    def __post_init__(self) -> None:
        self.runner = TurnRunner(self.store, self.script)
        self.store.on_event = self.hub.notify

    def record(self, entry: RequestRecord) -> None:
        with self.log_lock:
            self.request_log.append(entry)
