"""Checks that the SDK's dependencies build on its MSRV (`rust-version` in Cargo.toml).

    cargo metadata --locked --format-version 1 | python3 scripts/check_msrv.py

Every crate the SDK depends on (normal dependencies, all features, as locked) must not
ask for a newer Rust than the SDK states. The SDK's own code is held to the MSRV by
clippy's `incompatible_msrv` lint (part of `make test`, warnings are errors): together
they stand in for a build with that toolchain, which CI cannot download.
"""

from __future__ import annotations

import json
import sys


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def main() -> int:
    metadata = json.load(sys.stdin)
    packages = {p["id"]: p for p in metadata["packages"]}
    root = next(p for p in packages.values() if p["name"] == "everruns-sdk")
    msrv = version(root["rust_version"])
    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}
    seen, todo, newer = {root["id"]}, [root["id"]], []
    while todo:
        for dep in nodes[todo.pop()]["deps"]:
            normal = any(k["kind"] is None for k in dep["dep_kinds"])
            if normal and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                todo.append(dep["pkg"])
                wanted = packages[dep["pkg"]].get("rust_version")
                if wanted and version(wanted) > msrv:
                    newer.append(f"{packages[dep['pkg']]['name']} {wanted}")
    print(f"MSRV {root['rust_version']}: {len(seen) - 1} dependencies checked, {len(newer)} newer")
    for line in newer:
        print(f"  needs a newer Rust: {line}", file=sys.stderr)
    return 1 if newer else 0


if __name__ == "__main__":
    sys.exit(main())
