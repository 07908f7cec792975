"""0.3.x style: initial files on the agent and on the session, read back as files."""

import asyncio
import os

from everruns_sdk import AgentCapabilityConfig, Everruns, InitialFile
from everruns_sdk.models import Session


def describe(session: Session) -> str:
    return f"session {session.id} in {session.workspace_id}"


async def main() -> None:
    async with Everruns(os.environ["EVERRUNS_API_KEY"], os.environ["EVERRUNS_API_URL"]) as client:
        agent = await client.agents.create(
            "file-helper",
            "You help with the files in your workspace.",
            initial_files=[InitialFile(path="/README.md", content="# Project notes\n")],
        )
        session = await client.sessions.create(
            agent_id=agent.id,
            initial_files=[
                InitialFile(path="/notes/todo.md", content="- buy milk\n- call Sam\n"),
                InitialFile(path="/notes/fixed.md", content="do not edit", is_readonly=True),
            ],
            capabilities=[AgentCapabilityConfig(ref="session_file_system")],
            parallel_tool_calls=False,
        )
        print(describe(session))
        print(f"capabilities: {[c.ref for c in session.capabilities or []]}")
        workspace = session.workspace_id
        for entry in await client.workspace_files.list(workspace, "/", recursive=True):
            print(f"entry {entry.path}")
        todo = await client.workspace_files.read(workspace, "/notes/todo.md")
        print(f"read {todo.path} ({todo.size_bytes} bytes): {todo.content.splitlines()[0]}")
        fixed = await client.workspace_files.read(workspace, "/notes/fixed.md")
        print(f"readonly {fixed.path} {fixed.is_readonly}")
        readme = await client.workspace_files.read(workspace, "/README.md")
        print(f"from the agent: {readme.content.strip()}")


if __name__ == "__main__":
    asyncio.run(main())
