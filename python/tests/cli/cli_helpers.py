"""Assertions shared by the CLI tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from typing import Any

import pytest
from typer.testing import Result


def ok(result: Result) -> Result:
    """Assert the command succeeded (showing its output otherwise)."""
    assert result.exit_code == 0, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    return result


def parse(result: Result) -> Any:
    """The one JSON document a `--json` command printed on stdout."""
    ok(result)
    return json.loads(result.stdout)


def one_error_line(result: Result) -> str:
    """A failure: non-zero exit, nothing on stdout, exactly one `error: ...` line."""
    assert result.exit_code != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


def on_terminal(
    args: list[str],
    env: dict[str, str],
    *,
    stdin: bytes | None = None,
    size: tuple[int, int] | None = None,
    timeout: float = 60,
) -> tuple[int, bytes]:
    """Run the installed `everruns` command with stdout a pseudo-terminal (POSIX only: the
    tests that call this skip on Windows, and the imports wait until here so that this
    module still imports there). `size` is (rows, columns). Returns the exit code and
    everything written to the terminal."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    command = shutil.which("everruns", path=os.path.dirname(sys.executable))
    if command is None:
        pytest.skip("the everruns console script is not installed in this environment")
    master, slave = pty.openpty()
    if size is not None:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *size, 0, 0))
    proc = subprocess.Popen(
        [command, *args],
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    seen = b""
    try:
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not select.select([master], [], [], 0.5)[0]:
                continue
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the process ended and everything was read
                break
            if not chunk:
                break
            seen += chunk
        returncode = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return returncode, seen
