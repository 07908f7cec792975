"""Client-side tools: the agent asks for the weather, this program answers.

    python cookbook/python/weather-tools/main.py "Is it warm in Lisbon?"

The tool runs here, not on the server: the session declares it, the turn stops at
`tool.call_requested`, and `sessions.run(..., tools=[...])` answers each call (the
arguments checked against the tool's schema) until the turn ends.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Literal

from everruns_sdk import Everruns, tool

# A stand-in for a weather service: what a real program would fetch.
FORECASTS: dict[str, tuple[int, str]] = {
    "lisbon": (24, "clear"),
    "oslo": (3, "snow"),
    "paris": (16, "cloudy"),
}


@tool
def get_weather(city: str, unit: Literal["celsius", "fahrenheit"] = "celsius") -> dict[str, Any]:
    """Today's weather in a city.

    Args:
        city: The city, e.g. "Lisbon".
        unit: "celsius" or "fahrenheit".
    """
    known = FORECASTS.get(city.strip().lower())
    if known is None:
        raise ValueError(f"no forecast for {city}")  # the agent sees this as a tool error
    degrees, sky = known
    if unit == "fahrenheit":
        degrees = round(degrees * 9 / 5 + 32)
    return {"city": city, "temperature": degrees, "unit": unit, "sky": sky}


async def ask(question: str) -> int:
    async with Everruns() as client:
        agent = await client.agents.create(
            "weather-desk", "You answer weather questions. Call get_weather for facts."
        )
        # The server cannot run this tool: the session declares it as client-side.
        session = await client.sessions.create(agent_id=agent.id, tools=[get_weather])
        result = await client.sessions.run(session.id, question, tools=[get_weather])
        if result.status != "completed":
            print(f"The turn {result.status}: {result.error}", file=sys.stderr)
            return 1
        print(result.text)
        return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(ask(" ".join(sys.argv[1:]) or "What's the weather in Lisbon?")))
