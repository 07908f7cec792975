"""0.3.x style: the client's reason, the old modules, errors, and APIs not offered."""

import asyncio
import os

from everruns_sdk import AgentClient, Everruns
from everruns_sdk.client import AgentsClient
from everruns_sdk.errors import ApiError, NotFoundError


async def main() -> None:
    key, url = os.environ.pop("EVERRUNS_API_KEY"), os.environ["EVERRUNS_API_URL"]
    try:
        Everruns(base_url=url)
    except ValueError as exc:
        print(f"no key: {type(exc).__name__}")
    os.environ["EVERRUNS_API_KEY"] = key

    client = Everruns()  # from the environment
    print(f"sub-client class: {isinstance(client.agents, AgentsClient)}")
    agent = await client.agents.create("reasoned", "Original prompt.")
    audited = client.with_reason("Fix typo in the prompt")
    updated = await audited.agents.update(agent.id, system_prompt="Fixed prompt.")
    print(f"updated with a reason: {updated.system_prompt}")
    try:
        await client.agents.get("agent_00000000000000000000000000000000")
    except NotFoundError as exc:
        print(f"not found: {isinstance(exc, ApiError)} {exc.status_code}")
    try:
        await client.budgets.list()
    except NotImplementedError as exc:
        print(f"budgets: {exc}")
    try:
        await client.connections.list()
    except NotImplementedError:
        print("connections: not offered")
    try:
        await client.sessions.resume("session_00000000000000000000000000000000")
    except NotImplementedError:
        print("resume: not offered")
    try:
        AgentClient("https://agents.example", "key")
    except NotImplementedError as exc:
        print(f"AgentClient: {type(exc).__name__}")
    sessions = await client.sessions.list(agent.id)
    print(f"sessions of the agent: {len(sessions)}")
    await client.close()


if __name__ == "__main__":
    asyncio.run(main())
