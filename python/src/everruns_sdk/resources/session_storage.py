"""`client.session_storage`: what a session's agent stored, key-value pairs and secrets."""

from __future__ import annotations

from everruns_sdk.resources._base import Resource
from everruns_sdk.types import KeyValueInfo, SecretInfo


class SessionStorage(Resource):
    """Read the key-value storage of a session and the names of its secrets."""

    async def keys(self, session_id: str) -> list[KeyValueInfo]:
        """Every key-value pair stored in the session."""
        return await self._list(
            KeyValueInfo,
            "GET",
            "/v1/sessions/{session_id}/storage/keys",
            path={"session_id": session_id},
        )

    async def secrets(self, session_id: str) -> list[SecretInfo]:
        """The secrets of the session: names and dates only, never their values."""
        return await self._list(
            SecretInfo,
            "GET",
            "/v1/sessions/{session_id}/storage/secrets",
            path={"session_id": session_id},
        )
