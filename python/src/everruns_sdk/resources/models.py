"""`client.models`: the LLM models an organization can use, across providers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import ModelSource, ModelWithProvider

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._options import RequestOptions
    from everruns_sdk._pager import AsyncPager


class Models(Resource):
    """List and look up LLM models (with their provider and profile)."""

    @property
    def with_raw_response(self) -> ModelsWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return ModelsWithRawResponse(self)

    def list(
        self,
        *,
        source: ModelSource | None = None,
        include_stale: bool | None = None,
        favorites_only: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ModelWithProvider]:
        """Models of every provider; `source` is `manual`, `discovered` or `predefined`."""
        return self._list_pages(
            ModelWithProvider,
            "/v1/models",
            params={
                "source": source,
                "include_stale": include_stale,
                "favorites_only": favorites_only,
            },
            options=options,
        )

    async def get(self, model_id: str, **options: Unpack[RequestOptions]) -> ModelWithProvider:
        """One model by its ID (`model_...`), with provider info and profile."""
        return await self._model(
            ModelWithProvider, "GET", "/v1/models/{id}", path={"id": model_id}, options=options
        )


class ModelsWithRawResponse:
    """`Models` methods answering an `APIResponse` of their result."""

    def __init__(self, models: Models) -> None:
        self.list = raw_method(models.list)
        self.get = raw_method(models.get)
