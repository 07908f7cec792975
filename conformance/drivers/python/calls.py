"""Each operation of sdk-scope.json as a call of the Python SDK's public API.

`METHODS[operation_id]` is the method's dotted path from the client (the contract
suite's table). The scenario's
``args`` use the spec's names (path, query and body fields); they are passed as keyword
arguments, except where `ADAPT` renames or reshapes them for this SDK.
"""

from __future__ import annotations

import base64
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

_CONTRACT_OPERATIONS = (
    Path(__file__).resolve().parents[3] / "python" / "tests" / "contract" / "operations.py"
)


def _contract_table() -> dict[str, str]:
    """The table of the Python contract suite (one method per operation), so that the
    two never disagree about which method covers an operation."""
    spec = importlib.util.spec_from_file_location("contract_operations", _CONTRACT_OPERATIONS)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {_CONTRACT_OPERATIONS}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table: dict[str, str] = module.OPERATION_TO_METHOD
    return table


METHODS: dict[str, str] = _contract_table()

Args = dict[str, Any]


def _rename(**names: str) -> Callable[[Args], Args]:
    def adapt(args: Args) -> Args:
        return {names.get(k, k): v for k, v in args.items()}

    return adapt


def _message(args: Args) -> Args:
    """``message: {role, content}`` (the wire body) as this SDK's ``content``."""
    out = dict(args)
    message = out.pop("message")
    if message.get("role", "user") != "user":
        raise NotImplementedError("messages.create sends user messages only")
    out["content"] = message["content"]
    return out


def _upload(args: Args) -> Args:
    out = dict(args)
    file = out.pop("file")
    out["file"] = base64.b64decode(file["base64"])
    out["filename"] = file.get("name")
    out["content_type"] = file.get("content_type")
    return out


ADAPT: dict[str, Callable[[Args], Args]] = {
    "get_model": _rename(id="model_id"),
    "import_agent": _rename(body="text", **{"from-example": "from_example"}),
    "submit_tool_results": _rename(tool_results="results"),
    "create_message": _message,
    "upload_image": _upload,
}
