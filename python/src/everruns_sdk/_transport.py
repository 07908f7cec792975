"""The one request pipeline: URL, headers, send, retry, log, and turn errors into exceptions.

Every resource method goes through `Transport.request` (or `Transport.stream` for SSE);
nothing else in the SDK touches httpx for API calls.
"""

from __future__ import annotations

import contextlib
import json as jsonlib
import threading
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, TypeAlias

import httpx

from everruns_sdk import _aio, _retry
from everruns_sdk._config import ClientConfig, check_header_value
from everruns_sdk._errors import (
    APIConnectionError,
    ApiError,
    APITimeoutError,
    EverrunsError,
    error_from_response,
    redact_exception_chain,
)
from everruns_sdk._logging import logger
from everruns_sdk._retry import (
    backoff_delay,
    exception_is_retryable,
    parse_retry_after,
    status_is_retryable,
)
from everruns_sdk._version import __version__

QueryValue: TypeAlias = "str | int | float | bool | Sequence[str] | None"
QueryParams: TypeAlias = "Mapping[str, QueryValue]"
FileTypes: TypeAlias = "Mapping[str, tuple[str, bytes, str]]"

MAX_REDIRECTS = 5
_SENSITIVE_HEADERS = ("authorization", "x-org-id")


def encode_query(params: QueryParams | None) -> list[tuple[str, str]]:
    """Query parameters as pairs: None dropped, booleans `true`/`false`, sequences as
    repeated keys (`types=a&types=b`), never comma-joined and never `types[]=`."""
    pairs: list[tuple[str, str]] = []
    if not params:
        return pairs
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            pairs.append((key, "true" if value else "false"))
        elif isinstance(value, (str, int, float)):
            pairs.append((key, str(value)))
        else:
            pairs.extend((key, str(item)) for item in value)
    return pairs


def _same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


class LazyClient:
    """The httpx client shared by a transport and those derived from it
    (`with_options`): the caller's, or one created on first use."""

    __slots__ = ("_lock", "client", "created", "timeout")

    def __init__(self, client: httpx.AsyncClient | None, timeout: httpx.Timeout) -> None:
        self.client = client
        self.timeout = timeout
        #: True when the client was created here: it has httpx's defaults only (no base
        #: URL, params, auth or default cookies of a caller).
        self.created = False
        self._lock = threading.Lock()  # the sync client may be shared by threads

    def open(self) -> httpx.AsyncClient:
        with self._lock:
            if self.client is None:
                self.created = True
                self.client = httpx.AsyncClient(
                    timeout=self.timeout,
                    follow_redirects=False,
                    limits=httpx.Limits(max_connections=1000, max_keepalive_connections=100),
                )
            return self.client


class Transport:
    """Sends API requests on one shared `httpx.AsyncClient` with auth, retries and logging."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        http_client: httpx.AsyncClient | None = None,
        owns_http_client: bool | None = None,
    ) -> None:
        self.config = config
        if http_client is None:
            owns = True if owns_http_client is None else owns_http_client
        else:
            owns = bool(owns_http_client)
        self._pool = LazyClient(http_client, config.timeout)
        self.owns_http_client = owns
        headers = {
            "Authorization": config.api_key.get(),
            "User-Agent": f"everruns-python-sdk/{__version__}",
            "X-SDK-Version": __version__,
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
        }
        if config.org_id:
            headers["X-Org-Id"] = config.org_id
        headers.update(config.default_headers)
        self.base_headers = headers
        self._json_headers = {**headers, "Content-Type": "application/json"}
        # The client's default headers with ours on top (plain, JSON body), once.
        self._merged_headers: tuple[httpx.Headers, httpx.Headers] | None = None
        self._redact = (config.api_key.get(),)
        self._api_prefixed = httpx.URL(config.base_url).path.rstrip("/").endswith("/api")

    @property
    def http(self) -> httpx.AsyncClient:
        """The httpx client: the caller's, or one created on first use (constructing a
        client loads the TLS trust store, which is most of its cost)."""
        client = self._pool.client
        return client if client is not None else self._pool.open()

    def derive(self, config: ClientConfig) -> Transport:
        """A transport with other settings on the same connection pool (not owned)."""
        derived = Transport(config, owns_http_client=False)
        derived._pool = self._pool
        return derived

    async def aclose(self) -> None:
        if self.owns_http_client:
            # A client never used is created here only to be closed: a closed client
            # must refuse requests, whenever it was created.
            await self.http.aclose()

    def url(self, path: str) -> str:
        return self.config.base_url + path

    @staticmethod
    def _merge_headers(client: httpx.AsyncClient, ours: Mapping[str, str]) -> httpx.Headers:
        merged = httpx.Headers(client.headers)
        merged.update(ours)
        return merged

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        if not extra:
            return self.base_headers
        headers = dict(self.base_headers)
        for name, value in extra.items():
            headers[name] = check_header_value(name, value)
        return headers

    def build_request(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json: object = None,
        content: bytes | str | None = None,
        files: FileTypes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> httpx.Request:
        body: bytes | str | None = content
        if json is not None:
            body = jsonlib.dumps(json, separators=(",", ":"), ensure_ascii=False).encode()
        # No `params` at all when there are none: httpx parses the URL again to merge
        # even an empty tuple.
        pairs = encode_query(params) if params else None
        client = self.http
        if not headers and self._pool.created and not client.cookies:
            # Our own client, as httpx built it: what `client.build_request` would make,
            # without merging the client's default headers into ours on every call (the
            # merged set is made once) or parsing the URL twice.
            merged = self._merged_headers
            if merged is None:
                merged = self._merged_headers = (
                    self._merge_headers(client, self.base_headers),
                    self._merge_headers(client, self._json_headers),
                )
            return httpx.Request(
                method,
                self.url(path),
                params=tuple(pairs) if pairs else None,
                content=body,
                files=files,
                headers=merged[0] if json is None else merged[1],
                extensions={
                    "timeout": (self.config.timeout if timeout is None else timeout).as_dict()
                },
            )
        if json is not None:
            all_headers = (
                self._json_headers
                if not headers
                else {**self._headers(headers), "Content-Type": "application/json"}
            )
        else:
            all_headers = self.base_headers if not headers else self._headers(headers)
        return client.build_request(
            method,
            self.url(path),
            params=tuple(pairs) if pairs else None,
            content=body,
            files=files,
            headers=all_headers,
            timeout=self.config.timeout if timeout is None else timeout,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json: object = None,
        content: bytes | str | None = None,
        files: FileTypes | None = None,
        headers: Mapping[str, str] | None = None,
        max_retries: int | None = None,
        timeout: httpx.Timeout | None = None,
        idempotent: bool = False,
    ) -> httpx.Response:
        """Send a request, retrying what is safe to retry; return the read 2xx response.

        `idempotent=True` marks a POST or PATCH as harmless to repeat (an upsert with a
        client-chosen ID), so it is retried like a GET.

        Raises the `ApiError` subclass for the status, `APITimeoutError` or
        `APIConnectionError` when no answer came after the allowed retries.
        """
        request = self.build_request(
            method,
            path,
            params=params,
            json=json,
            content=content,
            files=files,
            headers=headers,
            timeout=timeout,
        )
        retries = self.config.max_retries if max_retries is None else max_retries
        retry_as = "PUT" if idempotent else method
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                response = await self._send_following_redirects(request, stream=False)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                # DecodingError: a body that is not what its Content-Encoding says.
                error = self._connection_error(exc)
                if attempt < retries and exception_is_retryable(retry_as, exc):
                    delay = backoff_delay(attempt)
                    self._log_retry(request, attempt, delay, str(error))
                    attempt += 1
                    await _aio.sleep(delay)
                    continue
                if attempt:
                    error = self._connection_error(exc, attempts=attempt + 1)
                raise error from exc
            elapsed_ms = (time.perf_counter() - started) * 1000
            self._log_response(request, response, elapsed_ms, attempt)
            if response.is_success:
                return response
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            error = self._api_error(response, response.content, retry_after)
            if attempt < retries and status_is_retryable(
                retry_as, response.status_code, error.retry_after
            ):
                limit = _retry.RETRY_POLICY.max_retry_after
                if error.retry_after is not None and error.retry_after > limit:
                    raise error
                delay = (
                    error.retry_after if error.retry_after is not None else backoff_delay(attempt)
                )
                self._log_retry(request, attempt, delay, f"HTTP {response.status_code}")
                attempt += 1
                await _aio.sleep(delay)
                continue
            raise error

    @contextlib.asynccontextmanager
    async def stream(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """Open one streaming request (no retries: the caller owns reconnection).

        Yields the open 2xx response; raises the typed error for any other status.
        """
        pairs = params if isinstance(params, list) else encode_query(params)
        request = self.http.build_request(
            method,
            self.url(path),
            params=tuple(pairs) if pairs else None,
            headers=self._headers(headers),
            timeout=self.config.timeout if timeout is None else timeout,
        )
        started = time.perf_counter()
        try:
            response = await self._send_following_redirects(request, stream=True)
        except httpx.TransportError as exc:
            raise self._connection_error(exc) from exc
        try:
            self._log_response(request, response, (time.perf_counter() - started) * 1000, 0)
            if not response.is_success:
                try:
                    body = await response.aread()
                except httpx.TransportError as exc:
                    raise self._connection_error(exc) from exc
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                raise self._api_error(response, body, retry_after)
            yield response
        finally:
            await response.aclose()

    async def _send_following_redirects(
        self, request: httpx.Request, *, stream: bool
    ) -> httpx.Response:
        """Send, following redirects ourselves so that a hop to another origin never
        carries the Authorization or X-Org-Id headers."""
        for _ in range(MAX_REDIRECTS + 1):
            response = await self.http.send(request, stream=stream, follow_redirects=False)
            if not response.has_redirect_location:
                return response
            location = response.headers["location"]
            await response.aclose()
            next_url = request.url.join(location)
            headers = dict(request.headers)
            headers.pop("host", None)  # httpx sets it again from next_url
            if not _same_origin(request.url, next_url):
                for name in list(headers):
                    if name.lower() in _SENSITIVE_HEADERS:
                        del headers[name]
            # 303 always becomes GET; 301/302 turn only POST into GET (as browsers do);
            # 307/308 repeat the request as it was.
            status = response.status_code
            to_get = status == 303 and request.method != "HEAD"
            to_get = to_get or (status in (301, 302) and request.method == "POST")
            keep_body = not to_get
            method = "GET" if to_get else request.method
            if not keep_body:
                headers.pop("content-length", None)
                headers.pop("content-type", None)
            request = self.http.build_request(
                method,
                next_url,
                headers=headers,
                content=request.content if keep_body else None,
                extensions=request.extensions,
            )
        raise APIConnectionError(f"too many redirects (more than {MAX_REDIRECTS})")

    def _api_error(
        self, response: httpx.Response, body: bytes, retry_after: float | None
    ) -> ApiError:
        error = error_from_response(
            response, body=body, retry_after_header=retry_after, redact=self._redact
        )
        if error.status_code == 404 and not self._api_prefixed:
            # A bare 404 from a base URL without the API prefix: say what to check.
            error.message += (
                f" (is the base URL right? {self.config.base_url} does not end in /api,"
                " where the Everruns API usually is)"
            )
            error.args = (error._render(),)
        return error

    def _scrub(self, text: str) -> str:
        for secret in self._redact:
            text = text.replace(secret, "****")
        return text

    def _connection_error(self, exc: httpx.RequestError, attempts: int = 1) -> EverrunsError:
        """The error for a request that got no answer, naming the URL tried and what to
        check (the server, the base URL)."""
        redact_exception_chain(exc, self._redact)  # it becomes our error's __cause__
        text = self._scrub(str(exc) or type(exc).__name__)
        try:
            url = str(exc.request.url.copy_with(query=None))
        except RuntimeError:  # an error raised without its request
            url = self.config.base_url
        tried = f"{url}" + (f" ({attempts} attempts)" if attempts > 1 else "")
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                f"request to {tried} timed out ({type(exc).__name__}): {text}; "
                "check that the server answers, or pass a longer timeout="
            )
        return APIConnectionError(
            f"cannot connect to {tried} ({type(exc).__name__}): {text}; check that the "
            f"server is running and that the base URL {self.config.base_url} is right"
        )

    def _log_response(
        self, request: httpx.Request, response: httpx.Response, elapsed_ms: float, attempt: int
    ) -> None:
        if logger.isEnabledFor(10):  # DEBUG, checked first to keep the hot path cheap
            logger.debug(
                "%s %s -> %s in %.1f ms (request id %s, attempt %d)",
                request.method,
                request.url,
                response.status_code,
                elapsed_ms,
                self._scrub(response.headers.get("x-request-id") or "-"),
                attempt + 1,
            )

    def _log_retry(self, request: httpx.Request, attempt: int, delay: float, cause: str) -> None:
        logger.debug(
            _retry.REQUEST_RETRY_MESSAGE,
            request.method,
            request.url,
            cause,
            attempt + 1,
            delay,
        )


def parse_json(response: httpx.Response) -> Any:
    """The response body as JSON, or a `ResponseValidationError`."""
    from everruns_sdk._errors import ResponseValidationError

    try:
        return jsonlib.loads(response.content)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep JSON
        raise ResponseValidationError(
            f"expected a JSON body from {response.request.method} {response.request.url.path}",
            status_code=response.status_code,
            request_id=response.headers.get("x-request-id"),
        ) from exc
