"""The README quick start, then `everruns agents list`: the quick start works in `my-org`,
and the command line says where to look when it is not told that org."""

from __future__ import annotations

import os
import subprocess
import sys

from cli_helpers import ok
from conftest import Run
from readme_quickstart import readme_quick_start

from everruns_sdk.testing import EverrunsEmulator


def _quick_start(emu: EverrunsEmulator) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVERRUNS_")}
    env.update(EVERRUNS_API_URL=emu.url, EVERRUNS_API_KEY=emu.api_key)
    subprocess.run(
        [sys.executable, "-c", readme_quick_start()], env=env, check=True, capture_output=True
    )


def test_after_the_quick_start_the_cli_shows_where_its_agent_is(
    run: Run, emu: EverrunsEmulator
) -> None:
    _quick_start(emu)
    without = ok(run("agents", "list")).stdout
    assert "No agents in the default organization" in without
    assert "everruns --org my-org agents list" in without  # as the README says
    with_org = ok(run("--org", "my-org", "agents", "list")).stdout
    assert "assistant" in with_org and "Assistant" in with_org
    from_env = ok(run("agents", "list", env={"EVERRUNS_ORG_ID": "my-org"})).stdout
    assert from_env == with_org
    sessions = ok(run("--org", "my-org", "sessions", "list")).stdout
    assert "assistant" in sessions  # the session names its agent


def test_an_empty_org_that_was_asked_for_is_named(run: Run) -> None:
    out = ok(run("--org", "org-elsewhere", "sessions", "list")).stdout
    assert out.strip() == "No sessions in the organization org-elsewhere."
    assert "my-org" not in out
