"""Turn runs: the scripted model driving a session's events, one asyncio task per turn.

Runs in the server's event loop. Turns of one session run one after the
other; `TurnRunner.cancel` and `TurnRunner.submit_tool_results`
are called by the routes, in the same loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field, replace
from typing import Any

from ._ids import new_id
from ._problems import ApiError, bad_request
from ._script import Reply, Script, ScriptedToolCall, TurnContext
from ._store import Store

__all__ = ["DEFAULT_MAX_ITERATIONS", "MODEL_NAME", "TurnRunner", "TurnStart"]

JSON = dict[str, Any]
MODEL_NAME = "llmsim"
DEFAULT_MAX_ITERATIONS = 50


class _SessionGone(Exception):
    """The session was deleted (or the state reset) while its turn ran."""


@dataclass
class TurnStart:
    """Everything a turn needs from the message that started it."""

    message: JSON
    turn_id: str
    exec_id: str
    trace_id: str
    tags: list[str]


@dataclass
class _Runtime:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    current: asyncio.Task[None] | None = None
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    waiting: asyncio.Future[None] | None = None
    pending: dict[str, ScriptedToolCall] = field(default_factory=dict)
    received: dict[str, JSON] = field(default_factory=dict)


def _tokens(text: str) -> int:
    return len(text) // 4 + 1


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


class _Turn:
    """One turn: emits its events through the store."""

    def __init__(self, runner: TurnRunner, session_id: str, start: TurnStart) -> None:
        self.runner = runner
        self.store = runner.store
        self.sid = session_id
        self.start = start
        self.context: JSON = {
            "turn_id": start.turn_id,
            "input_message_id": start.message["id"],
            "exec_id": start.exec_id,
            "trace_id": start.trace_id,
        }
        self.usage = {"input_tokens": 0, "output_tokens": 0}

    def emit(self, type_: str, data: JSON) -> JSON:
        try:
            return self.store.append_event(
                self.sid, type_, data, context=self.context, tags=self.start.tags
            )
        except KeyError as exc:
            raise _SessionGone from exc

    def session(self) -> JSON:
        session = self.store.session(self.sid)
        if session is None:
            raise _SessionGone
        return session

    def set_status(self, status: str, **fields: Any) -> None:
        self.store.update_session(self.sid, status=status, **fields)

    def add_usage(self, input_tokens: int, output_tokens: int) -> JSON:
        self.usage["input_tokens"] += input_tokens
        self.usage["output_tokens"] += output_tokens
        return {"input_tokens": input_tokens, "output_tokens": output_tokens}

    def _agent(self, session: JSON) -> JSON | None:
        agent_id = session.get("agent_id")
        if not agent_id:
            return None
        with self.store.lock:
            org = self.store.org_of_session(self.sid)
            agent = org.agents.get(agent_id) if org else None
            return dict(agent) if agent else None

    async def run(self) -> None:
        t0 = time.monotonic()
        tid = self.start.turn_id
        session = self.session()
        agent = self._agent(session)
        client_tools = {
            t.get("name")
            for t in [*(session.get("tools") or []), *((agent or {}).get("tools") or [])]
            if t.get("type") == "client_side"
        }
        max_iter = session.get("max_iterations") or (agent or {}).get("max_iterations")
        max_iter = max_iter or DEFAULT_MAX_ITERATIONS
        input_text = " ".join(
            p.get("text", "") for p in self.start.message["content"] if p.get("type") == "text"
        )
        self.set_status(
            "active", started_at=session.get("started_at") or self.start.message["created_at"]
        )
        msg_id = self.start.message["id"]
        self.emit(
            "turn.started",
            {"turn_id": tid, "input_message_id": msg_id, "input_content": input_text},
        )
        self.emit("session.activated", {"turn_id": tid, "input_message_id": msg_id})
        iterations = 0
        tool_call_count = 0
        tool_results: list[JSON] = []
        final: JSON | None = None
        while True:
            iterations += 1
            if iterations > max_iter:
                self.fail(f"Maximum iterations ({max_iter}) reached", "max_iterations_exceeded")
                return
            self.emit(
                "reason.started",
                {
                    "harness_id": session["harness_id"],
                    "agent_id": session.get("agent_id"),
                    "metadata": {"model": MODEL_NAME},
                },
            )
            ctx = TurnContext(
                session_id=self.sid,
                agent_id=session.get("agent_id"),
                agent_name=(agent or {}).get("name"),
                turn_id=tid,
                iteration=iterations,
                input_text=input_text,
                input_message=self.start.message,
                tool_results=tool_results,
                messages=self.store.messages(self.sid),
            )
            try:
                reply = self.runner.script.next_reply(ctx)
            except Exception as exc:
                reply = Reply.failure(f"Scripted reply raised {exc!r}", error_code="script_error")
            # Copies: a Reply object queued twice must not share tool call IDs.
            reply = replace(reply, tool_calls=[replace(c) for c in reply.tool_calls])
            if reply.hang:
                await asyncio.Event().wait()
            if reply.error is not None:
                self.emit(
                    "reason.completed",
                    {
                        "success": False,
                        "error": reply.error,
                        "has_tool_calls": False,
                        "tool_call_count": 0,
                    },
                )
                self.fail(reply.error, reply.error_code)
                return
            message = await self.respond(reply, iterations, input_text)
            calls = list(reply.tool_calls)
            if not calls:
                final = message
                break
            tool_call_count += len(calls)
            server = [c for c in calls if not self._is_client(c, client_tools)]
            client = [c for c in calls if self._is_client(c, client_tools)]
            tool_results = self.run_server_tools(server) if server else []
            if client:
                tool_results += await self.wait_for_client(client)
        text = "".join(p.get("text", "") for p in final["content"] if p.get("type") == "text")
        self.set_status("idle", output_preview=text[:200], usage=self._session_usage())
        self.emit(
            "turn.completed",
            {
                "turn_id": tid,
                "iterations": iterations,
                "status": "completed",
                "final_message_id": final["id"],
                "final_answer_preview": text[:200],
                "input_content": input_text,
                "duration_ms": int((time.monotonic() - t0) * 1000),
                "llm_call_count": iterations,
                "tool_call_count": tool_call_count,
                "usage": dict(self.usage),
            },
        )
        self.emit(
            "session.idled", {"turn_id": tid, "iterations": iterations, "usage": dict(self.usage)}
        )

    def _session_usage(self) -> JSON:
        before = self.session().get("usage") or {"input_tokens": 0, "output_tokens": 0}
        return {
            "input_tokens": before["input_tokens"] + self.usage["input_tokens"],
            "output_tokens": before["output_tokens"] + self.usage["output_tokens"],
        }

    @staticmethod
    def _is_client(call: ScriptedToolCall, client_tools: set[Any]) -> bool:
        return call.client_side if call.client_side is not None else call.name in client_tools

    async def respond(self, reply: Reply, iteration: int, input_text: str) -> JSON:
        """Stream thinking and text, store the agent message, close the reason cycle."""
        tid = self.start.turn_id
        t0 = time.monotonic()
        if reply.thinking:
            self.emit("reason.thinking.started", {"turn_id": tid, "model": MODEL_NAME})
            acc = ""
            for i, piece in enumerate(_chunks(reply.thinking, reply.chunk_size)):
                if i and reply.delay:
                    await asyncio.sleep(reply.delay)
                acc += piece
                self.emit(
                    "reason.thinking.delta", {"turn_id": tid, "delta": piece, "accumulated": acc}
                )
            self.emit("reason.thinking.completed", {"turn_id": tid, "thinking": reply.thinking})
        text = reply.text or ""
        for call in reply.tool_calls:
            call.id = call.id or new_id("call")
        self.emit(
            "output.message.started", {"turn_id": tid, "iteration": iteration, "model": MODEL_NAME}
        )
        acc = ""
        for i, piece in enumerate(_chunks(text, reply.chunk_size)):
            if i and reply.delay:
                await asyncio.sleep(reply.delay)
            acc += piece
            self.emit("output.message.delta", {"turn_id": tid, "delta": piece, "accumulated": acc})
        content: list[JSON] = (
            [{"type": "text", "text": text}] if text or not reply.tool_calls else []
        )
        content += [
            {"type": "tool_call", "id": c.id, "name": c.name, "arguments": c.arguments}
            for c in reply.tool_calls
        ]
        extra: JSON = {"phase": "Commentary" if reply.tool_calls else "FinalAnswer"}
        if reply.thinking:
            extra["thinking"] = reply.thinking
        try:
            message = self.store.append_message(self.sid, "agent", content, **extra)
        except KeyError as exc:
            raise _SessionGone from exc
        usage = self.add_usage(_tokens(input_text), _tokens(text + (reply.thinking or "")))
        self.emit(
            "output.message.completed",
            {"message": message, "usage": usage, "metadata": {"model": MODEL_NAME}},
        )
        self.emit(
            "reason.completed",
            {
                "success": True,
                "has_tool_calls": bool(reply.tool_calls),
                "tool_call_count": len(reply.tool_calls),
                "text_preview": text[:200] or None,
                "duration_ms": int((time.monotonic() - t0) * 1000),
                "usage": usage,
            },
        )
        return message

    def _store_result(self, call: ScriptedToolCall, result: Any, error: str | None) -> JSON:
        part: JSON = {"type": "tool_result", "tool_call_id": call.id}
        if error is not None:
            part["error"] = error
        else:
            part["result"] = result
        try:
            self.store.append_message(self.sid, "tool_result", [part])
        except KeyError as exc:
            raise _SessionGone from exc
        return {"tool_call_id": call.id, "name": call.name, "result": result, "error": error}

    def run_server_tools(self, calls: list[ScriptedToolCall]) -> list[JSON]:
        summaries = [{"id": c.id, "name": c.name} for c in calls]
        self.emit("act.started", {"tool_calls": summaries})
        results = []
        errors = 0
        for call in calls:
            tool_call = {"id": call.id, "name": call.name, "arguments": call.arguments}
            self.emit("tool.started", {"tool_call": tool_call})
            error = call.error
            result: Any = None
            if error is None:
                try:
                    result = call.result(call.arguments) if callable(call.result) else call.result
                    if result is None:
                        result = {"ok": True}
                except Exception as exc:
                    error = f"{type(exc).__name__}: {exc}"
            errors += error is not None
            shown = result if isinstance(result, str) else json.dumps(result, sort_keys=True)
            self.emit(
                "tool.completed",
                {
                    "tool_call_id": call.id,
                    "tool_name": call.name,
                    "success": error is None,
                    "status": "success" if error is None else "error",
                    "result": None if error else [{"type": "text", "text": shown}],
                    "error": error,
                    "duration_ms": 0,
                },
            )
            results.append(self._store_result(call, result, error))
        self.emit(
            "act.completed",
            {"completed": True, "success_count": len(calls) - errors, "error_count": errors},
        )
        return results

    async def wait_for_client(self, calls: list[ScriptedToolCall]) -> list[JSON]:
        rt = self.runner.runtime(self.sid)
        rt.pending = {c.id: c for c in calls if c.id}
        rt.received = {}
        rt.waiting = asyncio.get_running_loop().create_future()
        tool_calls = [{"id": c.id, "name": c.name, "arguments": c.arguments} for c in calls]
        self.set_status("waiting_for_tool_results")
        self.emit(
            "tool.call_requested",
            {
                "tool_calls": tool_calls,
                "tool_summaries": [{"id": c.id, "name": c.name} for c in calls],
            },
        )
        try:
            await rt.waiting
        finally:
            rt.waiting = None
            rt.pending = {}
        results = []
        for call in calls:
            got = rt.received.get(call.id or "", {})
            results.append(self._store_result(call, got.get("result"), got.get("error")))
        return results

    def fail(self, error: str, error_code: str | None) -> None:
        self.set_status("idle", usage=self._session_usage())
        self.emit(
            "turn.failed", {"turn_id": self.start.turn_id, "error": error, "error_code": error_code}
        )

    def cancelled(self) -> None:
        self.set_status("idle", usage=self._session_usage())
        self.emit(
            "turn.cancelled",
            {"turn_id": self.start.turn_id, "reason": "cancelled", "usage": dict(self.usage)},
        )


class TurnRunner:
    """Starts, cancels and resumes turns."""

    def __init__(self, store: Store, script: Script) -> None:
        self.store = store
        self.script = script
        self._runtimes: dict[str, _Runtime] = {}

    def runtime(self, session_id: str) -> _Runtime:
        rt = self._runtimes.get(session_id)
        if rt is None:
            rt = self._runtimes[session_id] = _Runtime()
        return rt

    def start(self, session_id: str, start: TurnStart) -> None:
        rt = self.runtime(session_id)
        task = asyncio.get_running_loop().create_task(self._run(session_id, start, rt))
        rt.tasks.add(task)
        task.add_done_callback(rt.tasks.discard)

    async def _run(self, session_id: str, start: TurnStart, rt: _Runtime) -> None:
        async with rt.lock:
            rt.current = asyncio.current_task()
            turn = _Turn(self, session_id, start)
            try:
                await turn.run()
            except asyncio.CancelledError:
                with contextlib.suppress(_SessionGone):
                    turn.cancelled()
            except _SessionGone:
                pass
            except Exception as exc:
                with contextlib.suppress(_SessionGone):
                    turn.fail(f"Internal error: {exc!r}", "internal_error")
            finally:
                rt.current = None

    async def cancel(self, session_id: str) -> bool:
        """Cancel the running turn and wait until it has ended; False if none ran."""
        rt = self._runtimes.get(session_id)
        task = rt.current if rt else None
        if task is None or task.done():
            return False
        task.cancel()
        await asyncio.wait({task}, timeout=5)
        return True

    def submit_tool_results(self, session_id: str, results: list[JSON]) -> tuple[int, str]:
        """Record client tool results; resume the turn once all have arrived."""
        rt = self._runtimes.get(session_id)
        if rt is None or rt.waiting is None or rt.waiting.done():
            raise ApiError(
                409,
                "session_not_waiting_for_tool_results",
                f"Session {session_id} is not waiting for tool results.",
            )
        for item in results:
            if item["tool_call_id"] not in rt.pending:
                raise bad_request(
                    f"tool_results: unknown tool_call_id '{item['tool_call_id']}'",
                    code="unknown_tool_call",
                )
        for item in results:
            rt.received[item["tool_call_id"]] = item
        if set(rt.pending) <= set(rt.received):
            self.store.update_session(session_id, status="active")
            rt.waiting.set_result(None)
            return len(results), "resumed"
        return len(results), "waiting"

    async def forget(self, session_id: str) -> None:
        """Stop every turn of a deleted session."""
        rt = self._runtimes.pop(session_id, None)
        if rt is not None:
            await self._stop(rt.tasks)

    async def shutdown(self) -> None:
        """Stop every turn (server shutdown or reset)."""
        tasks = {t for rt in self._runtimes.values() for t in rt.tasks}
        self._runtimes.clear()
        await self._stop(tasks)

    @staticmethod
    async def _stop(tasks: set[asyncio.Task[None]]) -> None:
        tasks = {t for t in tasks if not t.done()}
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
