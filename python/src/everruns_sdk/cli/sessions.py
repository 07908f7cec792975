"""`everruns sessions ...`: list, show, start, delete sessions and cancel their turns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from everruns_sdk.cli._common import (
    AllOpt,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    SessionArg,
    WideOpt,
    agent_id,
    client,
    nothing_found,
    wants_json,
)
from everruns_sdk.cli._help import Command, Group
from everruns_sdk.cli._output import console, print_json, print_record, print_table

if TYPE_CHECKING:
    from everruns_sdk._sync._client import SyncEverruns

app = typer.Typer(cls=Group, help="Sessions: list, get, create, delete, cancel.")

COLUMNS = [("ID", "id"), ("TITLE", "title"), ("STATUS", "status"), ("AGENT", "agent")]
WIDE_COLUMNS = [
    *COLUMNS,
    ("AGENT ID", "agent_id"),
    ("MODEL", "model_id"),
    ("WORKSPACE", "workspace_id"),
    ("TAGS", "tags"),
    ("CREATED", "created_at"),
]
FIELDS = [
    "id",
    "title",
    "status",
    "agent_id",
    "harness_id",
    "model_id",
    "workspace_id",
    "tags",
    "created_at",
    "updated_at",
]


@app.command("list", cls=Command)
def list_sessions(
    ctx: typer.Context,
    agent: Annotated[
        str | None, typer.Option("--agent", help="Only this agent's (name or ID).")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", metavar="TEXT", help="Filter by text.")
    ] = None,
    limit: LimitOpt = 20,
    offset: OffsetOpt = 0,
    all_pages: AllOpt = False,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """List sessions (a page; --all for every one). JSON: an array of sessions."""
    api = client(ctx)
    page = api.sessions.list(
        agent_id=agent_id(api, agent) if agent else None,
        search=search,
        limit=limit,
        offset=offset,
    )
    items = list(page) if all_pages else page.data
    if wants_json(ctx, as_json):
        print_json(items)
        return
    names = _agent_names(api, {s.agent_id for s in items if s.agent_id})
    rows = [
        {
            **{attr: getattr(s, attr, None) for _, attr in WIDE_COLUMNS},
            "agent": names.get(s.agent_id),
        }
        for s in items
    ]
    print_table(
        rows, WIDE_COLUMNS if wide else COLUMNS, empty=nothing_found(ctx, "sessions"), wide=wide
    )
    if not all_pages and page.has_next_page():
        shown = f"{page.offset + 1}-{page.offset + len(page.data)}"
        console().print(f"({shown} of {page.total}: --offset or --all for more)")


def _agent_names(api: SyncEverruns, ids: set[str]) -> dict[str | None, str]:
    """The names of the agents `ids` (an ID stands for an agent not found)."""
    names: dict[str | None, str] = {}
    if ids:
        for agent in api.agents.list(include_archived=True, limit=100):
            if agent.id in ids:
                names[agent.id] = agent.name
                if len(names) == len(ids):
                    break
    return {**{i: i for i in ids}, **names}


@app.command("get", cls=Command)
def get_session(ctx: typer.Context, session: SessionArg, as_json: JsonOpt = False) -> None:
    """Show one session."""
    found = client(ctx).sessions.get(session)
    if wants_json(ctx, as_json):
        print_json(found)
    else:
        print_record(found, FIELDS)


@app.command("create", cls=Command)
def create_session(
    ctx: typer.Context,
    agent: Annotated[
        str | None, typer.Option("--agent", "-a", help="The agent (name or ID); none: no agent.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="A title.")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Model ID.")] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="A tag (repeat for several).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Start a session, with an agent or without one."""
    api = client(ctx)
    created = api.sessions.create(
        agent_id=agent_id(api, agent) if agent else None,
        title=title,
        model_id=model,
        tags=tag or None,
    )
    if wants_json(ctx, as_json):
        print_json(created)
    else:
        print_record(created, FIELDS)


@app.command("delete", cls=Command)
def delete_session(ctx: typer.Context, session: SessionArg, as_json: JsonOpt = False) -> None:
    """Delete a session and its events."""
    client(ctx).sessions.delete(session)
    if wants_json(ctx, as_json):
        print_json({"id": session, "deleted": True})
    else:
        console().print(f"Deleted session {session}.")


@app.command("cancel", cls=Command)
def cancel_turn(ctx: typer.Context, session: SessionArg, as_json: JsonOpt = False) -> None:
    """Cancel the running turn; the session stays usable (a no-op when idle)."""
    result = client(ctx).sessions.cancel(session)
    if wants_json(ctx, as_json):
        print_json(result)
    else:
        console().print(f"{result.status}: {result.message}")
