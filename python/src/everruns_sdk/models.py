"""The 0.3.x module `everruns_sdk.models` (deprecated): our models are in
`everruns_sdk.types`. Every 0.3.x model name resolves here (on first use, so nothing
heavy loads at import): ours where the shape is the same, a compat class where 0.3.x
spelled it differently (`ToolDefinition(...)`, `ContentPart.make_tool_result`, ...)."""

from __future__ import annotations

from typing import Any

from everruns_sdk._compat._warn import deprecated
from everruns_sdk._compat.names import legacy_getattr

deprecated("the module everruns_sdk.models", "everruns_sdk.types")


def __getattr__(name: str) -> Any:
    return legacy_getattr(__name__, name, warn=False)
