"""In-memory state of the emulator: one `OrgState` per organization.

Every read and write goes through `Store.lock` (a re-entrant lock), so the
server thread and the test thread can both use the store. Resources are kept as
plain JSON-like dicts shaped like the API's response objects (without the
``*_url`` fields, which depend on the request). The read helpers return deep
copies, for assertions in tests.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._clock import now_iso
from ._fs import FileTree
from ._ids import new_id

__all__ = ["DEFAULT_ORG_ID", "GENERIC_HARNESS_ID", "ImageRecord", "OrgState", "Store"]

JSON = dict[str, Any]

DEFAULT_ORG_ID = "org_00000000000000000000000000000001"
DEFAULT_PRINCIPAL_ID = "principal_00000000000000000000000000000001"
# The built-in harness every organization has; a fixed ID so tests can name it.
GENERIC_HARNESS_ID = "harness_00000000000070008000000000000001"
_EPOCH = "2025-01-01T00:00:00.000Z"


@dataclass
class ImageRecord:
    info: JSON
    data: bytes


def _generic_harness() -> JSON:
    return {
        "id": GENERIC_HARNESS_ID,
        "name": "generic",
        "display_name": "Generic",
        "system_prompt": "You are a helpful assistant.",
        "status": "active",
        "is_built_in": True,
        "capabilities": [],
        "initial_files": [],
        "tags": [],
        "mcpServers": {},
        "embedder_metadata": {},
        "network_access": None,
        "default_model_id": None,
        "parent_harness_id": None,
        "parallel_tool_calls": None,
        "archived_at": None,
        "deleted_at": None,
        "created_at": _EPOCH,
        "updated_at": _EPOCH,
    }


@dataclass
class OrgState:
    """Everything one organization owns."""

    org_id: str
    agents: dict[str, JSON] = field(default_factory=dict)
    agent_versions: dict[str, list[JSON]] = field(default_factory=dict)
    health_checks: dict[str, JSON] = field(default_factory=dict)
    harnesses: dict[str, JSON] = field(default_factory=dict)
    sessions: dict[str, JSON] = field(default_factory=dict)
    events: dict[str, list[JSON]] = field(default_factory=dict)
    messages: dict[str, list[JSON]] = field(default_factory=dict)
    databases: dict[str, dict[str, JSON]] = field(default_factory=dict)
    storage_keys: dict[str, dict[str, JSON]] = field(default_factory=dict)
    storage_secrets: dict[str, dict[str, JSON]] = field(default_factory=dict)
    workspaces: dict[str, JSON] = field(default_factory=dict)
    workspace_files: dict[str, FileTree] = field(default_factory=dict)
    memories: dict[str, JSON] = field(default_factory=dict)
    memory_files: dict[str, FileTree] = field(default_factory=dict)
    images: dict[str, ImageRecord] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.harnesses[GENERIC_HARNESS_ID] = _generic_harness()


class Store:
    """The emulator's state, shared by the server thread and the test thread."""

    def __init__(self, default_org_id: str = DEFAULT_ORG_ID) -> None:
        self.lock = threading.RLock()
        self.default_org_id = default_org_id
        self.orgs: dict[str, OrgState] = {}
        self._session_org: dict[str, str] = {}
        self.on_event: Callable[[str], None] | None = None

    # -- organizations -------------------------------------------------------

    def org(self, org_id: str | None = None) -> OrgState:
        """The state of ``org_id`` (the default org when None), created on first use."""
        key = org_id or self.default_org_id
        with self.lock:
            state = self.orgs.get(key)
            if state is None:
                state = self.orgs[key] = OrgState(key)
            return state

    def reset(self) -> None:
        with self.lock:
            self.orgs.clear()
            self._session_org.clear()

    # -- sessions and their events ---------------------------------------------

    def register_session(self, org: OrgState, session: JSON) -> None:
        with self.lock:
            sid = session["id"]
            org.sessions[sid] = session
            org.events[sid] = []
            org.messages[sid] = []
            org.databases[sid] = {}
            org.storage_keys[sid] = {}
            org.storage_secrets[sid] = {}
            self._session_org[sid] = org.org_id

    def drop_session(self, org: OrgState, session_id: str) -> None:
        with self.lock:
            for table in (
                org.sessions,
                org.events,
                org.messages,
                org.databases,
                org.storage_keys,
                org.storage_secrets,
            ):
                table.pop(session_id, None)
            self._session_org.pop(session_id, None)
        if self.on_event is not None:
            self.on_event(session_id)

    def org_of_session(self, session_id: str) -> OrgState | None:
        with self.lock:
            org_id = self._session_org.get(session_id)
            return None if org_id is None else self.orgs.get(org_id)

    def append_event(
        self,
        session_id: str,
        type_: str,
        data: JSON,
        *,
        context: JSON | None = None,
        tags: list[str] | None = None,
        metadata: Any = None,
    ) -> JSON:
        """Store one event (next ``sequence``, a new increasing ID) and wake streams."""
        with self.lock:
            org = self.org_of_session(session_id)
            if org is None:
                raise KeyError(session_id)
            events = org.events[session_id]
            event: JSON = {
                "id": new_id("event"),
                "type": type_,
                "ts": now_iso(),
                "session_id": session_id,
                "sequence": len(events) + 1,
                "context": dict(context or {}),
                "data": data,
                "tags": list(tags or []),
            }
            if metadata is not None:
                event["metadata"] = metadata
            events.append(event)
            org.sessions[session_id]["updated_at"] = event["ts"]
        if self.on_event is not None:
            self.on_event(session_id)
        return event

    def append_message(self, session_id: str, role: str, content: list[JSON], **extra: Any) -> JSON:
        """Store one message (next message ``sequence``) and return a copy of it."""
        with self.lock:
            org = self.org_of_session(session_id)
            if org is None:
                raise KeyError(session_id)
            messages = org.messages[session_id]
            message: JSON = {
                "id": new_id("message"),
                "session_id": session_id,
                "sequence": len(messages) + 1,
                "role": role,
                "content": content,
                "created_at": now_iso(),
                "controls": None,
                "metadata": None,
                "external_actor": None,
                **extra,
            }
            messages.append(message)
            return copy.deepcopy(message)

    def update_session(self, session_id: str, **fields: Any) -> None:
        """Set fields of a session (no-op when it is gone)."""
        with self.lock:
            org = self.org_of_session(session_id)
            if org is not None:
                org.sessions[session_id].update(fields, updated_at=now_iso())

    def events_after(self, session_id: str, after_id: str | None) -> list[JSON] | None:
        """Events with an ID greater than ``after_id`` (all when None); None if no session."""
        with self.lock:
            org = self.org_of_session(session_id)
            if org is None:
                return None
            events = org.events[session_id]
            if after_id is None:
                return list(events)
            return [e for e in events if e["id"] > after_id]

    # -- read helpers for tests (deep copies) ------------------------------------

    def session(self, session_id: str) -> JSON | None:
        """A copy of a session, whatever its org, or None."""
        with self.lock:
            org = self.org_of_session(session_id)
            if org is None:
                return None
            return copy.deepcopy(org.sessions[session_id])

    def events(self, session_id: str) -> list[JSON]:
        """Copies of a session's events, in order (empty when unknown)."""
        with self.lock:
            org = self.org_of_session(session_id)
            return copy.deepcopy(org.events[session_id]) if org else []

    def messages(self, session_id: str) -> list[JSON]:
        """Copies of a session's messages, in order (empty when unknown)."""
        with self.lock:
            org = self.org_of_session(session_id)
            return copy.deepcopy(org.messages[session_id]) if org else []

    def sessions(self, org_id: str | None = None) -> list[JSON]:
        with self.lock:
            return copy.deepcopy(list(self.org(org_id).sessions.values()))

    def agents(self, org_id: str | None = None) -> list[JSON]:
        with self.lock:
            return copy.deepcopy(list(self.org(org_id).agents.values()))

    def set_storage_key(self, session_id: str, key: str, value: str) -> None:
        """Seed a session key-value pair (listed by ``GET .../storage/keys``)."""
        self._seed(session_id, "storage_keys", key, {"key": key, "value": value})

    def set_secret(self, session_id: str, name: str) -> None:
        """Seed a session secret name (listed by ``GET .../storage/secrets``)."""
        self._seed(session_id, "storage_secrets", name, {"name": name})

    def _seed(self, session_id: str, table: str, key: str, record: JSON) -> None:
        with self.lock:
            org = self.org_of_session(session_id)
            if org is None:
                raise KeyError(session_id)
            entries: dict[str, JSON] = getattr(org, table)[session_id]
            now = now_iso()
            created = entries.get(key, {}).get("created_at", now)
            entries[key] = {**record, "created_at": created, "updated_at": now}
