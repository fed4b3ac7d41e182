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


def _eligible_follow_up_panel(home: Home):
    """Mean days from first absence to the first follow-up among LÆ285-eligible cases per
    municipality and quarter (the cases the generator shifts), joined to the panel."""
    import duckdb
    import polars as pl

    data = load_report_data(home, "lae285", "alle_oevrige")
    con = duckdb.connect(str(home.published), read_only=True)
    try:
        cases = pl.from_arrow(
            con.sql(
                "select kommunekode, anmeldt_kvartal as kvartal, "
                "avg(date_diff('day', foerste_fravaersdag, foerste_opfoelgning_dato)) as dage "
                "from marts.fct_sygedagpengesager "
                "where is_omfattet_lae285 and foerste_opfoelgning_dato is not null "
                "group by all"
            ).to_arrow_table()
        )
    finally:
        con.close()
    return data.panel.join(cases, on=["kommunekode", "kvartal"], how="left"), data


def test_planted_follow_up_effect_among_eligible_cases(small_pipeline):
    # The generator moves the first follow-up of LAE285-eligible cases in the theme by
    # `foerste_opfoelgning_dage` (-5). The panel's dage_til_foerste_opfoelgning is a median
    # over all cases, so it only shows a diluted effect; here the estimator is run on the
    # eligible cases themselves. (Measured at national scale: -4.0, 95 % CI -4.6 to -3.4:
    # the generator's floor of lag + 2 days and the selection of cases that reach a
    # follow-up shrink the realised effect below the nominal -5.)
    panel, data = _eligible_follow_up_panel(Home(small_pipeline.home))
    result = estimate(
        panel,
        "dage",
        "kommunekode",
        "periode_index",
        "forsoeg_start_index_lae285",
        control_units=data.control_units,
        **DRAWS,
    )
    planted = small_pipeline.truth["effects"]["foerste_opfoelgning_dage"]
    assert result.ci_low <= planted <= result.ci_high
    assert result.ci_high < 0
    assert result.p_ri < 0.05


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
