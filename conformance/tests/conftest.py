"""The conformance harness's own tests: `harness` importable as in run.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
