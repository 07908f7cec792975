"""`make bench` works end to end: the harness, at tiny sizes, yields a number per cell.

No timing is asserted (CONTRIBUTING: no timed asserts); only that every scenario
produced its metrics for ours and the floor. The official SDK is left out: it needs
its own venv, which the harness installs on demand for `make bench`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

TINY = [
    "--quick",
    "--only=ours,floor",
    "--no-install",
    "--events=500",
    "--streams=5",
    "--per-stream=100",
    "--calls=50",
    "--import-runs=1",
    "--constructions=3",
]

EXPECTED = {
    "stream": {"events_per_s", "events_per_cpu_s"},
    "concurrent": {"events_per_s", "events_per_cpu_s", "rss_growth_mib"},
    "latency": {"get_agent_us", "post_message_us", "get_agent_cpu_us", "post_message_cpu_us"},
    "import": {"import_ms", "import_vs_httpx", "construct_us", "construct_vs_httpx"},
}


# A liveness guard only (the run takes a few seconds; a loaded machine, several times that).
@pytest.mark.timeout(180)
def test_quick_benchmark_produces_numbers_for_every_scenario(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", *TINY, f"--json={out}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ours/floor" in done.stdout  # the table was printed

    document = json.loads(out.read_text())
    assert document["config"]["kinds"] == ["ours", "floor"]
    runs = document["runs"]
    assert {(r["scenario"], r["kind"]) for r in runs} == {
        (scenario, kind) for scenario in EXPECTED for kind in ("ours", "floor")
    }
    for run in runs:
        assert "error" not in run, run
        assert set(run["metrics"]) == EXPECTED[run["scenario"]], run
        assert all(value > 0 for value in run["metrics"].values()), run
    summarized = {(row["scenario"], row["metric"]) for row in document["summary"]}
    assert summarized == {(s, m) for s, metrics in EXPECTED.items() for m in metrics}
    for row in document["summary"]:
        assert row["ours"] is not None and row["floor"] is not None, row
        assert row["ours_ratio"] is not None, row
