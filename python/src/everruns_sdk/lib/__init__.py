"""Helpers above the API: whole turns and client-side tools.

- `tool` / `Tool`: Python functions as client-side tools (`lib.tools`);
- `TurnResult`, `TurnFailedError`, `TurnTimeoutError`: what `client.sessions.run` and
  `turn.final()` give or raise (`lib.results`);
- `TurnStream` (`lib.turns`), returned by `client.sessions.stream_turn`, and its
  blocking twin `SyncTurnStream` (`SyncEverruns`).

Names load on first access, like the rest of the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from everruns_sdk._lazy import lazy_exports

if TYPE_CHECKING:
    from everruns_sdk._sync.lib.turns import SyncTurnStream
    from everruns_sdk.lib.results import TurnFailedError, TurnResult, TurnTimeoutError
    from everruns_sdk.lib.tools import Tool, ToolArgumentsError, tool
    from everruns_sdk.lib.turns import TurnStream

__all__ = [
    "SyncTurnStream",
    "Tool",
    "ToolArgumentsError",
    "TurnFailedError",
    "TurnResult",
    "TurnStream",
    "TurnTimeoutError",
    "tool",
]

_WHERE = {
    "Tool": "everruns_sdk.lib.tools",
    "ToolArgumentsError": "everruns_sdk.lib.tools",
    "tool": "everruns_sdk.lib.tools",
    "TurnFailedError": "everruns_sdk.lib.results",
    "TurnResult": "everruns_sdk.lib.results",
    "TurnTimeoutError": "everruns_sdk.lib.results",
    "TurnStream": "everruns_sdk.lib.turns",
    "SyncTurnStream": "everruns_sdk._sync.lib.turns",
}


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
