"""Error responses become one typed exception with a short message and useful fields."""

from __future__ import annotations

import email.utils
import json
import time

import httpx
import pytest
import respx

from everruns_sdk import (
    APIConnectionError,
    ApiError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    Everruns,
    EverrunsError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    StreamRetriesExhaustedError,
    UnprocessableEntityError,
    ValidationError,
)
from everruns_sdk._errors import error_class_for, error_from_response
from everruns_sdk.resources._base import Resource

KEY = "evr_pat_SECRET123456"
BASE = "http://testserver/api"
URL = f"{BASE}/v1/agents/agent_1"


@pytest.fixture
async def once(router: respx.MockRouter) -> Everruns:
    """A client that never retries, so each test sees the first answer's error."""
    async with Everruns(api_key=KEY, base_url=BASE, max_retries=0) as client:
        yield client  # type: ignore[misc]


async def _raise(router: respx.MockRouter, client: Everruns, response: httpx.Response) -> ApiError:
    route = router.get(URL).mock(return_value=response)
    route.reset()
    with pytest.raises(ApiError) as info:
        await Resource(client)._request(
            "GET", "/v1/agents/{agent_id}", path={"agent_id": "agent_1"}
        )
    assert route.call_count == 1
    return info.value


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (405, ApiError),
        (410, ApiError),
        (418, ApiError),
    ],
)
async def test_error_class_by_status(
    router: respx.MockRouter, once: Everruns, status: int, cls: type[ApiError]
) -> None:
    error = await _raise(
        router,
        once,
        httpx.Response(
            status,
            json={"title": "Some title", "status": status, "detail": "what went wrong"},
            headers={"x-request-id": "req_abc"},
        ),
    )
    assert type(error) is cls
    assert error_class_for(status) is cls
    assert error.status_code == status
    assert error.message == "what went wrong"
    assert error.request_id == "req_abc"
    assert isinstance(error.body, dict)
    assert error.body["detail"] == "what went wrong"
    assert isinstance(error, EverrunsError)
    assert "req_abc" in str(error)
    assert str(status) in str(error)


async def test_problem_details_all_fields(router: respx.MockRouter, once: Everruns) -> None:
    body = {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": "session is not waiting for tool results",
        "code": "session_not_waiting",
        "instance": "/v1/sessions/s/tool-results",
        "allowed_actions": ["cancel"],
    }
    error = await _raise(
        router,
        once,
        httpx.Response(
            409,
            json=body,
            headers={"content-type": "application/problem+json", "x-request-id": "req_9"},
        ),
    )
    assert isinstance(error, ConflictError)
    assert error.code == "session_not_waiting"
    assert error.message == "session is not waiting for tool results"
    assert error.body == body
    assert error.retry_after is None
    assert str(error) == (
        "HTTP 409 session_not_waiting: session is not waiting for tool results (request id req_9)"
    )


async def test_problem_title_used_without_detail(router: respx.MockRouter, once: Everruns) -> None:
    error = await _raise(router, once, httpx.Response(404, json={"title": "Not Found"}))
    assert error.message == "Not Found"
    assert error.code is None
    assert error.request_id is None


async def test_problem_without_title_or_detail(router: respx.MockRouter, once: Everruns) -> None:
    error = await _raise(router, once, httpx.Response(400, json={"status": 400}))
    assert error.message == "HTTP 400"
    assert str(error) == "HTTP 400"


async def test_problem_non_string_fields_ignored(router: respx.MockRouter, once: Everruns) -> None:
    error = await _raise(
        router, once, httpx.Response(400, json={"title": 5, "detail": None, "code": ["x"]})
    )
    assert error.message == "HTTP 400"
    assert error.code is None


async def test_legacy_error_shape(router: respx.MockRouter, once: Everruns) -> None:
    error = await _raise(
        router,
        once,
        httpx.Response(
            404, json={"error": {"code": "agent_not_found", "message": "Agent not found"}}
        ),
    )
    assert isinstance(error, NotFoundError)
    assert error.code == "agent_not_found"
    assert error.message == "Agent not found"


async def test_legacy_error_string(router: respx.MockRouter, once: Everruns) -> None:
    error = await _raise(router, once, httpx.Response(400, json={"error": "bad thing"}))
    assert error.message == "bad thing"


HTML_PAGES = [
    "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1>" + "x" * 5000 + "</body></html>",
    "<html><head><title>oops</title></head><body>nginx</body></html>",
    "<!doctype HTML>\n<html lang=en><p>Service Unavailable</p></html>",
    "\n\n   \t<HTML><BODY>Gateway Timeout</BODY></HTML>",
]


@pytest.mark.parametrize("page", HTML_PAGES)
async def test_html_page_gives_short_message(
    router: respx.MockRouter, once: Everruns, page: str
) -> None:
    route = router.get(URL)
    for status in (502, 403):
        route.return_value = httpx.Response(
            status, text=page, headers={"content-type": "text/html"}
        )
        with pytest.raises(ApiError) as info:
            await Resource(once)._request("GET", "/v1/agents/agent_1")
        error = info.value
        assert error.status_code == status
        assert error.message == f"HTTP {status}"
        assert str(error) == f"HTTP {status}"
        assert "<" not in repr(error)
    assert route.call_count == 2


async def test_huge_plain_text_truncated(router: respx.MockRouter, once: Everruns) -> None:
    text = "database exploded " * 5000
    error = await _raise(router, once, httpx.Response(500, text=text))
    assert error.message.startswith("database exploded")
    assert len(error.message) < 400
    assert len(str(error)) < 400
    assert isinstance(error.body, str)
    assert len(error.body) <= 64 * 1024


async def test_empty_body(router: respx.MockRouter, once: Everruns) -> None:
    for status in (400, 404, 500, 599):
        error = await _raise(router, once, httpx.Response(status, content=b""))
        assert error.status_code == status
        assert error.message.startswith(f"HTTP {status}")
        assert len(str(error)) < 80
        assert error.body is None
        assert error.code is None


async def test_invalid_json_body(router: respx.MockRouter, once: Everruns) -> None:
    error = await _raise(
        router,
        once,
        httpx.Response(
            400,
            content=b'{"title": "Bad", "detail": ',
            headers={"content-type": "application/json"},
        ),
    )
    assert isinstance(error, BadRequestError)
    assert error.message == '{"title": "Bad", "detail":'
    assert error.code is None


async def test_json_of_the_wrong_shape(router: respx.MockRouter, once: Everruns) -> None:
    for payload in ([1, 2, 3], [{"detail": "x"}], 42, "just a string", None, True):
        content = json.dumps(payload).encode()
        error = await _raise(router, once, httpx.Response(422, content=content))
        assert isinstance(error, UnprocessableEntityError)
        assert error.message == "HTTP 422", payload
        assert error.body == payload
        assert error.code is None


async def test_retry_after_seconds_header(router: respx.MockRouter, once: Everruns) -> None:
    error = await _raise(router, once, httpx.Response(429, headers={"retry-after": "7"}))
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0


async def test_retry_after_fractional_header(router: respx.MockRouter, once: Everruns) -> None:
    error = await _raise(router, once, httpx.Response(429, headers={"retry-after": "1.5"}))
    assert error.retry_after == 1.5


async def test_retry_after_http_date_header(router: respx.MockRouter, once: Everruns) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    error = await _raise(router, once, httpx.Response(429, headers={"retry-after": when}))
    assert error.retry_after is not None
    assert 17.0 <= error.retry_after <= 21.0


async def test_retry_after_from_body(router: respx.MockRouter, once: Everruns) -> None:
    error = await _raise(
        router,
        once,
        httpx.Response(429, json={"title": "Too Many Requests", "retry_after_seconds": 12}),
    )
    assert error.retry_after == 12.0
    assert error.message == "Too Many Requests"


async def test_retry_after_header_wins_over_body(router: respx.MockRouter, once: Everruns) -> None:
    error = await _raise(
        router,
        once,
        httpx.Response(429, json={"retry_after_seconds": 12}, headers={"retry-after": "3"}),
    )
    assert error.retry_after == 3.0


async def test_unusable_retry_after(router: respx.MockRouter, once: Everruns) -> None:
    for value in ("soon", "-5", "", "nan"):
        error = await _raise(router, once, httpx.Response(429, headers={"retry-after": value}))
        assert error.retry_after in (None, 0.0), value


async def test_bogus_retry_after_seconds_in_body(router: respx.MockRouter, once: Everruns) -> None:
    for value in ("ten", True, -3, None, [1]):
        body = {"retry_after_seconds": value}
        error = await _raise(router, once, httpx.Response(429, json=body))
        assert error.retry_after is None, value


def test_error_from_response_redacts_secrets() -> None:
    response = httpx.Response(
        401,
        json={"detail": f"bad token {KEY}"},
        request=httpx.Request("GET", URL),
    )
    error = error_from_response(response, body=response.content, redact=(KEY,))
    assert KEY not in error.message
    assert KEY not in str(error.body)
    assert "****" in error.message


def test_repr_is_short_and_structured() -> None:
    error = NotFoundError("gone", status_code=404, code="agent_not_found", request_id="r1")
    assert repr(error) == (
        "NotFoundError(status_code=404, code='agent_not_found', message='gone', request_id='r1')"
    )


def test_hierarchy() -> None:
    for cls in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitError,
        InternalServerError,
    ):
        assert issubclass(cls, ApiError)
        assert issubclass(cls, EverrunsError)
    assert issubclass(ApiError, EverrunsError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(StreamRetriesExhaustedError, APIConnectionError)
    assert issubclass(APIConnectionError, EverrunsError)
    assert not issubclass(APIConnectionError, ApiError)
    assert issubclass(ResponseValidationError, EverrunsError)
    assert issubclass(ValidationError, EverrunsError)
    assert issubclass(ValidationError, ValueError)
