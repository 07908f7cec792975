"""Client-side tools: the agent calls a Python function that runs here, in this process.

    export EVERRUNS_API_KEY=...            # and EVERRUNS_API_URL for another server
    python examples/client_tools.py

`@tool` turns a function into a tool: its name, description (the docstring's first
paragraph) and JSON-schema parameters (from the type hints) are declared when the
session is created; `sessions.run(..., tools=[...])` then answers each call the agent
makes (arguments validated; an exception becomes an error the agent sees) until the
turn ends.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from everruns_sdk import Everruns, tool

AGENT_NAME = "weather-assistant"


@tool
def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict[str, Any]:
    """Current weather in a city.

    Args:
        city: Name of the city, e.g. "Paris".
        unit: Temperature unit: "c" (Celsius) or "f" (Fahrenheit).
    """
    celsius = 18  # a real tool would ask a weather service
    temperature = celsius if unit == "c" else round(celsius * 9 / 5 + 32)
    return {"city": city, "temperature": temperature, "unit": unit, "sky": "sunny"}


async def main() -> None:
    # EVERRUNS_API_KEY (and EVERRUNS_API_URL, EVERRUNS_ORG_ID) from the environment
    async with Everruns() as client:
        agent = await client.agents.create(
            name=AGENT_NAME,
            system_prompt="You answer questions about the weather. Use get_weather.",
        )
        # The server cannot run client-side tools: declare them on the session (or the
        # agent, with tools=[get_weather.definition()]).
        session = await client.sessions.create(agent_id=agent.id, tools=[get_weather])
        result = await client.sessions.run(
            session.id,
            "What's the weather in Paris?",
            tools=[get_weather],
            raise_on_failure=True,
        )
        print(result.text)


if __name__ == "__main__":
    asyncio.run(main())
