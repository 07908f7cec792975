"""The state the contract scenarios need, built through the SDK itself.

`World.build()` creates, with ordinary SDK calls, everything the operations work on: an
agent with two versions and a health-check run, a harness, a session (with a finished
turn, files in its workspace, a database and an uploaded image), a second workspace and
a memory with a file. Nothing is assumed about the server: against a foreign server
(`target == "remote"`) a step that the server refuses falls back to a well-formed
placeholder ID, so the operations that need it still send a valid request (and get an
error answer, which the suite accepts there). Against the local server every step must
succeed.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
import time
import uuid
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from everruns_sdk import Everruns
from everruns_sdk._errors import EverrunsError

T = TypeVar("T")

LOCAL_WAIT = 10.0  # seconds a local turn may take (it takes milliseconds)
REMOTE_WAIT = 15.0  # a real model may take a while; a mock may never get there

ORDER_TOOL: dict[str, Any] = {
    "type": "client_side",
    "name": "lookup_order",
    "description": "Look up an order by its ID and return its shipping status.",
    "parameters": {
        "type": "object",
        "properties": {"order_id": {"type": "string"}},
        "required": ["order_id"],
    },
}
FILE_PATH = "docs/hello world #1.md"  # a space and a "#": segments must be encoded
MEMORY_FILE_PATH = "notes/to-do list?.md"
FILE_TEXT = "# Hello\n\nhello contract suite\n"


def tiny_png() -> bytes:
    """A valid 1x1 RGBA PNG, built here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x20\x80\xff\xff")  # filter byte + one RGBA pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def placeholder(prefix: str) -> str:
    """A well-formed ID of a resource the server would not create (`agent_<32 hex>`)."""
    return f"{prefix}_{uuid.uuid4().hex}"


@dataclass
class Invocation:
    """How a scenario calls its SDK method: arguments, and for a stream how to read it."""

    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    consume: Callable[[Any], Awaitable[list[Any]]] | None = None
    expect: Callable[[Any], None] | None = None  # a semantic check, local server only


def call(*args: Any, **kwargs: Any) -> Invocation:
    return Invocation(args, kwargs)


class World:
    """IDs of the resources the scenarios use; helpers to make throwaway ones."""

    def __init__(self, client: Everruns, target: str, emulator: Any = None) -> None:
        self.client = client
        self.target = target
        self.emulator = emulator  # the local server, to script its model; None remotely
        self.run = uuid.uuid4().hex[:8]
        self._cleanup: list[tuple[str, tuple[str, ...]]] = []
        self.agent_id = self.agent_name = ""
        self.version_ids: list[str] = []
        self.health_run_id = self.harness_id = self.model_id = self.capability_id = ""
        self.guardrail_config: dict[str, Any] = {}
        self.session_id = self.workspace_id = self.first_event_id = ""
        self.other_workspace_id = self.memory_id = self.db_name = self.image_id = ""

    @property
    def local(self) -> bool:
        return self.target == "local"

    def name(self, kind: str) -> str:
        """A unique slug for this run: `ct-agent-1a2b3c4d-<n>`."""
        return f"ct-{kind}-{self.run}-{uuid.uuid4().hex[:6]}"

    async def step(self, action: Awaitable[T], fallback: T) -> T:
        """Run a setup step; remotely a refusal yields `fallback` instead of failing."""
        if self.local:
            return await action
        try:
            return await action
        except EverrunsError:
            return fallback

    def track(self, delete: str, *args: str) -> None:
        """Delete this resource at the end of the run (`delete` is a dotted SDK method)."""
        self._cleanup.append((delete, args))

    # -- the shared state -----------------------------------------------------------

    async def build(self) -> None:
        c = self.client
        self.agent_name = self.name("agent")
        agent = await self.step(
            c.agents.create(
                self.agent_name,
                "You answer questions about orders, briefly and politely.",
                description="Created by the SDK contract suite.",
                tags=["contract"],
            ),
            None,
        )
        self.agent_id = agent.id if agent else placeholder("agent")
        self.track("agents.delete", self.agent_id)
        for kind, prompt in (("minor", None), ("patch", "You answer questions about orders.")):
            if prompt is not None:
                await self.step(c.agents.update(self.agent_id, system_prompt=prompt), None)
            version = await self.step(
                c.agents.versions.create(self.agent_id, summary=f"{kind} change", change_kind=kind),
                None,
            )
            self.version_ids.append(version.id if version else placeholder("agentver"))
        run = await self.step(c.agents.health_checks.run(self.agent_id), None)
        self.health_run_id = run.id if run else placeholder("hcrun")
        harness = await self.step(
            c.harnesses.create(self.name("harness"), description="Contract suite harness."),
            None,
        )
        self.harness_id = harness.id if harness else placeholder("harness")
        self.track("harnesses.delete", self.harness_id)
        models = await self.step(c.models.list(), [])
        self.model_id = models[0].id if models else placeholder("model")
        capabilities = await self.step(c.capabilities.list(limit=5), None)
        self.capability_id = (
            capabilities.data[0].id if capabilities and capabilities.data else "current_time"
        )
        examples = await self.step(c.capabilities.guardrail_examples(), [])
        self.guardrail_config = examples[0].config if examples else {"checks": []}

        self.session_id = await self.new_session(title="Contract suite session")
        session = await self.step(c.sessions.get(self.session_id), None)
        self.workspace_id = session.workspace_id if session else placeholder("wsp")
        await self.step(c.messages.create(self.session_id, "Hello! Where is order A-1?"), None)
        await self.wait_for_status(self.session_id, "idle")
        events = await self.step(c.events.list(self.session_id), [])
        self.first_event_id = events[0].id if events and events[0].id else placeholder("event")
        await self.step(c.workspace_files.create(self.workspace_id, FILE_PATH, FILE_TEXT), None)
        self.db_name = "contract_db"
        await self.step(c.session_databases.create(self.session_id, self.db_name), None)
        image = await self.step(
            c.images.upload(tiny_png(), filename="pixel.png", session_id=self.session_id), None
        )
        self.image_id = image.id if image else placeholder("img")
        self.track("images.delete", self.image_id)
        if self.emulator is not None:  # storage has no write endpoint: seed it
            self.emulator.store.set_storage_key(self.session_id, "greeting", "hello")
            self.emulator.store.set_secret(self.session_id, "ORDERS_API_TOKEN")

        self.other_workspace_id = await self.new_workspace()
        memory = await self.step(
            c.memories.create(self.name("memory"), description="Contract suite memory."), None
        )
        self.memory_id = memory.id if memory else placeholder("mem")
        self.track("memories.delete", self.memory_id)
        await self.step(
            c.memory_files.create(self.memory_id, MEMORY_FILE_PATH, "- remember the milk\n"),
            None,
        )

    # -- throwaway resources ----------------------------------------------------------

    async def new_agent(self) -> str:
        agent = await self.step(
            self.client.agents.create(self.name("agent"), "A throwaway agent."), None
        )
        agent_id = agent.id if agent else placeholder("agent")
        self.track("agents.delete", agent_id)
        return agent_id

    async def new_session(self, **fields: Any) -> str:
        create = self.client.sessions.create(agent_id=self.agent_id, **fields)
        session = await self.step(create, None)
        session_id = session.id if session else placeholder("session")
        self.track("sessions.delete", session_id)
        return session_id

    async def new_harness(self) -> str:
        harness = await self.step(self.client.harnesses.create(self.name("harness")), None)
        harness_id = harness.id if harness else placeholder("harness")
        self.track("harnesses.delete", harness_id)
        return harness_id

    async def new_workspace(self) -> str:
        workspace = await self.step(self.client.workspaces.create(self.name("workspace")), None)
        workspace_id = workspace.id if workspace else placeholder("wsp")
        self.track("workspaces.delete", workspace_id)
        return workspace_id

    async def new_memory(self, **fields: Any) -> str:
        memory = await self.step(self.client.memories.create(self.name("memory"), **fields), None)
        memory_id = memory.id if memory else placeholder("mem")
        self.track("memories.delete", memory_id)
        return memory_id

    async def new_file(self, path: str, content: str = "scratch\n") -> str:
        """A file in the session's workspace; returns its path."""
        await self.step(self.client.workspace_files.create(self.workspace_id, path, content), None)
        return path

    # -- waiting for a turn -----------------------------------------------------------

    async def wait_for_status(self, session_id: str, *statuses: str) -> str | None:
        """Poll the session until its status is one of `statuses`; the last status seen.

        Locally the status must come; remotely the wait is bounded and may end early.
        """
        deadline = time.monotonic() + (LOCAL_WAIT if self.local else REMOTE_WAIT)
        status: str | None = None
        while True:
            session = await self.step(self.client.sessions.get(session_id), None)
            status = None if session is None else str(session.status)
            if status in statuses or session is None:
                return status
            if time.monotonic() > deadline:
                if self.local:
                    raise AssertionError(f"session {session_id} stayed {status}, not {statuses}")
                return status
            await asyncio.sleep(0.01)

    async def requested_tool_call(self, session_id: str) -> str | None:
        """The ID of the client-side tool call the session waits for, if any."""
        status = await self.wait_for_status(session_id, "waiting_for_tool_results", "idle")
        if status != "waiting_for_tool_results":
            if self.local:
                raise AssertionError(f"session {session_id} is {status}, not waiting for tools")
            return None
        events = await self.step(
            self.client.events.list(session_id, types=["tool.call_requested"]), []
        )
        for event in reversed(events):
            calls = getattr(getattr(event, "data", None), "tool_calls", None) or []
            if calls:
                return str(calls[0].id)
        return None

    # -- the end ----------------------------------------------------------------------

    async def cleanup(self) -> None:
        """Best effort: delete what the run created, newest first."""
        from operations import resolve

        for dotted, args in reversed(self._cleanup):
            with contextlib.suppress(EverrunsError):
                await resolve(self.client, dotted)(*args)
        self._cleanup.clear()
