"""Options and helpers shared by the command groups."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from everruns_sdk._config import ENV_ORG_ID
from everruns_sdk._ids import is_valid_id, slugify
from everruns_sdk.cli._config import CliError, settings
from everruns_sdk.cli._short import parse_short

if TYPE_CHECKING:
    from everruns_sdk._sync._client import SyncEverruns
    from everruns_sdk.types import Agent

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON (one document on stdout) instead of a table.")
]
LimitOpt = Annotated[
    int,
    typer.Option("--limit", min=1, max=100, metavar="N", help="Items per page.", show_default=True),
]
OffsetOpt = Annotated[int, typer.Option("--offset", min=0, metavar="N", help="Items to skip.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every item, fetching page after page.")]
WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide", "-W", help="Every column, IDs in full (by default IDs are shortened to fit)."
    ),
]


def wants_json(ctx: typer.Context, flag: bool) -> bool:
    """`--json` on the command or on `everruns` itself."""
    return flag or settings(ctx).json


def client(ctx: typer.Context) -> SyncEverruns:
    return settings(ctx).client()


def nothing_found(ctx: typer.Context, what: str) -> str:
    """What an empty list prints: it names the organization asked, or says that none
    was (the token's default one), and how to ask another (a quick start that made its
    agent with `org="my-org"` put it there, not in the default one)."""
    org = settings(ctx).org or os.environ.get(ENV_ORG_ID) or None
    if org:
        return f"No {what} in the organization {org}."
    return (
        f"No {what} in the default organization (no --org, no {ENV_ORG_ID}).\n"
        f"The quick start works in my-org: everruns --org my-org {what} list"
    )


def read_text(path: str) -> str:
    """The content of `path` (`-`: standard input), or a one-line error."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def expand_id(api: SyncEverruns, ref: str, kind: str) -> str:
    """`ref`, or, for the short form a table shows (`session_…3f9a1b2c`), the full ID of
    the one session or agent whose ID ends in those digits."""
    short = parse_short(ref)
    if short is None or short[0] != kind:
        return ref
    digits = short[1]
    if kind == "session":
        ids = [s.id for s in api.sessions.list(limit=100)]
    else:
        ids = [a.id for a in api.agents.list(include_archived=True, limit=100)]
    found = [i for i in ids if i.endswith(digits)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise CliError(f"no {kind} has an ID ending in {digits}")
    raise CliError(f"{len(found)} {kind}s have an ID ending in {digits}: give the full ID", code=2)


def session_ref(ctx: typer.Context, value: str | None) -> str | None:
    """A session argument: its ID, or the short form a table shows."""
    return expand_id(client(ctx), value, "session") if value else value


SessionArg = Annotated[
    str,
    typer.Argument(
        help="The session ID (or its short form from a table).",
        metavar="SESSION",
        callback=session_ref,
    ),
]


def find_agent(api: SyncEverruns, ref: str) -> Agent:
    """The agent whose ID or name is `ref` (a name is looked up with a search), or
    whose ID a table's short form stands for."""
    ref = expand_id(api, ref, "agent")
    if is_valid_id(ref, "agent"):
        return api.agents.get(ref)
    wanted = {ref, slugify(ref)}
    for agent in api.agents.list(search=slugify(ref) or ref, limit=100):
        if agent.name in wanted:
            return agent
    raise CliError(f"no agent named {ref!r} (give its name or its agent_... ID)")


def agent_id(api: SyncEverruns, ref: str) -> str:
    """The ID of the agent named or identified by `ref`."""
    ref = expand_id(api, ref, "agent")
    return ref if is_valid_id(ref, "agent") else find_agent(api, ref).id
