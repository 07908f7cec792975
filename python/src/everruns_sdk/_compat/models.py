"""0.3.x model names that our models do not spell the same way.

`ToolDefinition` and `ContentPart` are unions in `everruns_sdk.types` (one class per
`type`), which cannot be called; 0.3.x programs construct them (`ToolDefinition(name=...,
description=..., parameters=...)`). Here they are classes whose call builds the matching
member of the union and whose `isinstance` accepts any member. The other names are small
models of 0.3.x shapes, or permissive records of APIs this server does not offer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from pydantic import TypeAdapter

from everruns_sdk._compat._warn import deprecated
from everruns_sdk.types import ContentPart as _ContentPartUnion
from everruns_sdk.types import EverrunsModel, PreviewAgentRequest
from everruns_sdk.types import ToolDefinition as _ToolDefinitionUnion
from everruns_sdk.types._generated.common import (
    BuiltinTool,
    ClientSideTool,
    UnknownToolDefinition,
)
from everruns_sdk.types._generated.event_data import ToolCall
from everruns_sdk.types._generated.messages import (
    ImageContentPart,
    ImageFileContentPart,
    TextContentPart,
    ToolCallContentPart,
    ToolResultContentPart,
    UnknownContentPart,
)


class _UnionClass(type):
    """Metaclass of a callable stand-in for a discriminated union of models."""

    _adapter: TypeAdapter[Any]
    _members: tuple[type, ...]
    _default_type: str
    _new_spelling: str

    def __call__(cls, **fields: Any) -> Any:
        deprecated(f"{cls.__name__}(...)", cls._new_spelling)
        return cls._adapter.validate_python({"type": cls._default_type, **fields})

    def __instancecheck__(cls, instance: object) -> bool:
        return isinstance(instance, cls._members)


class ToolDefinition(metaclass=_UnionClass):
    """A tool of an agent or session. Calling it builds a `ClientSideTool` (the
    default `type="client_side"`) or a `BuiltinTool` (`type="builtin"`)."""

    _adapter: ClassVar[TypeAdapter[Any]] = TypeAdapter(_ToolDefinitionUnion)
    _members = (BuiltinTool, ClientSideTool, UnknownToolDefinition)
    _default_type = "client_side"
    _new_spelling = "everruns_sdk.types.ClientSideTool(...) or the @tool decorator"


class ContentPart(metaclass=_UnionClass):
    """A part of a message. Calling it builds the part class of its `type`."""

    _adapter: ClassVar[TypeAdapter[Any]] = TypeAdapter(_ContentPartUnion)
    _members = (
        TextContentPart,
        ImageContentPart,
        ImageFileContentPart,
        ToolCallContentPart,
        ToolResultContentPart,
        UnknownContentPart,
    )
    _default_type = "text"
    _new_spelling = "everruns_sdk.types.TextContentPart(...) (one class per part type)"

    @staticmethod
    def make_text(text: str) -> TextContentPart:
        deprecated("ContentPart.make_text()", "a plain string (messages.create(session_id, text))")
        return TextContentPart(text=text)

    @staticmethod
    def make_tool_result(tool_call_id: str, result: Any) -> ToolResultContentPart:
        deprecated("ContentPart.make_tool_result()", "client.messages.tool_result()")
        return ToolResultContentPart(tool_call_id=tool_call_id, result=result)

    @staticmethod
    def make_tool_error(tool_call_id: str, error: str) -> ToolResultContentPart:
        deprecated("ContentPart.make_tool_error()", "client.messages.tool_error()")
        return ToolResultContentPart(tool_call_id=tool_call_id, error=error)


class MessageInput(EverrunsModel):
    """A message as 0.3.x built it (`role` and `content` parts)."""

    role: str
    content: list[Any]

    @staticmethod
    def tool_results(results: Sequence[Any]) -> MessageInput:
        deprecated("MessageInput.tool_results()", "client.messages.submit_tool_results()")
        return MessageInput(role="tool_result", content=list(results))


class ListResponse(EverrunsModel):
    """A page as 0.3.x returned it from `list_page` (ours: `everruns_sdk.Page`)."""

    data: list[Any]
    total: int = 0
    offset: int = 0
    limit: int = 0


class ListEventsOptions(EverrunsModel):
    """The filters of `events.list`, as one model (ours: keyword arguments)."""


AnalyzeAgentRequest = PreviewAgentRequest
ToolCallInfo = ToolCall  # same fields: id, name, arguments


class _NotOfferedRecord(EverrunsModel):
    """Base of the records of APIs this server does not offer: any field is kept."""


class Budget(_NotOfferedRecord):
    """A budget (budgets API: not offered by this server API)."""


class BudgetCheckResult(_NotOfferedRecord):
    """The result of a budget check (budgets API: not offered)."""


class BudgetPeriod(_NotOfferedRecord):
    """The period of a budget (budgets API: not offered)."""


class CreateBudgetRequest(_NotOfferedRecord):
    """A new budget (budgets API: not offered)."""


class UpdateBudgetRequest(_NotOfferedRecord):
    """Changes to a budget (budgets API: not offered)."""


class TopUpRequest(_NotOfferedRecord):
    """A budget top-up (budgets API: not offered)."""


class LedgerEntry(_NotOfferedRecord):
    """A budget ledger entry (budgets API: not offered)."""


class Connection(_NotOfferedRecord):
    """A user connection to a model provider (connections API: not offered)."""


class SetConnectionRequest(_NotOfferedRecord):
    """A new user connection (connections API: not offered)."""


class ResumeSessionResponse(_NotOfferedRecord):
    """The answer of a session resume (not offered by this server API)."""


class SetSecretsRequest(_NotOfferedRecord):
    """Secrets to set on a session (not offered by this server API)."""
