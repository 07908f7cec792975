"""Run one 0.3.x-style program as `__main__` and record the warnings it raised.

    python run_program.py PROGRAM.py WARNINGS.json

Every DeprecationWarning is recorded (message, file, line) instead of printed, so the
tests can count them and check that each points at the program's own line.
"""

from __future__ import annotations

import json
import runpy
import sys
import warnings
from pathlib import Path
from types import TracebackType


def main() -> int:
    program, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    records: list[dict[str, object]] = []

    def record(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: object = None,
        line: str | None = None,
    ) -> None:
        records.append(
            {
                "category": category.__name__,
                "message": str(message),
                "filename": filename,
                "lineno": lineno,
            }
        )

    warnings.simplefilter("always")
    warnings.showwarning = record
    sys.argv = [str(program)]
    sys.path.insert(0, str(program.parent))
    failure: BaseException | None = None
    try:
        runpy.run_path(str(program), run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            failure = exc
    except BaseException as exc:  # reported below, after the warnings are saved
        failure = exc
    out.write_text(json.dumps(records, indent=1))
    if failure is not None:
        tb: TracebackType | None = failure.__traceback__
        sys.excepthook(type(failure), failure, tb)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
