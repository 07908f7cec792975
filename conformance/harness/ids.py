"""Sample IDs in scenarios must be valid for the spec: every ID-like word (``[a-z]+_`` then
hex digits, e.g. ``agent_0193...``) written in a scenario must match the pattern of the spec
parameter or field it is used for. A server that validates would refuse a request with a
bad one (the spec's own example ``event_01933b5a00007000800000000000001`` has 31 hex digits
and fails ``^event_[0-9a-f]{32}$``), and an expectation holding one could never be met.

Where a word is used for is read off its place in the scenario: ``call.args`` (the
operation's path, query and header parameters, then its request body's fields),
``given`` requests (the operation their method and path are, then the same), ``emit``
steps (the spec's Event, its ``data`` the schema of the event type), ``wait`` (the
session's ID), ``expect.requests`` (each request's operation: path segments, query
pairs, headers, body), ``expect.result`` (the operation's response) and
``expect.events`` (event IDs). An ID-like word at a place the spec does not describe is a
problem too. ``script``, ``fault`` and ``config`` steps talk to the local server's control
API, which is not the spec: not checked. ``${run}`` counts as its digits, other ``${...}``
references are values the server gave, not literals.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from .scenarios import RUN_DIGITS, Scenario
from .spec import FREE, Schema, Spec

ID_WORD = re.compile(r"^[a-z]+_[0-9a-f]+$")
_WORD = re.compile(r"[A-Za-z0-9_]+")
_REF = re.compile(r"\$\{([A-Za-z_][\w]*(?:\.[\w-]+)*)\}")
_SPECIAL = {"$exact", "$contains", "$match", "$len", "$type"}


def _literal(text: str) -> str:
    """The text as it goes out: ``${run}`` as hex digits, other references as a marker."""
    return _REF.sub(lambda m: "0" * RUN_DIGITS if m.group(1) == "run" else "REF", text)


def id_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(_literal(text)) if ID_WORD.fullmatch(w)]


class _Checker:
    def __init__(self, spec: Spec, scenario: Scenario) -> None:
        self.spec = spec
        self.scenario = scenario
        self.problems: list[str] = []

    def say(self, where: str, text: str) -> None:
        self.problems.append(f"{self.scenario.id}: {where}: {text}")

    def value(self, value: Any, schema: Schema | None, where: str) -> None:
        """Every ID-like word in ``value`` (deeply) against the schema of its place."""
        spec = self.spec
        if isinstance(value, str):
            words = id_words(value)
            if not words:
                return
            if schema is None:
                self.say(where, f"{words[0]} is used where the spec describes nothing")
                return
            pats = spec.patterns(schema)
            text = _literal(value)
            if pats and not any(re.search(p, text) for p in pats):
                self.say(where, f"{text!r} does not match the spec's pattern {' | '.join(pats)}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.value(item, spec.items(schema), f"{where}[{index}]")
        elif isinstance(value, dict):
            if len(value) == 1 and next(iter(value)) in _SPECIAL:
                ((key, arg),) = value.items()
                if key == "$exact":
                    self.value(arg, schema, where)
                elif key == "$contains":
                    for index, item in enumerate(arg):
                        self.value(item, spec.items(schema), f"{where}.$contains[{index}]")
                return  # $match is a regex, $len and $type no value
            for key, item in value.items():
                self.value(item, spec.field(schema, key), f"{where}.{key}")

    def path(self, method: str, raw: str, where: str) -> Schema | None:
        """The operation of ``method raw`` (None when the spec has none), each path
        parameter's literal checked against its schema."""
        found = self.spec.route(method, _literal(raw))
        if found is None:
            self.value(raw, None, where)
            return None
        op, params = found
        for name, segment in params.items():
            self.value(unquote(segment), Spec.param(op, name, "path"), f"{where} {{{name}}}")
        return op

    def request(self, op: Schema | None, req: dict[str, Any], where: str) -> None:
        """Query, headers and body of a request (a given step's or an expected one)."""
        spec = self.spec
        query = req.get("query") or []
        pairs = list(query.items()) if isinstance(query, dict) else [tuple(p) for p in query]
        for name, item in pairs:
            schema = Spec.param(op, name, "query") if op else None
            self.value(item, schema, f"{where} query {name}")
        for name, item in (req.get("headers") or {}).items():
            schema = Spec.param(op, name, "header") if op else None
            self.value(item, schema, f"{where} header {name}")
        for key in ("body", "body_has"):
            if req.get(key) is not None:
                self.value(req[key], spec.body(op) if op else None, f"{where} {key}")
        if "text" in req:
            self.value(req["text"], spec.body(op, "text/") if op else None, f"{where} text")

    def args(self, op: Schema | None, args: dict[str, Any], where: str) -> None:
        spec = self.spec
        body = spec.body(op) if op else None
        for key, item in args.items():
            schema = Spec.param(op, key) if op else None
            if schema is None and op is not None:
                if key == "body":
                    schema = spec.body(op, "text/")
                elif key == "file":
                    schema = FREE if spec.body(op, "multipart/") is not None else None
                else:
                    schema = spec.field(body, key) if body is not None else None
            self.value(item, schema, f"{where}.{key}")

    def run(self) -> list[str]:
        s, spec = self.scenario, self.spec
        for index, step in enumerate(s.given):
            where = f"given[{index}]"
            if "api" in step:
                method, _, raw = step["api"].partition(" ")
                op = self.path(method, raw, f"{where} {step['api']}")
                self.request(op, step, where)
            elif "emit" in step:
                emit = step["emit"]
                self.value(emit, spec.event(emit.get("type")), f"{where}.emit")
            elif "wait" in step:
                session = spec.resolve({"$ref": "#/components/schemas/Session"})
                self.value(step["wait"].get("session_id"), spec.field(session, "id"), where)
            elif "let" in step:
                self.value(step["let"], None, f"{where}.let")
        call_op = spec.ops.get(s.call["operation"])
        self.args(call_op, s.call.get("args", {}), "call.args")
        for index, req in enumerate(s.expect.get("requests", [])):
            where = f"expect.requests[{index}]"
            raw = req.get("raw_path") or req.get("path")
            op = self.path(req.get("method", "GET"), raw, where) if raw else call_op
            self.request(op, req, where)
        if "result" in s.expect:
            schema = spec.response(call_op) if call_op else None
            self.value(s.expect["result"], schema, "expect.result")
        event_id = spec.field(spec.event(None), "id")
        self.value(
            s.expect.get("events", []), {"type": "array", "items": event_id}, "expect.events"
        )
        self.value(s.expect.get("error"), None, "expect.error")
        return self.problems


def check_ids(spec: Spec, scenarios: list[Scenario]) -> list[str]:
    """The problems (empty: every sample ID fits the spec's pattern for its place)."""
    problems: list[str] = []
    for scenario in scenarios:
        problems += _Checker(spec, scenario).run()
    return problems
