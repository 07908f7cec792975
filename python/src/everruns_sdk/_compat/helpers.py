"""0.3.x helper functions and small classes at the package root.

`generate_agent_id` and friends are what `client.agents.generate_id()` and the name
checks of `agents.create` already do; `extract_tool_calls` reads the tool calls of a
`tool.call_requested` event, which our typed event has as `event.data.tool_calls`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from everruns_sdk._compat._warn import deprecated, not_offered
from everruns_sdk._config import ENV_API_KEY, Secret
from everruns_sdk._errors import ValidationError
from everruns_sdk._ids import generate_agent_id as _agent_id
from everruns_sdk._ids import generate_harness_id as _harness_id
from everruns_sdk._ids import validate_name
from everruns_sdk.types._generated.event_data import ToolCall


def generate_agent_id() -> str:
    """A new `agent_<32 hex>` ID for `agents.apply`."""
    deprecated("everruns_sdk.generate_agent_id()", "client.agents.generate_id()")
    return _agent_id()


def generate_harness_id() -> str:
    """A new `harness_<32 hex>` ID for `harnesses.create(id=...)`."""
    deprecated("everruns_sdk.generate_harness_id()", "client.harnesses.generate_id()")
    return _harness_id()


def validate_agent_name(name: str) -> str:
    """`name` if it is a valid agent name (a slug of at most 64 characters); raises
    ValidationError, a ValueError, otherwise."""
    deprecated(
        "everruns_sdk.validate_agent_name()", "agents.apply_by_name(), which checks the name"
    )
    return validate_name(name, kind="agent")


def validate_harness_name(name: str) -> str:
    """`name` if it is a valid harness name; raises ValidationError (a ValueError)."""
    deprecated("everruns_sdk.validate_harness_name()", "harnesses.create(), which checks the name")
    return validate_name(name, kind="harness")


def extract_tool_calls(data: Mapping[str, Any] | Any) -> list[ToolCall]:
    """The tool calls in the data of a `tool.call_requested` event: a dict (0.3.x
    events) or our typed event data. Arguments sent as a JSON string are decoded."""
    deprecated(
        "everruns_sdk.extract_tool_calls(event.data)",
        "event.data.tool_calls of the typed ToolCallRequestedEvent",
    )
    calls = data.get("tool_calls") if isinstance(data, Mapping) else data.tool_calls
    found: list[ToolCall] = []
    for call in calls or []:
        fields = call if isinstance(call, Mapping) else call.model_dump()
        arguments = fields.get("arguments")
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments)
            except ValueError:
                raise ValidationError(
                    f"tool call {fields.get('id')!r} has arguments that are not JSON"
                ) from None
        found.append(ToolCall.model_validate({**fields, "arguments": arguments or {}}))
    return found


class ApiKey:
    """An API key whose repr is masked (ours: `Everruns(api_key=...)` keeps it masked)."""

    def __init__(self, key: str) -> None:
        deprecated("everruns_sdk.ApiKey", "Everruns(api_key=...)")
        self._secret = Secret(key)

    @classmethod
    def from_env(cls, env_var: str = ENV_API_KEY) -> ApiKey:
        value = os.environ.get(env_var)
        if not value:
            raise ValidationError(f"No API key: set the {env_var} environment variable.")
        return cls(value)

    @property
    def value(self) -> str:
        return self._secret.get()

    def __repr__(self) -> str:
        return f"ApiKey({self._secret.masked!r})"


class AgentClient:
    """The separate agent-execution API client of 0.3.x: not offered by this server API.

    The name imports so that programs which only import it start; creating one raises
    NotOfferedError.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise not_offered("everruns_sdk.AgentClient", "agent-execution API")
