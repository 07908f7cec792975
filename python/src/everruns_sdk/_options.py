"""Per-call request options: the keywords every API method takes after its own.

    agent = await client.agents.get(agent_id, timeout=5, max_retries=0,
                                    extra_headers={"X-Trace": "abc"})

Every resource method declares `**options: Unpack[RequestOptions]` and hands them to
`resources/_base.py`, which applies them in the one request pipeline; `mypy --strict`
checks the keys and value types at each call site. A key that is absent means "the
client's default"; `timeout=None` means no timeout at all (as in httpx).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, TypedDict

if TYPE_CHECKING:
    import httpx

    from everruns_sdk._transport import QueryParams

_OPTION_KEYS: Final = frozenset(
    {"timeout", "max_retries", "extra_headers", "extra_query", "extra_body"}
)


class RequestOptions(TypedDict, total=False):
    """Options of one call; each overrides the client's setting for that call only."""

    #: Seconds (or an `httpx.Timeout`) for this request; `None` disables the timeout.
    timeout: float | httpx.Timeout | None
    #: Retries of a failed attempt that is safe to repeat (0 = try once).
    max_retries: int
    #: Headers added to (and replacing) the SDK's own for this request.
    extra_headers: Mapping[str, str]
    #: Query parameters added to (and replacing) the method's own.
    extra_query: QueryParams
    #: JSON fields merged into the request body (top level), for fields the SDK lacks.
    extra_body: Mapping[str, object]


class NotGiven:
    """The default of a keyword whose `None` means something (`timeout=None`: none)."""

    __slots__ = ()
    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


def split_options(
    options: Mapping[str, object],
) -> tuple[RequestOptions, dict[str, object]]:
    """Separate the request options from a method's own keyword options."""
    request: dict[str, object] = {}
    rest: dict[str, object] = {}
    for key, value in options.items():
        (request if key in _OPTION_KEYS else rest)[key] = value
    return request, rest  # type: ignore[return-value]
