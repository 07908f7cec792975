"""The exception hierarchy, and how an error response becomes one typed exception.

EverrunsError
 +-- ApiError (the server answered with an error status)
 |    +-- BadRequestError 400, AuthenticationError 401, PermissionDeniedError 403,
 |    |   NotFoundError 404, ConflictError 409, UnprocessableEntityError 422,
 |    |   RateLimitError 429, InternalServerError 5xx
 +-- APIConnectionError (no usable answer) +-- APITimeoutError
 |                                         +-- StreamRetriesExhaustedError
 +-- ResponseValidationError (a 2xx body that does not parse)
 +-- ValidationError (client-side, raised before anything is sent)
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

MAX_MESSAGE_CHARS = 300
MAX_BODY_CHARS = 64 * 1024


class EverrunsError(Exception):
    """Base class of every error raised by the SDK.

    Every SDK error pickles and copies with all its attributes (multiprocessing, task
    queues, pytest-xdist), whatever its constructor takes: `__reduce__` rebuilds it
    from its message and its `__dict__`, without calling `__init__` again.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[EverrunsError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ValidationError(EverrunsError, ValueError):
    """An argument was rejected client-side, before any request was sent."""


class ResponseValidationError(EverrunsError):
    """A successful response whose body is not what the API promises."""

    def __init__(self, message: str, *, status_code: int, request_id: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.request_id = request_id


class APIConnectionError(EverrunsError):
    """The request did not get an HTTP answer (DNS, refused, reset, TLS, ...)."""


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""


class StreamRetriesExhaustedError(APIConnectionError):
    """An event stream failed to reconnect `attempts` times in a row."""

    def __init__(self, message: str, *, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


class ApiError(EverrunsError):
    """The server answered with an error status.

    `message` is short and human-readable; `body` keeps the parsed JSON (or the text,
    truncated) for callers who need more.
    """

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        request_id: str | None = None,
        body: object = None,
        retry_after: float | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        #: The error response (read; its request without credentials), when there was one.
        self.response = response
        self.message = message
        self.status_code = status_code
        self.code = code
        self.request_id = request_id
        self.body = body
        self.retry_after = retry_after
        super().__init__(self._render())

    @property
    def headers(self) -> httpx.Headers:
        """The headers of the error response (empty for an error built by hand)."""
        import httpx

        return self.response.headers if self.response is not None else httpx.Headers()

    def _render(self) -> str:
        text = f"HTTP {self.status_code}"
        if self.code:
            text += f" {self.code}"
        if self.message.startswith(text):
            text = self.message  # "HTTP 500 Internal Server Error", said once
        elif self.message and not text.startswith(self.message):  # not "HTTP 400 x: HTTP 400"
            text += f": {self.message}"
        if self.request_id:
            text += f" (request id {self.request_id})"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, code={self.code!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class BadRequestError(ApiError):
    """400: the request was malformed or failed validation."""


class AuthenticationError(ApiError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(ApiError):
    """403: the key is valid but may not do this."""


class NotFoundError(ApiError):
    """404: no such resource (or not visible to this organization)."""


class ConflictError(ApiError):
    """409: the resource's state does not allow this (e.g. tool results not awaited)."""


class UnprocessableEntityError(ApiError):
    """422: the request is well-formed but breaks a business rule."""


class RateLimitError(ApiError):
    """429: too many requests; `retry_after` says how many seconds to wait, if known."""


class InternalServerError(ApiError):
    """5xx: the server failed; usually worth retrying."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for(status: int) -> type[ApiError]:
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, ApiError)


def _shorten(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _looks_like_html(text: str, content_type: str = "") -> bool:
    """A markup page (what proxies answer), by its content type or its first character:
    `<!DOCTYPE`, `<html>`, `<?xml`, a comment, or a bare `<head>`/`<body>` fragment, in
    any case, after whitespace and a byte order mark. No JSON or plain message starts
    with `<`."""
    if "html" in content_type.lower():
        return True
    return text.lstrip().lstrip("\ufeff").lstrip()[:1] == "<"


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _describe_json(status: int, data: Any) -> tuple[str, str | None, float | None]:
    """(message, code, retry_after_seconds) from a problem-details or legacy error body."""
    if not isinstance(data, dict):
        return f"HTTP {status}", None, None
    legacy = data.get("error")
    if isinstance(legacy, dict):
        message = _str_or_none(legacy.get("message")) or _str_or_none(legacy.get("detail"))
        return _shorten(message or f"HTTP {status}"), _str_or_none(legacy.get("code")), None
    if isinstance(legacy, str) and legacy:
        return _shorten(legacy), _str_or_none(data.get("code")), None
    title = _str_or_none(data.get("title"))
    detail = _str_or_none(data.get("detail")) or _str_or_none(data.get("message"))
    message = detail or title or f"HTTP {status}"
    raw_retry = data.get("retry_after_seconds")
    retry = (
        float(raw_retry)
        if isinstance(raw_retry, (int, float)) and not isinstance(raw_retry, bool)
        else None
    )
    if retry is not None and retry < 0:
        retry = None
    return _shorten(message), _str_or_none(data.get("code")), retry


def error_from_response(
    response: httpx.Response,
    *,
    body: bytes,
    retry_after_header: float | None = None,
    redact: tuple[str, ...] = (),
) -> ApiError:
    """Build the typed error for an error `response` whose body bytes are `body`.

    `redact` lists secrets that must not survive into the message or body even if a
    hostile server echoes them back.
    """
    status = response.status_code
    request_id = response.headers.get("x-request-id")
    reason = response.reason_phrase
    text = body.decode("utf-8", errors="replace") if body else ""
    for secret in redact:
        if secret:
            text = text.replace(secret, "****")
            reason = reason.replace(secret, "****")
            if request_id:
                request_id = request_id.replace(secret, "****")
    parsed: object = None
    code: str | None = None
    retry_body: float | None = None
    if not text.strip():
        message = f"HTTP {status}"
        if reason:
            message = f"HTTP {status} {_shorten(reason)}"
    elif _looks_like_html(text, response.headers.get("content-type", "")):
        message = f"HTTP {status}"
        parsed = text[:MAX_BODY_CHARS]
    else:
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: absurdly deep JSON
            parsed = text[:MAX_BODY_CHARS]
            message = _shorten(text)
        else:
            message, code, retry_body = _describe_json(status, parsed)
    retry_after = retry_after_header if retry_after_header is not None else retry_body
    from everruns_sdk._response import detached

    return error_class_for(status)(
        message,
        status_code=status,
        code=code,
        request_id=request_id,
        body=parsed,
        retry_after=retry_after,
        response=detached(response, body, redact),
    )


def redact_exception_chain(exc: BaseException, secrets: tuple[str, ...]) -> None:
    """Remove `secrets` from the messages of `exc` and of every exception it chains to
    (`__cause__`, `__context__`), in place.

    A hostile server can make a protocol error quote the bytes it sent (h11: "illegal
    chunk header: b'...'"), the API key included; those exceptions end up chained to
    ours, where `str`, `repr` and tracebacks would show them.
    """
    secrets = tuple(secret for secret in secrets if secret)
    if not secrets:
        return
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if any(isinstance(arg, (str, bytes, bytearray)) for arg in current.args):
            current.args = tuple(_redact_value(arg, secrets) for arg in current.args)
        todo.extend((current.__cause__, current.__context__))


def _redact_value(value: object, secrets: tuple[str, ...]) -> object:
    for secret in secrets:
        if isinstance(value, str):
            value = value.replace(secret, "****")
        elif isinstance(value, (bytes, bytearray)):
            value = bytes(value).replace(secret.encode(), b"****")
    return value


def _public_names() -> None:
    """Tracebacks and reprs name the classes as users import them
    (`everruns_sdk.AuthenticationError`), not by this private module; pickling finds
    them there too."""
    for cls in (
        EverrunsError,
        ValidationError,
        ResponseValidationError,
        APIConnectionError,
        APITimeoutError,
        StreamRetriesExhaustedError,
        ApiError,
        *_BY_STATUS.values(),
        InternalServerError,
    ):
        cls.__module__ = "everruns_sdk"


_public_names()
