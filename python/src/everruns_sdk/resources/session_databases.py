"""`client.session_databases`: the SQLite databases an agent keeps inside a session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import DatabaseInfoResponse, SchemaResponse

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager

_DATABASE = "/v1/sessions/{session_id}/databases/{name}"


class SessionDatabases(Resource):
    """List, create, inspect and drop the databases of a session, by name."""

    @property
    def with_raw_response(self) -> SessionDatabasesWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return SessionDatabasesWithRawResponse(self)

    def list(
        self, session_id: str, **options: Unpack[RequestOptions]
    ) -> AsyncPager[DatabaseInfoResponse]:
        return self._list_pages(
            DatabaseInfoResponse,
            "/v1/sessions/{session_id}/databases",
            path={"session_id": session_id},
            options=options,
        )

    async def create(
        self, session_id: str, name: str, **options: Unpack[RequestOptions]
    ) -> DatabaseInfoResponse:
        """A new, empty database; a name already in use is a ConflictError."""
        return await self._model(
            DatabaseInfoResponse,
            "POST",
            "/v1/sessions/{session_id}/databases",
            path={"session_id": session_id},
            json={"name": name},
            options=options,
        )

    async def get(
        self, session_id: str, name: str, **options: Unpack[RequestOptions]
    ) -> DatabaseInfoResponse:
        return await self._model(
            DatabaseInfoResponse,
            "GET",
            _DATABASE,
            path={"session_id": session_id, "name": name},
            options=options,
        )

    async def delete(self, session_id: str, name: str, **options: Unpack[RequestOptions]) -> None:
        await self._request(
            "DELETE", _DATABASE, path={"session_id": session_id, "name": name}, options=options
        )

    async def schema(
        self, session_id: str, name: str, **options: Unpack[RequestOptions]
    ) -> SchemaResponse:
        """The tables of a database and their columns."""
        return await self._model(
            SchemaResponse,
            "GET",
            _DATABASE + "/schema",
            path={"session_id": session_id, "name": name},
            options=options,
        )


class SessionDatabasesWithRawResponse:
    """`SessionDatabases` methods answering an `APIResponse` of their result."""

    def __init__(self, session_databases: SessionDatabases) -> None:
        self.list = raw_method(session_databases.list)
        self.create = raw_method(session_databases.create)
        self.get = raw_method(session_databases.get)
        self.delete = raw_method(session_databases.delete)
        self.schema = raw_method(session_databases.schema)
