"""Dad jokes: an agent that answers a topic with one dad joke, printed as it is written.

    python cookbook/python/dad-jokes/main.py "rubber ducks"

Needs EVERRUNS_API_KEY (and EVERRUNS_API_URL for a server other than Everruns cloud).
"""

from __future__ import annotations

import asyncio
import sys

from everruns_sdk import Everruns
from everruns_sdk.types import OutputMessageDeltaEvent, TurnCompletedEvent, TurnFailedEvent

INSTRUCTIONS = (
    "You tell dad jokes. Whatever the user names, answer with one short, clean joke "
    "about it: the setup, then the punchline on its own line. Nothing else."
)
# Only what this recipe prints, plus the two ways a turn ends.
WANTED = ["output.message.delta", "turn.completed", "turn.failed"]


async def tell_joke(topic: str) -> int:
    async with Everruns() as client:
        # The name is a slug unique in the organization: a second run updates the agent.
        agent = await client.agents.create("dad-jokes", INSTRUCTIONS)
        session = await client.sessions.create(agent_id=agent.id, title=f"A joke about {topic}")
        await client.messages.create(session.id, f"Tell me a joke about {topic}.")
        # The stream starts at the session's first event: nothing of the turn is missed
        # even though the message was sent before it opened.
        async with client.events.stream(session.id, types=WANTED) as events:
            async for event in events:
                # Each event type is its own class, with typed `data`.
                if isinstance(event, OutputMessageDeltaEvent):
                    print(event.data.delta, end="", flush=True)
                elif isinstance(event, TurnFailedEvent):
                    print(f"\nNo joke today: {event.data.error}", file=sys.stderr)
                    return 1
                elif isinstance(event, TurnCompletedEvent):
                    print()
                    return 0
    return 1


if __name__ == "__main__":
    sys.exit(asyncio.run(tell_joke(" ".join(sys.argv[1:]) or "computers")))
