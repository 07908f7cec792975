"""An agent with a personality: ask for a dad joke and print it as it is written.

python -m everruns_sdk.testing run examples/dad_jokes.py   # or with EVERRUNS_API_KEY set
"""

import asyncio

from everruns_sdk import Everruns
from everruns_sdk.types import OutputMessageDeltaEvent, TurnFailedEvent

SYSTEM_PROMPT = """You are a dad-joke machine. Answer every message with exactly one short,
family-friendly dad joke about its topic: a setup line, then the punchline. No preamble."""


async def main() -> None:
    async with Everruns() as client:
        # `name` is the agent's unique slug: running this again updates the same agent.
        agent = await client.agents.create(name="dad-jokes", system_prompt=SYSTEM_PROMPT)
        session = await client.sessions.create(agent_id=agent.id, title="Dad jokes")
        await client.messages.create(session.id, "Tell me a joke about computers.")

        async with client.events.stream(
            session.id, types=["output.message.delta", "turn.completed", "turn.failed"]
        ) as stream:
            async for event in stream:
                if isinstance(event, OutputMessageDeltaEvent):
                    print(event.data.delta, end="", flush=True)
                elif isinstance(event, TurnFailedEvent):
                    raise SystemExit(f"\nthe turn failed: {event.data.error}")
                else:  # turn.completed
                    print()
                    break


asyncio.run(main())
