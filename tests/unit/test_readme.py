"""The README shows a new user the two commands first, and every command it names exists."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from tests.conftest import PROJECT_DIR
from trialwh.cli import app

README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
MAKEFILE = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")


def test_readme_shows_demo_and_test_before_anything_else():
    first_block = README.split("```")[1]
    assert "make demo" in first_block
    assert "make test" in first_block


def test_make_targets_named_in_readme_exist():
    for target in ("demo", "test", "mutants"):
        assert re.search(rf"^{target}:", MAKEFILE, re.MULTILINE), target


def test_ci_runs_the_readme_test_command():
    ci = (PROJECT_DIR / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    assert "make mutants" in ci


def test_every_contract_command_is_in_the_cli():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "generate", "ingest", "build", "serve", "status", "report"):
        assert command in result.output
        assert f"trialwh {command}" in README
