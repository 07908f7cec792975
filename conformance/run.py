"""The conformance runner: every scenario through every language's SDK, one verdict each.

    python/.venv/bin/python conformance/run.py [--languages python,typescript,rust]
                                               [-k SUBSTRING] [--list]

It starts the local server (``--record``, short SSE timings) unless ``EVERRUNS_API_URL``
is set, then for each language and scenario: resets the server, runs the scenario's
``given`` steps, asks the language's driver to make the call, reads the request log and
compares. It prints the matrix (scenario x language) with totals and exits 1 on any
failure. A language without a driver is a column of failures, never a skip; by default
all three languages run (``make test`` passes the languages whose drivers exist).
See conformance/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness.drivers import LANGUAGES, Driver, DriverError
from harness.given import run_step
from harness.ids import check_ids
from harness.names import check_names
from harness.parity import missing_methods, render
from harness.report import matrix
from harness.scenarios import Scenario, ScenarioError, load_scenarios, new_run, substitute
from harness.server import Server, start_server
from harness.spec import Spec, shared_dir
from harness.verdict import Verdict, judge


def _scope_operations() -> list[str]:
    """The 85 operation IDs of ``$SHARED/openapi/sdk-scope.json`` (``../shared``)."""
    scope = json.loads((shared_dir() / "openapi" / "sdk-scope.json").read_text(encoding="utf-8"))
    return [op["operation_id"] for op in scope["operations"]]


def _show(scenario: Scenario, answer: dict[str, Any], log: list[dict[str, Any]] | None) -> None:
    """``--show``: what the driver answered and what the server saw (to write scenarios)."""
    print(f"== {scenario.id}", file=sys.stderr)
    print("answer: " + json.dumps(answer)[:2000], file=sys.stderr)
    for r in log or []:
        keep = ("method", "raw_path", "query_pairs", "status", "body", "body_text")
        print("  wire: " + json.dumps({k: r.get(k) for k in keep})[:1500], file=sys.stderr)


def run_one(server: Server, driver: Driver, scenario: Scenario, show: bool = False) -> Verdict:
    started = time.monotonic()
    variables: dict[str, Any] = {"run": new_run()}
    try:
        server.reset()
        for step in scenario.given:
            run_step(server, step, variables)
        if server.local:
            server.clear_requests()
        call = substitute(scenario.call, variables)
        request = {"id": scenario.id, **call}
        try:
            answer = driver.ask(request)
        except DriverError as exc:
            return Verdict.fail(str(exc))
        log = server.requests() if server.local else None
        # Remotely the wire is not seen: a request ID refers to no logged request.
        wire = log if log is not None else [{"request_id": "$any"}] * 8
        if show:
            _show(scenario, answer, log)
        variables["wire"] = wire
        expect = substitute(scenario.expect, variables)
        verdict = judge(expect, answer, log)
        if server.local:
            for v in server.violations():
                verdict.passed = False
                verdict.problems.append(
                    f"the local server answered {v['method']} {v['path']} -> {v['status']} "
                    f"against the spec: {'; '.join(v['problems'][:3])}"
                )
    except ScenarioError as exc:
        verdict = Verdict.fail(f"scenario error: {exc}")
    verdict.seconds = time.monotonic() - started
    return verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("-k", dest="pattern", default="", help="only scenario IDs with this")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument(
        "--show", action="store_true", help="print each answer and request log (stderr)"
    )
    parser.add_argument(
        "--parity", metavar="FILE", help="write the parity page (Markdown) after the run"
    )
    args = parser.parse_args(argv)
    languages = [lang for lang in args.languages.split(",") if lang]
    unknown = set(languages) - set(LANGUAGES)
    if unknown:
        parser.error(f"unknown languages {sorted(unknown)} (known: {', '.join(LANGUAGES)})")
    scenarios = [s for s in load_scenarios() if args.pattern in s.id]
    if args.list:
        for s in scenarios:
            print(f"{s.id}  ({s.call['operation']}) {s.about}")
        return 0
    scope = _scope_operations()
    uncovered = sorted(set(scope) - {op for s in load_scenarios() for op in s.operations})
    strangers = sorted({op for s in scenarios for op in s.operations} - set(scope))
    spec, everything = Spec.load(), load_scenarios()
    bad = check_ids(spec, everything) + check_names(spec, everything)
    if bad:
        print(f"scenario data to fix: sample IDs the spec refuses, names not unique ({len(bad)}):")
        print("\n".join(f"  {problem}" for problem in bad))
        print("conformance: FAIL (fix the scenarios first)")
        return 1
    started = time.monotonic()
    server = start_server()
    if not server.local:
        skipped = [s.id for s in scenarios if s.needs_control]
        scenarios = [s for s in scenarios if not s.needs_control]
        print(f"remote server {server.url}: {len(skipped)} scenarios need the local server's")
        print("control API and are left out; the wire is not checked.")
    verdicts: dict[tuple[str, str], Verdict] = {}
    try:
        for lang in languages:
            driver = Driver(lang, server)
            try:
                for scenario in scenarios:
                    verdicts[(scenario.id, lang)] = run_one(server, driver, scenario, args.show)
            finally:
                driver.stop()
    finally:
        server.close()
    ids = [s.id for s in scenarios]
    print(matrix(ids, languages, verdicts))
    failed = sum(not v.passed for v in verdicts.values())
    print(f"{len(ids)} scenarios x {len(languages)} languages in {time.monotonic() - started:.1f}s")
    ok = not failed
    if uncovered and not args.pattern:
        print(f"operations of sdk-scope.json with no scenario ({len(uncovered)}): {uncovered}")
        ok = False
    if strangers:
        print(f"operations not in sdk-scope.json: {strangers}")
        ok = False
    lacking = missing_methods(scope, languages)
    if lacking:
        print(f"operations without a method in a driver ({len(lacking)}): {lacking}")
        ok = False
    if args.parity:
        by_op: dict[str, list[str]] = {}
        for s in scenarios:
            for op in s.operations:
                by_op.setdefault(op, []).append(s.id)
        Path(args.parity).write_text(render(scope, languages, by_op, verdicts), encoding="utf-8")
    print("conformance: " + ("PASS" if ok else f"FAIL ({failed} failed cells)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
