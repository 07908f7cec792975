"""Help that reads naturally with every typer from 0.12 to the newest.

Newer typers (0.2x) print the Python type of each value (`--json <bool>`,
`--search <str>`) and wrap required arguments in braces (`tail {SESSION}`), and they
keep the single line breaks of a docstring. Here a flag shows no value, an option shows
its metavar (or its name in capitals, as argparse does), an argument shows as `SESSION`
or `[SESSION]`, and the paragraphs of a command's help are reflowed. Older typers
already print help this way; the overrides below are then simply not called.
`tests/cli/test_cli_help.py` renders every command's help and fails on any artefact.

Every command and group of `everruns` uses `Command` / `Group` (`cls=` at its
declaration): their parameters become `_Option` / `_Argument` when they are built.
"""

from __future__ import annotations

import inspect
from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

__all__ = ["Command", "Group", "reflow"]


def reflow(text: str | None) -> str | None:
    """`text` with the single line breaks inside each paragraph turned into spaces."""
    if not text:
        return text
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


def _value_word(param: Any) -> str:  # a click Parameter (typer's own or click's)
    return param.metavar or (param.name or "value").upper()


class _Option(TyperOption):
    """An option whose help shows `--search TEXT`, or just `--json` for a flag."""

    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        word = _value_word(self)
        return f"{word}..." if self.nargs != 1 else word


class _Argument(TyperArgument):
    """An argument shown as `SESSION` (required) or `[SESSION]` (optional)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the name column already says SESSION

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        word = _value_word(self)
        if self.nargs != 1:
            word += "..."
        return [word if self.required else f"[{word}]"]


def _naturalize(param: Any) -> Any:
    # Only the display methods differ: the subclasses add no state, so the objects typer
    # built are kept and only told where to look those methods up.
    if type(param) is TyperOption:
        param.__class__ = _Option
    elif type(param) is TyperArgument:
        param.__class__ = _Argument
    return param


class Command(TyperCommand):
    """A typer command whose help reads naturally (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = reflow(self.help)
        self.params = [_naturalize(p) for p in self.params]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        return None if option is None else _naturalize(option)


class Group(TyperGroup):
    """A typer group whose help reads naturally (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = reflow(self.help)
        self.params = [_naturalize(p) for p in self.params]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        return None if option is None else _naturalize(option)
