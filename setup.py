"""Ship the dbt project inside the wheel, so a non-editable install builds too.

The dbt project (dbt_project.yml, profiles.yml, models, seeds, macros, dbt tests) and the
Great Expectations suites live at the repository root, outside every Python package. A
regular (non-editable) install copies them into the ``core`` package as ``core/_project``;
``core.paths.PROJECT_DIR`` finds them there when the source tree is not beside the code.
An editable install (``make install``) reads them from the source tree and copies nothing.
Everything else about the package is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# Kept in step with core.paths.PROJECT_FILES / PROJECT_DIRS (a test checks the wheel).
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_DIRS = ("models", "seeds", "macros", "tests/dbt", "expectations")


class BuildPyWithProject(build_py):
    """build_py that also copies the dbt project into ``core/_project``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "core" / "_project"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for name in PROJECT_FILES:
            shutil.copy2(ROOT / name, target / name)
        for name in PROJECT_DIRS:
            shutil.copytree(
                ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )


setup(cmdclass={"build_py": BuildPyWithProject})
