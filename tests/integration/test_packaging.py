"""A regular (non-editable) install carries the dbt project and finds it without the source
tree: the wheel is built from this checkout, installed with ``pip install --no-deps --target``
into a temporary folder, and run from there (dependencies from the test's own environment)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from core.paths import PROJECT_DIR

pytestmark = pytest.mark.slow  # builds a wheel and runs dbt parse

PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_DIRS = ("models", "seeds", "macros", "tests/dbt", "expectations")


def _tracked_project_files() -> set[str]:
    """The dbt project's files in the source tree (what the wheel must carry)."""
    files = set(PROJECT_FILES)
    for folder in PROJECT_DIRS:
        for path in (PROJECT_DIR / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                files.add(path.relative_to(PROJECT_DIR).as_posix())
    return files


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    source, wheels, target = root / "source", root / "wheels", root / "site"
    # Built from a copy: pip builds in the source folder and must not write into the checkout.
    shutil.copytree(
        PROJECT_DIR,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "data", "build", "*.egg-info", "__pycache__", ".*_cache", "target"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
         "--wheel-dir", str(wheels), str(source)],
        check=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("trialwh-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
         str(target), str(wheel)],
        check=True,
    )  # fmt: skip
    return target


def _run(site: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"TRIALWH_PROJECT_DIR", "PYTHONPATH"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "PYTHONPATH": str(site), **env},
        cwd=site.parent,  # not the checkout: nothing may be found through the working dir
        capture_output=True,
        text=True,
        check=False,
    )


def test_wheel_carries_every_file_of_the_dbt_project(installed):
    (wheel,) = (installed.parent / "wheels").glob("trialwh-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {
            name.removeprefix("core/_project/")
            for name in archive.namelist()
            if name.startswith("core/_project/")
        }
    assert shipped == _tracked_project_files()


def test_installed_code_finds_the_shipped_project(installed):
    result = _run(
        installed,
        "import core.paths, core.vocabulary, ingest.validate; "
        "print(core.paths.__file__); print(core.paths.PROJECT_DIR); "
        "print(ingest.validate.EXPECTATIONS_DIR); print(','.join(core.vocabulary.tema_koder()))",
    )
    assert result.returncode == 0, result.stderr
    module, project, expectations, temaer = result.stdout.splitlines()
    assert Path(module).is_relative_to(installed)
    assert Path(project) == installed / "core" / "_project"
    assert Path(expectations) == installed / "core" / "_project" / "expectations"
    assert temaer.split(",")[0] == "lae285"


def test_installed_cli_parses_the_shipped_dbt_project(installed, tmp_path):
    """dbt reads models, macros, seeds and tests from the installed copy (``dbt parse``)."""
    home = tmp_path / "home"
    code = (
        "from core.paths import Home; from trialwh.dbt import run_dbt; "
        f"outcome = run_dbt(Home.resolve({str(home)!r}), ['parse']); "
        "print(outcome.success); print(outcome.output[-3000:])"
    )
    result = _run(installed, code, TRIALWH_HOME=str(home))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "True", result.stdout
    manifest = (home / "dbt" / "target" / "manifest.json").read_text(encoding="utf-8")
    assert str(installed / "core" / "_project") in manifest
    assert "model.trialwh.mart_gruppe_kvartal" in manifest
