"""Programs shipped inside the package, run against a local server started for them:
``python -m everruns_sdk.testing run --example quickstart`` needs no clone, no account
and no network. ``QUICKSTART`` is the README's Python quick start, character for
character (``tests/packaging/test_shipped_example.py`` compares them).
"""

from __future__ import annotations

import os
import sys

from ._launch import run_on_local_server

__all__ = ["EXAMPLES", "QUICKSTART", "missing_extra", "run_example"]

QUICKSTART = """\
import asyncio

from everruns_sdk import Everruns


async def main() -> None:
    client = Everruns(org="my-org")  # EVERRUNS_API_KEY from the environment
    agent = await client.agents.create(name="Assistant", system_prompt="You are a helpful assistant.")
    session = await client.sessions.create(agent_id=agent.id)
    await client.messages.create(session.id, "Hello!")
    async for event in client.events.stream(session.id):
        print(event.type)
        if event.type == "turn.completed":
            break
    await client.close()


asyncio.run(main())
"""  # noqa: E501

EXAMPLES = {"quickstart": QUICKSTART}

NEEDS_EXTRA = 'the local server needs the testing extra: pip install "everruns-sdk[testing]"'
USAGE = "usage: python -m everruns_sdk.testing run --example NAME [--code]"
AFTER = """\
Done: that was the README quick start, against a local server (no account, no network).
Its code: python -m everruns_sdk.testing run --example {name} --code
To keep a server running: python -m everruns_sdk.testing --port 9000 (it prints what to
export); the quick start works in the organization my-org: everruns --org my-org agents list"""


def missing_extra(exc: ImportError) -> str:
    """The error line for a server that cannot start: the testing extra is missing."""
    package = (exc.name or "a package").split(".")[0]
    return f"error: {NEEDS_EXTRA} ({package} is missing)"


def run_example(argv: list[str]) -> int:
    """``--example NAME [--code]``: run the example against a local server started on a
    free port (whatever ``EVERRUNS_*`` says), or print its code; the exit code is the
    program's."""
    args = list(argv)
    show_code = "--code" in args
    args = [a for a in args if a != "--code"]
    if len(args) != 2 or args[0] != "--example" or args[1] not in EXAMPLES:
        known = ", ".join(sorted(EXAMPLES))
        given = f"unknown example {args[1]!r}; " if len(args) == 2 else ""
        print(f"{USAGE}\nerror: {given}examples: {known}", file=sys.stderr)
        return 2
    name = args[1]
    code = EXAMPLES[name]
    if show_code:
        sys.stdout.write(code)
        return 0

    env = {k: v for k, v in os.environ.items() if not k.startswith("EVERRUNS_")}
    banner = f"Local Everruns server at {{url}}; running the {name} example:"
    status = run_on_local_server([sys.executable, "-c", code], env, banner)
    if status == 0:
        print(AFTER.format(name=name), flush=True)
    return status
