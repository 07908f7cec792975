"""The local Everruns server: an in-memory, scriptable imitation of the Everruns API.

For offline development and tests (like stripe-mock or moto, but in-process)::

    from everruns_sdk.testing import EverrunsEmulator, Reply

    with EverrunsEmulator() as emu:          # serves http://127.0.0.1:<port>/api
        emu.script.add(Reply.tool("search", {"q": "x"}, result={"hits": 1}), "Found one.")
        emu.faults.rate_limit("/v1/sessions", method="POST", retry_after=1)
        ...                                   # point a client at emu.url with emu.api_key

Or from a shell: ``python -m everruns_sdk.testing --port 9000`` (see ``--help``).
Pytest fixtures (``everruns_emulator``, ...) come with the ``everruns_sdk`` plugin.

Needs the ``testing`` extra (starlette, uvicorn, python-multipart); this package
imports them only when a server starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from everruns_sdk._lazy import lazy_exports

if TYPE_CHECKING:
    from ._emulator import DEFAULT_API_KEY, EverrunsEmulator
    from ._faults import FaultRule, Faults
    from ._script import Reply, Script, ScriptedToolCall, TurnContext
    from ._state import RequestRecord
    from ._store import DEFAULT_ORG_ID, GENERIC_HARNESS_ID, Store

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_ORG_ID",
    "GENERIC_HARNESS_ID",
    "EverrunsEmulator",
    "FaultRule",
    "Faults",
    "Reply",
    "RequestRecord",
    "Script",
    "ScriptedToolCall",
    "Store",
    "TurnContext",
]

_WHERE = {
    "DEFAULT_API_KEY": "._emulator",
    "EverrunsEmulator": "._emulator",
    "FaultRule": "._faults",
    "Faults": "._faults",
    "Reply": "._script",
    "Script": "._script",
    "ScriptedToolCall": "._script",
    "TurnContext": "._script",
    "RequestRecord": "._state",
    "DEFAULT_ORG_ID": "._store",
    "GENERIC_HARNESS_ID": "._store",
    "Store": "._store",
}


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
