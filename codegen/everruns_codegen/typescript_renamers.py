"""`typescript/src/generated/renamers.ts`: straight-line renamers (a `switch` on the key)
of each event type's object `data` and of the event context, for the stream's hot path.
Each does what the table-driven converter of the same shape (src/core/names.ts) does;
models whose renamers would be alike share one function."""

from __future__ import annotations

import json
import re
import textwrap
from typing import TYPE_CHECKING

from .models import ModelDef, Models
from .spec import Spec

if TYPE_CHECKING:
    from .typescript import _Renderer

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _member(name: str) -> str:
    return f".{name}" if _IDENT.match(name) else f"[{json.dumps(name)}]"


def _doc(text: str) -> list[str]:
    """A `/** ... */` comment of `text`, wrapped at 100 columns."""
    lines = textwrap.wrap(text, 97)
    return [f"/** {text} */"] if len(text) <= 93 else ["/**", *(f" * {x}" for x in lines), " */"]


def render_renamers(spec: Spec, models: Models, renderer: _Renderer, header: str) -> str:
    """`renamers.ts`: straight-line renamers of each event type's object `data` and the context."""
    nested: dict[str, str] = {}  # shape literal -> constant name
    # One function per distinct body (models that rename alike share it), named after
    # the first model that has it: body -> (function name, models).
    bodies: dict[tuple[str, ...], tuple[str, list[str]]] = {}

    def renamer(name: str) -> str | None:
        """The function renaming model `name` (registered now), or None: nothing to rename."""
        defn = renderer.defs[name]
        if name not in renderer.renaming or not isinstance(defn, ModelDef):
            return None
        cases: list[str] = []
        for field, (wire, ts) in zip(defn.fields, renderer.field_names[name], strict=True):
            shape = renderer.shape(field.type)
            if wire == ts and shape == "0":
                continue
            cases.append(f"      case {json.dumps(wire)}:")
            if shape == "0":
                cases.append(f"        out{_member(ts)} = item;")
            else:
                const = nested.setdefault(shape, f"nested{len(nested)}")
                cases += [
                    f"        out{_member(ts)} =",
                    f'          item === null || typeof item !== "object" ? item : {const}(item);',
                ]
            cases.append("        break;")
        fn, users = bodies.setdefault(tuple(cases), (f"rename{name}", []))
        if name not in users:
            users.append(name)
        return fn

    context = renamer(models.public_name["EventContext"])
    by_type: list[tuple[str, str]] = []
    for event_type in sorted(spec.event_types):
        fn = renamer(models.public_name[spec.event_types[event_type]])
        if fn is not None:
            by_type.append((event_type, fn))
    functions = [
        "\n".join(
            [
                *_doc(f"Renames {', '.join(f'`{user}`' for user in users)}."),
                f"function {fn}(value: unknown): unknown {{",
                '  if (typeof value !== "object" || value === null || Array.isArray(value)) '
                "return value;",
                "  const wire = value as Wire;",
                "  const out: Wire = {};",
                "  for (const key in wire) {",
                "    const item = wire[key];",
                "    switch (key) {",
                *cases,
                "      default:",
                "        out[key] = item;",
                "    }",
                "  }",
                "  return out;",
                "}",
                "",
            ]
        )
        for cases, (fn, users) in bodies.items()
    ]
    lines = [
        header,
        "/**",
        " * A straight-line renamer (wire names -> TypeScript names) of the `data` of each event",
        " * type whose data is an object with names to rename: a `switch` on the key, for the",
        " * stream's hot path (src/streaming/events.ts). The result is the table-driven",
        " * converter's of the same shape (src/core/names.ts), which also renames everything",
        " * nested; undeclared keys pass through untouched, in the order they came.",
        " */",
        'import { wireToTs } from "../core/names";',
        'import type { Shape } from "./shapes";',
        "",
        "type Wire = Record<string, unknown>;",
        "type Convert = (value: unknown) => unknown;",
        "",
        "/** The table-driven converter of a nested shape, compiled on first use. */",
        "function nested(shape: Shape): Convert {",
        "  let convert: Convert | undefined;",
        "  return (value) => {",
        "    convert ??= wireToTs(shape) ?? ((same: unknown) => same);",
        "    return convert(value);",
        "  };",
        "}",
        "",
        *(f"const {const} = nested({shape});" for shape, const in nested.items()),
        "",
        *functions,
        "/** The renamer of the `data` of each event type that has one, by type. */",
        "export const EVENT_DATA_RENAMERS: ReadonlyMap<string, Convert> = new Map<"
        "string, Convert>([",
        *(f"  [{json.dumps(t)}, {fn}]," for t, fn in by_type),
        "]);",
        "",
        "/** The renamer of an event's `context` (undefined: nothing in it to rename). */",
        f"export const EVENT_CONTEXT_RENAMER: Convert | undefined = {context or 'undefined'};",
    ]
    return "\n".join(lines) + "\n"
