"""Generate the three SDKs' models, typed events and the compact contract from the spec.

Reads `<shared>/openapi/` (everruns-openapi.json, sdk-scope.json, event-types.json),
corrects it once (everruns_codegen/spec.py), builds one language-neutral model of its
definitions (everruns_codegen/models.py) and renders it per language:

- python/src/everruns_sdk/types/_generated/*.py   pydantic models, one module per API area
- python/src/everruns_sdk/types/__init__.py       lazy public names (nothing heavy at import)
- python/src/everruns_sdk/types/events.py         typed events, `Event`, `parse_event`
- python/src/everruns_sdk/testing/contract.json   operations + reachable schemas, for tests
- typescript/src/generated/                       (everruns_codegen/typescript.py)
- rust/src/generated/                             (everruns_codegen/rust.py)

Run it from anywhere (`make generate` does):

    python codegen/generate.py --shared ../shared     # write the files
    python codegen/generate.py --check                # exit 1, naming stale files
    python codegen/generate.py --check --only rust    # one language (repeatable)

`--shared` defaults to the `shared` folder next to the repository. Python output is passed
through `python/.venv`'s `ruff` (import sorting + `ruff format`), so `--check` compares
exactly what would be written. The spec's known defects are corrected once, in
codegen/everruns_codegen/spec.py and contract.py, each with its reason.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from everruns_codegen import python, rust, typescript
from everruns_codegen.contract import render_contract
from everruns_codegen.models import build_models
from everruns_codegen.spec import load_spec

REPO = Path(__file__).resolve().parent.parent
CONTRACT = Path("python/src/everruns_sdk/testing/contract.json")

# Each renderer: `render(spec, models, repo) -> {repo-relative path: content}` and
# `GENERATED_GLOBS`, the repo-relative globs of files only the generator writes (a file
# there that the spec no longer produces is stale too).
RENDERERS = {"python": python, "typescript": typescript, "rust": rust}


def render_all(shared: Path, languages: list[str]) -> dict[Path, str]:
    """Every generated file of `languages` (relative path -> final content)."""
    spec = load_spec(shared)
    models = build_models(spec)
    files: dict[Path, str] = {}
    for language in languages:
        files.update(RENDERERS[language].render(spec, models, REPO))
    if "python" in languages:
        files[CONTRACT] = render_contract(spec)
    return dict(sorted(files.items()))


def stale_files(files: dict[Path, str], languages: list[str]) -> list[Path]:
    stale = [p for p, content in files.items() if _read(REPO / p) != content]
    for language in languages:
        for pattern in RENDERERS[language].GENERATED_GLOBS:
            for path in sorted(REPO.glob(pattern)):
                relative = path.relative_to(REPO)
                if relative not in files:
                    stale.append(relative)  # a file the spec no longer produces
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
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(RENDERERS),
        help="generate (or check) only this language's files; repeatable (default: all)",
    )
    args = parser.parse_args(argv)
    languages: list[str] = args.only or list(RENDERERS)
    shared: Path = args.shared.resolve()
    if not (shared / "openapi" / "everruns-openapi.json").is_file():
        print(f"generate.py: no openapi/everruns-openapi.json under {shared}", file=sys.stderr)
        return 2

    files = render_all(shared, languages)
    stale = stale_files(files, languages)
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
