"""The `everruns` command: agents, sessions, messages, live events and an interactive chat.

Needs the `cli` extra (`pip install "everruns-sdk[cli]"`: typer and rich). Importing
`everruns_sdk` never imports this package; `main()` loads the command on first use.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    """Entry point of the `everruns` console script."""
    try:
        from everruns_sdk.cli._app import app
    except ImportError as exc:  # typer or rich missing
        print(
            f"error: the everruns command needs the cli extra ({exc.name} is missing): "
            'pip install "everruns-sdk[cli]"',
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    app(prog_name="everruns")
