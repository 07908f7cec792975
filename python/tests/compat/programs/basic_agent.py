"""0.3.x style: an agent with a capability, a session, one message, the reply."""

import asyncio
import os

from everruns_sdk import AgentCapabilityConfig, Everruns, Message


def reply_text(message: Message) -> str:
    return "".join(part.text for part in message.content if part.type == "text")


async def main() -> None:
    client = Everruns(
        os.environ["EVERRUNS_API_KEY"],
        os.environ["EVERRUNS_API_URL"],
        os.environ.get("EVERRUNS_ORG_ID"),
    )
    agent = await client.agents.create(
        "basic-assistant",
        "You are a helpful assistant.",
        display_name="Basic assistant",
        capabilities=[AgentCapabilityConfig(ref="current_time")],
        parallel_tool_calls=True,
        tags=["demo"],
    )
    print(f"agent {agent.name} {agent.id}")
    session = await client.sessions.create(agent_id=agent.id, title="First chat")
    print(f"session {session.id}")
    sent = await client.messages.create(session_id=session.id, text="Hello there")
    print(f"sent {sent.id}")

    # Poll until the agent has answered (0.3.x programs did this before streaming).
    for _ in range(400):
        answers = [m for m in await client.messages.list(session.id) if m.role != "user"]
        if answers:
            print(f"reply: {reply_text(answers[-1])}")
            break
        await asyncio.sleep(0.05)
    else:
        raise SystemExit("no reply")
    await client.close()


if __name__ == "__main__":
    asyncio.run(main())
