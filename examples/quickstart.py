"""Quick start: an agent, a session, one message, and the reply streamed as it is written.

Run it with `make demo` (a local server unless EVERRUNS_API_KEY is set), or with
`python examples/quickstart.py` once EVERRUNS_API_KEY (and EVERRUNS_API_URL) are set.
"""

import asyncio

from everruns_sdk import Everruns
from everruns_sdk.types import OutputMessageCompletedEvent, OutputMessageDeltaEvent


async def main() -> None:
    client = Everruns(org="my-org")  # EVERRUNS_API_KEY from the environment
    agent = await client.agents.create(name="Assistant", system_prompt="You are helpful.")
    session = await client.sessions.create(agent_id=agent.id)
    await client.messages.create(session.id, "Hello!")
    async for event in client.events.stream(session.id):
        if isinstance(event, OutputMessageDeltaEvent):
            print(event.data.delta, end="", flush=True)  # the reply, as it is written
        elif isinstance(event, OutputMessageCompletedEvent):
            print()
        else:
            print(f"[{event.type}]")
        if event.type in ("turn.completed", "turn.failed"):
            break
    await client.close()


asyncio.run(main())
