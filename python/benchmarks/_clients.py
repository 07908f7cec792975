"""The three client kinds under test, behind one small interface.

- `ours`: this SDK (`everruns_sdk` from the repo's venv), typed events and models.
- `floor`: raw `httpx.AsyncClient`, the least work any client could do: `aiter_lines()`,
  a minimal split on blank lines, `json.loads` of the data line, no models.
- `official`: the published `everruns-sdk==0.3.1`, run under its own venv's python
  (it has the same import name, so it never shares a process with ours).

Every kind consumes the same events and touches the same fields: `type`, `data`, and
`data.delta` of each `output.message.delta`. Imports of the SDKs happen inside `open`,
so this module loads under either interpreter.
"""

from __future__ import annotations

import json
from typing import Any

KEY = "evr_pat_benchmark0000000000000000000000"
LIFECYCLE = frozenset({"connected", "disconnecting"})
DELTA = "output.message.delta"
_HTTP_LIMITS = {"max_connections": 1000, "max_keepalive_connections": 100}


def import_target(kind: str) -> str:
    """The module whose import time the `import` scenario measures for `kind`."""
    return "httpx" if kind == "floor" else "everruns_sdk"


class Client:
    """A client of one kind, pointed at the benchmark server's base URL (`.../api`)."""

    kind = ""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def construct(self) -> Any:
        """A new client object, as a user would create it (timed by `import`)."""
        raise NotImplementedError

    async def close_constructed(self, obj: Any) -> None:
        await obj.aclose()

    def open(self) -> None:
        """Create the long-lived client the other scenarios use."""
        self.client = self.construct()

    async def close(self) -> None:
        await self.close_constructed(self.client)

    async def stream(self, session_id: str, count: int) -> int:
        """Consume `count` events of a session's SSE stream; return how many were seen."""
        raise NotImplementedError

    async def get_agent(self, agent_id: str) -> Any:
        raise NotImplementedError

    async def post_message(self, session_id: str, text: str) -> Any:
        raise NotImplementedError

    def info(self) -> dict[str, str]:
        """Which package versions this kind really runs (a guard against mix-ups)."""
        import httpx

        return {"httpx": httpx.__version__}


class Floor(Client):
    kind = "floor"

    def construct(self) -> Any:
        import httpx

        return httpx.AsyncClient()

    def open(self) -> None:
        import httpx

        # Same pool limits as ours: 200 concurrent streams must not queue for a slot.
        self.client = httpx.AsyncClient(timeout=60.0, limits=httpx.Limits(**_HTTP_LIMITS))
        self.headers = {"Authorization": KEY}

    async def stream(self, session_id: str, count: int) -> int:
        url = f"{self.base_url}/v1/sessions/{session_id}/sse"
        headers = {**self.headers, "Accept": "text/event-stream", "Cache-Control": "no-cache"}
        seen = 0
        sink = None
        async with self.client.stream("GET", url, headers=headers) as response:
            response.raise_for_status()
            kind = data = None
            async for line in response.aiter_lines():
                if line:
                    if line.startswith("data:"):
                        data = line[6:]
                    elif line.startswith("event:"):
                        kind = line[7:]
                    continue
                event_type, event_data = kind, data
                kind = data = None
                if event_data is None or event_type in LIFECYCLE:
                    continue
                payload = json.loads(event_data)["data"]
                if event_type == DELTA:
                    sink = payload["delta"]
                seen += 1
                if seen >= count:
                    break
        del sink
        return seen

    async def get_agent(self, agent_id: str) -> Any:
        response = await self.client.get(
            f"{self.base_url}/v1/agents/{agent_id}", headers=self.headers
        )
        response.raise_for_status()
        return response.json()

    async def post_message(self, session_id: str, text: str) -> Any:
        body = {"message": {"role": "user", "content": [{"type": "text", "text": text}]}}
        response = await self.client.post(
            f"{self.base_url}/v1/sessions/{session_id}/messages", json=body, headers=self.headers
        )
        response.raise_for_status()
        return response.json()


class _SDK(Client):
    """Shared by ours and the official SDK: same public calls, same import name."""

    def construct(self) -> Any:
        from everruns_sdk import Everruns

        return Everruns(api_key=KEY, base_url=self.base_url)

    async def close_constructed(self, obj: Any) -> None:
        await obj.close()

    def _delta(self, data: Any) -> Any:
        return data.delta

    async def stream(self, session_id: str, count: int) -> int:
        seen = 0
        sink = None
        stream = self.client.events.stream(session_id)
        try:
            async for event in stream:
                kind = event.type
                if kind in LIFECYCLE:
                    continue
                payload = event.data
                if kind == DELTA:
                    sink = self._delta(payload)
                seen += 1
                if seen >= count:
                    break
        finally:
            await stream.aclose()
        del sink
        return seen

    async def get_agent(self, agent_id: str) -> Any:
        return await self.client.agents.get(agent_id)

    async def post_message(self, session_id: str, text: str) -> Any:
        return await self.client.messages.create(session_id, text)

    def info(self) -> dict[str, str]:
        import everruns_sdk

        version = getattr(everruns_sdk, "__version__", None)
        if version is None:
            from importlib.metadata import version as dist_version

            version = dist_version("everruns-sdk")
        return {**super().info(), "everruns_sdk": version, "path": everruns_sdk.__file__ or ""}


class Ours(_SDK):
    kind = "ours"


class Official(_SDK):
    kind = "official"

    def _delta(self, data: Any) -> Any:
        return data["delta"]  # its Event.data is a plain dict


KINDS: dict[str, type[Client]] = {"ours": Ours, "floor": Floor, "official": Official}
