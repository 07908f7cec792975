"""`Everruns`, the async client: configuration, sub-clients, lifetime."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import httpx

from everruns_sdk._compat.unsupported import ClientNotOffered
from everruns_sdk._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ClientConfig,
    Secret,
    as_timeout,
    check_header_value,
    check_max_retries,
    default_header_pairs,
    normalize_base_url,
    resolve_config,
)
from everruns_sdk._options import NOT_GIVEN, NotGiven
from everruns_sdk._transport import Transport

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self

    from everruns_sdk.resources.agents import Agents
    from everruns_sdk.resources.capabilities import Capabilities
    from everruns_sdk.resources.events import Events
    from everruns_sdk.resources.harnesses import Harnesses
    from everruns_sdk.resources.images import Images
    from everruns_sdk.resources.memories import Memories, MemoryFiles
    from everruns_sdk.resources.messages import Messages
    from everruns_sdk.resources.models import Models
    from everruns_sdk.resources.session_databases import SessionDatabases
    from everruns_sdk.resources.session_storage import SessionStorage
    from everruns_sdk.resources.sessions import Sessions
    from everruns_sdk.resources.workspaces import WorkspaceFiles, Workspaces


class Everruns(ClientNotOffered):
    """Async client for the Everruns API.

    ```python
    client = Everruns(org="my-org")  # EVERRUNS_API_KEY from the environment
    agent = await client.agents.create(name="assistant", system_prompt="Be helpful.")
    ```

    Arguments win over the environment (`EVERRUNS_API_KEY`, `EVERRUNS_ORG_ID`,
    `EVERRUNS_API_URL`). `org`/`org_id` and `api_url`/`base_url` are aliases; the key,
    the base URL and the org may also be given positionally, in that order. Pass your
    own `http_client` to control proxies, TLS or limits; the client then leaves closing
    it to you. `timeout` is in seconds (default 30); `timeout=None` means no timeout.
    Every method also takes the per-call options of `RequestOptions` (`timeout`,
    `max_retries`, `extra_headers`, `extra_query`, `extra_body`).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        org_id: str | None = None,
        *,
        org: str | None = None,
        api_url: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        default_headers: dict[str, str] | None = None,
    ) -> None:
        config = resolve_config(
            api_key=api_key,
            org=org,
            org_id=org_id,
            api_url=api_url,
            base_url=base_url,
            timeout=DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        self._transport = Transport(config, http_client=http_client)

    @classmethod
    def from_env(cls, org: str | None = None) -> Self:
        """A client configured only from the environment (plus an optional org)."""
        return cls(org=org)

    @classmethod
    def _from_transport(cls, transport: Transport) -> Self:
        client = cls.__new__(cls)
        client._transport = transport
        return client

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        base_url: str | None = None,
        default_headers: dict[str, str] | None = None,
        api_key: str | None = None,
    ) -> Self:
        """A client with other defaults that shares this client's connection pool.

        Only what is given changes; `timeout=None` means no timeout. `default_headers`
        replaces the headers given at construction.
        """
        changes: dict[str, object] = {}
        if not isinstance(timeout, NotGiven):
            changes["timeout"] = as_timeout(timeout)
        if max_retries is not None:
            changes["max_retries"] = check_max_retries(max_retries)
        if base_url is not None:
            changes["base_url"] = normalize_base_url(base_url)
        if default_headers is not None:
            changes["default_headers"] = default_header_pairs(default_headers)
        if api_key is not None:
            changes["api_key"] = Secret(check_header_value("Authorization", api_key))
        config = self._transport.config.with_changes(**changes)
        return self._from_transport(self._transport.derive(config))

    def with_reason(self, reason: str) -> Self:
        """A client on the same connection pool that says why with every request: the
        `Everruns-Change-Reason` header (percent-encoded UTF-8). A blank reason sends
        none, so `client.with_reason("")` undoes an earlier reason."""
        from everruns_sdk._compat.reason import with_reason_headers

        config = self._transport.config
        headers = with_reason_headers(config.default_headers, reason)
        return self._from_transport(
            self._transport.derive(config.with_changes(default_headers=headers))
        )

    @property
    def config(self) -> ClientConfig:
        """The resolved configuration (the key inside is masked in any repr)."""
        return self._transport.config

    @property
    def base_url(self) -> str:
        return self._transport.config.base_url

    @property
    def org_id(self) -> str | None:
        return self._transport.config.org_id

    async def close(self) -> None:
        """Close the connection pool (unless it was passed in by the caller)."""
        await self._transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        config = self._transport.config
        return (
            f"{type(self).__name__}(base_url={config.base_url!r}, org_id={config.org_id!r}, "
            f"api_key={config.api_key.masked!r})"
        )

    # Sub-clients are imported on first use: `import everruns_sdk` stays light.

    @cached_property
    def agents(self) -> Agents:
        """Agents: create, apply, list, versions, import/export, health checks."""
        from everruns_sdk.resources.agents import Agents

        return Agents(self)

    @cached_property
    def sessions(self) -> Sessions:
        """Sessions: create, list, cancel, pin, export, and their files."""
        from everruns_sdk.resources.sessions import Sessions

        return Sessions(self)

    @cached_property
    def messages(self) -> Messages:
        """Messages of a session, and client-side tool results."""
        from everruns_sdk.resources.messages import Messages

        return Messages(self)

    @cached_property
    def events(self) -> Events:
        """Events of a session: the live stream and polling."""
        from everruns_sdk.resources.events import Events

        return Events(self)

    @cached_property
    def harnesses(self) -> Harnesses:
        from everruns_sdk.resources.harnesses import Harnesses

        return Harnesses(self)

    @cached_property
    def models(self) -> Models:
        from everruns_sdk.resources.models import Models

        return Models(self)

    @cached_property
    def capabilities(self) -> Capabilities:
        from everruns_sdk.resources.capabilities import Capabilities

        return Capabilities(self)

    @cached_property
    def images(self) -> Images:
        from everruns_sdk.resources.images import Images

        return Images(self)

    @cached_property
    def workspaces(self) -> Workspaces:
        from everruns_sdk.resources.workspaces import Workspaces

        return Workspaces(self)

    @cached_property
    def workspace_files(self) -> WorkspaceFiles:
        """Files of a workspace (also `client.workspaces.files`)."""
        return self.workspaces.files

    @cached_property
    def memories(self) -> Memories:
        from everruns_sdk.resources.memories import Memories

        return Memories(self)

    @cached_property
    def memory_files(self) -> MemoryFiles:
        """Files of a memory (also `client.memories.files`)."""
        return self.memories.files

    @cached_property
    def session_databases(self) -> SessionDatabases:
        """Databases of a session (also `client.sessions.databases`)."""
        from everruns_sdk.resources.session_databases import SessionDatabases

        return SessionDatabases(self)

    @cached_property
    def session_storage(self) -> SessionStorage:
        """Key-value storage and secrets of a session (also `client.sessions.storage`)."""
        from everruns_sdk.resources.session_storage import SessionStorage

        return SessionStorage(self)
