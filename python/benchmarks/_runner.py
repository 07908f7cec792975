"""One measurement: one client kind, one scenario, in a fresh process.

    python -m benchmarks._runner '{"kind": "ours", "scenario": "stream", ...}'

Prints one JSON line: `{"kind", "scenario", "metrics": {name: number}, "info"}`. The
coordinator (`benchmarks.__main__`) starts it with our venv's python (ours, floor) or
the official venv's python (official). Each run warms up first (lazy imports, model
schemas, the connection), then measures the steady state.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

from benchmarks import _payloads
from benchmarks._clients import KINDS, Client, import_target

MIB = 1024 * 1024


def _status_kib(field: str) -> int:
    """A `VmRSS`/`VmHWM` value of this process in KiB (0 where /proc is missing)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reset_peak_rss() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
    except OSError:
        pass


async def _stream(client: Client, spec: dict[str, Any]) -> dict[str, float]:
    count = spec["events"]
    await client.stream(_payloads.session_for(min(count, 2_000)), min(count, 2_000))
    cpu, started = time.process_time(), time.perf_counter()
    seen = await client.stream(_payloads.session_for(count), count)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if seen != count:
        raise RuntimeError(f"saw {seen} events, expected {count}")
    return {"events_per_s": count / elapsed, "events_per_cpu_s": count / cpu}


async def _concurrent(client: Client, spec: dict[str, Any]) -> dict[str, float]:
    streams, per_stream = spec["streams"], spec["per_stream"]
    warm = min(per_stream, 200)
    await asyncio.gather(*(client.stream(_payloads.session_for(warm), warm) for _ in range(4)))
    gc.collect()
    rss_before = _status_kib("VmRSS")
    _reset_peak_rss()
    session = _payloads.session_for(per_stream)
    cpu, started = time.process_time(), time.perf_counter()
    seen = await asyncio.gather(*(client.stream(session, per_stream) for _ in range(streams)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = _status_kib("VmHWM")
    total = streams * per_stream
    if sum(seen) != total:
        raise RuntimeError(f"saw {sum(seen)} events, expected {total}")
    return {
        "events_per_s": total / elapsed,
        "events_per_cpu_s": total / cpu,
        "rss_growth_mib": max(0, peak - rss_before) * 1024 / MIB,
    }


async def _timed_calls(call: Any, calls: int) -> tuple[float, float]:
    """(median wall time, mean CPU time) of one call in microseconds, after a warm-up."""
    for _ in range(max(20, calls // 20)):
        await call()
    samples = []
    clock = time.perf_counter_ns
    cpu = time.process_time()
    for _ in range(calls):
        started = clock()
        await call()
        samples.append(clock() - started)
    cpu = time.process_time() - cpu
    return statistics.median(samples) / 1000.0, cpu / calls * 1e6


async def _latency(client: Client, spec: dict[str, Any]) -> dict[str, float]:
    calls = spec["calls"]
    session = _payloads.SESSION_ID
    get_wall, get_cpu = await _timed_calls(lambda: client.get_agent(_payloads.AGENT_ID), calls)
    post_wall, post_cpu = await _timed_calls(
        lambda: client.post_message(session, "Where is my refund?"), calls
    )
    return {
        "get_agent_us": get_wall,
        "post_message_us": post_wall,
        "get_agent_cpu_us": get_cpu,
        "post_message_cpu_us": post_cpu,
    }


def _import_seconds(module: str) -> float:
    """Time of `import module` in a fresh interpreter (its start-up excluded)."""
    code = f"import time; t = time.perf_counter(); import {module}; "
    code += "print(time.perf_counter() - t)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def _alternate(
    first: Callable[[], float], second: Callable[[], float], runs: int
) -> tuple[float, float]:
    """Medians of `first()` and `second()` results, called in turn (order swapped each
    time) so that both see the same machine: a same-process control."""
    a: list[float] = []
    b: list[float] = []
    for i in range(runs):
        pair = ((first, a), (second, b)) if i % 2 else ((second, b), (first, a))
        for call, samples in pair:
            samples.append(call())
    return statistics.median(a), statistics.median(b)


async def _import(client: Client, spec: dict[str, Any]) -> dict[str, float]:
    target = import_target(client.kind)
    for module in (target, "httpx"):  # warm the bytecode and file caches
        _import_seconds(module)
    mine, httpx_s = _alternate(
        lambda: _import_seconds(target), lambda: _import_seconds("httpx"), spec["import_runs"]
    )
    import httpx

    built: list[Any] = []
    http_built: list[Any] = []
    clock = time.perf_counter_ns

    def timed(make: Callable[[], Any], keep: list[Any]) -> float:
        started = clock()
        keep.append(make())
        return (clock() - started) / 1000.0

    for _ in range(3):  # warm: lazy imports, caches
        timed(client.construct, built)
        timed(httpx.AsyncClient, http_built)
    construct, http_construct = _alternate(
        lambda: timed(client.construct, built),
        lambda: timed(httpx.AsyncClient, http_built),
        spec["constructions"],
    )
    for obj in built:
        await client.close_constructed(obj)
    for obj in http_built:
        await obj.aclose()
    return {
        "import_ms": mine * 1000.0,
        "import_vs_httpx": mine / httpx_s,
        "construct_us": construct,
        "construct_vs_httpx": construct / http_construct,
    }


SCENARIOS = {
    "stream": _stream,
    "concurrent": _concurrent,
    "latency": _latency,
    "import": _import,
}


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    client = KINDS[spec["kind"]](spec["base_url"])
    scenario = SCENARIOS[spec["scenario"]]
    if spec["scenario"] == "import":  # no long-lived client: construction is measured
        return await scenario(client, spec)
    client.open()
    try:
        return await scenario(client, spec)
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> None:
    spec = json.loads((argv if argv is not None else sys.argv[1:])[0])
    if spec.get("cpu") is not None and hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {spec["cpu"]})
    warnings.simplefilter("ignore")  # the official SDK warns about deprecated calls
    metrics = asyncio.run(run(spec))
    info = KINDS[spec["kind"]](spec["base_url"]).info()
    info["python"] = sys.version.split()[0]
    result = {"kind": spec["kind"], "scenario": spec["scenario"], "metrics": metrics}
    print(json.dumps({**result, "info": info}), flush=True)


if __name__ == "__main__":
    main()
