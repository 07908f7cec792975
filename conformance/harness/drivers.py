"""Driver processes: one per language, speaking JSON lines (see conformance/README.md).

The runner writes one request line per scenario to the driver's stdin and reads one
answer line from its stdout. A driver that is missing, crashes or does not answer
within the time limit fails the scenario at hand (and is restarted for the next).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import threading
from typing import Any

from .server import REPO, Server

DRIVERS = REPO / "conformance" / "drivers"
LANGUAGES = ("python", "typescript", "rust")
ANSWER_SECONDS = 30.0
STARTUP_SECONDS = 900.0  # the first answer may wait for a build (the Rust driver's cargo)


class DriverError(RuntimeError):
    """The driver could not be started or did not answer."""


class Driver:
    """One language's driver process (started on first use)."""

    def __init__(self, language: str, server: Server) -> None:
        self.language = language
        self.command = DRIVERS / language / "run"
        self.server = server
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._answered = 0
        self._broken: str | None = None  # set when it dies before its first answer

    @property
    def exists(self) -> bool:
        return self.command.is_file() and os.access(self.command, os.X_OK)

    def _start(self) -> subprocess.Popen[str]:
        if not self.exists:
            raise DriverError(f"no driver: {self.command.relative_to(REPO)} is missing")
        env = dict(os.environ)
        env.update({"EVERRUNS_API_URL": self.server.url, "EVERRUNS_API_KEY": self.server.api_key})
        env.pop("EVERRUNS_ORG_ID", None)
        process = subprocess.Popen(
            [str(self.command)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
            bufsize=1,
        )
        self._lines = queue.Queue()
        stdout = process.stdout
        assert stdout is not None

        def pump(lines: queue.Queue[str | None]) -> None:
            for line in stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, args=(self._lines,), daemon=True).start()
        return process

    def ask(self, request: dict[str, Any], timeout: float = ANSWER_SECONDS) -> dict[str, Any]:
        """Send one request, wait for its answer (``DriverError`` when none comes)."""
        if not self._answered:
            timeout = max(timeout, STARTUP_SECONDS)
        if self._broken is not None:
            raise DriverError(self._broken)
        if self._process is None or self._process.poll() is not None:
            self._process = self._start()
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        except OSError as exc:
            self.stop()
            raise DriverError(f"the driver is gone: {exc}") from None
        while True:
            try:
                line = self._lines.get(timeout=timeout)
            except queue.Empty:
                self.stop()
                raise DriverError(f"no answer within {timeout:g} s") from None
            if line is None:
                code = self._process.poll() if self._process is not None else None
                self.stop()
                if self._answered == 0:  # it cannot start: do not retry it for every row
                    self._broken = f"the driver exited before its first answer (status {code})"
                    raise DriverError(self._broken)
                raise DriverError("the driver exited")
            try:
                answer: dict[str, Any] = json.loads(line)
            except ValueError:
                continue  # not a protocol line (a stray print): ignore it
            if answer.get("id") == request["id"]:
                self._answered += 1
                return answer

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
