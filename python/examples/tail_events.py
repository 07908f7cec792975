"""Follow a session's events, stop, and resume later without missing or repeating one.

`stream.last_event_id` is the resume point: store it anywhere (a file, a database), and
`client.events.stream(session_id, since_id=...)` continues right after it. The stream
also does this by itself when a connection drops.

    python -m everruns_sdk.testing run examples/tail_events.py
"""

import asyncio

from everruns_sdk import Everruns

TURN_END = ("turn.completed", "turn.failed", "turn.cancelled")


async def main() -> None:
    async with Everruns() as client:
        session = await client.sessions.create(title="Tail events")
        await client.messages.create(session.id, "Count to three, please.")

        # First reader: take a few events, remember where it stopped, and leave.
        seen: list[str] = []
        async with client.events.stream(session.id) as stream:
            async for event in stream:
                seen.append(event.id)
                print(f"first  #{event.sequence} {event.type}")
                if event.type == "reason.started":
                    break
            resume_from = stream.last_event_id
        print(f"stopped after {len(seen)} events; resume point {resume_from}")

        # Later (another process, after a restart...): resume right after that event.
        async with client.events.stream(session.id, since_id=resume_from) as stream:
            async for event in stream:
                assert event.id not in seen, "an event was delivered twice"
                seen.append(event.id)
                print(f"resume #{event.sequence} {event.type}")
                if event.type in TURN_END:
                    break
        print(f"{len(seen)} events in all, none repeated")


asyncio.run(main())
