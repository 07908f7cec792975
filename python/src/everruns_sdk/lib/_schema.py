"""JSON schema of a Python function's parameters, for client-side tools (no async code).

`function_spec(fn)` reads the signature, the type hints and the docstring and returns a
`FunctionSpec`: a pydantic model of the arguments (used to validate the model's tool
calls), the JSON schema sent to the API, and the description (the docstring's first
paragraph). Parameter descriptions come, by priority, from `Field(description=...)`
(as the default or inside `Annotated`), from a string in `Annotated[T, "..."]`, and
from the docstring (Google `Args:`, NumPy `Parameters` or Sphinx `:param x:` style).
A parameter with a default is not required.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

__all__ = ["FunctionSpec", "function_spec", "parse_docstring", "strip_titles"]

_GOOGLE_SECTION = re.compile(
    r"^(args|arguments|parameters|params|keyword args|keyword arguments|other parameters)"
    r"\s*:\s*$",
    re.IGNORECASE,
)
_ANY_SECTION = re.compile(
    r"^(args|arguments|parameters|params|keyword args|keyword arguments|other parameters|"
    r"returns?|yields?|raises?|examples?|notes?|see also|attributes|warnings?|references|"
    r"todo)\s*:?\s*$",
    re.IGNORECASE,
)
_GOOGLE_ENTRY = re.compile(r"^\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_NUMPY_ENTRY = re.compile(r"^\*{0,2}(\w+)\s*(?::.*)?$")
_SPHINX_PARAM = re.compile(r"^:param\s+(?:[^:]*\s)?(\w+)\s*:\s*(.*)$")
_UNDERLINE = re.compile(r"^-{3,}\s*$")
# Keys whose values are data, not schemas: never rewritten by strip_titles.
_DATA_KEYS = frozenset({"default", "const", "enum", "examples", "example"})
_NAME_KEYS = frozenset({"properties", "$defs", "definitions", "patternProperties"})
_ANNOTATED: Any = Annotated


@dataclass(frozen=True)
class FunctionSpec:
    """What a tool needs to know about its function."""

    description: str
    parameters: dict[str, Any]
    model: type[BaseModel]
    # (model field, parameter name, positional-only) in signature order
    fields: tuple[tuple[str, str, bool], ...]

    def bind(self, arguments: Mapping[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        """Validate `arguments` (raises pydantic's ValidationError) and return the
        positional and keyword arguments for the call, defaults filled in."""
        validated = self.model.model_validate(dict(arguments))
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for field, name, positional in self.fields:
            value = getattr(validated, field)
            if positional:
                args.append(value)
            else:
                kwargs[name] = value
        return args, kwargs


def function_spec(function: Callable[..., Any], *, name: str) -> FunctionSpec:
    """The `FunctionSpec` of `function`; raises TypeError for `*args`/`**kwargs` or type
    hints that cannot be resolved."""
    signature = inspect.signature(function)
    hints = _type_hints(function)
    summary, documented = parse_docstring(inspect.getdoc(_target(function)))
    fields: dict[str, Any] = {}
    order: list[tuple[str, str, bool]] = []
    for index, param in enumerate(signature.parameters.values()):
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(
                f"tool {name!r}: *args/**kwargs cannot be described by a schema; "
                "give the parameters explicitly"
            )
        annotation = hints.get(param.name, Any)
        annotation, description = _description(annotation, param.default)
        description = description or documented.get(param.name)
        naming = (
            Field(alias=param.name, description=description)
            if description
            else Field(alias=param.name)
        )
        default = ... if param.default is param.empty else param.default
        field_name = f"p{index}"
        fields[field_name] = (Annotated[annotation, naming], default)
        order.append((field_name, param.name, param.kind is param.POSITIONAL_ONLY))
    model = create_model(
        _model_name(name),
        __config__=ConfigDict(extra="forbid", arbitrary_types_allowed=True),
        **fields,
    )
    schema = strip_titles(model.model_json_schema(by_alias=True))
    schema.setdefault("properties", {})
    return FunctionSpec(summary, schema, model, tuple(order))


def _target(function: Callable[..., Any]) -> Callable[..., Any]:
    """The function whose docstring and annotations describe `function`."""
    inner = getattr(function, "func", None)  # functools.partial
    if inner is not None and callable(inner):
        return _target(inner)
    if inspect.isroutine(function) or inspect.isclass(function):
        return function
    return type(function).__call__  # a callable object


def _type_hints(function: Callable[..., Any]) -> dict[str, Any]:
    target = _target(function)
    try:
        return typing.get_type_hints(target, include_extras=True)
    except Exception as exc:  # NameError for an unresolvable forward reference, ...
        raise TypeError(
            f"cannot resolve the type hints of {getattr(target, '__qualname__', target)!r}: "
            f"{exc} (define the types at module level)"
        ) from exc


def _description(annotation: Any, default: Any) -> tuple[Any, str | None]:
    """The annotation without plain-string metadata, and the description it or the
    default (a pydantic `Field`) carries."""
    description: str | None = None
    if typing.get_origin(annotation) is Annotated:
        base, *metadata = typing.get_args(annotation)
        kept = []
        for item in metadata:
            if isinstance(item, str):
                description = item
                continue
            if isinstance(item, FieldInfo) and item.description:
                description = item.description
            kept.append(item)
        annotation = base
        for item in kept:  # Annotated[base, *kept], written for Python 3.10
            annotation = _ANNOTATED[annotation, item]
    if isinstance(default, FieldInfo) and default.description:
        description = default.description
    return annotation, description


def _model_name(name: str) -> str:
    words = re.split(r"[^0-9A-Za-z]+", name)
    return "".join(w[:1].upper() + w[1:] for w in words if w) + "Arguments"


def strip_titles(schema: Any) -> Any:
    """`schema` without the `title` keywords pydantic adds (a property *named* title is
    kept); data values (`default`, `enum`, ...) are left as they are."""
    if isinstance(schema, list):
        return [strip_titles(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in _DATA_KEYS:
            out[key] = value
        elif key in _NAME_KEYS and isinstance(value, dict):
            out[key] = {name: strip_titles(sub) for name, sub in value.items()}
        else:
            out[key] = strip_titles(value)
    return out


def parse_docstring(doc: str | None) -> tuple[str, dict[str, str]]:
    """(first paragraph, {parameter: description}) of a Google, NumPy or Sphinx style
    docstring; whitespace inside each text is collapsed."""
    if not doc:
        return "", {}
    lines = inspect.cleandoc(doc).splitlines()
    summary: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or _is_section(lines, i) or stripped.startswith(":"):
            break
        summary.append(stripped)
    params: dict[str, str] = {}
    params.update(_google_params(lines))
    params.update(_numpy_params(lines))
    params.update(_sphinx_params(lines))
    return " ".join(summary), params


def _is_section(lines: list[str], i: int) -> bool:
    stripped = lines[i].strip()
    if _ANY_SECTION.match(stripped) and stripped.endswith(":"):
        return True
    return i + 1 < len(lines) and bool(_UNDERLINE.match(lines[i + 1].strip())) and bool(stripped)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _collect(entries: dict[str, list[str]]) -> dict[str, str]:
    return {name: " ".join(" ".join(parts).split()) for name, parts in entries.items()}


def _google_params(lines: list[str]) -> dict[str, str]:
    entries: dict[str, list[str]] = {}
    i = 0
    while i < len(lines):
        if not _GOOGLE_SECTION.match(lines[i].strip()):
            i += 1
            continue
        base = _indent(lines[i])
        entry_indent: int | None = None
        current: str | None = None
        i += 1
        while i < len(lines):
            line = lines[i]
            if line.strip() and _indent(line) <= base:
                break
            if line.strip():
                indent = _indent(line)
                if entry_indent is None:
                    entry_indent = indent
                match = _GOOGLE_ENTRY.match(line.strip()) if indent == entry_indent else None
                if match:
                    current = match.group(1)
                    entries[current] = [match.group(2)]
                elif current is not None:
                    entries[current].append(line.strip())
            i += 1
    return _collect(entries)


def _numpy_params(lines: list[str]) -> dict[str, str]:
    entries: dict[str, list[str]] = {}
    i = 0
    while i + 1 < len(lines):
        header = lines[i].strip().lower()
        if header not in ("parameters", "other parameters", "keyword arguments") or not (
            _UNDERLINE.match(lines[i + 1].strip())
        ):
            i += 1
            continue
        base = _indent(lines[i])
        current: str | None = None
        i += 2
        while i < len(lines):
            line = lines[i]
            if i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1].strip()) and line.strip():
                break  # the next section
            if line.strip():
                match = _NUMPY_ENTRY.match(line.strip()) if _indent(line) == base else None
                if match:
                    current = match.group(1)
                    entries[current] = []
                elif current is not None and _indent(line) > base:
                    entries[current].append(line.strip())
            i += 1
    return _collect(entries)


def _sphinx_params(lines: list[str]) -> dict[str, str]:
    entries: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        stripped = line.strip()
        match = _SPHINX_PARAM.match(stripped)
        if match:
            current = match.group(1)
            entries[current] = [match.group(2)]
        elif stripped.startswith(":") or not stripped:
            current = None
        elif current is not None and _indent(line) > 0:
            entries[current].append(stripped)
    return _collect(entries)
