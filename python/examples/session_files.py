"""Files of a session: write one, ask the agent about it, then list and read the files.

Each session has a workspace, a small file system the agent's tools work in.
`client.sessions.files` reaches it by session ID.

    python -m everruns_sdk.testing run examples/session_files.py
"""

import asyncio

from everruns_sdk import Everruns
from everruns_sdk.types import (
    OutputMessageCompletedEvent,
    OutputMessageDeltaEvent,
    ToolCompletedEvent,
    ToolStartedEvent,
)

NOTES = """# Groceries
- oat milk
- coffee beans
- 6 eggs
"""


async def main() -> None:
    async with Everruns() as client:
        agent = await client.agents.create(
            name="file-reader", system_prompt="You read files for the user and summarise them."
        )
        session = await client.sessions.create(agent_id=agent.id, title="Session files")

        # 1. Put a file into the session.
        written = await client.sessions.files.write(session.id, "/notes/groceries.md", NOTES)
        print(f"wrote {written.path} ({written.size_bytes} bytes)")

        # 2. Ask the agent to read it; show its tool calls and its answer.
        await client.messages.create(session.id, "What is in /notes/groceries.md?")
        async for event in client.events.stream(session.id):
            if isinstance(event, ToolStartedEvent):
                call = event.data.tool_call
                print(f"  [tool] {call.name}({call.arguments})")
            elif isinstance(event, ToolCompletedEvent):
                print(f"  [tool] {event.data.tool_name}: {event.data.status}")
            elif isinstance(event, OutputMessageDeltaEvent):
                print(event.data.delta, end="", flush=True)
            elif isinstance(event, OutputMessageCompletedEvent):
                print()
            if event.type in ("turn.completed", "turn.failed"):
                break

        # 3. List the files, then read one back.
        for entry in await client.sessions.files.list(session.id, recursive=True):
            kind = "dir " if entry.is_directory else "file"
            print(f"{kind} {entry.path} {entry.size_bytes} bytes")
        content = await client.sessions.files.read(session.id, "/notes/groceries.md")
        print(f"read back {len(content.splitlines())} lines; first: {content.splitlines()[0]!r}")


asyncio.run(main())
