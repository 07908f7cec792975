"""No dead code: every function, method, class and module-level name defined in the
package, in the test helpers and in the generator is used somewhere.

"Used" is judged by name: the name must occur in the repository's Python, docs and
data files at least once more than where it is defined. That is coarse (two unrelated
things of one name count as a use), so it misses some dead code, but it never flags
code that is reached only through a string (getattr, a docs example, a JSON scenario).
"""

from __future__ import annotations

import ast
import re
import uuid
from collections import Counter
from functools import cache
from pathlib import Path

from repo_paths import PYTHON_ROOT, REPO_ROOT

PACKAGE = PYTHON_ROOT / "src" / "everruns_sdk"
TESTS = PYTHON_ROOT / "tests"
CODEGEN = REPO_ROOT / "codegen"

# Where a use may be: everything that reads or runs the code.
_CORPUS = [
    PYTHON_ROOT / "src",
    TESTS,
    PYTHON_ROOT / "examples",
    PYTHON_ROOT / "benchmarks",
    PYTHON_ROOT / "scripts",
    REPO_ROOT / "docs",
    REPO_ROOT / "scripts",
    REPO_ROOT / "conformance",
    CODEGEN,
]
_SUFFIXES = frozenset({".py", ".md", ".toml", ".json", ".yml", ".yaml", ".ini", ".txt"})
_SKIP_PARTS = frozenset({".venv", "node_modules", "__pycache__", "_sync", "_generated"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Checked by mypy, never called: their functions exist to be type-checked.
_TYPE_CHECKED_ONLY = (TESTS / "typing" / "cases", TESTS / "contract" / "typed_calls.py")


_READ_BY_PYTEST = frozenset({"pytestmark", "pytest_plugins"})


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return [
        p
        for p in root.rglob("*")
        if p.suffix in _SUFFIXES and p.is_file() and not _SKIP_PARTS & set(p.parts)
    ]


@cache
def _uses() -> Counter[str]:
    words: Counter[str] = Counter()
    for root in _CORPUS:
        for path in _files(root):
            words.update(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def _defined(tree: ast.Module) -> list[str]:
    """Names a module defines: its functions, classes, their methods, its variables.

    A decorated function is left out (a fixture, a route, a CLI command: called by the
    framework that collects it), as are tests, pytest hooks and dunders.
    """
    names: list[str] = []

    def add(node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if not node.decorator_list and not node.name.startswith(("test_", "pytest_")):
                names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.extend(
                t.id for t in targets if isinstance(t, ast.Name) and t.id not in _READ_BY_PYTEST
            )

    for node in tree.body:
        add(node)
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    add(member)
    return [n for n in names if not (n.startswith("__") and n.endswith("__"))]


def _checked_modules() -> list[Path]:
    modules = [
        *(p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts),
        *(p for p in TESTS.rglob("*.py") if "cli" not in p.relative_to(TESTS).parts),
        *(CODEGEN / "everruns_codegen").glob("*.py"),
        CODEGEN / "generate.py",
    ]
    return sorted(
        p
        for p in modules
        if not _SKIP_PARTS & set(p.parts)
        and not any(p == skip or skip in p.parents for skip in _TYPE_CHECKED_ONLY)
    )


def unused_names(path: Path, uses: Counter[str] | None = None) -> list[str]:
    """The names `path` defines that occur only once (their definition) in `uses`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    uses = _uses() if uses is None else uses
    return [name for name in _defined(tree) if uses[name] < 2]


def test_the_check_sees_the_code_it_checks() -> None:
    modules = _checked_modules()
    assert PACKAGE / "_transport.py" in modules
    assert TESTS / "http_test_server.py" in modules
    assert CODEGEN / "everruns_codegen" / "python.py" in modules
    assert len(modules) > 100


def test_an_unused_helper_is_found(tmp_path: Path) -> None:
    # Names made up here, so that this file does not count as their use.
    tag = uuid.uuid4().hex[:8]
    module = tmp_path / "helpers.py"
    module.write_text(
        f"def _helper_{tag}() -> None: ...\n"
        f"class Thing_{tag}:\n"
        f"    def method_{tag}(self) -> None: ...\n"
        "    def __repr__(self) -> str: return ''\n"
        f"CONSTANT_{tag} = 1\n"
        "def parse_json(x: object) -> object: return x\n"  # used all over the SDK
    )
    uses = _uses() + Counter(_WORD.findall(module.read_text()))
    assert unused_names(module, uses) == [
        f"_helper_{tag}",
        f"Thing_{tag}",
        f"method_{tag}",
        f"CONSTANT_{tag}",
    ]


def test_every_defined_name_is_used() -> None:
    dead = {
        str(path.relative_to(REPO_ROOT)): names
        for path in _checked_modules()
        if (names := unused_names(path))
    }
    assert dead == {}, f"defined and never used (remove them): {dead}"
