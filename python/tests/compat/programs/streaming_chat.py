"""0.3.x style: a chat whose replies are read from `everruns_sdk.sse.EventStream`."""

import asyncio
import json
import os

from everruns_sdk import Everruns
from everruns_sdk.sse import EventStream, StreamOptions


async def ask(client: Everruns, session_id: str, question: str, since: str | None) -> str:
    await client.messages.create(session_id=session_id, text=question)
    options = StreamOptions(exclude=["output.message.delta"], since_id=since)
    stream = EventStream(client, session_id, options)
    last = since
    async for event in stream:
        last = event.id
        if event.type == "output.message.completed":
            message = event.data.get("message") or {}
            text = "".join(p.get("text", "") for p in message.get("content", []))
            print(f"agent: {text}")
        elif event.type == "turn.completed":
            print(f"turn done: {json.dumps(event.data)[:1]}{event.data['status']}")
            stream.stop()
    await stream.aclose()
    return last or ""


async def main() -> None:
    client = Everruns(os.environ["EVERRUNS_API_KEY"], os.environ["EVERRUNS_API_URL"])
    agent = await client.agents.create("chatty", "You chat.")
    session = await client.sessions.create(agent_id=agent.id)
    last = await ask(client, session.id, "What is 2 + 2?", None)
    await ask(client, session.id, "And 3 + 3?", last)

    # The iterator protocol by hand, as some 0.3.x programs drove it.
    stream = EventStream(client, session.id, StreamOptions.exclude_deltas())
    iterator = stream.__aiter__()
    first = await iterator.__anext__()
    print(f"first event {first.type} #{first.sequence}")
    await stream.aclose()
    await client.close()


if __name__ == "__main__":
    asyncio.run(main())
