"""Messages (a user message starts a turn) and client-side tool results."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .._ids import new_id, new_uuid7
from .._problems import bad_request, not_found
from .._turns import TurnStart
from .._validation import json_body
from ._common import JSON, json_response, org_of, path_param, route, session_or_404, state_of

__all__ = ["ROUTES"]

INPUT_PART_TYPES = ("text", "image", "image_file")


def _check_content(message: JSON, org_images: dict[str, object]) -> list[JSON]:
    content = message.get("content")
    if not isinstance(content, list) or not content:
        raise bad_request("message.content: at least one content part is required")
    for i, part in enumerate(content):
        if not isinstance(part, dict) or part.get("type") not in INPUT_PART_TYPES:
            raise bad_request(
                f"message.content[{i}].type: must be one of {', '.join(INPUT_PART_TYPES)}"
            )
        if part["type"] == "image_file" and part.get("image_id") not in org_images:
            raise not_found("image", str(part.get("image_id")))
    return content


async def create_message(request: Request) -> Response:
    body = await json_body(request, "CreateMessageRequest")
    state = state_of(request)
    org = org_of(request)
    sid = path_param(request, "session_id")
    session = session_or_404(request, sid)
    message_in: JSON = body["message"]
    role = message_in.get("role") or "user"
    if role != "user":
        raise bad_request(f"message.role: only 'user' messages can be posted, not '{role}'")
    content = _check_content(message_in, dict(org.images))
    extra: JSON = {
        "controls": body.get("controls"),
        "metadata": body.get("metadata"),
        "external_actor": body.get("external_actor"),
    }
    message = state.store.append_message(sid, "user", content, **extra)
    text = " ".join(p.get("text", "") for p in content if p.get("type") == "text")
    if session.get("preview") is None:
        session["preview"] = text[:200]
    start = TurnStart(
        message=message,
        turn_id=new_id("turn"),
        exec_id=new_id("exec"),
        trace_id=new_uuid7().hex,
        tags=list(body.get("tags") or []),
    )
    context = {
        "turn_id": start.turn_id,
        "input_message_id": message["id"],
        "exec_id": start.exec_id,
        "trace_id": start.trace_id,
    }
    state.store.append_event(
        sid, "input.message", {"message": message}, context=context, tags=start.tags
    )
    state.runner.start(sid, start)
    return json_response(message, 201)


async def list_messages(request: Request) -> Response:
    org = org_of(request)
    sid = path_param(request, "session_id")
    session_or_404(request, sid)
    return json_response({"data": list(org.messages[sid])})


async def submit_tool_results(request: Request) -> Response:
    body = await json_body(request, "SubmitToolResultsRequest")
    sid = path_param(request, "session_id")
    session_or_404(request, sid)
    results = body["tool_results"]
    if not results:
        raise bad_request("tool_results: at least one result is required")
    for i, item in enumerate(results):
        if not isinstance(item, dict) or not isinstance(item.get("tool_call_id"), str):
            raise bad_request(f"tool_results[{i}].tool_call_id: Field required")
    accepted, status = state_of(request).runner.submit_tool_results(sid, results)
    return json_response({"accepted": accepted, "status": status})


ROUTES = [
    route("POST", "/v1/sessions/{session_id}/messages", create_message),
    route("GET", "/v1/sessions/{session_id}/messages", list_messages),
    route("POST", "/v1/sessions/{session_id}/tool-results", submit_tool_results),
]
