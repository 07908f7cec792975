"""Quick start: an agent, a session, one message, and the turn streamed as it happens.

This is the README quick start, printing the reply text as it is written too. Run it
with `make demo` (a local server unless EVERRUNS_API_KEY is set), or with
`python examples/quickstart.py` once EVERRUNS_API_KEY (and EVERRUNS_API_URL) are set.
"""

import asyncio

from everruns_sdk import Everruns
from everruns_sdk.types import OutputMessageDeltaEvent


async def main() -> None:
    client = Everruns(org="my-org")  # EVERRUNS_API_KEY from the environment
    agent = await client.agents.create(
        name="Assistant", system_prompt="You are a helpful assistant."
    )
    session = await client.sessions.create(agent_id=agent.id)
    await client.messages.create(session.id, "Hello!")
    async for event in client.events.stream(session.id):
        print(event.type)
        if isinstance(event, OutputMessageDeltaEvent):
            print("   ", event.data.delta)  # the reply, as it is written
        if event.type == "turn.completed":
            break
    await client.close()


asyncio.run(main())
