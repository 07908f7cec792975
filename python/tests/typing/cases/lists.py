"""Lists: an async `list()` is awaited for a page or iterated for every item."""

# ruff: noqa: F841, B007 (typed names bound only to be checked)
from __future__ import annotations

from everruns_sdk import Everruns, Page, SyncEverruns, SyncPage
from everruns_sdk.types import Agent, ImageInfo, Message


async def async_lists(client: Everruns) -> None:
    async for agent in client.agents.list():
        name: str = agent.name
    page: Page[Agent] = await client.agents.list(limit=10)
    first: Agent = page[0]
    count: int = len(page)
    for each in page:
        each.name.upper()
    async for image in client.images.list():
        info: ImageInfo = image
    messages: Page[Message] = await client.messages.list("session_1")
    for agent in client.agents.list():  # E: attr-defined
        pass
    len(client.agents.list())  # E: arg-type
    wrong: Page[Message] = await client.agents.list()  # E: assignment
    nope: int = page[0]  # E: assignment


def sync_lists(client: SyncEverruns) -> None:
    for agent in client.agents.list():
        agent.name.upper()
    page: SyncPage[Agent] = client.agents.list()
    first: Agent = page[0]
    async_page: Page[Agent] = client.agents.list()  # E: assignment
