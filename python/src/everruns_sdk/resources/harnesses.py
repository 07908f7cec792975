"""`client.harnesses`: harnesses, the base configuration agents and sessions build on."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from everruns_sdk._compat.resources import HarnessesCompat
from everruns_sdk._errors import ValidationError
from everruns_sdk._ids import generate_harness_id, validate_name
from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._body import merge_body
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import (
    AgentCapabilityConfig,
    CreateHarnessRequest,
    Harness,
    HarnessExample,
    HarnessStatus,
    InitialFile,
    NetworkAccessList,
    UpdateHarnessRequest,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager


class Harnesses(HarnessesCompat, Resource):
    """Create, list, update and archive harnesses; browse the built-in examples."""

    @property
    def with_raw_response(self) -> HarnessesWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return HarnessesWithRawResponse(self)

    generate_id = staticmethod(generate_harness_id)

    def list(
        self,
        *,
        search: str | None = None,
        include_archived: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Harness]:
        """Every harness of the organization (the API does not paginate them)."""
        return self._list_pages(
            Harness,
            "/v1/harnesses",
            params={"search": search, "include_archived": include_archived},
            options=options,
        )

    async def get(self, harness_id: str, **options: Unpack[RequestOptions]) -> Harness:
        return await self._model(
            Harness,
            "GET",
            "/v1/harnesses/{harness_id}",
            path={"harness_id": harness_id},
            options=options,
        )

    async def create(
        self,
        name: str | None = None,
        system_prompt: str | None = None,
        *,
        id: str | None = None,
        display_name: str | None = None,
        description: str | None = None,
        parent_harness_id: str | None = None,
        default_model_id: str | None = None,
        tags: Sequence[str] | None = None,
        capabilities: Sequence[AgentCapabilityConfig | Mapping[str, Any]] | None = None,
        initial_files: Sequence[InitialFile | Mapping[str, Any]] | None = None,
        network_access: NetworkAccessList | Mapping[str, Any] | None = None,
        request: CreateHarnessRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Harness:
        """Create a harness named `name`, a slug such as `deep-research`.

        `id` is an optional client-chosen ID (`Harnesses.generate_id()`), sent as is:
        the spec's create request does not declare it. Fields without a keyword (MCP
        servers, network access, ...) go through `request`.
        """
        body = merge_body(
            request,
            {
                "id": id,
                "name": name,
                "display_name": display_name,
                "description": description,
                "system_prompt": system_prompt,
                "parent_harness_id": parent_harness_id,
                "default_model_id": default_model_id,
                "tags": tags,
                "capabilities": capabilities,
                "initial_files": initial_files,
                "network_access": network_access,
            },
        )
        if body.get("name") is None:
            raise ValidationError("a harness needs a name")
        validate_name(body["name"], kind="harness")
        return await self._model(Harness, "POST", "/v1/harnesses", json=body, options=options)

    async def update(
        self,
        harness_id: str,
        *,
        name: str | None = None,
        display_name: str | None = None,
        description: str | None = None,
        system_prompt: str | None = None,
        parent_harness_id: str | None = None,
        default_model_id: str | None = None,
        tags: Sequence[str] | None = None,
        capabilities: Sequence[AgentCapabilityConfig | Mapping[str, Any]] | None = None,
        initial_files: Sequence[InitialFile | Mapping[str, Any]] | None = None,
        network_access: NetworkAccessList | Mapping[str, Any] | None = None,
        status: HarnessStatus | None = None,
        request: UpdateHarnessRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Harness:
        """Change the given fields of a harness; the others stay as they are.

        To clear a field (e.g. detach the parent with `parent_harness_id: None`), pass
        it explicitly in `request`.
        """
        if name is not None:
            validate_name(name, kind="harness")
        body = merge_body(
            request,
            {
                "name": name,
                "display_name": display_name,
                "description": description,
                "system_prompt": system_prompt,
                "parent_harness_id": parent_harness_id,
                "default_model_id": default_model_id,
                "tags": tags,
                "capabilities": capabilities,
                "initial_files": initial_files,
                "network_access": network_access,
                "status": status,
            },
        )
        return await self._model(
            Harness,
            "PATCH",
            "/v1/harnesses/{harness_id}",
            path={"harness_id": harness_id},
            json=body,
            options=options,
        )

    async def delete(self, harness_id: str, **options: Unpack[RequestOptions]) -> None:
        """Archive a harness (built-in harnesses cannot be deleted)."""
        await self._request(
            "DELETE", "/v1/harnesses/{harness_id}", path={"harness_id": harness_id}, options=options
        )

    async def examples(self, **options: Unpack[RequestOptions]) -> builtins.list[HarnessExample]:
        """The ready-made harness examples one can adopt."""
        return await self._list(HarnessExample, "GET", "/v1/harness-examples", options=options)


class HarnessesWithRawResponse:
    """`Harnesses` methods answering an `APIResponse` of their result."""

    def __init__(self, harnesses: Harnesses) -> None:
        self.list = raw_method(harnesses.list)
        self.get = raw_method(harnesses.get)
        self.create = raw_method(harnesses.create)
        self.update = raw_method(harnesses.update)
        self.delete = raw_method(harnesses.delete)
        self.examples = raw_method(harnesses.examples)
