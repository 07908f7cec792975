"""Fault injection: make the next N matching requests fail in a chosen way.

Rules are set from any thread (the test's) while the server runs in its own;
each rule is consumed by the requests it matches, ``times`` times (``None``:
forever). Paths are matched without the ``/api`` prefix; a pattern is a path
where ``*`` or ``{name}`` matches one segment and ``**`` any rest, e.g.
``"/v1/sessions/*/messages"`` or ``"/v1/sessions/{session_id}/sse"``; ``"*"`` alone
matches every path. Methods are matched case-insensitively (``"*"``: any).

HTTP faults (any route, the SSE one included):

* `Faults.rate_limit` - 429 with ``Retry-After`` and ``retry_after_seconds``;
* `Faults.error` - a 5xx (or any status) as problem JSON, as the older
  ``{"error": ...}`` body, or as an HTML page (what a proxy answers);
* `Faults.reset_connection` - close the socket without any response;
* `Faults.delay` - wait, then answer normally (stacks with the others).

SSE faults (applied when a stream connects, after ``after_events`` events):

* `Faults.sse_cut` - end the body cleanly without ``disconnecting``, or with
  ``mid_event=True`` write half of the next frame and drop the connection;
* `Faults.sse_drop` - drop the connection abruptly;
* `Faults.sse_stall` - keep the socket open and send nothing (half-open);
* `Faults.sse_cycle` - send ``disconnecting`` early, then end.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["FaultRule", "Faults", "SseFault"]

FaultKind = Literal[
    "status", "reset", "delay", "sse_cut", "sse_cut_mid_event", "sse_drop", "sse_stall", "sse_cycle"
]
SseKind = Literal["cut", "cut_mid_event", "drop", "stall", "cycle"]

SSE_PATH = "/v1/sessions/*/sse"


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a path pattern (see the module docstring) to a regex."""
    if pattern in ("*", "**", ""):
        return re.compile(r".*")
    if pattern.startswith("/api/"):
        pattern = pattern[4:]
    parts = []
    for seg in pattern.strip("/").split("/"):
        if seg == "**":
            parts.append(r".*")
        elif seg == "*" or (seg.startswith("{") and seg.endswith("}")):
            parts.append(r"[^/]+")
        else:
            parts.append("[^/]*".join(re.escape(p) for p in seg.split("*")))
    return re.compile("/" + "/".join(parts) + "/?")


@dataclass
class FaultRule:
    """One fault; returned by the `Faults` methods so a test can inspect it."""

    kind: FaultKind
    method: str = "*"
    path: str = "*"
    times: int | None = 1
    status: int = 500
    retry_after: float | None = None
    html: bool = False
    seconds: float = 0.0
    after_events: int = 0
    code: str | None = None
    detail: str | None = None
    legacy: bool = False
    skip: int = 0
    hits: int = 0
    skipped: int = 0
    _regex: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._regex = compile_pattern(self.path)
        self.method = self.method.upper()

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, path: str) -> bool:
        if self.exhausted:
            return False
        if self.method != "*" and self.method != method.upper():
            return False
        return self._regex.fullmatch(path) is not None

    def hit(self) -> bool:
        """Count a matching request; False while the first ``skip`` ones pass through."""
        if self.skipped < self.skip:
            self.skipped += 1
            return False
        self.hits += 1
        return True


@dataclass(frozen=True)
class SseFault:
    kind: SseKind
    after_events: int


@dataclass(frozen=True)
class HttpFaults:
    """What to do to one request: sleep ``delay`` seconds, then maybe a response fault."""

    delay: float
    response: FaultRule | None


class Faults:
    """The fault rules of one emulator (``emulator.faults``). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def _add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            self._rules.append(rule)
        return rule

    # -- HTTP ------------------------------------------------------------------

    def rate_limit(
        self,
        path: str = "*",
        *,
        method: str = "*",
        retry_after: float = 1,
        times: int | None = 1,
        skip: int = 0,
    ) -> FaultRule:
        """Answer 429 with ``Retry-After: <retry_after>`` (seconds).

        ``skip`` (here and in the other HTTP faults): let that many matching requests
        through first, e.g. to fail a stream's reconnect but not its first connect.
        """
        rule = FaultRule("status", method, path, times, status=429, retry_after=retry_after)
        rule.skip = skip
        return self._add(rule)

    def error(
        self,
        status: int = 500,
        path: str = "*",
        *,
        method: str = "*",
        html: bool = False,
        retry_after: float | None = None,
        code: str | None = None,
        detail: str | None = None,
        legacy: bool = False,
        times: int | None = 1,
        skip: int = 0,
    ) -> FaultRule:
        """Answer ``status`` with problem details (``code``/``detail`` to choose them).

        ``html=True`` answers an nginx-style HTML page instead (what a proxy sends);
        ``legacy=True`` the older ``{"error": {"code", "message"}}`` JSON body.
        """
        rule = FaultRule("status", method, path, times, status=status, html=html)
        rule.retry_after, rule.code, rule.detail, rule.legacy = retry_after, code, detail, legacy
        rule.skip = skip
        return self._add(rule)

    def reset_connection(
        self, path: str = "*", *, method: str = "*", times: int | None = 1, skip: int = 0
    ) -> FaultRule:
        """Close the connection without sending any response."""
        rule = FaultRule("reset", method, path, times)
        rule.skip = skip
        return self._add(rule)

    def delay(
        self, seconds: float, path: str = "*", *, method: str = "*", times: int | None = 1
    ) -> FaultRule:
        """Wait ``seconds`` before handling the request."""
        return self._add(FaultRule("delay", method, path, times, seconds=seconds))

    # -- SSE -------------------------------------------------------------------

    def _sse_path(self, session_id: str | None) -> str:
        return SSE_PATH if session_id is None else f"/v1/sessions/{session_id}/sse"

    def sse_cut(
        self,
        after_events: int = 0,
        *,
        mid_event: bool = False,
        session_id: str | None = None,
        times: int | None = 1,
    ) -> FaultRule:
        """End the stream after ``after_events`` events, without ``disconnecting``.

        With ``mid_event`` write half of the next event's frame, then drop the
        connection (the client sees an incomplete body).
        """
        kind: FaultKind = "sse_cut_mid_event" if mid_event else "sse_cut"
        path = self._sse_path(session_id)
        return self._add(FaultRule(kind, "GET", path, times, after_events=after_events))

    def sse_drop(
        self, after_events: int = 0, *, session_id: str | None = None, times: int | None = 1
    ) -> FaultRule:
        """Drop the connection abruptly after ``after_events`` events."""
        path = self._sse_path(session_id)
        return self._add(FaultRule("sse_drop", "GET", path, times, after_events=after_events))

    def sse_stall(
        self, after_events: int = 0, *, session_id: str | None = None, times: int | None = 1
    ) -> FaultRule:
        """After ``after_events`` events send nothing more, not even heartbeats."""
        path = self._sse_path(session_id)
        return self._add(FaultRule("sse_stall", "GET", path, times, after_events=after_events))

    def sse_cycle(
        self, after_events: int = 0, *, session_id: str | None = None, times: int | None = 1
    ) -> FaultRule:
        """Send ``disconnecting`` after ``after_events`` events and close (early cycle)."""
        path = self._sse_path(session_id)
        return self._add(FaultRule("sse_cycle", "GET", path, times, after_events=after_events))

    # -- management --------------------------------------------------------------

    @property
    def rules(self) -> list[FaultRule]:
        """The rules not yet used up."""
        with self._lock:
            return [r for r in self._rules if not r.exhausted]

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    # -- used by the server ----------------------------------------------------------

    def take_http(self, method: str, path: str) -> HttpFaults:
        delay = 0.0
        response: FaultRule | None = None
        with self._lock:
            for rule in self._rules:
                if rule.kind == "delay" and rule.matches(method, path):
                    rule.hits += 1
                    delay += rule.seconds
                elif (
                    rule.kind in ("status", "reset")
                    and response is None
                    and rule.matches(method, path)
                    and rule.hit()
                ):
                    response = rule
            self._rules = [r for r in self._rules if not r.exhausted]
        return HttpFaults(delay, response)

    def take_sse(self, path: str) -> SseFault | None:
        with self._lock:
            for rule in self._rules:
                if rule.kind.startswith("sse_") and rule.matches("GET", path):
                    rule.hits += 1
                    self._rules = [r for r in self._rules if not r.exhausted]
                    kind: SseKind = rule.kind[4:]  # type: ignore[assignment]
                    return SseFault(kind, rule.after_events)
        return None
