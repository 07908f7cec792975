"""`everruns messages ...`: send a message (optionally waiting for the reply), list them."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from everruns_sdk.cli._common import JsonOpt, SessionArg, WideOpt, client, wants_json
from everruns_sdk.cli._config import CliError
from everruns_sdk.cli._help import Command, Group
from everruns_sdk.cli._output import console, print_json, print_table

app = typer.Typer(cls=Group, help="Messages: send one (starting a turn), list them.")


@app.command("send", cls=Command)
def send(
    ctx: typer.Context,
    session: SessionArg,
    text: Annotated[str, typer.Argument(help="The message ('-': read it from stdin).")],
    wait: Annotated[
        bool, typer.Option("--wait", "-w", help="Stream the reply and return when the turn ends.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Send a user message; it starts a turn.

    JSON: the message; with --wait, {"message", "reply", "outcome", "error"}. With --wait
    the exit code is 1 when the turn fails or is cancelled.
    """
    from everruns_sdk.cli._common import read_text

    api = client(ctx)
    body = read_text("-") if text == "-" else text
    if not body.strip():
        raise CliError("the message is empty", code=2)
    json_out = wants_json(ctx, as_json)
    if not wait:
        message = api.messages.create(session, body)
        if json_out:
            print_json(message)
        else:
            console().print(f"Sent {message.id}. Follow the turn: everruns events tail {session}")
        return

    from everruns_sdk.cli._follow import last_event_id, pump
    from everruns_sdk.cli._render import TurnPrinter
    from everruns_sdk.cli._style import color_enabled, is_tty

    since = last_event_id(api, session)
    message = api.messages.create(session, body)
    printer = TurnPrinter(
        message.id, quiet=json_out, color=color_enabled(sys.stdout), spinner=is_tty(sys.stdout)
    )
    printer.waiting()
    with api.events.stream(session, since_id=since) as stream:
        pump(api, session, stream, printer)
    if json_out:
        print_json(
            {
                "message": message,
                "reply": printer.reply,
                "outcome": printer.outcome,
                "error": printer.error,
            }
        )
    if printer.outcome != "turn.completed":
        raise CliError(f"the turn ended with {printer.outcome}: {printer.error or 'no reply'}")


@app.command("list", cls=Command)
def list_messages(
    ctx: typer.Context, session: SessionArg, wide: WideOpt = False, as_json: JsonOpt = False
) -> None:
    """The messages of a session, oldest first. JSON: an array of messages."""
    from everruns_sdk.cli._render import message_text

    messages = client(ctx).messages.list(session)
    if wants_json(ctx, as_json):
        print_json(messages.data)
        return
    rows = [
        {"id": m.id, "role": m.role, "created_at": m.created_at, "text": message_text(m)}
        for m in messages
    ]
    columns = [("ID", "id"), ("ROLE", "role"), ("TEXT", "text")]
    if wide:
        columns.insert(2, ("CREATED", "created_at"))
    print_table(rows, columns, empty="No messages.", wide=wide)
