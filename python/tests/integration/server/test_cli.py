"""``python -m everruns_sdk.testing`` as a subprocess."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx
import pytest
from cli_server import start_cli_server

start = start_cli_server


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serves_until_signal(sig: signal.Signals) -> None:
    proc, exports = start("--api-key", "evr_cli_key", "--heartbeat", "5")
    try:
        url = exports["EVERRUNS_API_URL"]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api")
        assert exports["EVERRUNS_API_KEY"] == "evr_cli_key"
        response = httpx.get(url + "/v1/models", headers={"Authorization": "evr_cli_key"})
        assert response.status_code == 200
        assert httpx.get(url + "/v1/models").status_code == 401
    finally:
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "Stopped." in out


def test_default_key() -> None:
    proc, exports = start()
    try:
        assert exports["EVERRUNS_API_KEY"] == "evr_test_key"
        url = exports["EVERRUNS_API_URL"]
        assert httpx.get(url + "/v1/models", headers={"Authorization": "evr_test_key"}).is_success
    finally:
        proc.terminate()
        proc.communicate(timeout=15)
    assert proc.returncode == 0


def test_busy_port_fails_cleanly() -> None:
    proc, exports = start()
    try:
        port = exports["EVERRUNS_API_URL"].rsplit(":", 1)[1].split("/", 1)[0]
        second = subprocess.run(
            [sys.executable, "-m", "everruns_sdk.testing", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 1
        assert "cannot serve" in second.stderr
    finally:
        proc.terminate()
        proc.communicate(timeout=15)
