"""`make bench`: this SDK vs the raw-httpx floor and the official SDK, interleaved.

    python -m benchmarks [--rounds 5] [--events 100000] [--streams 200] [--quick]
                         [--only stream,latency,ours,floor] [--json PATH]

Starts the loopback server (`benchmarks._server`, its own process and CPU), then per
round, per scenario, runs each client kind in a fresh process (`benchmarks._runner`):
ours, floor, official, ours, floor, official, ... Prints a table of medians over the
rounds with ratios against the floor, and writes everything to
`benchmarks/results/latest.json`. See benchmarks/README.md for how to read it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks import _report

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL_VENV = ROOT / "benchmarks" / ".official-venv"
OFFICIAL_REQUIREMENT = "everruns-sdk==0.3.1"
SCENARIOS = ("stream", "concurrent", "latency", "import")
KINDS = ("ours", "floor", "official")
RUN_TIMEOUT = 900.0  # seconds for one measurement process

# Sizes: full defaults, and --quick (one round, a smoke test of the whole harness).
FULL = {"events": 100_000, "streams": 200, "per_stream": 2_000, "calls": 1_000}
FULL |= {"rounds": 5, "import_runs": 3, "constructions": 20}
QUICK = {"events": 5_000, "streams": 20, "per_stream": 500, "calls": 200}
QUICK |= {"rounds": 1, "import_runs": 3, "constructions": 10}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, help="rounds; each cell is the median (default 5)")
    p.add_argument("--events", type=int, help="events in the `stream` scenario (100000)")
    p.add_argument("--streams", type=int, help="streams in the `concurrent` scenario (200)")
    p.add_argument("--per-stream", type=int, help="events per concurrent stream (2000)")
    p.add_argument("--calls", type=int, help="timed calls per endpoint in `latency` (1000)")
    p.add_argument("--import-runs", type=int, help="fresh interpreters per round (3)")
    p.add_argument("--constructions", type=int, help="timed client constructions (20)")
    p.add_argument(
        "--only",
        default="",
        help="comma-separated scenarios and/or client kinds to run, e.g. 'stream,ours,floor' "
        f"(scenarios: {', '.join(SCENARIOS)}; kinds: {', '.join(KINDS)})",
    )
    p.add_argument("--quick", action="store_true", help="1 round, small sizes: a smoke test")
    p.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    p.add_argument("--no-install", action="store_true", help="never create the official venv")
    args = p.parse_args(argv)
    defaults = QUICK if args.quick else FULL
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    wanted = {token.strip() for token in args.only.split(",") if token.strip()}
    unknown = wanted - set(SCENARIOS) - set(KINDS)
    if unknown:
        p.error(f"--only: unknown {', '.join(sorted(unknown))}")
    args.scenarios = [s for s in SCENARIOS if s in wanted] or list(SCENARIOS)
    args.kinds = [k for k in KINDS if k in wanted] or list(KINDS)
    return args


def child_env() -> dict[str, str]:
    """The same clean environment for every process: no proxies, debug or path tweaks."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTHON", "EVERRUNS_"))
        and name.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    }
    env |= {"PYTHONHASHSEED": "0", "NO_PROXY": "127.0.0.1,localhost", "PYTHONUTF8": "1"}
    return env


def cpu_plan() -> tuple[int | None, int | None]:
    """(server CPU, client CPU): separate cores when there are two or more."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None, None
    return (cpus[0], cpus[1]) if len(cpus) >= 2 else (None, None)


def official_python(allow_install: bool) -> Path | None:
    """The official SDK's venv python, created on first use; None if it cannot be had."""
    python = OFFICIAL_VENV / "bin" / "python"
    check = [str(python), "-c", "import importlib.metadata as m; print(m.version('everruns-sdk'))"]
    if python.exists():
        done = subprocess.run(check, capture_output=True, text=True, env=child_env())
        if done.returncode == 0 and done.stdout.strip() == OFFICIAL_REQUIREMENT.split("==")[1]:
            return python
    if not allow_install:
        print("note: official SDK venv missing (--no-install): skipping it", file=sys.stderr)
        return None
    base = getattr(sys, "_base_executable", None) or "python3"  # same interpreter as ours
    where = OFFICIAL_VENV.relative_to(ROOT)
    print(f"setting up {where} ({OFFICIAL_REQUIREMENT})...", file=sys.stderr)
    steps = [
        [base, "-m", "venv", str(OFFICIAL_VENV)],
        [str(python), "-m", "pip", "install", "--quiet", OFFICIAL_REQUIREMENT],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            done = subprocess.CompletedProcess(step, 1, "", str(exc))
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
            print(f"note: cannot install {OFFICIAL_REQUIREMENT} ({tail[0]}): skipping the "
                  "official column", file=sys.stderr)  # fmt: skip
            return None
    return python


class Server:
    """The benchmark server process; `with Server(...) as info:` yields its JSON line."""

    def __init__(self, max_events: int, cpu: int | None) -> None:
        self.command = [sys.executable, "-m", "benchmarks._server"]
        self.command += ["--max-events", str(max_events)]
        if cpu is not None:
            self.command += ["--cpu", str(cpu)]

    def __enter__(self) -> dict[str, Any]:
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.__exit__()
            raise RuntimeError("the benchmark server did not start")
        return dict(json.loads(line))

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()  # the server exits when its stdin closes
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def run_one(python: Path, spec: dict[str, Any]) -> dict[str, Any]:
    """One measurement process: its JSON line (or an `error`), plus its wall time."""
    started = time.monotonic()
    result = _run_one(python, spec)
    result["seconds"] = round(time.monotonic() - started, 2)
    return result


def _run_one(python: Path, spec: dict[str, Any]) -> dict[str, Any]:
    command = [str(python), "-m", "benchmarks._runner", json.dumps(spec)]
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=child_env(), capture_output=True, text=True,
            timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"kind": spec["kind"], "scenario": spec["scenario"], "error": "timed out"}
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        return dict(json.loads(lines[-1]))
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"kind": spec["kind"], "scenario": spec["scenario"], "error": last[:300]}


def _progress(run: dict[str, Any], rnd: int, rounds: int) -> str:
    metrics = run.get("metrics")
    shown = ", ".join(f"{k}={v:,.1f}" for k, v in metrics.items()) if metrics else run["error"]
    return f"[{rnd}/{rounds}] {run['scenario']:<10} {run['kind']:<8} {shown}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kinds = list(args.kinds)
    pythons: dict[str, Path] = {"ours": Path(sys.executable), "floor": Path(sys.executable)}
    if "official" in kinds:
        official = official_python(allow_install=not args.no_install)
        if official is None:
            kinds.remove("official")
        else:
            pythons["official"] = official
    server_cpu, client_cpu = cpu_plan()
    sizes = {k: getattr(args, k) for k in ("events", "streams", "per_stream", "calls")}
    sizes |= {"import_runs": args.import_runs, "constructions": args.constructions}
    max_events = max(args.events, args.per_stream, 2_000)
    runs: list[dict[str, Any]] = []
    started = time.monotonic()
    with Server(max_events, server_cpu) as server:
        base_url = f"http://127.0.0.1:{server['port']}/api"
        for rnd in range(1, args.rounds + 1):
            for scenario in args.scenarios:
                for kind in kinds:
                    spec = {"kind": kind, "scenario": scenario, "base_url": base_url}
                    spec |= {**sizes, "cpu": client_cpu}
                    run = {"round": rnd, **run_one(pythons[kind], spec)}
                    runs.append(run)
                    print(_progress(run, rnd, args.rounds), file=sys.stderr, flush=True)
    rows = _report.summarize(runs, kinds)
    print()
    print(_report.table(rows, kinds))
    elapsed = time.monotonic() - started
    print(f"\nmedians of {args.rounds} round(s); {elapsed:.0f} s; details in {args.json}")
    document = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "config": {"rounds": args.rounds, "scenarios": args.scenarios, "kinds": kinds, **sizes},
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "server_cpu": server_cpu,
            "client_cpu": client_cpu,
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        },
        "server": server,
        "summary": rows,
        "runs": runs,
    }
    _report.write_json(args.json, document)
    return 0 if all("error" not in run for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
