"""The 0.3.x module `everruns_sdk.client` (deprecated): the client is
`everruns_sdk.Everruns`; the 0.3.x sub-client class names (`AgentsClient`, ...) are
our resource classes (`everruns_sdk.resources.agents.Agents`, ...)."""

from __future__ import annotations

import importlib
from typing import Any

from everruns_sdk._client import Everruns
from everruns_sdk._compat._warn import deprecated
from everruns_sdk._compat.reason import CHANGE_REASON_HEADER, MAX_CHANGE_REASON_CHARS
from everruns_sdk._config import DEFAULT_BASE_URL

deprecated("the module everruns_sdk.client", "from everruns_sdk import Everruns")

# 0.3.x sub-client class -> (module, our class); loaded on first use.
_CLASSES = {
    "AgentsClient": ("everruns_sdk.resources.agents", "Agents"),
    "SessionsClient": ("everruns_sdk.resources.sessions", "Sessions"),
    "MessagesClient": ("everruns_sdk.resources.messages", "Messages"),
    "EventsClient": ("everruns_sdk.resources.events", "Events"),
    "CapabilitiesClient": ("everruns_sdk.resources.capabilities", "Capabilities"),
    "HarnessesClient": ("everruns_sdk.resources.harnesses", "Harnesses"),
    "ModelsClient": ("everruns_sdk.resources.models", "Models"),
    "WorkspacesClient": ("everruns_sdk.resources.workspaces", "Workspaces"),
    "WorkspaceFilesClient": ("everruns_sdk.resources.workspaces", "WorkspaceFiles"),
    "MemoriesClient": ("everruns_sdk.resources.memories", "Memories"),
    "BudgetsClient": ("everruns_sdk._compat.not_offered", "NotOfferedBudgets"),
    "ConnectionsClient": ("everruns_sdk._compat.not_offered", "NotOfferedConnections"),
}

__all__ = [
    "CHANGE_REASON_HEADER",
    "DEFAULT_BASE_URL",
    "MAX_CHANGE_REASON_CHARS",
    "Everruns",
    *_CLASSES,
]


def __getattr__(name: str) -> Any:
    if name in _CLASSES:
        module, attr = _CLASSES[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
