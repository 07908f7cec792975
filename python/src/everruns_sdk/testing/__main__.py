"""``python -m everruns_sdk.testing``: serve the local Everruns API until Ctrl-C or SIGTERM.

It also stops when the process that started it goes away, so a test suite in any
language can start it (``--port 0 --json``), read one JSON line with the URL and key, and
never leave a server behind.

``python -m everruns_sdk.testing run SCRIPT [ARGS...]`` runs a script against a local
server started for it, unless ``EVERRUNS_API_KEY`` is set (see ``_launch.py``).
``python -m everruns_sdk.testing run --example quickstart`` runs the README quick start,
shipped in the package, against a local server on a free port (see ``_examples.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from types import FrameType

from ._emulator import DEFAULT_API_KEY, EverrunsEmulator
from ._store import DEFAULT_ORG_ID

DEFAULT_PORT = 9000


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m everruns_sdk.testing",
        description="Serve an in-memory Everruns API at http://HOST:PORT/api for offline work.",
        epilog="Also: 'run SCRIPT [ARGS...]' runs a Python script against a local server "
        "started for it (or as it is when EVERRUNS_API_KEY is set); 'run --example "
        "quickstart' runs the README quick start against one ('--code' prints it).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free)"
    )
    parser.add_argument(
        "--api-key",
        default=DEFAULT_API_KEY,
        help=f"the token clients must send as 'Authorization' (default {DEFAULT_API_KEY})",
    )
    parser.add_argument(
        "--heartbeat", type=float, default=30.0, help="SSE heartbeat interval, s (default 30)"
    )
    parser.add_argument(
        "--cycle", type=float, default=300.0, help="SSE connection cycle, s (default 300)"
    )
    parser.add_argument("--org-id", default=DEFAULT_ORG_ID, help="the default organization ID")
    parser.add_argument(
        "--record",
        action="store_true",
        help="keep each request's headers (key masked) and body in the request log "
        "(GET /_emulator/requests)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="check every request and response against the spec: a request that breaks "
        "it is a 400 naming the field, a response that breaks it a 500 (and "
        "GET /_emulator/violations lists it)",
    )
    parser.add_argument("--log-level", default="warning", help="uvicorn log level")
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON line {"url", "api_key", "org_id", "port"} once it accepts '
        "connections, and nothing else (for test suites that start it)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["run", "--example"]:
        from ._examples import run_example  # `run --example quickstart`

        return run_example(argv[1:])
    if argv[:1] == ["run"]:  # `run SCRIPT [ARGS...]`: see _launch.py
        from ._launch import run_main

        return run_main(argv[1:])
    args = _parser().parse_args(argv)
    emulator = EverrunsEmulator(
        args.api_key,
        host=args.host,
        port=args.port,
        heartbeat_interval=args.heartbeat,
        cycle_interval=args.cycle,
        org_id=args.org_id,
        log_level=args.log_level,
        record=args.record,
        strict=args.strict,
    )
    try:
        emulator.start()
    except ImportError as exc:
        from ._examples import missing_extra

        print(missing_extra(exc), file=sys.stderr)
        return 1
    except (OSError, RuntimeError) as exc:
        print(f"error: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if args.json:
        ready = {
            "url": emulator.url,
            "api_key": emulator.api_key,
            "org_id": args.org_id,
            "port": emulator.port,
        }
        print(json.dumps(ready), flush=True)
    else:
        print(f"Everruns local server listening at {emulator.url}")
        print(f"export EVERRUNS_API_URL={emulator.url}")
        print(f"export EVERRUNS_API_KEY={emulator.api_key}")
        print("Press Ctrl-C to stop.", flush=True)
    parent = os.getppid()
    # The parent going away re-parents us (getppid changes): stop with it.
    while not stop.wait(0.2) and os.getppid() == parent:
        pass
    emulator.stop()
    if not args.json:
        print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
