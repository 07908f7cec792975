"""Functions a child process imports (spawn): they raise real SDK errors."""

from __future__ import annotations

from everruns_sdk import SyncEverruns


def fetch_missing_agent(url: str, api_key: str) -> None:
    """Ask the local server for an agent that does not exist (raises NotFoundError)."""
    with SyncEverruns(api_key=api_key, base_url=url) as client:
        client.agents.get("agent_" + "0" * 32)
