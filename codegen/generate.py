"""Generate the SDK's models, typed events and compact contract from the Everruns spec.

Reads `<shared>/openapi/` (everruns-openapi.json, sdk-scope.json, event-types.json) and
writes:

- python/src/everruns_sdk/types/_generated/*.py   pydantic models, one module per API area
- python/src/everruns_sdk/types/__init__.py       lazy public names (nothing heavy at import)
- python/src/everruns_sdk/types/events.py         typed events, `Event`, `parse_event`
- python/src/everruns_sdk/testing/contract.json   operations + reachable schemas, for tests

Run it from anywhere (`make generate` does):

    python codegen/generate.py --shared ../shared     # write the files
    python codegen/generate.py --check                # exit 1, naming stale files

`--shared` defaults to the `shared` folder next to the repository. Python output is passed
through `python/.venv`'s `ruff` (import sorting + `ruff format`), so `--check` compares
exactly what would be written. The spec's known defects are corrected once, in
codegen/everruns_codegen/spec.py and contract.py, each with its reason.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from everruns_codegen.contract import render_contract
from everruns_codegen.models import build_models
from everruns_codegen.python import (
    generated_modules,
    render_events,
    render_generated_init,
    render_module,
    render_types_init,
)
from everruns_codegen.spec import load_spec

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / "python"
TYPES = Path("python/src/everruns_sdk/types")
GENERATED = TYPES / "_generated"
CONTRACT = Path("python/src/everruns_sdk/testing/contract.json")


def find_ruff() -> str:
    candidates = [
        Path(sys.executable).parent / "ruff",
        PYTHON / ".venv" / "bin" / "ruff",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("ruff")
    if found is None:
        sys.exit("generate.py: ruff not found (run `make install` first)")
    return found


def ruff_format(ruff: str, path: Path, source: str) -> str:
    """Sort imports and format `source` as if it were the file at `path`."""
    for args in (
        ["check", "--fix-only", "--select", "I,RUF022", "--quiet"],
        ["format", "--quiet"],
    ):
        result = subprocess.run(
            [ruff, *args, "--stdin-filename", str(REPO / path), "-"],
            input=source,
            capture_output=True,
            text=True,
            cwd=PYTHON,  # python/pyproject.toml holds the ruff settings
            check=False,
        )
        if result.returncode != 0:
            sys.exit(f"generate.py: ruff {args[0]} failed on {path}:\n{result.stderr}")
        source = result.stdout
    return source


def render_all(shared: Path) -> dict[Path, str]:
    """Every generated file (relative path -> final content)."""
    spec = load_spec(shared)
    models = build_models(spec)
    ruff = find_ruff()
    python: dict[Path, str] = {
        GENERATED / "__init__.py": render_generated_init(),
        TYPES / "__init__.py": render_types_init(models, spec),
        TYPES / "events.py": render_events(spec, models),
    }
    for module in generated_modules(models):
        python[GENERATED / f"{module}.py"] = render_module(module, models)
    files = {path: ruff_format(ruff, path, source) for path, source in sorted(python.items())}
    files[CONTRACT] = render_contract(spec)
    return files


def stale_files(files: dict[Path, str]) -> list[Path]:
    stale = [p for p, content in files.items() if _read(REPO / p) != content]
    for path in sorted((REPO / GENERATED).glob("*.py")):
        relative = path.relative_to(REPO)
        if relative not in files:
            stale.append(relative)  # a module the spec no longer produces
    return sorted(stale)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared",
        help="folder holding openapi/ (default: the `shared` folder next to the repo)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any file is stale"
    )
    args = parser.parse_args(argv)
    shared: Path = args.shared.resolve()
    if not (shared / "openapi" / "everruns-openapi.json").is_file():
        print(f"generate.py: no openapi/everruns-openapi.json under {shared}", file=sys.stderr)
        return 2

    files = render_all(shared)
    stale = stale_files(files)
    if args.check:
        if stale:
            print("generate.py: stale generated files (run `make generate`):", file=sys.stderr)
            for path in stale:
                print(f"  {path}", file=sys.stderr)
            return 1
        print(f"generate.py: {len(files)} generated files are up to date")
        return 0

    for path in stale:
        target = REPO / path
        if path in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[path], encoding="utf-8")
            print(f"wrote {path}")
        else:
            target.unlink()
            print(f"removed {path}")
    if not stale:
        print(f"generate.py: {len(files)} generated files are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
