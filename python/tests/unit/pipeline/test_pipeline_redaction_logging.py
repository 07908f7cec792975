"""The API key never leaks (repr, exceptions, logs); debug logging says what happened."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest
import respx

from everruns_sdk import APIConnectionError, ApiError, Everruns, EverrunsError
from everruns_sdk._config import Secret, mask_key
from everruns_sdk._logging import _debug_from_env
from everruns_sdk.resources._base import Resource

KEY = "evr_pat_SECRET123456"
BASE = "http://testserver/api"
URL = f"{BASE}/v1/agents/agent_1"


def _no_key(text: str) -> None:
    assert KEY not in text
    assert "SECRET123456" not in text


def _records_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )


async def _get(client: Everruns) -> httpx.Response:
    return await Resource(client)._request(
        "GET", "/v1/agents/{agent_id}", path={"agent_id": "agent_1"}
    )


@pytest.mark.parametrize(
    ("key", "masked"),
    [
        ("evr_pat_SECRET123456", "evr_****"),
        ("evr_SECRET123456", "evr_****"),
        ("SECRET123456", "****"),
        ("SECRET123456LONGPREFIX_x", "****"),
        ("", "****"),
    ],
)
def test_mask_key(key: str, masked: str) -> None:
    assert mask_key(key) == masked


def test_secret_repr_and_str_masked() -> None:
    secret = Secret(KEY)
    assert secret.get() == KEY
    _no_key(repr(secret))
    _no_key(str(secret))
    _no_key(f"{secret}")
    assert "evr_****" in repr(secret)


def test_client_repr_and_config_masked() -> None:
    client = Everruns(api_key=KEY, base_url=BASE, org="acme")
    for text in (repr(client), str(client), repr(client.config), str(client.config)):
        _no_key(text)
    assert "evr_****" in repr(client)
    assert "acme" in repr(client)


def test_key_cannot_be_pickled() -> None:
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(Secret(KEY))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500])
async def test_hostile_error_body_echoing_the_key(router: respx.MockRouter, status: int) -> None:
    router.get(URL).respond(
        status,
        json={
            "title": f"token {KEY} rejected",
            "detail": f"the token {KEY} is invalid",
            "code": "bad_token",
            "echo": {"authorization": KEY},
        },
        headers={"x-request-id": "req_1"},
    )
    async with Everruns(api_key=KEY, base_url=BASE, max_retries=0) as client:
        with pytest.raises(ApiError) as info:
            await _get(client)
    error = info.value
    _no_key(str(error))
    _no_key(repr(error))
    _no_key(error.message)
    _no_key(str(error.body))
    _no_key("".join(traceback.format_exception(error)))


async def test_hostile_plain_text_and_html_bodies(router: respx.MockRouter) -> None:
    route = router.get(URL)
    route.side_effect = [
        httpx.Response(401, text=f"Unauthorized: {KEY}"),
        httpx.Response(502, text=f"<html>proxy saw Authorization: {KEY}</html>"),
    ]
    async with Everruns(api_key=KEY, base_url=BASE, max_retries=0) as client:
        for _ in range(2):
            with pytest.raises(ApiError) as info:
                await _get(client)
            _no_key(str(info.value))
            _no_key(repr(info.value))
            _no_key(str(info.value.body))


async def test_hostile_request_id_echoing_the_key(router: respx.MockRouter) -> None:
    router.get(URL).respond(404, json={"title": "Not Found"}, headers={"x-request-id": KEY})
    async with Everruns(api_key=KEY, base_url=BASE, max_retries=0) as client:
        with pytest.raises(ApiError) as info:
            await _get(client)
    _no_key(str(info.value))
    _no_key(repr(info.value))
    _no_key(str(info.value.request_id))


async def test_transport_error_message_with_url_and_key_redacted(
    router: respx.MockRouter,
) -> None:
    router.get(URL).mock(
        side_effect=httpx.ConnectError(f"cannot reach {URL} (Authorization: {KEY})")
    )
    async with Everruns(api_key=KEY, base_url=BASE, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as info:
            await _get(client)
    _no_key(str(info.value))
    _no_key(repr(info.value))
    assert "testserver" in str(info.value)


@pytest.mark.parametrize("status", [200, 401, 404, 500])
async def test_no_key_in_debug_logs(
    router: respx.MockRouter, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    caplog.set_level(logging.DEBUG, logger="everruns_sdk")
    router.get(URL).respond(
        status, json={"detail": f"echo {KEY}"}, headers={"x-request-id": "req_7"}
    )
    async with Everruns(api_key=KEY, base_url=BASE, max_retries=1) as client:
        try:
            await _get(client)
        except ApiError as error:
            logging.getLogger("everruns_sdk").debug("failed: %s", error, exc_info=True)
    assert caplog.records
    text = _records_text(caplog) + caplog.text
    _no_key(text)
    assert "req_7" in text


async def test_no_key_in_logs_when_connection_refused(
    router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="everruns_sdk")
    router.get(URL).mock(side_effect=httpx.ConnectError(f"refused, key was {KEY}"))
    async with Everruns(api_key=KEY, base_url=BASE, max_retries=2) as client:
        with pytest.raises(APIConnectionError):
            await _get(client)
    retry_records = [r for r in caplog.records if "retry" in r.getMessage()]
    assert len(retry_records) == 2
    _no_key(_records_text(caplog) + caplog.text)


async def test_no_key_in_logs_on_hostile_request_id(
    router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="everruns_sdk")
    router.get(URL).respond(200, json={}, headers={"x-request-id": KEY})
    async with Everruns(api_key=KEY, base_url=BASE) as client:
        await _get(client)
    assert caplog.records
    _no_key(_records_text(caplog) + caplog.text)


def test_missing_key_error_and_invalid_key_error_do_not_echo() -> None:
    with pytest.raises(EverrunsError) as info:
        Everruns(api_key="evr_pat_SECRET123456\n", base_url=BASE)
    _no_key(str(info.value))


# -- log content ------------------------------------------------------------------------------


async def test_log_line_has_method_url_status_request_id_attempt(
    router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="everruns_sdk")
    router.get(URL).mock(
        side_effect=[
            httpx.Response(503, headers={"x-request-id": "req_first"}),
            httpx.Response(200, json={}, headers={"x-request-id": "req_second"}),
        ]
    )
    async with Everruns(api_key=KEY, base_url=BASE) as client:
        await _get(client)
    messages = [r.getMessage() for r in caplog.records if r.name == "everruns_sdk"]
    first = next(m for m in messages if "req_first" in m)
    second = next(m for m in messages if "req_second" in m)
    for message in (first, second):
        assert "GET" in message
        assert URL in message
    assert "503" in first and "attempt 1" in first
    assert "200" in second and "attempt 2" in second
    retry = next(m for m in messages if "retry" in m)
    assert "HTTP 503" in retry and URL in retry
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name == "everruns_sdk")


async def test_no_log_records_above_debug_on_success(
    router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="everruns_sdk")
    router.get(URL).respond(200, json={})
    async with Everruns(api_key=KEY, base_url=BASE) as client:
        await _get(client)
    assert [r for r in caplog.records if r.name == "everruns_sdk"] == []


@pytest.mark.parametrize("value", ["1", "true", "TRUE", " yes ", "debug"])
def test_everruns_debug_enables_debug_logging(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    logger = logging.getLogger("everruns_sdk")
    logger.setLevel(logging.WARNING)
    logger.handlers[:] = []
    monkeypatch.setenv("EVERRUNS_DEBUG", value)
    _debug_from_env()
    assert logger.level == logging.DEBUG
    assert len(logger.handlers) == 1
    _debug_from_env()  # idempotent: no second handler
    assert len(logger.handlers) == 1


@pytest.mark.parametrize("value", [None, "", "0", "false", "no"])
def test_everruns_debug_off(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    logger = logging.getLogger("everruns_sdk")
    logger.setLevel(logging.WARNING)
    logger.handlers[:] = []
    if value is not None:
        monkeypatch.setenv("EVERRUNS_DEBUG", value)
    _debug_from_env()
    assert logger.level == logging.WARNING
    assert logger.handlers == []
