"""`everruns chat`: talk to an agent in the terminal.

One session for the whole conversation. Each line you type is sent as a message and the
reply streams in as it is written, with the agent's tool calls. Ctrl-C during a reply
cancels that turn (the session stays, and so does the conversation); Ctrl-C or Ctrl-D at
the prompt, or `/exit`, ends the chat.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from everruns_sdk._errors import EverrunsError
from everruns_sdk.cli._common import client, session_ref
from everruns_sdk.cli._output import print_error

if TYPE_CHECKING:
    from everruns_sdk._sync._client import SyncEverruns

PROMPT = "you> "
EXIT_WORDS = frozenset({"/exit", "/quit"})


def _note(text: str) -> None:
    """A line about the chat itself (not the conversation): on stderr."""
    print(text, file=sys.stderr, flush=True)


def _read_line() -> str | None:
    """The next line typed, or None to end the chat (Ctrl-D, Ctrl-C, /exit)."""
    try:
        line = input(PROMPT)
    except (EOFError, KeyboardInterrupt):
        sys.stdout.write("\n")
        return None
    if not sys.stdin.isatty():  # piped input is not echoed: keep the transcript readable
        sys.stdout.write(line + "\n")
    return None if line.strip() in EXIT_WORDS else line


def _turn(api: SyncEverruns, session_id: str, text: str, since: str | None) -> str | None:
    """Send `text`, stream the reply; Ctrl-C cancels the turn. Returns the resume point."""
    from everruns_sdk.cli._follow import pump
    from everruns_sdk.cli._render import TurnPrinter
    from everruns_sdk.cli._style import color_enabled, is_tty

    try:
        message = api.messages.create(session_id, text)
    except KeyboardInterrupt:  # it may have been accepted: cancel whatever started
        _note("(interrupted; cancelling the turn if it started)")
        api.sessions.cancel(session_id)
        return since
    printer = TurnPrinter(message.id, color=color_enabled(sys.stdout), spinner=is_tty(sys.stdout))
    printer.waiting()
    stream = api.events.stream(session_id, since_id=since)
    try:
        try:
            pump(api, session_id, stream, printer)
        except KeyboardInterrupt:
            printer.end_line()
            _note("(cancelling the turn; Ctrl-C again to stop waiting)")
            api.sessions.cancel(session_id)
            pump(api, session_id, stream, printer)  # until turn.cancelled (or its real end)
    except KeyboardInterrupt:
        printer.end_line()
    finally:
        stream.close()
    return stream.last_event_id


def chat(
    ctx: typer.Context,
    agent: Annotated[
        str | None,
        typer.Option("--agent", "-a", help="The agent (name or ID); none: the default harness."),
    ] = None,
    session: Annotated[
        str | None,
        typer.Option(
            "--session", "-s", help="Continue this session instead.", callback=session_ref
        ),
    ] = None,
    title: Annotated[
        str, typer.Option("--title", metavar="TEXT", help="Title of a new session.")
    ] = "Chat",
) -> None:
    """Chat with an agent: type a message, watch the reply stream in.

    Ctrl-C during a reply cancels that turn and keeps the session; Ctrl-C or Ctrl-D at
    the prompt (or /exit) ends the chat.
    """
    from everruns_sdk.cli._common import agent_id
    from everruns_sdk.cli._config import CliError
    from everruns_sdk.cli._follow import last_event_id

    api = client(ctx)
    if session is not None and agent is not None:
        raise CliError("give --agent or --session, not both", code=2)
    if session is not None:
        current = api.sessions.get(session)
    else:
        chosen = agent_id(api, agent) if agent else None
        current = api.sessions.create(agent_id=chosen, title=title)
    since = last_event_id(api, current.id)
    who = f"agent {agent}" if agent else f"agent {current.agent_id}" if current.agent_id else ""
    print(f"Session {current.id}" + (f" with {who}" if who else ""), flush=True)
    _note("Ctrl-C cancels a reply; Ctrl-D or /exit quits.")
    while (line := _read_line()) is not None:
        if not line.strip():
            continue
        try:
            since = _turn(api, current.id, line, since)
        except EverrunsError as exc:  # this message failed; the chat goes on
            print_error(str(exc))
    _note(f"Bye. Continue later with: everruns chat --session {current.id}")
