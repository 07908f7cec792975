"""`everruns events tail`: a session's events, live, reconnecting by itself."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from everruns_sdk.cli._common import SessionArg, client, wants_json
from everruns_sdk.cli._help import Command, Group

app = typer.Typer(cls=Group, help="Events: follow a session live.")

TypesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--types", "-t", help="Only these types (repeat, or comma-separate).", metavar="TYPE"
    ),
]


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@app.command("tail", cls=Command)
def tail(
    ctx: typer.Context,
    session: SessionArg,
    types: TypesOpt = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", "-x", help="Not these types (after --types).", metavar="TYPE"),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Start after this event ID (resume).", metavar="EVENT_ID"),
    ] = None,
    until_turn_end: Annotated[
        bool,
        typer.Option(
            "--until-turn-end", help="Stop when the turn ends (completed, failed or cancelled)."
        ),
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="Stop after N events.")
    ] = None,
    max_retries: Annotated[
        int | None,
        typer.Option(
            "--max-retries", min=0, metavar="N", help="Give up after N failed reconnects in a row."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON event per line (JSON Lines).")
    ] = False,
) -> None:
    """Print a session's events as they happen, from the first one (or after --since).

    Runs until Ctrl-C (or --until-turn-end / --limit), reconnecting after network
    failures without losing or repeating an event. On Ctrl-C it prints the ID to
    resume from with --since.
    """
    from everruns_sdk.cli._output import to_data
    from everruns_sdk.cli._render import TURN_END, tail_line
    from everruns_sdk.cli._style import color_enabled

    wanted = _split(types)
    requested = wanted
    if wanted and until_turn_end:  # the stream must carry the turn's end to stop on it
        requested = sorted(set(wanted) | TURN_END)
    json_out = wants_json(ctx, as_json)
    color = color_enabled(sys.stdout)
    stream = client(ctx).events.stream(
        session, since_id=since, types=requested, exclude=_split(exclude), max_retries=max_retries
    )
    shown = 0
    try:
        with stream:
            for event in stream:
                if wanted is None or event.type in wanted:
                    if json_out:
                        line = json.dumps(to_data(event), ensure_ascii=False, separators=(",", ":"))
                    else:
                        line = tail_line(event, color=color)
                    sys.stdout.write(line + "\n")
                    sys.stdout.flush()
                    shown += 1
                if (until_turn_end and event.type in TURN_END) or (limit and shown >= limit):
                    break
    except KeyboardInterrupt:
        resume = stream.last_event_id
        hint = f"; resume with: --since {resume}" if resume else ""
        print(f"stopped after {shown} events{hint}", file=sys.stderr)
        raise typer.Exit(130) from None
