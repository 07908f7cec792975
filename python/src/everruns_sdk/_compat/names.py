"""Where each 0.3.x name lives now, for the package root and the old modules.

`legacy_getattr(module, name)` resolves a name 0.3.x exported that our curated
`everruns_sdk` does not: model names come from `everruns_sdk.types` (with a warning
naming that spelling), old shapes from the compat modules. Nothing here is imported
until a program asks for an old name, so `import everruns_sdk` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

from everruns_sdk._compat._warn import deprecated

_MODELS = "everruns_sdk._compat.models"
_HELPERS = "everruns_sdk._compat.helpers"
_STREAM = "everruns_sdk._compat.stream"
_REASON = "everruns_sdk._compat.reason"
_TYPES = "everruns_sdk.types"

# Names whose own call warns (or that need no warning): resolving them is silent.
SILENT: dict[str, str] = {
    "ToolDefinition": _MODELS,
    "ContentPart": _MODELS,
    "MessageInput": _MODELS,
    "extract_tool_calls": _HELPERS,
    "generate_agent_id": _HELPERS,
    "generate_harness_id": _HELPERS,
    "validate_agent_name": _HELPERS,
    "validate_harness_name": _HELPERS,
    "ApiKey": _HELPERS,
    "AgentClient": _HELPERS,
    "CHANGE_REASON_HEADER": _REASON,
    "MAX_CHANGE_REASON_CHARS": _REASON,
    "StreamOptions": _STREAM,
}

# 0.3.x names of shapes we spell differently: name -> (module, our spelling).
RENAMED: dict[str, tuple[str, str]] = {
    "ToolCallInfo": (_MODELS, "everruns_sdk.types.ToolCall"),
    "AnalyzeAgentRequest": (_MODELS, "everruns_sdk.types.PreviewAgentRequest"),
    "ListResponse": (_MODELS, "everruns_sdk.Page"),
    "ListEventsOptions": (_MODELS, "keyword arguments of client.events.list()"),
    **{
        name: (_MODELS, "nothing: this server API has no such endpoint")
        for name in (
            "Budget",
            "BudgetCheckResult",
            "BudgetPeriod",
            "CreateBudgetRequest",
            "UpdateBudgetRequest",
            "TopUpRequest",
            "LedgerEntry",
            "Connection",
            "SetConnectionRequest",
            "ResumeSessionResponse",
            "SetSecretsRequest",
        )
    },
}


def legacy_getattr(module: str, name: str, *, warn: bool = True, stacklevel: int = 4) -> Any:
    """The value of the 0.3.x name `name` imported from `module`; AttributeError if
    0.3.x had no such name and `everruns_sdk.types` has none either.

    With `warn`, a renamed name warns on its own and model names warn once per module
    as a group (`from everruns_sdk import Agent, Session` gives one warning).
    `stacklevel=4` points at the importing line (warn -> deprecated -> here ->
    module `__getattr__` -> caller; importlib's own frames are skipped by Python)."""
    if name.startswith("_"):
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    if name in SILENT:
        return getattr(importlib.import_module(SILENT[name]), name)
    if name in RENAMED:
        where, spelling = RENAMED[name]
        if warn:
            deprecated(f"{module}.{name}", spelling, stacklevel=stacklevel)
        return getattr(importlib.import_module(where), name)
    types = importlib.import_module(_TYPES)
    try:
        value = getattr(types, name)
    except AttributeError:
        raise AttributeError(f"module {module!r} has no attribute {name!r}") from None
    if warn:
        deprecated(
            f"importing models from {module} (from {module} import {name})",
            f"from everruns_sdk.types import {name}",
            stacklevel=stacklevel,
            key=f"{module}:models",
        )
    return value
