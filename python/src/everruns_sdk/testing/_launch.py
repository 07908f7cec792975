"""``python -m everruns_sdk.testing run SCRIPT [ARGS...]``: run a script against Everruns.

With ``EVERRUNS_API_KEY`` set, the script runs as it is (against ``EVERRUNS_API_URL``,
or production). Without it, a local server starts first, ``EVERRUNS_API_URL`` and
``EVERRUNS_API_KEY`` point the script at it, one line on stderr says so, and the server
stops when the script ends. The exit code is the script's. ``make demo`` uses this.
"""

from __future__ import annotations

import os
import subprocess
import sys

__all__ = ["run_main"]

USAGE = "usage: python -m everruns_sdk.testing run SCRIPT [ARGS...]"


def _wait(process: subprocess.Popen[bytes]) -> int:
    """Wait for the script; Ctrl-C reaches it too (same process group), so keep waiting."""
    while True:
        try:
            code = process.wait()
        except KeyboardInterrupt:
            continue
        return 128 - code if code < 0 else code  # killed by signal N: 128 + N


def run_main(argv: list[str]) -> int:
    """Run ``argv[0]`` with Python and the arguments after it; return its exit code."""
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    command = [sys.executable, *argv]
    if os.environ.get("EVERRUNS_API_KEY"):
        return _wait(subprocess.Popen(command))

    return run_on_local_server(
        command, dict(os.environ), "No EVERRUNS_API_KEY: using a local Everruns server at {url}"
    )


def run_on_local_server(command: list[str], env: dict[str, str], banner: str) -> int:
    """Start a local server on a free port, run ``command`` with ``env`` pointed at it
    (``EVERRUNS_API_URL``/``EVERRUNS_API_KEY``) after printing ``banner`` (``{url}`` in it
    is the server's), stop the server; the exit code is the command's."""
    from ._emulator import EverrunsEmulator

    try:
        emulator = EverrunsEmulator(port=0).start()
    except ImportError as exc:
        from ._examples import missing_extra

        print(missing_extra(exc), file=sys.stderr)
        return 1
    except (OSError, RuntimeError) as exc:
        print(f"error: cannot start the local Everruns server: {exc}", file=sys.stderr)
        return 1
    try:
        env = {**env, "EVERRUNS_API_URL": emulator.url, "EVERRUNS_API_KEY": emulator.api_key}
        print(banner.format(url=emulator.url), flush=True)
        return _wait(subprocess.Popen(command, env=env))
    finally:
        emulator.stop()
