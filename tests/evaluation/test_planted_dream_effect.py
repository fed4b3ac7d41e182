"""The planted DREAM effect through the whole pipeline: generate → ingest → build → DiD (slow).

Truth is the generator's truth.json (the effect it planted on the share self-supporting in
week 26 among LÆ285-eligible cases in the theme), never the marts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.paths import Home
from evaluation.did import estimate
from report.writer import load_report_data
from trialwh.cli import app

pytestmark = pytest.mark.slow

DRAWS = {"wcr_draws": 999, "ri_draws": 199}


def _pipeline(root: Path, *extra: str) -> tuple[Home, dict]:
    import json

    home, extracts = root / "home", root / "extracts"
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRIALWH_PSEUDONYM_KEY", "test-key-not-secret")
        mp.delenv("TRIALWH_HOME", raising=False)
        for args in (
            [
                "generate",
                "--out",
                str(extracts),
                "--seed",
                "11",
                "--dream",
                "--no-progress",
                *extra,
            ],
            ["--home", str(home), "ingest", str(extracts)],
            ["--home", str(home), "build"],
        ):
            result = runner.invoke(app, args)
            assert result.exit_code == 0, result.output[-3000:]
    truth = json.loads((extracts / "truth.json").read_text(encoding="utf-8"))
    return Home(home), truth


def _estimate(home: Home):
    data = load_report_data(home, "lae285", "alle_oevrige")
    return estimate(
        data.panel,
        "andel_selvforsoergende_uge_26",
        "kommunekode",
        "periode_index",
        "forsoeg_start_index_lae285",
        control_units=data.control_units,
        **DRAWS,
    )


def test_planted_week_26_effect_is_within_the_interval(tmp_path_factory):
    home, truth = _pipeline(tmp_path_factory.mktemp("dream_effect"))
    planted = truth["dream"]["planted_effect"]
    assert planted["effect"] == 0.02
    result = _estimate(home)
    assert result.ci_low <= planted["effect"] <= result.ci_high
    # Every trial municipality is estimated, or listed as entering no cell (a municipality
    # with no LÆ285-eligible case in a quarter before its start).
    trial = truth["municipalities"]["trial"]
    assert result.n_treated + result.dropped_units.height == len(trial)
    assert set(result.dropped_units["reason"]) <= {"ingen_celle"}


def test_placebo_is_not_significant(tmp_path_factory):
    home, truth = _pipeline(tmp_path_factory.mktemp("dream_placebo"), "--placebo")
    assert truth["dream"]["planted_effect"]["flipped_cases"] == 0
    result = _estimate(home)
    assert result.ci_low <= 0.0 <= result.ci_high
    assert result.p_ri >= 0.05
