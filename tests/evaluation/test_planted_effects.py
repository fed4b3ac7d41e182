"""The headline estimator on the generator's data, through the whole pipeline (slow).

Truth comes from the generator's truth.json (the effects it planted and the waiver share it
expects in the trial theme), never from the marts.
"""

from __future__ import annotations

import pytest

from evaluation.did import estimate
from evaluation.report import load_report_data
from trialwh.paths import Home

pytestmark = pytest.mark.slow

DRAWS = {"wcr_draws": 999, "ri_draws": 199}


def _estimate(home: Home, column: str):
    data = load_report_data(home, "lae285", "alle_oevrige")
    return estimate(
        data.panel,
        column,
        "kommunekode",
        "periode_index",
        "forsoeg_start_index_lae285",
        control_units=data.control_units,
        **DRAWS,
    )


def test_recovers_planted_lae285_waiver_share(small_pipeline):
    result = _estimate(Home(small_pipeline.home), "andel_lae285_fravalgt")
    expected = small_pipeline.truth["expected"]["lae285_forventet_fravalgsandel_i_tema"]
    assert result.ci_low <= expected <= result.ci_high
    assert result.p_ri < 0.05
    assert result.n_treated == len(small_pipeline.truth["municipalities"]["trial"])


def test_planted_follow_up_effect_inside_interval(small_pipeline):
    result = _estimate(Home(small_pipeline.home), "dage_til_foerste_opfoelgning")
    planted = small_pipeline.truth["effects"]["foerste_opfoelgning_dage"]
    assert result.ci_low <= planted <= result.ci_high


@pytest.fixture(scope="module")
def placebo_home(tmp_path_factory) -> tuple[Home, dict]:
    from ingest.load import ingest_paths
    from ingest.synthetic import generate
    from trialwh.build import build

    root = tmp_path_factory.mktemp("placebo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRIALWH_PSEUDONYM_KEY", "test-key-not-secret")
        mp.setenv("TRIALWH_HOME", str(root / "home"))
        home = Home.resolve(root / "home")
        truth = generate(root / "extracts", scale="small", seed=7, effects={"placebo": True})
        ingest_paths(
            home, sorted(p for p in (root / "extracts").iterdir() if p.name != "truth.json")
        )
        outcome = build(home)
    assert outcome.success, outcome.failures
    return home, truth


def test_placebo_is_not_significant(placebo_home):
    home, truth = placebo_home
    assert truth["effects"]["foerste_opfoelgning_dage"] == 0.0
    for column in ("dage_til_foerste_opfoelgning", "attestudgift_pr_sag_kr"):
        result = _estimate(home, column)
        assert result.p_ri >= 0.05, column
        assert result.ci_low <= 0.0 <= result.ci_high, column
    waiver = load_report_data(home, "lae285", "alle_oevrige").panel["lae285_fravalgt"].sum()
    assert waiver == 0
