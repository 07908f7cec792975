"""`client.capabilities`: what agents and harnesses can be given, and guardrail tools."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from everruns_sdk._compat.resources import CapabilitiesCompat
from everruns_sdk._errors import ValidationError
from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._body import merge_body
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import (
    CapabilityInfo,
    GuardrailExample,
    GuardrailExamplesResponse,
    GuardrailsDryRunRequest,
    GuardrailsDryRunResponse,
    GuardrailStage,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager


class Capabilities(CapabilitiesCompat, Resource):
    """Browse capabilities; try guardrail configurations before deploying them."""

    @property
    def with_raw_response(self) -> CapabilitiesWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return CapabilitiesWithRawResponse(self)

    def list(
        self,
        *,
        search: str | None = None,
        offset: int | None = None,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[CapabilityInfo]:
        """A page of capabilities; `async for capability in page` walks all of them."""
        return self._pages(
            CapabilityInfo,
            "/v1/capabilities",
            params={"search": search},
            offset=offset,
            limit=limit,
            options=options,
        )

    async def get(self, capability_id: str, **options: Unpack[RequestOptions]) -> CapabilityInfo:
        return await self._model(
            CapabilityInfo,
            "GET",
            "/v1/capabilities/{capability_id}",
            path={"capability_id": capability_id},
            options=options,
        )

    async def guardrail_examples(
        self, **options: Unpack[RequestOptions]
    ) -> builtins.list[GuardrailExample]:
        """Ready-made guardrail configurations, in display order."""
        response = await self._model(
            GuardrailExamplesResponse,
            "GET",
            "/v1/capabilities/guardrails/examples",
            options=options,
        )
        return response.examples

    async def dry_run_guardrails(
        self,
        config: Mapping[str, Any] | None = None,
        stage: GuardrailStage | None = None,
        text: str | None = None,
        *,
        tool_name: str | None = None,
        request: GuardrailsDryRunRequest | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> GuardrailsDryRunResponse:
        """Check sample `text` against a guardrails `config` without running a session.

        `stage` is `output`, `tool_use` (give `tool_name`) or `tool_output`. Nothing is
        stored; the answer lists the checks that fired and whether they would block.
        """
        body = merge_body(
            request, {"config": config, "stage": stage, "text": text, "tool_name": tool_name}
        )
        missing = [key for key in ("config", "stage", "text") if body.get(key) is None]
        if missing:
            raise ValidationError(f"a guardrails dry run needs {', '.join(missing)}")
        return await self._model(
            GuardrailsDryRunResponse,
            "POST",
            "/v1/capabilities/guardrails/dry-run",
            json=body,
            idempotent=True,  # evaluates only, stores nothing
            options=options,
        )


class CapabilitiesWithRawResponse:
    """`Capabilities` methods answering an `APIResponse` of their result."""

    def __init__(self, capabilities: Capabilities) -> None:
        self.list = raw_method(capabilities.list)
        self.get = raw_method(capabilities.get)
        self.guardrail_examples = raw_method(capabilities.guardrail_examples)
        self.dry_run_guardrails = raw_method(capabilities.dry_run_guardrails)
