"""0.3.x methods whose endpoints this server API does not define.

Budgets, user connections and a few session endpoints (budgets, resume, secrets) were
part of 0.3.1 but are not in the Everruns API specification this SDK is built from.
The names exist, so programs that merely mention them start; each call raises
`NotOfferedError` (also a NotImplementedError) naming what is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from everruns_sdk._compat._warn import not_offered

if TYPE_CHECKING:
    from everruns_sdk._compat.not_offered import NotOfferedBudgets, NotOfferedConnections

BUDGETS = "budgets API"


class SessionsNotOffered:
    """Mixin of `client.sessions`: the 0.3.x session methods without an endpoint."""

    async def budgets(self, session_id: str) -> Any:
        raise not_offered("sessions.budgets()", BUDGETS)

    async def budget_check(self, session_id: str) -> Any:
        raise not_offered("sessions.budget_check()", BUDGETS)

    async def resume(self, session_id: str) -> Any:
        raise not_offered("sessions.resume()", "session resume endpoint (budgets API)")

    async def set_secrets(self, session_id: str, secrets: dict[str, str]) -> None:
        raise not_offered(
            "sessions.set_secrets()",
            "endpoint for setting session secrets (client.session_storage.secrets() lists them)",
        )


class ClientNotOffered:
    """Mixin of the client: `client.budgets` and `client.connections` of 0.3.x."""

    @property
    def budgets(self) -> NotOfferedBudgets:
        from everruns_sdk._compat.not_offered import NotOfferedBudgets

        return NotOfferedBudgets(self)  # type: ignore[arg-type]

    @property
    def connections(self) -> NotOfferedConnections:
        from everruns_sdk._compat.not_offered import NotOfferedConnections

        return NotOfferedConnections(self)  # type: ignore[arg-type]
