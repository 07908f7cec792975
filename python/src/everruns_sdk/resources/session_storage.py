"""`client.session_storage`: what a session's agent stored, key-value pairs and secrets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import KeyValueInfo, SecretInfo

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions


class SessionStorage(Resource):
    """Read the key-value storage of a session and the names of its secrets."""

    @property
    def with_raw_response(self) -> SessionStorageWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return SessionStorageWithRawResponse(self)

    async def keys(self, session_id: str, **options: Unpack[RequestOptions]) -> list[KeyValueInfo]:
        """Every key-value pair stored in the session."""
        return await self._list(
            KeyValueInfo,
            "GET",
            "/v1/sessions/{session_id}/storage/keys",
            path={"session_id": session_id},
            options=options,
        )

    async def secrets(self, session_id: str, **options: Unpack[RequestOptions]) -> list[SecretInfo]:
        """The secrets of the session: names and dates only, never their values."""
        return await self._list(
            SecretInfo,
            "GET",
            "/v1/sessions/{session_id}/storage/secrets",
            path={"session_id": session_id},
            options=options,
        )


class SessionStorageWithRawResponse:
    """`SessionStorage` methods answering an `APIResponse` of their result."""

    def __init__(self, session_storage: SessionStorage) -> None:
        self.keys = raw_method(session_storage.keys)
        self.secrets = raw_method(session_storage.secrets)
