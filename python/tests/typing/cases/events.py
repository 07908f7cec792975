"""Events: `event.type == "..."` narrows the tagged union, as the quick start writes it."""

# ruff: noqa: F841, B018 (typed names and expressions only to be checked)
from __future__ import annotations

from typing_extensions import assert_never

from everruns_sdk import Event, Everruns
from everruns_sdk.types.events import (
    OutputMessageDeltaEvent,
    TurnCompletedEvent,
    UnknownEvent,
)


def handle(event: Event) -> None:
    if event.type == "output.message.delta":
        delta: str = event.data.delta
        narrowed: OutputMessageDeltaEvent = event
    elif event.type == "turn.completed":
        done: TurnCompletedEvent = event
    elif event.type == "unknown":
        unknown: UnknownEvent = event
        sent: str = event.original_type
        payload: dict[str, object] = event.data
    wire: str = event.wire_type  # any event: the type as sent
    tag: str = event.type
    match event.type:
        case "reason.thinking.delta":
            thinking: str = event.data.delta
        case _:
            pass
    if isinstance(event, UnknownEvent) and event.original_type == "robot.danced":
        print(event.data.get("style"))


def wrong(event: Event) -> None:
    event.data.delta  # E: union-attr
    if event.type == "turn.completed":
        event.data.delta  # E: attr-defined
    if event.type == "output.message.delta":
        number: int = event.data.delta  # E: assignment
    if event.type == "no.such.type":  # E-mypy: comparison-overlap
        pass
    if isinstance(event, UnknownEvent):
        event.data.delta  # E: attr-defined


async def quick_start(client: Everruns, session_id: str) -> None:
    async for event in client.events.stream(session_id):
        if event.type == "output.message.delta":
            print(event.data.delta, end="")
        elif event.type == "turn.completed":
            break


def exhaustive(event: OutputMessageDeltaEvent | TurnCompletedEvent) -> str:
    if event.type == "output.message.delta":
        return event.data.delta
    if event.type == "turn.completed":
        return "done"
    assert_never(event)
