"""0.3.x style: a client-side weather tool, answered with `create_tool_results`."""

import asyncio
import os

from everruns_sdk import ContentPart, Everruns, ToolDefinition, extract_tool_calls
from everruns_sdk.sse import EventStream, StreamOptions

WEATHER = ToolDefinition(
    name="get_weather",
    description="The current weather of a city",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
)


def get_weather(city: str) -> dict[str, object]:
    return {"city": city, "temperature": 18, "sky": "cloudy"}


async def main() -> None:
    client = Everruns(os.environ["EVERRUNS_API_KEY"], os.environ["EVERRUNS_API_URL"])
    agent = await client.agents.create("weather-bot", "You report the weather.")
    session = await client.sessions.create(agent_id=agent.id, tools=[WEATHER])
    await client.messages.create(session_id=session.id, text="What is the weather in Paris?")
    stream = EventStream(client, session.id, StreamOptions())
    async for event in stream:
        if event.type == "tool.call_requested":
            results = []
            for call in extract_tool_calls(event.data):
                print(f"tool call {call.name}({call.arguments})")
                if call.name == "get_weather":
                    results.append(
                        ContentPart.make_tool_result(call.id, get_weather(**call.arguments))
                    )
                else:
                    results.append(ContentPart.make_tool_error(call.id, "unknown tool"))
            answer = await client.messages.create_tool_results(session.id, results)
            print(f"submitted {len(results)} result(s): {answer.status}")
        elif event.type == "output.message.completed":
            parts = event.data["message"]["content"]
            print("agent: " + "".join(p.get("text", "") for p in parts))
        elif event.type in ("turn.completed", "turn.failed"):
            print(event.type)
            break
    await stream.aclose()
    await client.close()


if __name__ == "__main__":
    asyncio.run(main())
