"""`client.budgets` and `client.connections` of 0.3.x: sub-clients whose every call
raises NotOfferedError, because this server API has no budgets or user connections.
Loaded on first access (see `ClientNotOffered` in `unsupported.py`)."""

from __future__ import annotations

from typing import Any

from everruns_sdk._compat._warn import not_offered
from everruns_sdk._compat.unsupported import BUDGETS
from everruns_sdk.resources._base import Resource

_CONNECTIONS = "user connections API"


class NotOfferedBudgets(Resource):
    """`client.budgets` of 0.3.x: every call raises NotOfferedError."""

    async def create(
        self,
        subject_type: str,
        subject_id: str,
        currency: str,
        limit: float,
        *,
        soft_limit: float | None = None,
        period: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Any:
        raise not_offered("budgets.create()", BUDGETS)

    async def list(self, *, subject_type: str | None = None, subject_id: str | None = None) -> Any:
        raise not_offered("budgets.list()", BUDGETS)

    async def get(self, budget_id: str) -> Any:
        raise not_offered("budgets.get()", BUDGETS)

    async def update(
        self,
        budget_id: str,
        *,
        limit: float | None = None,
        soft_limit: float | None = None,
        status: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Any:
        raise not_offered("budgets.update()", BUDGETS)

    async def delete(self, budget_id: str) -> None:
        raise not_offered("budgets.delete()", BUDGETS)

    async def top_up(self, budget_id: str, amount: float, *, description: str | None = None) -> Any:
        raise not_offered("budgets.top_up()", BUDGETS)

    async def ledger(
        self, budget_id: str, *, limit: int | None = None, offset: int | None = None
    ) -> Any:
        raise not_offered("budgets.ledger()", BUDGETS)

    async def check(self, budget_id: str) -> Any:
        raise not_offered("budgets.check()", BUDGETS)


class NotOfferedConnections(Resource):
    """`client.connections` of 0.3.x: every call raises NotOfferedError."""

    async def set(self, provider: str, api_key: str) -> Any:
        raise not_offered("connections.set()", _CONNECTIONS)

    async def list(self) -> Any:
        raise not_offered("connections.list()", _CONNECTIONS)

    async def remove(self, provider: str) -> None:
        raise not_offered("connections.remove()", _CONNECTIONS)
