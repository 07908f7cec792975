"""Base classes of the generated models (hand-written).

Every model is forward compatible: unknown fields are kept (and dumped again), enums are
open (`Literal[...] | str`), and a tagged union has a fallback branch for unknown tags.
Models are built lazily (`defer_build`): the validator of a model is created the first
time it is used, not when its module is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

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


class TaggedModel(EverrunsModel):
    """A branch of a tagged union (or an event): its tag is always serialized.

    The tag field has a default (`TextContentPart(text="hi")` needs no `type=`), and
    defaults are normally left out by `exclude_unset`; the tag must not be, or the server
    could not tell the branch.
    """

    __tag_field__: ClassVar[str] = "type"

    def model_post_init(self, context: Any, /) -> None:
        self.__pydantic_fields_set__.add(self.__tag_field__)


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
