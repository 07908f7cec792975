"""Response bodies to typed models; a body that does not fit raises ResponseValidationError."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from everruns_sdk._errors import ResponseValidationError

if TYPE_CHECKING:
    import httpx
    from pydantic import BaseModel, TypeAdapter

M = TypeVar("M", bound="BaseModel")


@cache
def _list_adapter(item: type[BaseModel]) -> TypeAdapter[list[Any]]:
    from pydantic import TypeAdapter

    return TypeAdapter(list[item])  # type: ignore[valid-type]


def _fail(
    response: httpx.Response, what: str, exc: Exception | None = None
) -> ResponseValidationError:
    detail = ""
    if exc is not None:
        errors = getattr(exc, "errors", None)
        if callable(errors):
            first = errors()[:3]
            detail = "; ".join(
                f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in first
            )
        else:
            detail = type(exc).__name__
    request = response.request
    return ResponseValidationError(
        f"unexpected response body from {request.method} {request.url.path}: {what}"
        + (f" ({detail})" if detail else ""),
        status_code=response.status_code,
        request_id=response.headers.get("x-request-id"),
    )


def parse_model(cast: type[M], response: httpx.Response) -> M:
    """Validate the JSON body of `response` into `cast`."""
    try:
        # What `cast.model_validate_json` calls, minus its Python frame (the attribute
        # also builds a model whose validator was deferred).
        model: M = cast.__pydantic_validator__.validate_json(response.content)
    except ValueError as exc:  # pydantic's ValidationError (imported only when needed)
        from pydantic import ValidationError

        if isinstance(exc, ValidationError):
            raise _fail(response, f"not a valid {cast.__name__}", exc) from None
        raise
    return model


def parse_items(item: type[M], data: object, response: httpx.Response) -> list[M]:
    """Validate a JSON array (already decoded) into a list of `item`."""
    from pydantic import ValidationError

    if not isinstance(data, list):
        raise _fail(response, f"expected a list of {item.__name__}")
    try:
        return _list_adapter(item).validate_python(data)
    except ValidationError as exc:
        raise _fail(response, f"not a list of {item.__name__}", exc) from None


def unwrap_list(item: type[M], body: object, response: httpx.Response) -> list[M]:
    """Items of a `{"data": [...]}` list response (or of a bare array)."""
    data = body.get("data") if isinstance(body, dict) else body
    return parse_items(item, data, response)


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def to_body(value: object) -> object:
    """A request body as JSON-ready data: models (at any depth) dumped by alias, with
    their unset fields left out."""
    kind = type(value)
    if kind in _JSON_SCALARS:  # exact types only: a subclass may be a model or a tool
        return value
    if kind is dict:
        return {key: to_body(item) for key, item in value.items()}  # type: ignore[attr-defined]
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json", by_alias=True, exclude_unset=True)
    definition = getattr(value, "definition", None)
    if callable(definition):  # a client-side `Tool`: send its declaration
        return to_body(definition())
    if isinstance(value, dict):
        return {key: to_body(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_body(item) for item in value]
    return value
