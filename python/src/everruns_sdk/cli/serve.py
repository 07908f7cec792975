"""`everruns serve-local`: the local Everruns server (as `python -m everruns_sdk.testing`)."""

from __future__ import annotations

from typing import Annotated

import typer

from everruns_sdk.cli._config import CliError


def serve_local(
    port: Annotated[int, typer.Option("--port", help="Port (0: any free one).")] = 9000,
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    api_key: Annotated[
        str, typer.Option("--api-key", help="The key clients must send.")
    ] = "evr_test_key",
) -> None:
    """Serve an in-memory Everruns API for offline work, until Ctrl-C.

    It prints the URL and the two `export` lines that point the SDK and this command at
    it. Scripted replies and fault injection: see everruns_sdk.testing.
    """
    try:
        from everruns_sdk.testing.__main__ import main
    except ImportError as exc:
        raise CliError(
            f"serve-local needs the testing extra ({exc.name} is missing): "
            'pip install "everruns-sdk[testing]"'
        ) from None
    code = main(["--host", host, "--port", str(port), "--api-key", api_key])
    if code:
        raise typer.Exit(code)
