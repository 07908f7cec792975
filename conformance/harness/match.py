"""Comparing what happened with what a scenario expects.

An expected object matches an actual object having at least its keys, each matching
(extra keys are fine: the API adds fields); an expected array matches an array of the
same length, item by item. Special forms:

* ``"$any"`` - present and not null; ``"$absent"`` - missing or null;
* ``{"$exact": v}`` - deep equality, no extra keys anywhere (request bodies);
* ``{"$match": "regex"}`` - a string matching the regex in full;
* ``{"$len": n}`` - an array (or string) of that length;
* ``{"$contains": [...]}`` - an array holding a match for each listed item;
* ``{"$type": "string" | "number" | "integer" | "boolean" | "array" | "object"}``.
"""

from __future__ import annotations

import json
import re
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _show(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 160 else text[:157] + "..."


def _equal(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return float(expected) == float(actual)
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(
            _equal(v, actual[k]) for k, v in expected.items()
        )
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(_equal, expected, actual))
    return type(expected) is type(actual) and expected == actual


def _special(expected: dict[str, Any], actual: Any, where: str) -> list[str] | None:
    if len(expected) != 1:
        return None
    ((key, arg),) = expected.items()
    if key == "$exact":
        if _equal(arg, actual):
            return []
        return [f"{where}: expected {_show(arg)}, got {_show(actual)}"]
    if key == "$match":
        ok = isinstance(actual, str) and re.fullmatch(arg, actual) is not None
        return [] if ok else [f"{where}: {_show(actual)} does not match /{arg}/"]
    if key == "$len":
        ok = isinstance(actual, (list, str)) and len(actual) == arg
        got = len(actual) if isinstance(actual, (list, str)) else _show(actual)
        return [] if ok else [f"{where}: expected length {arg}, got {got}"]
    if key == "$type":
        kinds = _TYPES[arg]
        ok = isinstance(actual, kinds) and (arg in ("boolean",) or not isinstance(actual, bool))
        return [] if ok else [f"{where}: expected a {arg}, got {_show(actual)}"]
    if key == "$contains":
        if not isinstance(actual, list):
            return [f"{where}: expected an array, got {_show(actual)}"]
        missing = [item for item in arg if not any(not diff(item, a) for a in actual)]
        return [f"{where}: no item matches {_show(item)}" for item in missing]
    return None


def diff(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """The differences between ``expected`` (with the special forms) and ``actual``."""
    if expected == "$any":
        return [] if actual is not None else [f"{where}: expected a value, got null/missing"]
    if expected == "$absent":
        return [] if actual is None else [f"{where}: expected nothing, got {_show(actual)}"]
    if isinstance(expected, dict):
        special = _special(expected, actual, where)
        if special is not None:
            return special
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {_show(actual)}"]
        out: list[str] = []
        for key, value in expected.items():
            out += diff(value, actual.get(key), f"{where}.{key}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected an array, got {_show(actual)}"]
        if len(expected) != len(actual):
            return [f"{where}: expected {len(expected)} items, got {len(actual)}: {_show(actual)}"]
        out = []
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out += diff(e, a, f"{where}[{index}]")
        return out
    if _equal(expected, actual):
        return []
    return [f"{where}: expected {_show(expected)}, got {_show(actual)}"]
