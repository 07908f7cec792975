"""Names that must be unique on a server embed ``${run}``: every ``name`` a scenario gives
an agent, a harness, a memory or a workspace (creating, updating, forking or importing
one, in a ``given`` request or in the call) holds ``${run}``, so that a second run, or a
server with state, never meets a name taken (see conformance/README.md, remote mode).
"""

from __future__ import annotations

import re
from typing import Any

from .scenarios import Scenario
from .spec import Spec

NAMED = {
    "create_agent",
    "update_agent",
    "fork_agent_version",
    "import_agent",
    "create_harness",
    "update_harness",
    "create_memory",
    "update_memory",
    "create_workspace",
    "update_workspace",
}
_FRONT_MATTER_NAME = re.compile(r"^name:\s*(.*)$", re.M)


def _names(body: Any, text: Any) -> list[str]:
    found = [body["name"]] if isinstance(body, dict) and isinstance(body.get("name"), str) else []
    if isinstance(text, str):  # an agent as Markdown: its front matter's name
        found += _FRONT_MATTER_NAME.findall(text)
    return found


def check_names(spec: Spec, scenarios: list[Scenario]) -> list[str]:
    problems: list[str] = []
    for s in scenarios:
        sent: list[tuple[str, str]] = []
        for index, step in enumerate(s.given):
            if "api" not in step:
                continue
            method, _, path = step["api"].partition(" ")
            found = spec.route(method, path)
            if found is not None and found[0].get("operationId") in NAMED:
                sent += [(f"given[{index}]", n) for n in _names(step.get("body"), step.get("text"))]
        if s.call["operation"] in NAMED:
            args = s.call.get("args", {})
            sent += [("call.args", n) for n in _names(args, args.get("body"))]
        problems += [
            f"{s.id}: {where}: the name {name!r} must embed ${{run}} (unique on a server)"
            for where, name in sent
            if "${run}" not in name
        ]
    return problems
