"""The package as a user gets it: the sdist's contents, and the wheel installed into a
fresh virtual environment outside the repository, running the README quick start
against the local server started from that environment.

The fresh environment sees the repository environment's third-party packages through
a path file (no download), but not the repository's source: `everruns_sdk` (its
`py.typed`, `testing/contract.json`, the `everruns` command) comes from the wheel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from readme_quickstart import EXPECTED, readme_quick_start

PROJECT = Path(__file__).resolve().parents[2]
SOURCE_FILES = {
    p.relative_to(PROJECT).as_posix()
    for p in (PROJECT / "src" / "everruns_sdk").rglob("*")
    if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [str(Path(sys.executable).parent / "hatchling"), "build", "-d", str(out)],
        cwd=PROJECT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


def test_the_sdist_has_exactly_the_package_and_its_metadata(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        files = {m.name.split("/", 1)[1] for m in archive.getmembers() if m.isfile()}
        license_text = archive.extractfile(f"{sdist.name[:-7]}/LICENSE").read().decode()  # type: ignore[union-attr]
    assert files == SOURCE_FILES | {
        "LICENSE",
        "PKG-INFO",
        "README.md",
        "pyproject.toml",
        ".gitignore",
    }
    assert not any(n.startswith(("tests", "benchmarks", "examples", ".venv")) for n in names)
    assert license_text.startswith("MIT License")


def test_the_wheel_ships_the_license_the_marker_and_the_contract(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        entry_points = archive.read(
            next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        ).decode()
    assert "everruns_sdk/py.typed" in names
    assert "everruns_sdk/testing/contract.json" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert b"License-Expression: MIT" in metadata
    assert "everruns = everruns_sdk.cli:main" in entry_points
    assert not any(n.startswith("tests/") or "__pycache__" in n for n in names)
    classifiers = {
        line.split(b"Python :: ")[1].decode()
        for line in metadata.splitlines()
        if line.startswith(b"Classifier: Programming Language :: Python :: 3.")
    }
    assert classifiers == {"3.10", "3.11", "3.12", "3.13"}


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment outside the repository with the wheel installed."""
    home = tmp_path_factory.mktemp("user")
    assert PROJECT not in home.parents
    env_dir = home / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Third-party packages of the repository environment, without its source tree.
    (Path(site) / "repo_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (wheel,) = dist.glob("*.whl")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    yield env_dir


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVERRUNS_", "PYTHON"))}
    env.pop("VIRTUAL_ENV", None)
    return env


def test_the_package_comes_from_the_wheel(installed: Path) -> None:
    python = installed / "bin" / "python"
    code = (
        "import everruns_sdk, pathlib, everruns_sdk.testing as t; "
        "root = pathlib.Path(everruns_sdk.__file__).parent; "
        "print(root); print((root / 'py.typed').is_file()); "
        "print((pathlib.Path(t.__file__).parent / 'contract.json').is_file())"
    )
    out = subprocess.run(
        [str(python), "-c", code],
        cwd=installed.parent,
        env=_clean_env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert Path(out[0]).is_relative_to(installed)
    assert out[1:] == ["True", "True"]


def test_the_quick_start_runs_from_the_wheel_against_the_local_server(installed: Path) -> None:
    python = installed / "bin" / "python"
    workdir = installed.parent
    script = workdir / "quickstart.py"
    script.write_text(readme_quick_start(), encoding="utf-8")
    server = subprocess.Popen(
        [str(python), "-m", "everruns_sdk.testing", "--port", "0"],
        cwd=workdir,
        env=_clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    exports: dict[str, str] = {}
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if line.startswith("export "):
                name, _, value = line[len("export ") :].strip().partition("=")
                exports[name] = value
            if line.startswith("Press Ctrl-C"):
                break
        env = {**_clean_env(), **exports}
        proc = subprocess.run(
            [str(python), str(script)],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        cli = subprocess.run(
            # The README tells the CLI the quick start's org: it then sees its agent.
            [str(installed / "bin" / "everruns"), "--org", "my-org", "agents", "list", "--json"],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert proc.returncode == 0, proc.stderr
    printed = [line for line in proc.stdout.splitlines() if line.strip()]
    collapsed = [t for i, t in enumerate(printed) if i == 0 or printed[i - 1] != t]
    assert collapsed == EXPECTED
    assert cli.returncode == 0, cli.stderr
    assert [agent["name"] for agent in json.loads(cli.stdout)] == ["assistant"]


def test_the_shipped_quick_start_runs_from_the_wheel(installed: Path) -> None:
    """`python -m everruns_sdk.testing run --example quickstart`, the README's "Try it
    without an account", from the installed wheel (its own local server, whatever the
    environment points at)."""
    env = {**_clean_env(), "EVERRUNS_API_URL": "http://127.0.0.1:9/api"}
    env["EVERRUNS_API_KEY"] = "evr_pat_elsewhere"
    example = [str(installed / "bin" / "python"), "-m", "everruns_sdk.testing", "run", "--example"]
    proc = subprocess.run(
        [*example, "quickstart"],
        cwd=installed.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines[0].startswith("Local Everruns server at http://127.0.0.1:")
    printed = lines[1 : lines.index("turn.completed") + 1]
    collapsed = [t for i, t in enumerate(printed) if i == 0 or printed[i - 1] != t]
    assert collapsed == EXPECTED
    code = subprocess.run(
        [*example, "quickstart", "--code"],
        cwd=installed.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert code == readme_quick_start()  # the README's program, shipped in the wheel


@pytest.mark.parametrize("version", ["3.10", "3.13"])
def test_the_source_compiles_on_the_oldest_and_newest_python(version: str) -> None:
    """Syntax check with each interpreter the classifiers name but the suite does not
    run on (mypy checks the types against 3.10: `python_version` in pyproject)."""
    candidates = [Path(f"/usr/bin/python{version}"), Path(f"/usr/local/bin/python{version}")]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += sorted(pyenv.glob(f"{version}.*/bin/python{version}"))
    interpreter = next((p for p in candidates if p.is_file()), None)
    if interpreter is None:
        pytest.skip(f"no Python {version} interpreter on this machine")
    code = (
        "import ast, pathlib, sys; bad = []\n"
        "for p in pathlib.Path(sys.argv[1]).rglob('*.py'):\n"
        "    try: compile(p.read_text(encoding='utf-8'), str(p), 'exec', ast.PyCF_ONLY_AST)\n"
        "    except SyntaxError as e: bad.append(f'{p}: {e}')\n"
        "print('\\n'.join(bad)); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run(
        [str(interpreter), "-c", code, str(PROJECT / "src" / "everruns_sdk")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
