"""The scripted model: what the emulator's "LLM" answers, one reply per model call.

A turn runs reason cycles: each asks the script for the next `Reply`.
A reply with tool calls makes the turn act (server-side tools run at once,
client-side ones wait for ``POST /v1/sessions/{id}/tool-results``) and then
reason again; a reply without tool calls ends the turn. So::

    emulator.script.add(Reply.tool("search", {"q": "rust"}, result={"hits": 3}), "Found 3.")

scripts a two-cycle turn. Replies are queued per session, per agent (ID or
name) or globally, and taken in that order of preference; when nothing is
queued the default model answers ``"Echo: <input text>"``, or, right after tool
results, ``"Tool results: <name> -> <JSON result>; ..."``.

A queued item may be a `Reply`, a string (a text reply) or a callable
receiving a `TurnContext` and returning either.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "Reply",
    "ReplySource",
    "Script",
    "ScriptedToolCall",
    "TurnContext",
    "default_reply",
]

DEFAULT_CHUNK_SIZE = 8


@dataclass
class ScriptedToolCall:
    """A tool call made by the scripted model.

    ``client_side=None`` lets the session decide: the call waits for the client
    when the session (or its agent) declares a ``client_side`` tool of that name,
    and otherwise runs on the server, answering ``result`` (a JSON value or a
    callable receiving the arguments) or failing with ``error``.
    """

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    client_side: bool | None = None
    result: Any = None
    error: str | None = None


@dataclass
class Reply:
    """One answer of the scripted model (one reason cycle).

    ``text`` is streamed as ``output.message.delta`` events of ``chunk_size``
    characters, ``delay`` seconds apart; ``thinking`` is streamed first as
    ``reason.thinking.*`` events. ``error`` fails the turn (``turn.failed`` with
    ``error_code``). ``hang`` blocks the turn until it is cancelled.
    """

    text: str | None = None
    thinking: str | None = None
    tool_calls: list[ScriptedToolCall] = field(default_factory=list)
    error: str | None = None
    error_code: str | None = None
    chunk_size: int = DEFAULT_CHUNK_SIZE
    delay: float = 0.0
    hang: bool = False

    def __post_init__(self) -> None:
        if self.chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")

    @classmethod
    def tool(
        cls,
        name: str,
        arguments: dict[str, Any] | None = None,
        *,
        result: Any = None,
        error: str | None = None,
        id: str | None = None,
        client_side: bool | None = None,
        text: str | None = None,
    ) -> Reply:
        """A reply calling one tool (server-side unless the session declares it client-side)."""
        call = ScriptedToolCall(name, dict(arguments or {}), id, client_side, result, error)
        return cls(text=text, tool_calls=[call])

    @classmethod
    def client_tool(
        cls, name: str, arguments: dict[str, Any] | None = None, *, id: str | None = None
    ) -> Reply:
        """A reply calling a client-side tool: the turn waits for the client's results."""
        return cls(tool_calls=[ScriptedToolCall(name, dict(arguments or {}), id, True)])

    @classmethod
    def tools(cls, *calls: ScriptedToolCall, text: str | None = None) -> Reply:
        """A reply calling several tools at once."""
        return cls(text=text, tool_calls=list(calls))

    @classmethod
    def failure(cls, error: str = "Model error", *, error_code: str = "model_error") -> Reply:
        """A reply that fails the turn with ``turn.failed``."""
        return cls(error=error, error_code=error_code)

    @classmethod
    def hanging(cls) -> Reply:
        """A reply that never comes: the turn runs until ``POST .../cancel``."""
        return cls(hang=True)


@dataclass(frozen=True)
class TurnContext:
    """What a callable reply sees."""

    session_id: str
    agent_id: str | None
    agent_name: str | None
    turn_id: str
    iteration: int
    input_text: str
    input_message: dict[str, Any]
    tool_results: list[dict[str, Any]]
    messages: list[dict[str, Any]]


ReplySource = Reply | str | Callable[[TurnContext], Reply | str]


def _as_reply(value: Reply | str) -> Reply:
    if isinstance(value, Reply):
        return value
    if isinstance(value, str):
        return Reply(text=value)
    raise TypeError(f"a scripted reply must be a Reply or a str, not {type(value).__name__}")


def default_reply(ctx: TurnContext) -> Reply:
    """The model's answer when nothing is scripted."""
    if ctx.tool_results:
        parts = []
        for res in ctx.tool_results:
            value = {"error": res["error"]} if res.get("error") else res.get("result")
            parts.append(f"{res['name']} -> {json.dumps(value, sort_keys=True)}")
        return Reply(text="Tool results: " + "; ".join(parts))
    return Reply(text=f"Echo: {ctx.input_text}")


class Script:
    """Queues of scripted replies (``emulator.script``). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._global: deque[ReplySource] = deque()
        self._by_session: dict[str, deque[ReplySource]] = {}
        self._by_agent: dict[str, deque[ReplySource]] = {}
        self._default: Callable[[TurnContext], Reply | str] = default_reply

    def add(
        self, *replies: ReplySource, session_id: str | None = None, agent: str | None = None
    ) -> Script:
        """Queue replies, one per model call, for a session, an agent (ID or name) or all."""
        if session_id is not None and agent is not None:
            raise ValueError("give session_id or agent, not both")
        with self._lock:
            if session_id is not None:
                queue = self._by_session.setdefault(session_id, deque())
            elif agent is not None:
                queue = self._by_agent.setdefault(agent, deque())
            else:
                queue = self._global
            queue.extend(replies)
        return self

    def reply(self, text: str, **options: Any) -> Script:
        """Queue one text reply for any session (options as for `Reply`)."""
        return self.add(Reply(text=text, **options))

    def set_default(self, responder: Callable[[TurnContext], Reply | str] | None) -> None:
        """Replace the answer used when nothing is queued (None: the echo model)."""
        with self._lock:
            self._default = responder or default_reply

    def pending(self, *, session_id: str | None = None, agent: str | None = None) -> int:
        """How many queued replies are left (global queue by default)."""
        with self._lock:
            if session_id is not None:
                return len(self._by_session.get(session_id, ()))
            if agent is not None:
                return len(self._by_agent.get(agent, ()))
            return len(self._global)

    def clear(self) -> None:
        """Forget every queued reply and restore the default model."""
        with self._lock:
            self._global.clear()
            self._by_session.clear()
            self._by_agent.clear()
            self._default = default_reply

    def next_reply(self, ctx: TurnContext) -> Reply:
        """Take the reply for this model call (server side)."""
        with self._lock:
            source: ReplySource | Callable[[TurnContext], Reply | str] | None = None
            queues = [self._by_session.get(ctx.session_id)]
            queues += [self._by_agent.get(k) for k in (ctx.agent_id, ctx.agent_name) if k]
            queues.append(self._global)
            for queue in queues:
                if queue:
                    source = queue.popleft()
                    break
            if source is None:
                source = self._default
        if callable(source):
            return _as_reply(source(ctx))
        return _as_reply(source)
