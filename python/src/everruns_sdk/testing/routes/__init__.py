"""The API's routes, one module per resource family; `all_routes` lists them."""

from __future__ import annotations

from starlette.routing import BaseRoute

__all__ = ["all_routes"]


def all_routes() -> list[BaseRoute]:
    """Every route, relative to ``/api`` (the order matters: fixed paths first)."""
    from . import (
        agent_versions,
        agents,
        events,
        files,
        images,
        memories,
        messages,
        misc,
        session_data,
        sessions,
    )

    routes: list[BaseRoute] = []
    for module in (
        agent_versions,
        agents,
        misc,
        sessions,
        messages,
        events,
        session_data,
        images,
        files,
        memories,
    ):
        routes.extend(module.ROUTES)
    return routes
