"""Scenario files: loading, checking their shape, and ``${var}`` substitution.

A file is ``{"scenarios": [...]}``; a scenario is
``{"id", "operation"?, "about"?, "given"?: [steps], "call": {...}, "expect": {...}}``
(see conformance/README.md). ``${name.field.0.id}`` anywhere in a string takes a value
saved by a ``given`` step: a string that is only a reference takes the value itself
(any JSON type), one embedding references takes their text. ``${run}`` is a short
random hex, new for every scenario run (one scenario in one language): names that must
be unique on a server embed it, so that a server with state, or a second run, sees
fresh ones.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
_REF = re.compile(r"\$\{([A-Za-z_][\w]*(?:\.[\w-]+)*)\}")
_KEYS = {"id", "operation", "about", "given", "call", "expect", "control"}
_CALL_KEYS = {"operation", "args", "client", "stream"}
_EXPECT_KEYS = {"requests", "result", "error", "events", "request_count"}
_CONTROL_STEPS = {"fault", "script", "emit", "config"}
# Variables the runner sets itself: a given step may not save under these names.
RESERVED = {"run", "wire"}
RUN_DIGITS = 8


def new_run() -> str:
    """A fresh ``${run}``: RUN_DIGITS hex digits (so an ID may embed it)."""
    return secrets.token_hex(RUN_DIGITS // 2)


class ScenarioError(ValueError):
    """A scenario file is malformed (a bug in the suite, not in an SDK)."""


@dataclass
class Scenario:
    id: str
    file: str
    call: dict[str, Any]
    expect: dict[str, Any]
    given: list[dict[str, Any]] = field(default_factory=list)
    operation: str | None = None
    about: str = ""

    @property
    def needs_control(self) -> bool:
        """Needs the local server's control API to be set up (faults, script, events)."""
        return any(_CONTROL_STEPS & set(step) for step in self.given)

    @property
    def operations(self) -> set[str]:
        """Every operation this scenario calls through the SDK."""
        return {self.call["operation"]} | ({self.operation} if self.operation else set())


def _check(raw: dict[str, Any], where: str) -> Scenario:
    unknown = set(raw) - _KEYS
    if unknown:
        raise ScenarioError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "call", "expect"):
        if key not in raw:
            raise ScenarioError(f"{where}: missing {key!r}")
    call, expect = raw["call"], raw["expect"]
    if set(call) - _CALL_KEYS or "operation" not in call:
        raise ScenarioError(f"{where}: call needs 'operation', allows {sorted(_CALL_KEYS)}")
    if set(expect) - _EXPECT_KEYS:
        raise ScenarioError(f"{where}: unknown expect keys {sorted(set(expect) - _EXPECT_KEYS)}")
    for step in raw.get("given", []):
        if step.get("save") in RESERVED:
            raise ScenarioError(f"{where}: a step saves under the reserved name {step['save']!r}")
    if sum(k in expect for k in ("result", "error")) > 1 or (
        "events" in expect and "result" in expect
    ):
        raise ScenarioError(f"{where}: expect result, error, or events (with an error)")
    return Scenario(
        id=raw["id"],
        file=where,
        call=call,
        expect=expect,
        given=list(raw.get("given", [])),
        operation=raw.get("operation"),
        about=raw.get("about", ""),
    )


# A resource ID is <prefix>_<32 hex> (API-NOTES); a sample ID with 31 or 33 digits
# would be rejected by a server that validates the spec's patterns.
_SAMPLE_ID = re.compile(
    r"\b(?:agent|session|event|message|harness|turn|wsp|mem|img)_([0-9a-f]{16,})\b"
)


def _check_sample_ids(text: str, where: str) -> None:
    for match in _SAMPLE_ID.finditer(text):
        if len(match.group(1)) != 32:
            raise ScenarioError(f"{where}: sample ID {match.group(0)} has not 32 hex digits")


def load_scenarios(directory: Path = SCENARIO_DIR) -> list[Scenario]:
    """Every scenario of every ``*.json`` file, in file then list order; IDs unique."""
    found: list[Scenario] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        _check_sample_ids(text.replace("${run}", "0" * RUN_DIGITS), path.name)
        data = json.loads(text)
        for index, raw in enumerate(data["scenarios"]):
            scenario = _check(raw, f"{path.name}[{index}]")
            if scenario.id in seen:
                raise ScenarioError(f"{path.name}: duplicate scenario id {scenario.id!r}")
            seen.add(scenario.id)
            found.append(scenario)
    return found


def lookup(variables: dict[str, Any], dotted: str) -> Any:
    parts = dotted.split(".")
    value: Any = variables
    for part in parts:
        if isinstance(value, list) and part.lstrip("-").isdigit():
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise ScenarioError(f"${{{dotted}}}: no {part!r} in the saved values")
    return value


def substitute(value: Any, variables: dict[str, Any]) -> Any:
    """``value`` with every ``${ref}`` replaced (deeply)."""
    if isinstance(value, str):
        whole = _REF.fullmatch(value)
        if whole:
            return lookup(variables, whole.group(1))
        return _REF.sub(lambda m: str(lookup(variables, m.group(1))), value)
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, variables) for k, v in value.items()}
    return value
