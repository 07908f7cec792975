"""Output: rich tables for people, `--json` for scripts (one JSON document on stdout)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from everruns_sdk.cli._short import is_long_id, short_ids
from everruns_sdk.cli._style import color_enabled, is_tty, paint, status_style

__all__ = [
    "Column",
    "console",
    "err_console",
    "print_error",
    "print_json",
    "print_record",
    "print_table",
    "to_data",
]

Column = tuple[str, str]  # (heading, attribute)
PIPE_WIDTH = 200  # columns of piped output


def _width() -> int | None:
    """`COLUMNS` when set; else the terminal's width; piped output is not cut to 80
    columns (a table keeps its natural width)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if is_tty(sys.stdout) else PIPE_WIDTH


def console() -> Console:
    """A console on the current stdout (looked up at each call: tests swap it), coloured
    as `color_enabled` says: no escape code at all when colour is off."""
    color = color_enabled(sys.stdout)
    return Console(
        file=sys.stdout,
        highlight=False,
        soft_wrap=False,
        width=_width(),
        force_terminal=True if color else None,
        color_system=("auto" if is_tty(sys.stdout) else "standard") if color else None,
    )


def err_console() -> Console:
    color = color_enabled(sys.stderr)
    return Console(
        file=sys.stderr,
        highlight=False,
        force_terminal=True if color else None,
        color_system=("auto" if is_tty(sys.stderr) else "standard") if color else None,
    )


def to_data(value: Any) -> Any:
    """Plain JSON data from models (wire names, extra fields kept), lists and dicts."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json", by_alias=True)
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    return value


def print_json(value: Any) -> None:
    """Write `value` as one indented JSON document, then a newline, to stdout."""
    sys.stdout.write(json.dumps(to_data(value), indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def print_error(message: str) -> None:
    """The one line a failure prints (on stderr)."""
    first = message.strip().splitlines()[0] if message.strip() else "failed"
    label = paint("error:", "bold red", enabled=color_enabled(sys.stderr))
    sys.stderr.write(f"{label} {first}\n")
    sys.stderr.flush()


def cell(value: Any) -> str:
    """A short, readable form of a field for a table."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v) for v in value) or "-"
    data = to_data(value)
    if isinstance(data, (dict, list)):
        return json.dumps(data, ensure_ascii=False)
    return str(data)


def _attr(item: Any, name: str) -> Any:
    if isinstance(item, dict):
        return item.get(name)
    return getattr(item, name, None)


def print_table(
    items: Iterable[Any], columns: Sequence[Column], *, empty: str, wide: bool = False
) -> None:
    """One row per item; `empty` is printed instead of an empty table. IDs are shown in
    full when the table fits the width unfolded (a pipe: 200 columns), else shortened
    (unique within the table); with `wide`, always in full."""
    rows = [[cell(_attr(item, attr)) for _, attr in columns] for item in items]
    out = console()
    if not rows:
        out.print(escape(empty))
        return
    table = _table(rows, columns)
    natural = Measurement.get(out, out.options.update_width(10**6), table).maximum
    if wide:  # every column, unfolded: the terminal wraps what is wider than it
        out.width = max(out.width, natural)
    elif natural > out.width:
        short = short_ids(c for row in rows for c in row)
        if short:
            table = _table([[short.get(c, c) for c in row] for row in rows], columns)
    out.print(table)


def _table(rows: list[list[str]], columns: Sequence[Column]) -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for index, (heading, attr) in enumerate(columns):
        if attr == "id" or attr.endswith("_id") or all(is_long_id(r[index]) for r in rows):
            # never cut an ID: it is what people copy
            widest = max(len(row[index]) for row in rows)
            table.add_column(
                heading, no_wrap=True, min_width=widest, style="cyan" if attr == "id" else ""
            )
        else:
            table.add_column(heading, overflow="fold")
    for row in rows:
        table.add_row(*(_styled(attr, c) for (_, attr), c in zip(columns, row, strict=True)))
    return table


def _styled(attr: str, value: str) -> Text:
    """A cell: a status in its colour, a missing value dimmed, the rest as it is."""
    if attr == "status":
        return Text(value, style=status_style(value))
    return Text(value, style="dim" if value == "-" else "")


def print_record(item: Any, fields: Sequence[str], *, long_text: str | None = None) -> None:
    """One item as `field  value` lines; `long_text` (e.g. a prompt) follows in full."""
    table = Table(show_header=False, show_edge=False, pad_edge=False, box=None)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for name in fields:
        table.add_row(name, escape(cell(_attr(item, name))))
    out = console()
    out.print(table)
    if long_text is not None:
        text = _attr(item, long_text)
        if text:
            out.print(f"\n[bold]{long_text}[/bold]")
            out.print(escape(str(text)), soft_wrap=True)
