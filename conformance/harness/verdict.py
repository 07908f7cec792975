"""One verdict: a driver's answer and the request log, against a scenario's ``expect``.

``expect.requests`` is the exact list of requests the call sent, each
``{"method", "path"?, "raw_path"?, "query"?, "headers"?, "body"?, "body_has"?, "status"?}``:
``query`` is the exact list of ``[key, value]`` pairs (repeated keys in order), ``body``
the exact JSON body, ``body_has`` a subset of it, ``headers`` a subset (lower-case names).
``expect.result`` / ``expect.error`` match the driver's result or error (see `match`);
``expect.events`` is the exact sequence of event IDs a stream delivered (with
``expect.error``: how the stream then ended; without: it must not have failed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .match import diff


@dataclass
class Verdict:
    passed: bool
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def fail(cls, *problems: str) -> Verdict:
        return cls(False, list(problems))


def _by_key(pairs: list[list[str]]) -> list[list[str]]:
    """Query pairs grouped by key: the order of different keys is free, the order of
    one key's repeated values is not."""
    return sorted(pairs, key=lambda pair: pair[0])


def _request_problems(expected: list[dict[str, Any]], log: list[dict[str, Any]]) -> list[str]:
    sent = [f"{r.get('method')} {r.get('raw_path') or r.get('path')}" for r in log]
    if len(expected) != len(log):
        return [f"requests: expected {len(expected)}, the server saw {len(log)}: {sent}"]
    out: list[str] = []
    for index, (want, got) in enumerate(zip(expected, log, strict=True)):
        where = f"requests[{index}]"
        wanted: dict[str, Any] = {}
        for key in ("method", "path", "raw_path", "status"):
            if key in want:
                wanted[key] = want[key]
        if "query" in want:
            wanted["query_pairs"] = {"$exact": _by_key(want["query"])}
            got = {**got, "query_pairs": _by_key(got.get("query_pairs") or [])}
        if "headers" in want:
            wanted["headers"] = want["headers"]
        if "body" in want:
            wanted["body"] = {"$exact": want["body"]}
        if "body_has" in want:
            wanted["body"] = want["body_has"]
        out += diff(wanted, got, where)
    return out


def _outcome_problems(expect: dict[str, Any], answer: dict[str, Any]) -> list[str]:
    status = answer.get("status")
    if status == "unsupported":
        return [f"cannot express it: {answer.get('reason', 'no reason given')}"]
    if status not in ("ok", "error"):
        return [f"driver answered {answer!r}"]
    if "events" in expect:
        if status != "ok":
            return [f"expected a stream, the call failed: {answer.get('error')}"]
        result = answer.get("result") or {}
        ids = [e.get("id") for e in result.get("events", [])]
        out = diff(expect["events"], ids, "events")
        out += diff(expect.get("error", "$absent"), result.get("error"), "stream_error")
        return out
    if "error" in expect:
        if status != "error":
            return [f"expected an error, got a result: {str(answer.get('result'))[:200]}"]
        return diff(expect["error"], answer.get("error"), "error")
    if status != "ok":
        return [f"expected a result, got an error: {answer.get('error')}"]
    if "result" in expect:
        return diff(expect["result"], answer.get("result"), "result")
    return []


def judge(
    expect: dict[str, Any], answer: dict[str, Any], log: list[dict[str, Any]] | None
) -> Verdict:
    """The verdict; ``log`` is None against a remote server (the wire is not seen)."""
    problems = _outcome_problems(expect, answer)
    if log is not None and "requests" in expect:
        problems += _request_problems(expect["requests"], log)
    return Verdict(not problems, problems)
