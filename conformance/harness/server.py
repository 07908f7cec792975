"""The server the scenarios run against: the local server started with ``--record
--strict`` (driven through its control API; it rejects requests that break the spec),
or, with ``EVERRUNS_API_URL`` set, any server of the spec (then only the scenarios that
need no control API run, and the wire is not seen).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
PYTHON = REPO / "python" / ".venv" / "bin" / "python"

# Short SSE timings so that stream scenarios take milliseconds, not minutes.
HEARTBEAT = 0.1
CYCLE = 30.0


@dataclass
class Server:
    """Where the drivers point their SDK (``url``, ``api_key``) and how to control it."""

    url: str
    api_key: str
    process: subprocess.Popen[str] | None = None

    @property
    def local(self) -> bool:
        return self.process is not None

    @property
    def control_url(self) -> str:
        return self.url.removesuffix("/api") + "/_emulator"

    def __post_init__(self) -> None:
        self.api = httpx.Client(
            base_url=self.url, headers={"Authorization": self.api_key}, timeout=15
        )
        self.control = httpx.Client(base_url=self.control_url, timeout=15)

    def call_control(self, method: str, path: str, body: Any = None) -> Any:
        if not self.local:
            raise RuntimeError("the control API exists only on the local server")
        response = self.control.request(method, path, json=body)
        if response.status_code >= 400:
            raise RuntimeError(f"control {method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def reset(self) -> None:
        if self.local:
            self.call_control("POST", "/reset")

    def requests(self) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = self.call_control("GET", "/requests")["data"]
        return data

    def violations(self) -> list[dict[str, Any]]:
        """Responses of the (strict) local server that broke the spec since the reset."""
        data: list[dict[str, Any]] = self.call_control("GET", "/violations")["data"]
        return data

    def clear_requests(self) -> None:
        self.call_control("DELETE", "/requests")

    def close(self) -> None:
        self.api.close()
        self.control.close()
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


def start_server() -> Server:
    """``EVERRUNS_API_URL``/``EVERRUNS_API_KEY`` when set, else a local server."""
    url = os.environ.get("EVERRUNS_API_URL")
    if url:
        key = os.environ.get("EVERRUNS_API_KEY", "")
        return Server(url.rstrip("/"), key)
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    args = [python, "-m", "everruns_sdk.testing", "--port", "0", "--json", "--record", "--strict"]
    args += ["--heartbeat", str(HEARTBEAT), "--cycle", str(CYCLE)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError("the local server did not start (see its stderr above)")
    ready = json.loads(line)
    return Server(ready["url"], ready["api_key"], process)
