"""Medians, ratios against the floor, the table, and the JSON file."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KIND_ORDER = ("ours", "floor", "official")


@dataclass(frozen=True)
class Metric:
    scenario: str
    key: str
    label: str
    higher_is_better: bool
    target: float  # the ratio ours/floor must reach (>= if higher is better, else <=)
    digits: int = 1


# Wall-time metrics first; the CPU-time twins (client process CPU only) stay readable on
# a busy machine, where wall time also counts waiting for a core. The `*_vs_httpx` rows
# are same-process controls: each run alternates its own import/construction with
# httpx's, so the ratio is free of process-to-process noise (the floor's is ~1).
METRICS = (
    Metric("stream", "events_per_s", "events/s", True, 0.95, 0),
    Metric("stream", "events_per_cpu_s", "events/CPU-s", True, 0.95, 0),
    Metric("concurrent", "events_per_s", "events/s (total)", True, 0.90, 0),
    Metric("concurrent", "events_per_cpu_s", "events/CPU-s", True, 0.90, 0),
    Metric("concurrent", "rss_growth_mib", "peak RSS growth, MiB", False, 1.20),
    Metric("latency", "get_agent_us", "GET agent, µs/call", False, 1.05),
    Metric("latency", "get_agent_cpu_us", "GET agent, CPU µs/call", False, 1.05),
    Metric("latency", "post_message_us", "POST message, µs/call", False, 1.05),
    Metric("latency", "post_message_cpu_us", "POST message, CPU µs/call", False, 1.05),
    Metric("import", "import_ms", "import, ms", False, 1.50),
    Metric("import", "import_vs_httpx", "import / import httpx (same run)", False, 1.50, 2),
    Metric("import", "construct_us", "construct client, µs", False, 1.00),
    Metric("import", "construct_vs_httpx", "construct / AsyncClient() (same run)", False, 1.00, 2),
)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _paired_ratio(runs: list[dict[str, Any]], metric: Metric, kind: str) -> float | None:
    """Median over rounds of (kind / floor) within the same round.

    The kinds of one round run back to back, so a round's ratio is free of the drift
    between rounds (load, thermal state) that the medians of absolute values still carry.
    """
    by_round: dict[tuple[Any, str], float] = {}
    for run in runs:
        if run["scenario"] == metric.scenario and metric.key in run.get("metrics", {}):
            by_round[(run.get("round"), run["kind"])] = run["metrics"][metric.key]
    ratios = [
        value / by_round[(rnd, "floor")]
        for (rnd, k), value in by_round.items()
        if k == kind and by_round.get((rnd, "floor"))
    ]
    return _median(ratios)


def summarize(runs: list[dict[str, Any]], kinds: list[str]) -> list[dict[str, Any]]:
    """One row per metric: the median of each kind's runs, and ratios vs the floor."""
    rows = []
    scenarios = {run["scenario"] for run in runs}
    for metric in METRICS:
        if metric.scenario not in scenarios:
            continue
        row: dict[str, Any] = {
            "scenario": metric.scenario,
            "metric": metric.key,
            "label": metric.label,
            "better": "higher" if metric.higher_is_better else "lower",
            "target_ratio": metric.target,
        }
        for kind in kinds:
            values = [
                run["metrics"][metric.key]
                for run in runs
                if run["kind"] == kind
                and run["scenario"] == metric.scenario
                and metric.key in run.get("metrics", {})
            ]
            errors = [
                run["error"]
                for run in runs
                if run["kind"] == kind and run["scenario"] == metric.scenario and "error" in run
            ]
            row[kind] = _median(values)
            row[f"{kind}_samples"] = values
            if errors:
                row[f"{kind}_errors"] = errors
        for kind in kinds:
            if kind != "floor":
                row[f"{kind}_ratio"] = _paired_ratio(runs, metric, kind)
        ratio = row.get("ours_ratio")
        if ratio is not None:
            ok = ratio >= metric.target if metric.higher_is_better else ratio <= metric.target
            row["ours_meets_target"] = ok
        rows.append(row)
    return rows


def _fmt(value: float | None, digits: int, failed: bool) -> str:
    if value is None:
        return "error" if failed else "-"
    if 0 < abs(value) < 10**-digits * 5:
        return f"{value:.1e}"  # a ratio of a few thousandths: keep it readable
    return f"{value:,.{digits}f}"


def _fmt_ratio(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}x" if value >= 0.1 else f"{value:.1e}x"


def table(rows: list[dict[str, Any]], kinds: list[str]) -> str:
    """The plain-text table `make bench` prints."""
    digits = {(m.scenario, m.key): m.digits for m in METRICS}
    shown = [k for k in KIND_ORDER if k in kinds]
    header = ["scenario", "metric", *shown]
    header += [f"{k}/floor" for k in shown if k != "floor"]
    header += ["target (ours/floor)", "ok"]
    lines = [header]
    for row in rows:
        d = digits[(row["scenario"], row["metric"])]
        cells = [row["scenario"], row["label"]]
        cells += [_fmt(row.get(k), d, f"{k}_errors" in row) for k in shown]
        cells += [_fmt_ratio(row.get(f"{k}_ratio")) for k in shown if k != "floor"]
        sign = ">=" if row["better"] == "higher" else "<="
        cells.append(f"{sign} {row['target_ratio']:.2f}x ({row['better']} is better)")
        met = row.get("ours_meets_target")
        cells.append("-" if met is None else ("yes" if met else "NO"))
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append(
            "  ".join(
                cell.ljust(w) if i < 2 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n")
