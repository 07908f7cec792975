"""EverrunsEmulator: the local server on a free loopback port, in a background thread."""

from __future__ import annotations

import asyncio
import fnmatch
import socket
import threading
import time
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._faults import Faults, compile_pattern
from ._script import Script
from ._state import RequestRecord, ServerConfig, ServerState
from ._store import DEFAULT_ORG_ID, Store

if TYPE_CHECKING:
    from ._strict import Violation

__all__ = ["DEFAULT_API_KEY", "EverrunsEmulator"]

DEFAULT_API_KEY = "evr_test_key"


class EverrunsEmulator:
    """An in-memory Everruns API served over HTTP on loopback, for tests and offline work.

    Use it as a context manager (sync or async)::

        with EverrunsEmulator() as emu:
            client = Everruns(api_key=emu.api_key, base_url=emu.url)

    Attributes and helpers:

    * ``url`` - ``http://127.0.0.1:<port>/api``; ``api_key`` - the accepted token
      (send it as ``Authorization: <key>``); ``headers`` - that header as a dict.
    * ``script`` (`everruns_sdk.testing.Script`) - what the model answers.
    * ``faults`` (`everruns_sdk.testing.Faults`) - injected failures.
    * ``store`` (`everruns_sdk.testing.Store`) - the state, for assertions
      (``store.session(id)``, ``store.events(id)``, ``store.messages(id)``, ...).
    * ``request_log`` / ``count(method, path)`` - the requests served.
    * ``heartbeat_interval`` / ``cycle_interval`` - SSE timings (seconds), settable
      while serving; they apply to streams opened afterwards.
    * ``reset()`` - forget all state, scripts, faults and logs (fast, keeps serving).
    * ``record=True`` - also keep each request's headers and body in ``request_log``
      (off by default: it costs a copy per request).
    * ``strict=True`` - referee the spec: a request that breaks the spec's request
      schemas (unknown fields included) is a 400 naming the field, a response that
      breaks its response schemas a 500 ``contract_violation``, listed in
      ``contract_violations`` (the pytest fixtures turn it on and fail on those).

    The same objects are reachable over HTTP under ``/_emulator`` (see ``_control.py``),
    for test suites in other languages.
    """

    def __init__(
        self,
        api_key: str = DEFAULT_API_KEY,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        heartbeat_interval: float = 30.0,
        cycle_interval: float = 300.0,
        extra_api_keys: Iterable[str] = (),
        org_id: str = DEFAULT_ORG_ID,
        log_level: str = "warning",
        record: bool = False,
        strict: bool = False,
    ) -> None:
        self.api_key = api_key
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._log_level = log_level
        config = ServerConfig(
            {api_key, *extra_api_keys},
            heartbeat_interval,
            cycle_interval,
            record=record,
            strict=strict,
        )
        self.state = ServerState(config, store=Store(org_id))
        self._server: Any = None
        self._thread: threading.Thread | None = None

    # -- addresses ---------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the emulator is not started")
        return self._port

    @property
    def url(self) -> str:
        """The base URL to give a client: ``http://HOST:PORT/api``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/api"

    @property
    def headers(self) -> dict[str, str]:
        """The authentication header the server expects."""
        return {"Authorization": self.api_key}

    # -- state, scripting, faults -------------------------------------------------------

    @property
    def script(self) -> Script:
        return self.state.script

    @property
    def faults(self) -> Faults:
        return self.state.faults

    @property
    def store(self) -> Store:
        return self.state.store

    @property
    def heartbeat_interval(self) -> float:
        return self.state.config.heartbeat_interval

    @heartbeat_interval.setter
    def heartbeat_interval(self, seconds: float) -> None:
        self.state.config.heartbeat_interval = seconds

    @property
    def cycle_interval(self) -> float:
        return self.state.config.cycle_interval

    @cycle_interval.setter
    def cycle_interval(self, seconds: float) -> None:
        self.state.config.cycle_interval = seconds

    @property
    def request_log(self) -> list[RequestRecord]:
        """A copy of the requests served so far (paths without the ``/api`` prefix)."""
        with self.state.log_lock:
            return list(self.state.request_log)

    def count(self, method: str = "*", path: str = "*", *, status: int | None = None) -> int:
        """How many requests matched ``method`` and ``path`` (a fault-style pattern)."""
        regex = compile_pattern(path)
        return sum(
            1
            for r in self.request_log
            if (method == "*" or r.method == method.upper())
            and regex.fullmatch(r.path)
            and (status is None or r.status == status)
        )

    @property
    def contract_violations(self) -> list[Violation]:
        """Responses of this (strict) server that broke the spec, since the last reset."""
        return list(self.state.strict.violations) if self.state.strict is not None else []

    def clear_request_log(self) -> None:
        self.state.clear_log()

    def emit_event(
        self, session_id: str, type_: str, data: dict[str, Any], **context: Any
    ) -> dict[str, Any]:
        """Append an arbitrary event to a session (e.g. an unknown type) and stream it."""
        return self.store.append_event(session_id, type_, data, context=context)

    def wait_for_status(
        self, session_id: str, *statuses: str, timeout: float = 5.0
    ) -> dict[str, Any]:
        """Block until the session's status is one of ``statuses``; return the session."""
        deadline = time.monotonic() + timeout
        while True:
            session = self.store.session(session_id)
            if session is not None and session["status"] in statuses:
                return session
            if time.monotonic() > deadline:
                got = session["status"] if session else "missing"
                raise TimeoutError(f"session {session_id} is {got}, not {'/'.join(statuses)}")
            time.sleep(0.005)

    def wait_for_event(
        self, session_id: str, type_pattern: str, *, timeout: float = 5.0
    ) -> dict[str, Any]:
        """Block until the session has an event whose type matches (``fnmatch``)."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.store.events(session_id):
                if fnmatch.fnmatchcase(event["type"], type_pattern):
                    return event
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {type_pattern} event in session {session_id}")
            time.sleep(0.005)

    # -- lifecycle ------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> EverrunsEmulator:
        """Start serving; returns once the server accepts connections."""
        if self.running:
            return self
        import uvicorn

        from ._app import build_app

        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so,
        # and without it every response waits ~40 ms on Nagle + delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._requested_port))
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            build_app(self.state),
            log_config=None,
            log_level=self._log_level,
            access_log=False,
            lifespan="on",
            loop="asyncio",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name="everruns-emulator",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                raise RuntimeError("the Everruns emulator failed to start")
            time.sleep(0.002)
        return self

    def stop(self) -> None:
        """Stop serving: open SSE streams end, running turns are cancelled."""
        if self._thread is None:
            return
        self.state.hub.close()
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._thread = None

    def reset(self) -> None:
        """Forget every resource, scripted reply, fault and logged request."""
        loop = self.state.loop
        if self.running and loop is not None and not loop.is_closed():
            asyncio.run_coroutine_threadsafe(self.state.reset(), loop).result(timeout=10)
        else:
            self.state.reset_data()

    def __enter__(self) -> EverrunsEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> EverrunsEmulator:
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)

    def __repr__(self) -> str:
        where = self.url if self._port is not None else "not started"
        return f"EverrunsEmulator({where})"
