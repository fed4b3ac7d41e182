"""Callaway–Sant'Anna, TWFE, WCR and randomisation inference against published values and
hand computation."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
import statsmodels.api as sm

from evaluation.did import estimate
from evaluation.inference import two_way_fit

MPDTA = Path(__file__).resolve().parents[1] / "data" / "mpdta.csv"

# did package README (Callaway & Sant'Anna), att_gt(yname = "lemp", gname = "first.treat",
# xformla = ~1, data = mpdta): group-time ATTs (never-treated controls, varying base).
PUBLISHED_ATT_GT = {
    (2004, 2004): -0.0105,
    (2004, 2005): -0.0704,
    (2004, 2006): -0.1373,
    (2004, 2007): -0.1008,
    (2006, 2004): 0.0065,
    (2006, 2005): -0.0028,
    (2006, 2006): -0.0046,
    (2006, 2007): -0.0412,
    (2007, 2004): 0.0305,
    (2007, 2005): -0.0027,
    (2007, 2006): -0.0311,
    (2007, 2007): -0.0261,
}


@pytest.fixture(scope="module")
def mpdta() -> pl.DataFrame:
    return pl.read_csv(MPDTA)


@pytest.fixture(scope="module")
def mpdta_result(mpdta):
    return estimate(mpdta, "lemp", "countyreal", "year", "first_treat", inference=False)


def test_mpdta_group_time_effects(mpdta_result):
    gt = {
        (row["group"], row["time"]): row["estimate"]
        for row in mpdta_result.group_time.iter_rows(named=True)
    }
    assert set(gt) == set(PUBLISHED_ATT_GT)
    for key, published in PUBLISHED_ATT_GT.items():
        assert round(gt[key], 4) == published, key


def test_mpdta_aggregates(mpdta_result):
    assert round(mpdta_result.att, 4) == -0.0400
    assert 0.011 < mpdta_result.se < 0.013  # published SE about 0.012
    assert round(mpdta_result.dynamic_att, 4) == -0.0772
    assert round(mpdta_result.group_att, 3) == -0.031
    assert mpdta_result.ci_low == pytest.approx(mpdta_result.att - 1.959964 * mpdta_result.se)
    assert not mpdta_result.weak_inference
    assert (mpdta_result.n_treated, mpdta_result.n_control) == (191, 309)


def test_mpdta_twfe_baseline(mpdta):
    # feols(lemp ~ treat_post | countyreal + year): -0.0365 (the usual TWFE on mpdta).
    result = estimate(mpdta, "lemp", "countyreal", "year", "first_treat", inference=False)
    assert round(result.twfe_att, 4) == -0.0365


def test_event_study_universal_base_identity(mpdta, mpdta_result):
    # Universal base: rel_time -1 is 0 by construction, and the lead at -2 is the varying-base
    # change from g-2 to g-1 with the sign turned (Y_{g-2} - Y_{g-1}); published e = -1
    # (varying) is -0.0245, so the -2 lead is +0.0245.
    es = {row["rel_time"]: row for row in mpdta_result.event_study.iter_rows(named=True)}
    assert es[-1]["estimate"] == 0.0 and es[-1]["ci_low"] == 0.0
    assert round(es[-2]["estimate"], 4) == 0.0245
    # Post-entry effects do not depend on the base period: e = 2 is ATT(2004, 2006).
    assert round(es[2]["estimate"], 4) == -0.1373
    assert list(mpdta_result.event_study.columns[:2]) == ["rel_time", "estimate"]
    assert {"ci_low", "ci_high"} <= set(mpdta_result.event_study.columns)


def test_pandas_input_and_null_first_treated(mpdta):
    as_null = mpdta.with_columns(
        pl.when(pl.col("first_treat") == 0)
        .then(None)
        .otherwise(pl.col("first_treat"))
        .alias("first_treat")
    )
    from_pandas = estimate(
        as_null.to_pandas(), "lemp", "countyreal", "year", "first_treat", inference=False
    )
    assert round(from_pandas.att, 4) == -0.0400


def _two_by_two(post: list[float]) -> pl.DataFrame:
    """Units 1..n, two periods, unit 1 treated in period 2, outcome 0 before."""
    n = len(post)
    return pl.DataFrame(
        {
            "unit": [u for u in range(1, n + 1) for _ in (1, 2)],
            "period": [1, 2] * n,
            "y": [v for value in post for v in (0.0, value)],
            "g": [2 if u == 1 else 0 for u in range(1, n + 1) for _ in (1, 2)],
        }
    )


def test_two_by_two_hand_values_and_randomisation_inference():
    result = estimate(_two_by_two([10, 1, 2, 3]), "y", "unit", "period", "g")
    # ATT = 10 - mean(1, 2, 3) = 8; psi_i = 4/3 (dy_i - 2) for controls, 0 for the treated
    # -> SE = sqrt(sum psi^2) / 4 = sqrt(2) / 3.
    assert result.att == pytest.approx(8.0)
    assert result.se == pytest.approx(np.sqrt(2) / 3)
    assert result.twfe_att == pytest.approx(8.0)
    # Studentised RI: treating unit k instead gives |ATT/SE| 16.97, 1.95, 1.20, 0.57 (by hand)
    # -> only the observed one is as extreme: exact p = 1/4 over the 4 distinct assignments.
    assert result.ri_exact and result.ri_draws == 4
    assert result.p_ri == pytest.approx(0.25)
    assert result.weak_inference
    assert "kun 1 behandlede" in result.warning


def test_wcr_exact_enumeration_matches_brute_force():
    post = [10.0, 1.0, 2.0, 3.0, 6.0, -1.0]
    result = estimate(_two_by_two(post), "y", "unit", "period", "g")
    assert result.wcr_enumerated and result.wcr_draws == 2**6
    # Brute force: restricted two-way FE residuals by the balanced-panel formula
    # e_it = y_it - ybar_i - ybar_t + ybar; bootstrap change dy*_i = v_i (e_i2 - e_i1).
    y = np.array([[0.0, v] for v in post])
    e = y - y.mean(1, keepdims=True) - y.mean(0, keepdims=True) + y.mean()
    de = e[:, 1] - e[:, 0]

    def t_stat(dy: np.ndarray) -> float:
        controls = dy[1:]
        att = dy[0] - controls.mean()
        n, n_c = dy.size, controls.size
        se = np.sqrt(np.sum((n / n_c * (controls - controls.mean())) ** 2)) / n
        return att / se

    observed = t_stat(y[:, 1] - y[:, 0])
    draws = [t_stat(np.array(v) * de) for v in itertools.product([1, -1], repeat=6)]
    expected = np.mean(np.abs(draws) >= abs(observed) - 1e-12)
    assert result.p_wcr == pytest.approx(expected)


def test_two_way_fit_unbalanced_matches_least_squares():
    rng = np.random.default_rng(1)
    y = rng.normal(size=(5, 4))
    y[0, 1] = np.nan
    y[3, 3] = np.nan
    fitted = two_way_fit(y)
    rows, cols = np.nonzero(~np.isnan(y))
    design = np.column_stack([np.eye(5)[rows], np.eye(4)[cols][:, 1:]])
    beta, *_ = np.linalg.lstsq(design, y[rows, cols], rcond=None)
    np.testing.assert_allclose(fitted[rows, cols], design @ beta, atol=1e-9)
    assert np.isnan(fitted[0, 1])


def test_twfe_matches_statsmodels_dummy_regression(mpdta):
    small = mpdta.filter(pl.col("countyreal") % 3 == 1)
    result = estimate(small, "lemp", "countyreal", "year", "first_treat", inference=False)
    frame = small.with_columns(
        ((pl.col("first_treat") > 0) & (pl.col("year") >= pl.col("first_treat")))
        .cast(pl.Float64)
        .alias("d")
    ).to_pandas()
    design = pd.get_dummies(frame[["countyreal", "year"]].astype(str), drop_first=True)
    design.insert(0, "const", 1.0)
    design.insert(0, "d", frame["d"])
    fit = sm.OLS(frame["lemp"], design.astype(float)).fit(
        cov_type="cluster", cov_kwds={"groups": frame["countyreal"]}
    )
    assert result.twfe_att == pytest.approx(fit.params["d"], rel=1e-8)
    assert result.twfe_se == pytest.approx(fit.bse["d"], rel=1e-6)


def test_twfe_unbalanced_matches_statsmodels():
    rng = np.random.default_rng(4)
    rows = [
        (u, t, rng.normal() + 0.1 * u + 0.3 * t + (1.0 if u < 4 and t >= 3 else 0.0))
        for u in range(10)
        for t in range(1, 6)
        if (u, t) not in {(1, 2), (7, 5), (8, 1)}
    ]
    frame = pl.DataFrame(rows, schema=["unit", "t", "y"], orient="row").with_columns(
        pl.when(pl.col("unit") < 4).then(3).otherwise(0).alias("g")
    )
    result = estimate(frame, "y", "unit", "t", "g", inference=False)
    pdf = frame.with_columns(
        ((pl.col("g") > 0) & (pl.col("t") >= pl.col("g"))).cast(pl.Float64).alias("d")
    ).to_pandas()
    design = pd.get_dummies(pdf[["unit", "t"]].astype(str), drop_first=True).astype(float)
    design.insert(0, "const", 1.0)
    design.insert(0, "d", pdf["d"])
    fit = sm.OLS(pdf["y"], design).fit(cov_type="cluster", cov_kwds={"groups": pdf["unit"]})
    assert result.twfe_att == pytest.approx(fit.params["d"], rel=1e-8)
    assert result.twfe_se == pytest.approx(fit.bse["d"], rel=1e-6)


def test_control_units_restrict_the_comparison(mpdta):
    controls = mpdta.filter(pl.col("first_treat") == 0)["countyreal"].unique().sort()[:100]
    result = estimate(
        mpdta,
        "lemp",
        "countyreal",
        "year",
        "first_treat",
        control_units=controls.to_list(),
        inference=False,
    )
    assert result.n_control == 100
    assert result.n_treated == 191
    # Hand: ATT(2004, 2004) with these controls = difference of mean 2003->2004 changes.
    wide = (
        mpdta.pivot(on="year", index="countyreal", values="lemp")
        .join(mpdta.group_by("countyreal").agg(pl.col("first_treat").first()), on="countyreal")
        .with_columns((pl.col("2004") - pl.col("2003")).alias("dy"))
    )
    treated = wide.filter(pl.col("first_treat") == 2004)["dy"].mean()
    control = wide.filter(pl.col("countyreal").is_in(controls.to_list()))["dy"].mean()
    cell = result.group_time.filter((pl.col("group") == 2004) & (pl.col("time") == 2004))
    assert cell["estimate"][0] == pytest.approx(treated - control)


def test_coverage_on_simulated_panels_with_eight_treated_units():
    # 40 independent draws of the hand-made trial panel (8 treated, 12 controls, planted
    # effect -6 days): the estimator is unbiased and its 95 % interval covers the truth
    # in most draws (with only 8 treated clusters somewhat below 95 %, hence weak_inference).
    from tests.evaluation import published_fixture as fixture

    errors, covered = [], []
    for seed in range(40):
        panel = fixture.panel(seed).filter(pl.col("periode_index") <= fixture.TRIAL_END)
        result = estimate(
            panel,
            "dage_til_foerste_opfoelgning",
            "kommunekode",
            "periode_index",
            "forsoeg_start_index_lae285",
            inference=False,
        )
        errors.append(result.att - fixture.PLANTED_FOLLOW_UP_DAYS)
        covered.append(result.ci_low <= fixture.PLANTED_FOLLOW_UP_DAYS <= result.ci_high)
        assert result.weak_inference
    assert abs(np.mean(errors)) < 3 * np.std(errors) / np.sqrt(len(errors))
    assert np.mean(covered) >= 0.8


def _pretrend_statistic_by_hand(change: np.ndarray, k: int) -> float:
    """One treated unit k, one cohort: the average lead is ``change_k − mean of the others``
    (``change`` = each unit's average of ``Y_t − Y_(g−1)`` over the leads); ψ is
    ``n/n_c·(change_c − mean)`` for the controls and 0 for the single treated unit;
    statistic ``|θ̄| / (sqrt(Σψ²)/n)``."""
    n = change.size
    others = np.delete(change, k)
    theta = change[k] - others.mean()
    psi = n / others.size * (others - others.mean())
    return float(abs(theta) / (np.sqrt(np.sum(psi**2)) / n))


def test_pretrend_randomisation_p_matches_brute_force():
    # 4 units, periods 1..3, unit 1 enters in period 3: one lead (rel_time -2 = period 1
    # against the reference period 2). Pre-period changes Y1 - Y2 per unit:
    pre_change = [5.0, 1.0, -1.0, 0.5]
    rows = []
    for unit, change in enumerate(pre_change, start=1):
        y2 = float(unit)
        rows += [(unit, 1, y2 + change), (unit, 2, y2), (unit, 3, y2 + 0.3 * unit)]
    frame = pl.DataFrame(rows, schema=["unit", "t", "y"], orient="row").with_columns(
        pl.when(pl.col("unit") == 1).then(3).otherwise(0).alias("g")
    )
    result = estimate(frame, "y", "unit", "t", "g")
    assert result.event_study.filter(pl.col("rel_time") == -2)["estimate"][0] == pytest.approx(
        5.0 - np.mean([1.0, -1.0, 0.5])
    )
    change = np.array(pre_change)
    stats_all = [_pretrend_statistic_by_hand(change, k) for k in range(4)]
    expected = np.mean([s >= stats_all[0] - 1e-12 for s in stats_all])
    assert result.ri_exact and result.ri_draws == 4
    assert result.pretrend_p == pytest.approx(expected)


def test_pretrend_test_is_the_studentised_average_of_the_last_leads():
    """7 units, periods 1..4, unit 0 enters in period 4: leads −3 and −2 (periods 1, 2
    against period 3). All 7 reassignments of the one entry (exact). The statistic is the
    studentised average lead; the old sum of squared lead t-ratios gave p = 1 on this panel
    (every reassignment at least as extreme), the average 5/7."""
    y = np.array(
        [
            [4, -1, 4, 3],
            [2, -3, 3, -5],
            [1, -1, 5, -3],
            [5, -5, 1, 1],
            [4, -2, 4, 2],
            [4, -3, 3, 5],
            [-5, -1, 2, -4],
        ],
        dtype=float,
    )
    frame = pl.DataFrame(
        {
            "unit": np.repeat(np.arange(7), 4),
            "t": np.tile(np.arange(1, 5), 7),
            "y": y.ravel(),
            "g": np.repeat(np.where(np.arange(7) == 0, 4, 0), 4),
        }
    )
    result = estimate(frame, "y", "unit", "t", "g")
    change = (y[:, 0] + y[:, 1]) / 2 - y[:, 2]
    stats_all = [_pretrend_statistic_by_hand(change, k) for k in range(7)]
    expected = np.mean([s >= stats_all[0] - 1e-12 for s in stats_all])
    assert result.ri_exact and result.ri_draws == 7
    assert result.pretrend_p == pytest.approx(expected) == pytest.approx(5 / 7)
    assert result.pretrend_method == "randomisering" and result.pretrend_leads == 4


def test_rejects_duplicate_rows_and_changing_entry_dates():
    panel = _two_by_two([10, 1, 2, 3])
    with pytest.raises(ValueError, match="mere end én række"):
        estimate(pl.concat([panel, panel.head(1)]), "y", "unit", "period", "g")
    changing = panel.with_columns(
        pl.when((pl.col("unit") == 1) & (pl.col("period") == 1))
        .then(1)
        .otherwise(pl.col("g"))
        .alias("g")
    )
    with pytest.raises(ValueError, match="den samme i alle perioder"):
        estimate(changing, "y", "unit", "period", "g")


def test_units_without_any_outcome_are_left_out():
    panel = _two_by_two([10, 1, 2, 3])
    empty = pl.DataFrame(
        {"unit": [9, 9], "period": [1, 2], "y": [None, None], "g": [0, 0]},
        schema=panel.schema,
    )
    with_empty = estimate(pl.concat([panel, empty]), "y", "unit", "period", "g", inference=False)
    without = estimate(panel, "y", "unit", "period", "g", inference=False)
    assert with_empty.n_control == 3
    assert with_empty.att == pytest.approx(8.0)
    assert with_empty.se == pytest.approx(without.se)


def test_not_yet_treated_controls_hand_computed(mpdta):
    result = estimate(
        mpdta, "lemp", "countyreal", "year", "first_treat", control="notyet", inference=False
    )
    wide = mpdta.pivot(on="year", index="countyreal", values="lemp").join(
        mpdta.group_by("countyreal").agg(pl.col("first_treat").first()), on="countyreal"
    )

    def change(frame: pl.DataFrame, post: str, base: str) -> float:
        return float((frame[post] - frame[base]).mean())

    g = pl.col("first_treat")
    # ATT(2004, 2005): controls are never treated or first treated after 2005 (2006, 2007).
    treated = wide.filter(g == 2004)
    controls = wide.filter((g == 0) | (g > 2005))
    expected = change(treated, "2005", "2003") - change(controls, "2005", "2003")
    # ATT(2006, 2006): only never-treated and the 2007 cohort.
    expected_2006 = change(wide.filter(g == 2006), "2006", "2005") - change(
        wide.filter((g == 0) | (g == 2007)), "2006", "2005"
    )
    cells = {
        (r["group"], r["time"]): r["estimate"] for r in result.group_time.iter_rows(named=True)
    }
    assert cells[(2004, 2005)] == pytest.approx(expected)
    assert cells[(2006, 2006)] == pytest.approx(expected_2006)
    assert result.control == "notyet"
