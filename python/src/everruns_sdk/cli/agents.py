"""`everruns agents ...`: list, show, create, update, archive, export and import agents."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from everruns_sdk.cli._common import (
    AllOpt,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    WideOpt,
    agent_id,
    client,
    find_agent,
    nothing_found,
    read_text,
    wants_json,
)
from everruns_sdk.cli._config import CliError
from everruns_sdk.cli._help import Command, Group
from everruns_sdk.cli._output import console, print_json, print_record, print_table

app = typer.Typer(cls=Group, help="Agents: list, get, create, update, delete, export, import.")

COLUMNS = [("ID", "id"), ("NAME", "name"), ("DISPLAY NAME", "display_name"), ("STATUS", "status")]
WIDE_COLUMNS = [
    *COLUMNS,
    ("DESCRIPTION", "description"),
    ("HARNESS", "harness_id"),
    ("MODEL", "default_model_id"),
    ("TAGS", "tags"),
    ("CREATED", "created_at"),
    ("UPDATED", "updated_at"),
]
FIELDS = [
    "id",
    "name",
    "display_name",
    "description",
    "status",
    "harness_id",
    "default_model_id",
    "tags",
    "created_at",
    "updated_at",
]

AgentArg = Annotated[
    str,
    typer.Argument(help="The agent's name or ID (or its short ID from a table).", metavar="AGENT"),
]
PromptOpt = Annotated[
    str | None, typer.Option("--system-prompt", "-p", help="The system prompt.", metavar="TEXT")
]
PromptFileOpt = Annotated[
    str | None,
    typer.Option(
        "--system-prompt-file",
        "-f",
        help="Read the system prompt from FILE ('-': stdin).",
        metavar="FILE",
    ),
]
DescriptionOpt = Annotated[
    str | None, typer.Option("--description", metavar="TEXT", help="A description.")
]
DisplayOpt = Annotated[
    str | None, typer.Option("--display-name", metavar="TEXT", help="A human name.")
]
ModelOpt = Annotated[
    str | None, typer.Option("--model", help="Default model ID.", metavar="MODEL_ID")
]
HarnessOpt = Annotated[str | None, typer.Option("--harness", help="Harness name.", metavar="NAME")]
TagOpt = Annotated[
    list[str] | None, typer.Option("--tag", help="A tag (repeat for several).", metavar="TAG")
]


def _prompt(text: str | None, file: str | None) -> str | None:
    if text is not None and file is not None:
        raise CliError("give --system-prompt or --system-prompt-file, not both", code=2)
    return read_text(file) if file is not None else text


def _show(ctx: typer.Context, agent: object, as_json: bool) -> None:
    if wants_json(ctx, as_json):
        print_json(agent)
    else:
        print_record(agent, FIELDS, long_text="system_prompt")


@app.command("list", cls=Command)
def list_agents(
    ctx: typer.Context,
    search: Annotated[
        str | None, typer.Option("--search", metavar="TEXT", help="Filter by text.")
    ] = None,
    archived: Annotated[bool, typer.Option("--archived", help="Include archived ones.")] = False,
    limit: LimitOpt = 20,
    offset: OffsetOpt = 0,
    all_pages: AllOpt = False,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """List agents (a page; --all for every one). JSON: an array of agents."""
    page = client(ctx).agents.list(
        search=search, include_archived=archived or None, limit=limit, offset=offset
    )
    items = list(page) if all_pages else page.data
    if wants_json(ctx, as_json):
        print_json(items)
        return
    print_table(
        items, WIDE_COLUMNS if wide else COLUMNS, empty=nothing_found(ctx, "agents"), wide=wide
    )
    if not all_pages and page.has_next_page():
        shown = f"{page.offset + 1}-{page.offset + len(page.data)}"
        console().print(f"({shown} of {page.total}: --offset or --all for more)")


@app.command("get", cls=Command)
def get_agent(ctx: typer.Context, agent: AgentArg, as_json: JsonOpt = False) -> None:
    """Show one agent."""
    _show(ctx, find_agent(client(ctx), agent), as_json)


@app.command("create", cls=Command)
def create_agent(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Unique name (a slug such as 'support-bot').")],
    system_prompt: PromptOpt = None,
    system_prompt_file: PromptFileOpt = None,
    description: DescriptionOpt = None,
    display_name: DisplayOpt = None,
    model: ModelOpt = None,
    harness: HarnessOpt = None,
    tag: TagOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create an agent, or update the one with this name: only the fields given change
    (a display name, description, model or tags set before stay as they were)."""
    prompt = _prompt(system_prompt, system_prompt_file)
    if prompt is None:
        raise CliError("an agent needs a system prompt: --system-prompt or -f FILE", code=2)
    api = client(ctx)
    try:
        existing = find_agent(api, name)
    except CliError:  # no agent has this name yet
        created = api.agents.create(
            name,
            prompt,
            description=description,
            display_name=display_name,
            default_model_id=model,
            harness_name=harness,
            tags=tag or None,
        )
    else:
        # The API's create-by-name replaces the whole agent; an update keeps the rest.
        created = api.agents.update(
            existing.id,
            system_prompt=prompt,
            description=description,
            display_name=display_name,
            default_model_id=model,
            harness_name=harness,
            tags=tag or None,
        )
    _show(ctx, created, as_json)


@app.command("update", cls=Command)
def update_agent(
    ctx: typer.Context,
    agent: AgentArg,
    name: Annotated[str | None, typer.Option("--name", help="A new name (slug).")] = None,
    system_prompt: PromptOpt = None,
    system_prompt_file: PromptFileOpt = None,
    description: DescriptionOpt = None,
    display_name: DisplayOpt = None,
    model: ModelOpt = None,
    harness: HarnessOpt = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Replace the tags (repeat).", metavar="TAG")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change some fields of an agent; the others stay as they are."""
    api = client(ctx)
    updated = api.agents.update(
        agent_id(api, agent),
        name=name,
        system_prompt=_prompt(system_prompt, system_prompt_file),
        description=description,
        display_name=display_name,
        default_model_id=model,
        harness_name=harness,
        tags=tag or None,
    )
    _show(ctx, updated, as_json)


@app.command("delete", cls=Command)
def delete_agent(ctx: typer.Context, agent: AgentArg, as_json: JsonOpt = False) -> None:
    """Archive an agent (its sessions keep working)."""
    api = client(ctx)
    ident = agent_id(api, agent)
    api.agents.delete(ident)
    if wants_json(ctx, as_json):
        print_json({"id": ident, "deleted": True})
    else:
        console().print(f"Deleted agent {ident}.")


@app.command("export", cls=Command)
def export_agent(
    ctx: typer.Context,
    agent: AgentArg,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
) -> None:
    """Print an agent as Markdown with YAML front matter (what `import` reads)."""
    api = client(ctx)
    text = api.agents.export(agent_id(api, agent))
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror or exc}") from None
    print(f"Wrote {output}.", file=sys.stderr)


@app.command("import", cls=Command)
def import_agent(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(help="Markdown, YAML, JSON or a bare prompt ('-': stdin).")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Create an agent from a file written by `export` (or by hand)."""
    text = read_text(file)
    if not text.strip():
        raise CliError(f"{file} is empty", code=2)
    _show(ctx, client(ctx).agents.import_(text), as_json)
