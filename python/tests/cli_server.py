"""Start `python -m everruns_sdk.testing` as a subprocess and read the URL and key it prints."""

from __future__ import annotations

import subprocess
import sys


def start_cli_server(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """The running server process and its `export NAME=value` lines as a dict."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "everruns_sdk.testing", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    exports: dict[str, str] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("export "):
            name, _, value = line[len("export ") :].strip().partition("=")
            exports[name] = value
        if line.startswith("Press Ctrl-C"):
            break
    return proc, exports
