"""Per-call options at call sites: checked keys and value types, sync and async."""

from __future__ import annotations

import httpx

from everruns_sdk import Everruns, SyncEverruns


async def async_calls(client: Everruns) -> None:
    await client.agents.get("agent_1", timeout=5)
    await client.agents.get("agent_1", timeout=None, max_retries=0)
    await client.agents.get("agent_1", timeout=httpx.Timeout(2.0))
    await client.agents.list(extra_query={"search": "x"}, extra_headers={"X-A": "b"})
    await client.agents.create("a", "Be brief.", tags=["t"], extra_body={"k": 1})
    await client.sessions.get("session_1", extra_headers={"X-A": "b"})
    await client.images.content("img_1", timeout=1.5)
    await client.agents.get("agent_1", timeout="5")  # E: arg-type
    await client.agents.get("agent_1", max_retries="3")  # E: arg-type
    await client.agents.get("agent_1", extra_headerz={"X-A": "b"})  # E: call-arg
    await client.agents.list(extra_headers={"X-A": 1})  # E: dict-item
    await client.agents.create("a", "Be brief.", tag=["t"])  # E: call-arg


def sync_calls(client: SyncEverruns) -> None:
    client.agents.get("agent_1", timeout=None, max_retries=2)
    client.workspaces.list(extra_query={"search": "x"})
    client.agents.get("agent_1", timeout="5")  # E: arg-type


def with_options(client: Everruns) -> None:
    client.with_options(timeout=None, base_url="http://x/api", api_key="k")
    client.with_options(default_headers={"X-A": "b"}, max_retries=1)
    client.with_options(base_url=1)  # E: arg-type
