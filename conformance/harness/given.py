"""The ``given`` steps that prepare a scenario, run by the runner itself (plain HTTP,
never an SDK), each optionally saving its answer under ``save`` for ``${...}``:

* ``{"api": "POST /v1/agents", "body"?, "query"?, "text"?, "file"?, "status"?}`` - a
  request to the API (``text``: a ``text/plain`` body; ``file``: a multipart upload
  ``{"name", "content_type", "base64"}``); ``status`` is the one expected (default 2xx);
* ``{"fault": "<Faults method>", "args": {...}}`` - inject a fault (control API);
* ``{"script": [<reply>...], "session_id"?, "agent"?}`` - queue model replies;
* ``{"emit": {"session_id", "type", "data"}}`` - append an event to a session;
* ``{"config": {"heartbeat_interval"?, "cycle_interval"?}}`` - SSE timings;
* ``{"wait": {"session_id", "status"}}`` - poll the session until it has that status;
* ``{"let": {name: value}}`` - save values (after substitution).
"""

from __future__ import annotations

import base64
import time
from typing import Any

from .scenarios import ScenarioError, substitute
from .server import Server

_WAIT_SECONDS = 10.0


def _api(server: Server, step: dict[str, Any]) -> Any:
    method, _, path = step["api"].partition(" ")
    kwargs: dict[str, Any] = {"params": step.get("query")}
    if "body" in step:
        kwargs["json"] = step["body"]
    if "text" in step:
        kwargs["content"] = step["text"].encode()
        kwargs["headers"] = {"Content-Type": "text/plain"}
    if "file" in step:
        f = step["file"]
        content = base64.b64decode(f["base64"])
        kwargs["files"] = {"file": (f["name"], content, f["content_type"])}
    response = server.api.request(method, path, **kwargs)
    wanted = step.get("status")
    if (wanted is None and response.status_code >= 300) or (
        wanted is not None and response.status_code != wanted
    ):
        raise ScenarioError(f"given {step['api']}: {response.status_code} {response.text[:300]}")
    if not response.content:
        return None
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.json()
    return response.text


def _wait(server: Server, spec: dict[str, Any]) -> Any:
    deadline = time.monotonic() + _WAIT_SECONDS
    while True:
        session = server.api.get(f"/v1/sessions/{spec['session_id']}").json()
        if session.get("status") == spec["status"]:
            return session
        if time.monotonic() > deadline:
            raise ScenarioError(f"given wait: session is {session.get('status')}")
        time.sleep(0.01)


def run_step(server: Server, raw: dict[str, Any], variables: dict[str, Any]) -> None:
    step = substitute(raw, variables)
    saved: Any = None
    if "api" in step:
        saved = _api(server, step)
    elif "fault" in step:
        saved = server.call_control("POST", f"/faults/{step['fault']}", step.get("args", {}))
    elif "script" in step:
        body = {"replies": step["script"]}
        body.update({k: step[k] for k in ("session_id", "agent") if k in step})
        saved = server.call_control("POST", "/script/add", body)
    elif "emit" in step:
        emit = dict(step["emit"])
        sid = emit.pop("session_id")
        saved = server.call_control("POST", f"/sessions/{sid}/events", emit)
    elif "config" in step:
        saved = server.call_control("PATCH", "/config", step["config"])
    elif "wait" in step:
        saved = _wait(server, step["wait"])
    elif "let" in step:
        variables.update(step["let"])
        return
    else:
        raise ScenarioError(f"unknown given step {sorted(step)}")
    if "save" in step:
        variables[step["save"]] = saved
