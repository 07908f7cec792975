"""Where the command's settings come from: options, then the same environment as the SDK."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

from everruns_sdk._config import DEFAULT_MAX_RETRIES, ENV_API_KEY, ENV_API_URL, ENV_ORG_ID
from everruns_sdk._errors import EverrunsError

if TYPE_CHECKING:
    from everruns_sdk._sync._client import SyncEverruns

__all__ = ["CliError", "Settings", "settings"]


class CliError(Exception):
    """A failure the command reports as one `error: ...` line (exit code `code`)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Settings:
    """Global options (`--api-url`, `--api-key`, `--org`, `--json`, ...) and the client.

    Options win over `EVERRUNS_API_URL`, `EVERRUNS_API_KEY` and `EVERRUNS_ORG_ID`. The
    key is handed to the client, which masks it everywhere; it is never shown here.
    """

    api_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    org: str | None = None
    json: bool = False
    max_retries: int | None = None
    _client: SyncEverruns | None = field(default=None, repr=False)

    def client(self) -> SyncEverruns:
        """The client, created on first use (so `--help` needs no key)."""
        if self._client is None:
            if not (self.api_key or os.environ.get(ENV_API_KEY)):
                raise CliError(
                    f"no API key: set {ENV_API_KEY} or pass --api-key "
                    "(for a local server: everruns serve-local)"
                )
            from everruns_sdk._sync._client import SyncEverruns

            try:
                self._client = SyncEverruns(
                    api_key=self.api_key or None,
                    org=self.org,
                    api_url=self.api_url,
                    max_retries=DEFAULT_MAX_RETRIES
                    if self.max_retries is None
                    else self.max_retries,
                )
            except EverrunsError as exc:
                raise CliError(f"bad configuration: {exc}") from None
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def settings(ctx: typer.Context) -> Settings:
    """The settings of this invocation (made by the root callback)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


ENV_HELP = f"Environment: {ENV_API_KEY} (required), {ENV_API_URL}, {ENV_ORG_ID}."
