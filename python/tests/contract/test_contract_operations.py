"""One test per operation of the SDK's scope: call the SDK method, check the wire.

For each operation the scenario (`contract_scenarios.py`) prepares its state and
arguments; the test calls the SDK method (`operations.OPERATION_TO_METHOD`) on the async
client, then checks every request the SDK sent against `contract.json` (method, path
template with encoded segments, declared query parameters, arrays as repeated keys,
headers, body schema and content type) and the response (declared status and content
type, body schema) and that the call returned its annotated return type.

Against the local server every call must succeed. Against a remote server an error
answer passes when the request matched the contract and the SDK raised the typed
`ApiError` for it (the summary counts it as "answered with error").
"""

from __future__ import annotations

from typing import Any

import pytest
from contract_checks import (
    Recorder,
    agrees_with_body,
    check_request,
    check_response,
    conforms,
    response_json,
    return_hint,
    scope_operations,
)
from contract_scenarios import SCENARIOS
from contract_world import World
from operations import NOT_COROUTINES, OPERATION_TO_METHOD, resolve

from everruns_sdk import ApiError, EventStream, StreamRetriesExhaustedError
from everruns_sdk._errors import error_class_for

pytestmark = pytest.mark.asyncio(loop_scope="session")

SCOPE = [op["operation_id"] for op in scope_operations()]

# Operations that create something: delete it at the end of the run.
CREATES = {
    "create_agent": "agents.delete",
    "import_agent": "agents.delete",
    "copy_agent": "agents.delete",
    "fork_agent_version": "agents.delete",
    "create_harness": "harnesses.delete",
    "create_session": "sessions.delete",
    "create_workspace": "workspaces.delete",
    "create_memory": "memories.delete",
    "upload_image": "images.delete",
}


async def _invoke(operation_id: str, method: Any, args: Any, kwargs: Any, consume: Any) -> Any:
    if operation_id in NOT_COROUTINES:
        stream = method(*args, **kwargs)
        return stream, await consume(stream)
    return await method(*args, **kwargs), None


@pytest.mark.parametrize("operation_id", SCOPE)
async def test_operation(
    operation_id: str,
    world: World,
    recorder: Recorder,
    contract_target: str,
    request: pytest.FixtureRequest,
) -> None:
    scenario = SCENARIOS.get(operation_id)
    dotted = OPERATION_TO_METHOD.get(operation_id)
    assert scenario is not None, f"no call scenario for {operation_id}"
    assert dotted is not None, f"no SDK method for {operation_id}"
    method = resolve(world.client, dotted)
    invocation = await scenario(world)
    if operation_id in NOT_COROUTINES:
        assert invocation.consume is not None, f"{operation_id} needs a consume step"

    recorder.clear()
    result: Any = None
    events: list[Any] | None = None
    error: BaseException | None = None
    try:
        result, events = await _invoke(
            operation_id, method, invocation.args, invocation.kwargs, invocation.consume
        )
    except Exception as exc:  # judged below, together with what went over the wire
        error = exc
    exchanges = recorder.take()

    where = f"client.{dotted}() for {operation_id}"
    problems: list[str] = []
    if not exchanges:
        pytest.fail(f"{where} sent no request (raised {error!r})")
    base_url = world.client.base_url
    for exchange in exchanges:
        problems += [
            f"request {exchange.describe()}: {p}"
            for p in check_request(
                operation_id,
                exchange,
                base_url=base_url,
                args=invocation.args,
                kwargs=invocation.kwargs,
                org_id=world.client.org_id,
            )
        ]
    last = exchanges[-1]
    problems += [f"response {last.describe()}: {p}" for p in check_response(operation_id, last)]
    status = last.response.status_code if last.response is not None else None

    if error is None:
        outcome = "succeeded"
        if status is None or not 200 <= status < 300:
            problems.append(f"the call returned although the server answered {status}")
        hint = return_hint(method)
        if hint is Any:
            problems.append(f"client.{dotted}() is annotated to return Any, not a model")
        problems += conforms(result, hint)
        if events is not None:
            problems += conforms(events, list[return_hint(EventStream.__anext__)], "events")
        else:
            problems += agrees_with_body(result, response_json(last))
    else:
        outcome = "answered with error"
        # A stream that cannot (re)connect wraps the answer it got.
        api_error = error.__cause__ if isinstance(error, StreamRetriesExhaustedError) else error
        if not isinstance(api_error, ApiError) or status is None or status < 400:
            problems.append(f"the SDK raised {error!r} (last answer: {status})")
        else:
            expected = error_class_for(status)
            if type(api_error) is not expected or api_error.status_code != status:
                problems.append(f"HTTP {status} became {api_error!r}, not {expected.__name__}")
            if contract_target == "local":
                problems.append(f"the local server refused the call: {api_error}")

    if problems:
        pytest.fail(f"{where} broke the contract:\n  - " + "\n  - ".join(problems))
    if error is None and invocation.expect is not None and world.local:
        invocation.expect(events if events is not None else result)
    if error is None and operation_id in CREATES and getattr(result, "id", None):
        world.track(CREATES[operation_id], result.id)
    request.node.user_properties.append(("contract_outcome", outcome))
    request.node.user_properties.append(("contract_status", status))
