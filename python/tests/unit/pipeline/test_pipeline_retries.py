"""Retry policy: what is retried for which method, how long the client waits, timeouts."""

from __future__ import annotations

import email.utils
import random
import time

import httpx
import pytest
import respx

from everruns_sdk import (
    APIConnectionError,
    ApiError,
    APITimeoutError,
    Everruns,
    InternalServerError,
    RateLimitError,
)
from everruns_sdk._retry import (
    RETRY_POLICY,
    backoff_delay,
    exception_is_retryable,
    parse_retry_after,
    status_is_retryable,
)
from everruns_sdk.resources._base import Resource

INITIAL_DELAY = RETRY_POLICY.initial_delay
MAX_DELAY = RETRY_POLICY.max_delay

KEY = "evr_pat_SECRET123456"
BASE = "http://testserver/api"
URL = f"{BASE}/v1/sessions/s1/messages"
TEMPLATE = "/v1/sessions/{session_id}/messages"


async def _call(client: Everruns, method: str) -> httpx.Response:
    json = None if method in ("GET", "DELETE") else {"message": {"role": "user"}}
    return await Resource(client)._request(method, TEMPLATE, path={"session_id": "s1"}, json=json)


def _route(router: respx.MockRouter, method: str) -> respx.Route:
    return router.route(method=method, url=URL)


# -- GET: retried on transient failures ----------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408, 429])
async def test_get_retried_on_transient_status_then_succeeds(
    router: respx.MockRouter, client: Everruns, sleeps: list[float], status: int
) -> None:
    route = _route(router, "GET").mock(
        side_effect=[httpx.Response(status), httpx.Response(status), httpx.Response(200, json={})]
    )
    response = await _call(client, "GET")
    assert response.status_code == 200
    assert route.call_count == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    "exc", [httpx.ConnectError, httpx.ReadError, httpx.ReadTimeout, httpx.RemoteProtocolError]
)
async def test_get_retried_on_transport_errors(
    router: respx.MockRouter, client: Everruns, sleeps: list[float], exc: type[Exception]
) -> None:
    route = _route(router, "GET").mock(side_effect=[exc("boom"), httpx.Response(200, json={})])
    response = await _call(client, "GET")
    assert response.status_code == 200
    assert route.call_count == 2
    assert len(sleeps) == 1


async def test_default_three_retries_then_last_error(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    route = _route(router, "GET").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(502),
            httpx.Response(500),
            httpx.Response(504, json={"detail": "last one"}, headers={"x-request-id": "r4"}),
            httpx.Response(200, json={}),
        ]
    )
    with pytest.raises(InternalServerError) as info:
        await _call(client, "GET")
    assert route.call_count == 4
    assert len(sleeps) == 3
    assert info.value.status_code == 504
    assert info.value.message == "last one"
    assert info.value.request_id == "r4"


async def test_connection_errors_exhaust_retries(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    route = _route(router, "GET").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError):
        await _call(client, "GET")
    assert route.call_count == 4
    assert len(sleeps) == 3


@pytest.mark.parametrize("failure", [httpx.Response(500), httpx.ConnectError("refused")])
async def test_max_retries_zero_raises_at_once(
    router: respx.MockRouter, sleeps: list[float], failure: object
) -> None:
    route = _route(router, "GET").mock(side_effect=[failure, httpx.Response(200, json={})])
    async with Everruns(api_key=KEY, base_url=BASE, max_retries=0) as client:
        with pytest.raises((ApiError, APIConnectionError)):
            await _call(client, "GET")
    assert route.call_count == 1
    assert sleeps == []


# -- POST / PATCH: never risk a double effect -----------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 504, 408])
async def test_non_idempotent_not_retried_on_5xx(
    router: respx.MockRouter, client: Everruns, sleeps: list[float], status: int
) -> None:
    for method in ("POST", "PATCH"):
        route = _route(router, method).mock(
            side_effect=[httpx.Response(status), httpx.Response(200, json={})]
        )
        with pytest.raises(ApiError) as info:
            await _call(client, method)
        assert info.value.status_code == status
        assert route.call_count == 1, method
    assert sleeps == []


@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_non_idempotent_not_retried_on_plain_503(
    router: respx.MockRouter, client: Everruns, method: str
) -> None:
    route = _route(router, method).mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json={})]
    )
    with pytest.raises(InternalServerError):
        await _call(client, method)
    assert route.call_count == 1


@pytest.mark.parametrize(
    ("exc", "raised"),
    [
        (httpx.ReadError, APIConnectionError),
        (httpx.ReadTimeout, APITimeoutError),
        (httpx.WriteError, APIConnectionError),
        (httpx.RemoteProtocolError, APIConnectionError),
    ],
)
async def test_non_idempotent_not_retried_after_request_may_have_arrived(
    router: respx.MockRouter,
    client: Everruns,
    sleeps: list[float],
    exc: type[Exception],
    raised: type[Exception],
) -> None:
    for method in ("POST", "PATCH"):
        route = _route(router, method).mock(side_effect=[exc("lost"), httpx.Response(200, json={})])
        with pytest.raises(raised):
            await _call(client, method)
        assert route.call_count == 1, method
    assert sleeps == []


@pytest.mark.parametrize("exc", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
async def test_non_idempotent_retried_when_never_sent(
    router: respx.MockRouter, client: Everruns, exc: type[Exception]
) -> None:
    for method in ("POST", "PATCH"):
        route = _route(router, method).mock(side_effect=[exc("nope"), httpx.Response(201, json={})])
        response = await _call(client, method)
        assert response.status_code == 201
        assert route.call_count == 2, method


async def test_post_retried_on_429(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    route = _route(router, "POST").mock(
        side_effect=[
            httpx.Response(429, headers={"retry-after": "2"}),
            httpx.Response(201, json={}),
        ]
    )
    assert (await _call(client, "POST")).status_code == 201
    assert route.call_count == 2
    assert sleeps == [2.0]
    # the retried request carries the same body
    first, second = (call.request for call in route.calls)
    assert first.content == second.content != b""


async def test_post_retried_on_429_without_retry_after(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    route = _route(router, "POST").mock(
        side_effect=[httpx.Response(429), httpx.Response(201, json={})]
    )
    assert (await _call(client, "POST")).status_code == 201
    assert route.call_count == 2
    assert 0 < sleeps[0] <= INITIAL_DELAY


async def test_post_retried_on_503_with_retry_after(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    route = _route(router, "POST").mock(
        side_effect=[
            httpx.Response(503, headers={"retry-after": "1"}),
            httpx.Response(201, json={}),
        ]
    )
    assert (await _call(client, "POST")).status_code == 201
    assert route.call_count == 2
    assert sleeps == [1.0]


async def test_post_retried_on_503_with_body_retry_after(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    route = _route(router, "POST").mock(
        side_effect=[
            httpx.Response(503, json={"title": "Unavailable", "retry_after_seconds": 4}),
            httpx.Response(201, json={}),
        ]
    )
    assert (await _call(client, "POST")).status_code == 201
    assert route.call_count == 2
    assert sleeps == [4.0]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_put_and_delete_retried_on_5xx(
    router: respx.MockRouter, client: Everruns, status: int
) -> None:
    for method in ("PUT", "DELETE"):
        route = _route(router, method).mock(
            side_effect=[httpx.Response(status), httpx.Response(200, json={})]
        )
        assert (await _call(client, method)).status_code == 200
        assert route.call_count == 2, method


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
async def test_client_errors_never_retried(
    router: respx.MockRouter, client: Everruns, sleeps: list[float], status: int
) -> None:
    for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
        route = _route(router, method).mock(
            side_effect=[httpx.Response(status), httpx.Response(200, json={})]
        )
        with pytest.raises(ApiError) as info:
            await _call(client, method)
        assert info.value.status_code == status
        assert route.call_count == 1, method
    assert sleeps == []


# -- how long to wait -------------------------------------------------------------------------


async def test_retry_after_seconds_honoured(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    _route(router, "GET").mock(
        side_effect=[
            httpx.Response(429, headers={"retry-after": "3"}),
            httpx.Response(503, headers={"retry-after": "0.25"}),
            httpx.Response(200, json={}),
        ]
    )
    await _call(client, "GET")
    assert sleeps == [3.0, 0.25]


async def test_retry_after_http_date_honoured(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    _route(router, "GET").mock(
        side_effect=[httpx.Response(429, headers={"retry-after": when}), httpx.Response(200)]
    )
    await _call(client, "GET")
    assert len(sleeps) == 1
    assert 7.0 <= sleeps[0] <= 11.0


async def test_retry_after_date_in_the_past_means_now(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() - 100, usegmt=True)
    _route(router, "GET").mock(
        side_effect=[httpx.Response(503, headers={"retry-after": when}), httpx.Response(200)]
    )
    await _call(client, "GET")
    assert sleeps == [0.0]


async def test_body_retry_after_seconds_honoured(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    _route(router, "GET").mock(
        side_effect=[httpx.Response(429, json={"retry_after_seconds": 2.5}), httpx.Response(200)]
    )
    await _call(client, "GET")
    assert sleeps == [2.5]


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(429, headers={"retry-after": "61"}),
        httpx.Response(503, headers={"retry-after": "3600"}),
        httpx.Response(429, json={"retry_after_seconds": 120}),
    ],
)
async def test_long_retry_after_not_waited_for(
    router: respx.MockRouter, client: Everruns, sleeps: list[float], response: httpx.Response
) -> None:
    route = _route(router, "GET").mock(side_effect=[response, httpx.Response(200)])
    with pytest.raises(ApiError) as info:
        await _call(client, "GET")
    assert route.call_count == 1
    assert sleeps == []
    assert info.value.retry_after is not None and info.value.retry_after > 60


async def test_retry_after_of_exactly_sixty_is_waited_for(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    _route(router, "GET").mock(
        side_effect=[httpx.Response(429, headers={"retry-after": "60"}), httpx.Response(200)]
    )
    await _call(client, "GET")
    assert sleeps == [60.0]


async def test_rate_limit_error_after_retries(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    route = _route(router, "GET").respond(429, headers={"retry-after": "1"})
    with pytest.raises(RateLimitError) as info:
        await _call(client, "GET")
    assert route.call_count == 4
    assert sleeps == [1.0, 1.0, 1.0]
    assert info.value.retry_after == 1.0


async def test_backoff_between_failures_grows(
    router: respx.MockRouter, client: Everruns, sleeps: list[float]
) -> None:
    _route(router, "GET").respond(500)
    with pytest.raises(InternalServerError):
        await _call(client, "GET")
    assert len(sleeps) == 3
    for attempt, delay in enumerate(sleeps):
        base = INITIAL_DELAY * 2**attempt
        assert 0.75 * base <= delay <= base


def test_backoff_delay_exponential_with_jitter() -> None:
    rng = random.Random(1234)
    delays = [backoff_delay(n, rng=rng) for n in range(12)]
    for attempt, delay in enumerate(delays):
        base = min(MAX_DELAY, INITIAL_DELAY * 2**attempt)
        assert 0.75 * base <= delay <= base
    assert delays[0] < delays[1] < delays[2] < delays[3] < delays[4]
    assert max(delays) <= MAX_DELAY == 30.0
    assert delays[-1] >= 0.75 * MAX_DELAY


def test_backoff_delay_is_jittered_and_reproducible() -> None:
    a = [backoff_delay(3, rng=random.Random(seed)) for seed in range(20)]
    b = [backoff_delay(3, rng=random.Random(seed)) for seed in range(20)]
    assert a == b
    assert len(set(a)) > 10


def test_backoff_delay_capped_for_huge_attempts() -> None:
    rng = random.Random(7)
    assert all(backoff_delay(n, rng=rng) <= MAX_DELAY for n in (20, 50, 500))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        ("0", 0.0),
        (" 2.5 ", 2.5),
        (None, None),
        ("", None),
        ("garbage", None),
        ("nan", None),
        ("-3", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date_with_fixed_now() -> None:
    now = 1_700_000_000.0
    value = email.utils.formatdate(now + 42, usegmt=True)
    assert parse_retry_after(value, now=now) == pytest.approx(42.0)


def test_status_policy_table() -> None:
    assert status_is_retryable("GET", 500, None)
    assert status_is_retryable("DELETE", 502, None)
    assert not status_is_retryable("POST", 500, 1.0)
    assert not status_is_retryable("POST", 503, None)
    assert status_is_retryable("POST", 503, 1.0)
    assert status_is_retryable("PATCH", 429, None)
    assert not status_is_retryable("GET", 404, None)
    assert not status_is_retryable("GET", 501, None)


def test_exception_policy_table() -> None:
    assert exception_is_retryable("POST", httpx.ConnectError("x"))
    assert exception_is_retryable("POST", httpx.ConnectTimeout("x"))
    assert not exception_is_retryable("POST", httpx.ReadTimeout("x"))
    assert not exception_is_retryable("PATCH", httpx.ReadError("x"))
    assert exception_is_retryable("GET", httpx.ReadError("x"))


# -- timeouts and connection failures -------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "raised"),
    [
        (httpx.ReadTimeout, APITimeoutError),
        (httpx.ConnectTimeout, APITimeoutError),
        (httpx.WriteTimeout, APITimeoutError),
        (httpx.PoolTimeout, APITimeoutError),
        (httpx.ConnectError, APIConnectionError),
        (httpx.ReadError, APIConnectionError),
    ],
)
async def test_transport_errors_become_sdk_errors(
    router: respx.MockRouter, exc: type[Exception], raised: type[Exception]
) -> None:
    _route(router, "GET").mock(side_effect=exc("it failed"))
    async with Everruns(api_key=KEY, base_url=BASE, max_retries=0) as client:
        with pytest.raises(raised) as info:
            await _call(client, "GET")
    assert type(info.value) is raised
    assert isinstance(info.value.__cause__, exc)
    assert KEY not in str(info.value)
    assert "it failed" in str(info.value)


def _corrupt_gzip(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, stream=httpx.ByteStream(b"this is not gzip"), headers={"content-encoding": "gzip"}
    )


async def test_corrupt_gzip_body_is_an_sdk_error(router: respx.MockRouter) -> None:
    route = _route(router, "POST").mock(side_effect=_corrupt_gzip)
    async with Everruns(api_key=KEY, base_url=BASE) as client:
        with pytest.raises(APIConnectionError) as info:
            await _call(client, "POST")
    assert isinstance(info.value.__cause__, httpx.DecodingError)
    assert route.call_count == 1  # a POST that reached the server is not repeated


async def test_corrupt_gzip_body_retried_for_get(
    router: respx.MockRouter, client: Everruns
) -> None:
    route = _route(router, "GET").mock(side_effect=[_corrupt_gzip, httpx.Response(200, json={})])
    assert (await _call(client, "GET")).json() == {}
    assert route.call_count == 2


async def test_timeout_is_a_connection_error(router: respx.MockRouter) -> None:
    _route(router, "GET").mock(side_effect=httpx.ReadTimeout("slow"))
    async with Everruns(api_key=KEY, base_url=BASE, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as info:
            await _call(client, "GET")
    assert isinstance(info.value, APITimeoutError)
    assert "timed out" in str(info.value)
