"""Base classes of the generated models (hand-written).

Every model is forward compatible: unknown fields are kept (and dumped again), enums are
open (`Literal[...] | str`), and a tagged union has a fallback branch for unknown tags.
Models are built lazily (`defer_build`): the validator of a model is created the first
time it is used, not when its module is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)

#: Tag of the fallback branch of a tagged union (never a real tag value).
UNKNOWN_TAG = "__unknown__"


class EverrunsModel(BaseModel):
    """Base of every Everruns model."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        defer_build=True,
        protected_namespaces=(),
    )

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data with wire names, leaving out fields never set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def to_json(self) -> str:
        """The model as a JSON string with wire names, leaving out fields never set."""
        return self.model_dump_json(by_alias=True, exclude_unset=True)


def _tag_serializer(
    self: TaggedModel, handler: SerializerFunctionWrapHandler, info: SerializationInfo
) -> Any:
    """Serialize `self`, putting its tag back when `exclude_unset` left it out (the tag was
    defaulted) and no include/exclude asked for that."""
    data = handler(self)
    if not info.exclude_unset or not isinstance(data, dict):
        return data
    name, wire = self.__tag_names__
    key = wire if info.by_alias else name
    if key in data or name in self.__pydantic_fields_set__:
        return data  # present, or left out on purpose (include/exclude)
    include, exclude = info.include, info.exclude
    if (include is not None and name not in include) or (exclude is not None and name in exclude):
        return data
    return {key: getattr(self, name), **data}


# Without a return annotation, pydantic keeps the model's own JSON schema in
# serialization mode (an annotated wrap serializer would replace it with its return type).
del _tag_serializer.__annotations__["return"]


class TaggedModel(EverrunsModel):
    """A branch of a tagged union: its tag is always serialized.

    The tag field has a default (`TextContentPart(text="hi")` needs no `type=`), and
    defaults are normally left out by `exclude_unset`; the tag must not be, or the server
    could not tell the branch. The tag is put back at dump time, by a wrap serializer,
    rather than marked as set on every instance: validation (the hot path, for parts
    inside every message and event) costs no Python call at all.
    """

    #: Wire name of the tag field.
    __tag_field__: ClassVar[str] = "type"
    # (python name, wire name) of the tag field, resolved once per class.
    __tag_names__: ClassVar[tuple[str, str]] = ("type", "type")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        wire = cls.__tag_field__
        for name, field in cls.model_fields.items():
            if name == wire or field.alias == wire:
                cls.__tag_names__ = (name, field.alias or name)
                break

    _serialize_with_tag = model_serializer(mode="wrap")(_tag_serializer)


def tag_discriminator(field: str, known: Iterable[str]) -> Callable[[Any], str | None]:
    """A pydantic `Discriminator` callable: the tag for a known value, `UNKNOWN_TAG` for
    any other string (the fallback branch), None when there is no string tag (an error).
    """
    known_tags = frozenset(known)

    def discriminate(value: Any) -> str | None:
        tag = value.get(field) if isinstance(value, dict) else getattr(value, field, None)
        if not isinstance(tag, str):
            return None
        return tag if tag in known_tags else UNKNOWN_TAG

    return discriminate
