"""The `everruns` application: global options, command groups, one-line errors."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from everruns_sdk._errors import EverrunsError
from everruns_sdk._version import __version__
from everruns_sdk.cli import _notes, agents, chat, events, messages, serve, sessions
from everruns_sdk.cli._config import ENV_HELP, CliError, Settings, settings
from everruns_sdk.cli._help import Command, Group
from everruns_sdk.cli._output import print_error
from everruns_sdk.cli._style import set_no_color

__all__ = ["app"]


class _Group(Group):
    """Turns SDK and CLI failures into one `error: ...` line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:  # a click Context (typer's own or click's)
        try:
            return super().invoke(ctx)
        except CliError as exc:
            print_error(str(exc))
            raise typer.Exit(exc.code) from None
        except EverrunsError as exc:  # the SDK's messages never contain the key
            print_error(str(exc) or type(exc).__name__)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,
    name="everruns",
    help=f"Work with Everruns agents, sessions and events from the shell. {ENV_HELP}",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals could hold the key
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"everruns {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    api_url: Annotated[
        str | None,
        typer.Option("--api-url", help="Base URL of the API (or EVERRUNS_API_URL).", metavar="URL"),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            help="API key; prefer the EVERRUNS_API_KEY variable (arguments show in `ps`).",
            metavar="KEY",
            show_default=False,
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Organization ID (or EVERRUNS_ORG_ID).", metavar="ORG"),
    ] = None,
    max_retries: Annotated[
        int | None,
        typer.Option(
            "--max-retries", min=0, metavar="N", help="Retries of a failed request (default 3)."
        ),
    ] = None,
    no_color: Annotated[
        bool,
        typer.Option("--no-color", help="No colour (also: NO_COLOR; FORCE_COLOR forces it)."),
    ] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="JSON output for every command (as each --json).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    set_no_color(no_color)
    ctx.call_on_close(_notes.install())
    ctx.obj = Settings(
        api_url=api_url, api_key=api_key, org=org, json=json_output, max_retries=max_retries
    )
    ctx.call_on_close(settings(ctx).close)


app.add_typer(agents.app, name="agents")
app.add_typer(sessions.app, name="sessions")
app.add_typer(messages.app, name="messages")
app.add_typer(events.app, name="events")
app.command("chat", cls=Command)(chat.chat)
app.command("serve-local", cls=Command)(serve.serve_local)
