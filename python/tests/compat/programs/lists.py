"""0.3.x style: every list is a plain sequence: loop over it, index it, take its len."""

import asyncio
import os

from everruns_sdk import Everruns


async def main() -> None:
    client = Everruns(os.environ["EVERRUNS_API_KEY"], os.environ["EVERRUNS_API_URL"])
    agent = await client.agents.create("lister", "You list things.")
    session = await client.sessions.create(agent_id=agent.id)
    await client.memories.create("list-memory")
    workspace = await client.workspaces.create("list-space")
    await client.workspace_files.create(workspace.id, "/a.txt", "a")

    for a in await client.agents.list():
        print(f"agent {a.name}")
    print(f"first agent: {(await client.agents.list())[0].id == agent.id}")
    print(f"sessions[0]: {(await client.sessions.list(agent.id))[0].id == session.id}")
    print(f"messages: {len(await client.messages.list(session.id))}")
    print(f"events: {len(await client.events.list(session.id))}")
    print(f"harnesses[0]: {(await client.harnesses.list())[0].name}")
    print(f"models: {len(await client.models.list()) > 0}")
    print(f"capabilities[0]: {(await client.capabilities.list())[0].id}")
    print(f"memories: {[m.name for m in await client.memories.list()]}")
    print(f"workspaces[0]: {(await client.workspaces.list())[0].name}")
    print(f"files[0]: {(await client.workspace_files.list(workspace.id))[0].path}")
    print(f"versions: {len(await client.agents.list_versions(agent.id))}")
    await client.close()


if __name__ == "__main__":
    asyncio.run(main())
