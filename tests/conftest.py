"""Shared fixtures."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
# CI sets this (.ci/run): an input a test needs (chromium, the shared reference files) that
# is missing fails the test instead of skipping it.
STRICT_INPUTS = "TRIALWH_STRICT_INPUTS"


def require_input(present: bool, reason: str) -> None:
    """Skip with ``reason`` (shown in the summary) when an input is missing; fail in CI."""
    if present:
        return
    if os.environ.get(STRICT_INPUTS) == "1":
        pytest.fail(f"{reason} ({STRICT_INPUTS}=1: CI must provide it)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty warehouse home, with TRIALWH_HOME pointing at it."""
    root = tmp_path / "home"
    root.mkdir()
    monkeypatch.setenv("TRIALWH_HOME", str(root))
    monkeypatch.setenv("TRIALWH_PSEUDONYM_KEY", "test-key-not-secret")
    return root


@dataclass(frozen=True)
class Pipeline:
    """One run of the whole product on the small synthetic data (seed 42)."""

    home: Path
    extracts: Path
    truth: dict
    outputs: dict[str, CliOutcome]

    @property
    def published(self) -> Path:
        return self.home / "published" / "current.duckdb"


@dataclass(frozen=True)
class CliOutcome:
    exit_code: int
    output: str


@pytest.fixture(scope="session")
def small_pipeline(tmp_path_factory) -> Pipeline:
    """generate → ingest → build through the `trialwh` command line, once per test session.

    Read-only for the tests that use it: they must not write to its home.
    """
    from typer.testing import CliRunner

    from trialwh.cli import app

    root = tmp_path_factory.mktemp("pipeline")
    home, extracts = root / "home", root / "extracts"
    runner = CliRunner()
    outputs: dict[str, CliOutcome] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRIALWH_PSEUDONYM_KEY", "test-key-not-secret")
        mp.delenv("TRIALWH_HOME", raising=False)
        for step, args in (
            ("generate", ["generate", "--out", str(extracts), "--scale", "small", "--seed", "42"]),
            ("ingest", ["--home", str(home), "ingest", str(extracts)]),
            ("build", ["--home", str(home), "build"]),
        ):
            result = runner.invoke(app, args)
            outputs[step] = CliOutcome(result.exit_code, result.output)
    truth = json.loads((extracts / "truth.json").read_text(encoding="utf-8"))
    return Pipeline(home=home, extracts=extracts, truth=truth, outputs=outputs)
