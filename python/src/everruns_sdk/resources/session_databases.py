"""`client.session_databases`: the SQLite databases an agent keeps inside a session."""

from __future__ import annotations

import builtins

from everruns_sdk.resources._base import Resource
from everruns_sdk.types import DatabaseInfoResponse, SchemaResponse

_DATABASE = "/v1/sessions/{session_id}/databases/{name}"


class SessionDatabases(Resource):
    """List, create, inspect and drop the databases of a session, by name."""

    async def list(self, session_id: str) -> builtins.list[DatabaseInfoResponse]:
        return await self._list(
            DatabaseInfoResponse,
            "GET",
            "/v1/sessions/{session_id}/databases",
            path={"session_id": session_id},
        )

    async def create(self, session_id: str, name: str) -> DatabaseInfoResponse:
        """A new, empty database; a name already in use is a ConflictError."""
        return await self._model(
            DatabaseInfoResponse,
            "POST",
            "/v1/sessions/{session_id}/databases",
            path={"session_id": session_id},
            json={"name": name},
        )

    async def get(self, session_id: str, name: str) -> DatabaseInfoResponse:
        return await self._model(
            DatabaseInfoResponse, "GET", _DATABASE, path={"session_id": session_id, "name": name}
        )

    async def delete(self, session_id: str, name: str) -> None:
        await self._request("DELETE", _DATABASE, path={"session_id": session_id, "name": name})

    async def schema(self, session_id: str, name: str) -> SchemaResponse:
        """The tables of a database and their columns."""
        return await self._model(
            SchemaResponse,
            "GET",
            _DATABASE + "/schema",
            path={"session_id": session_id, "name": name},
        )
