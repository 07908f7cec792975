"""Raw responses: `with_raw_response` on every sub-client answers `APIResponse[the result]`,
so `.parse()` has the model's type, in the async and the blocking client alike."""

# ruff: noqa: F841 (typed names bound only to be checked)
from __future__ import annotations

import httpx
from typing_extensions import assert_type

from everruns_sdk import APIResponse, Everruns, Page, SyncEverruns, SyncPage
from everruns_sdk.types import Agent, AgentVersion, ImageInfo, Session, Workspace


async def async_raw(client: Everruns) -> None:
    raw = await client.agents.with_raw_response.get("agent_1", timeout=5)
    assert_type(raw, APIResponse[Agent])
    assert_type(raw.parse(), Agent)
    status: int = raw.status_code
    headers: httpx.Headers = raw.headers
    request_id: str | None = raw.request_id
    assert_type(raw.parse(Agent), Agent)
    page = await client.agents.with_raw_response.list(limit=1)
    assert_type(page.parse(), Page[Agent])
    versions = await client.agents.with_raw_response.versions.list("agent_1")
    assert_type(versions.parse(), Page[AgentVersion])
    deleted = await client.sessions.with_raw_response.delete("session_1")
    assert_type(deleted.parse(), None)
    text = await client.sessions.with_raw_response.files.read("session_1", "a.txt")
    assert_type(text.parse(), str)
    image = await client.images.with_raw_response.get("image_1")
    assert_type(image.parse(), ImageInfo)
    workspace: Workspace = (await client.workspaces.with_raw_response.get("w")).parse()
    wrong: Session = raw.parse()  # E: assignment
    missing = raw.parse().no_such_field  # E: attr-defined
    await client.agents.with_raw_response.get(42)  # E: arg-type
    await client.agents.with_raw_response.get("agent_1", timeout_s=5)  # E: call-arg
    await client.agents.with_raw_response.gett("agent_1")  # E: attr-defined
    client.events.with_raw_response.stream("session_1")  # E: attr-defined
    not_awaited: APIResponse[Agent] = client.agents.with_raw_response.get("a")  # E: assignment


def sync_raw(client: SyncEverruns) -> None:
    raw = client.agents.with_raw_response.get("agent_1")
    assert_type(raw, APIResponse[Agent])
    assert_type(raw.parse(), Agent)
    assert_type(client.agents.with_raw_response.list().parse(), SyncPage[Agent])
    assert_type(client.sessions.with_raw_response.create().parse(), Session)
    wrong: Page[Agent] = client.agents.with_raw_response.list().parse()  # E: assignment
    client.agents.with_raw_response.gett("agent_1")  # E: attr-defined
