"""Issue 14: studentised randomisation inference and its inversion, the placebo-region
headline, few treated units, HonestDiD bounds, and the input defects."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from evaluation import callaway_santanna as cs
from evaluation.did import estimate
from evaluation.honest_did import flci_smoothness

DATA = Path(__file__).resolve().parents[1] / "data"


def _two_period(post: list[float], treated: int = 1) -> pl.DataFrame:
    n = len(post)
    return pl.DataFrame(
        {
            "unit": [u for u in range(1, n + 1) for _ in (1, 2)],
            "period": [1, 2] * n,
            "y": [v for value in post for v in (0.0, value)],
            "g": [2 if u <= treated else 0 for u in range(1, n + 1) for _ in (1, 2)],
        }
    )


def _t_brute(dy: np.ndarray, treated: np.ndarray) -> float:
    """Two periods: ATT = mean change treated − controls; ψ as in did (n/n_g, n/n_c)."""
    n, t, c = dy.size, dy[treated], dy[~treated]
    att = t.mean() - c.mean()
    psi = np.concatenate([n / t.size * (t - t.mean()), n / c.size * (c - c.mean())])
    return abs(att) / (np.sqrt(np.sum(psi**2)) / n)


def test_randomisation_p_is_studentised_brute_force():
    # The treated unit is an outlier in spread: |ATT| and |ATT/SE| rank assignments apart.
    post = [6.0, 1.0, 2.0, 9.0, 3.0, -4.0, 0.5]
    result = estimate(_two_period(post, treated=2), "y", "unit", "period", "g")
    dy = np.array(post)
    observed = _t_brute(dy, np.arange(7) < 2)
    values = []
    for pair in itertools.combinations(range(7), 2):
        mask = np.zeros(7, bool)
        mask[list(pair)] = True
        values.append(_t_brute(dy, mask))
    expected = np.mean(np.array(values) >= observed - 1e-12)
    assert result.ri_exact and result.ri_draws == 21
    assert result.p_ri == pytest.approx(expected)


def _small_panel(seed: int, effect: float = 0.0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    n, periods = 9, 5
    start = np.array([3, 4] + [0] * (n - 2))
    rows = []
    for u in range(n):
        for t in range(1, periods + 1):
            d = start[u] > 0 and t >= start[u]
            rows.append((u, t, float(rng.normal() + effect * d), int(start[u])))
    return pl.DataFrame(rows, schema=["unit", "period", "y", "g"], orient="row")


def test_test_inversion_interval_matches_p_values_of_shifted_outcomes():
    panel = _small_panel(4, effect=1.0)
    result = estimate(panel, "y", "unit", "period", "g")
    assert result.ri_exact  # 9·8 = 72 assignments
    treated = (pl.col("g") > 0) & (pl.col("period") >= pl.col("g"))
    for bound, inside in ((result.ri_ci_low, +1), (result.ri_ci_high, -1)):
        assert np.isfinite(bound)
        for tau, accepted in ((bound + inside * 1e-6, True), (bound - inside * 1e-6, False)):
            shifted = panel.with_columns(
                (pl.col("y") - pl.when(treated).then(tau).otherwise(0.0)).alias("y")
            )
            p = estimate(shifted, "y", "unit", "period", "g").p_ri
            assert (p > 0.05) is accepted, (bound, tau, p)


def test_headline_is_randomisation_interval_when_few_treated():
    result = estimate(_small_panel(4), "y", "unit", "period", "g")
    assert result.headline == "randomisering"
    assert (result.ci_low, result.ci_high) == (result.ri_ci_low, result.ri_ci_high)
    assert result.p_headline == result.p_ri
    assert not result.analytic_shown  # 2 treated units, cohorts of one
    assert np.isfinite(result.ci_low_analytic)
    assert "meget svag" in result.evidence
    assert "Der vises intet analytisk interval" in result.warning
    assert "konservativ" in result.warning
    assert "Læg mest vægt på p-værdien fra randomiseringsinferens" not in result.warning


def _regional_panel(seed: int, periods: int = 10, entry: int = 6) -> pl.DataFrame:
    """36 units in 4 regions with regional shocks; the 6 units of region R0 enter in
    periods ``entry`` and ``entry + 1`` (alternately), the others never."""
    rng = np.random.default_rng(seed)
    sizes = (6, 10, 10, 10)
    region = np.repeat(np.arange(4), sizes)
    n = region.size
    shock = rng.normal(0, 2, (4, periods))[region]
    y = rng.normal(0, 1, (n, periods)) + shock
    start = np.where(region == 0, np.where(np.arange(n) % 2 == 0, entry, entry + 1), 0)
    return pl.DataFrame(
        {
            "unit": np.repeat(np.arange(n), periods),
            "period": np.tile(np.arange(1, periods + 1), n),
            "y": y.ravel(),
            "g": np.repeat(start, periods),
            "region": np.repeat(np.array([f"R{r}" for r in region]), periods),
        }
    )


def test_regional_headline_when_treated_share_a_region():
    panel = _regional_panel(2)
    result = estimate(panel, "y", "unit", "period", "g", region="region", ri_draws=99)
    assert result.headline == "regional" and result.region == "R0"
    assert (result.ci_low, result.ci_high) == (result.regional_ci_low, result.regional_ci_high)
    assert result.p_headline == result.p_regional
    # 3 control regions × 5 shifts × 3 subsets of 6 units = 45 placebos, of which 39 are
    # kept so that 0.05 · (1 + 39) is a whole number.
    assert result.regional_placebos == 39
    k = result.p_regional * 40 - 1
    assert 0 <= k <= 39 and k == pytest.approx(round(k))
    assert "samme region (R0)" in result.warning
    # The same panel through a mapping gives the same result; without regions, RI.
    mapping = dict(panel.select("unit", "region").unique().iter_rows())
    same = estimate(panel, "y", "unit", "period", "g", region=mapping, ri_draws=99)
    assert same.p_regional == result.p_regional
    plain = estimate(panel, "y", "unit", "period", "g", ri_draws=99)
    assert plain.headline == "randomisering"


def test_wcr_with_random_draws_is_never_zero():
    # 14 clusters (> 12: random draws) and an effect far beyond any draw.
    post = [100.0, 101.0] + [float(v) for v in np.random.default_rng(0).normal(size=12)]
    result = estimate(_two_period(post, treated=2), "y", "unit", "period", "g", wcr_draws=99)
    assert not result.wcr_enumerated
    assert result.p_wcr == pytest.approx(1 / 100)


def test_constant_outcome_gives_nan_p_values():
    panel = _two_period([1.0] * 6).with_columns(pl.lit(1.0).alias("y"))
    result = estimate(panel, "y", "unit", "period", "g")
    assert np.isnan(result.p_wcr)
    assert np.isnan(result.p_ri)
    assert np.isnan(result.p_value)


def test_did_chi_square_pretest_is_not_in_the_result():
    # It rejected every true null in the few-treated Monte Carlo; did's value on mpdta is
    # still reproducible from the group-time effects (p = 0.16812).
    mpdta = pl.read_csv(DATA / "mpdta.csv")
    result = estimate(mpdta, "lemp", "countyreal", "year", "first_treat", inference=False)
    assert not hasattr(result, "pretrend_p_gt")
    from scipy import stats

    from evaluation.did import panel_arrays

    arrays = panel_arrays(mpdta, "lemp", "countyreal", "year", "first_treat")
    gt = cs.group_time(arrays.y[None], arrays.gpos)
    pre = gt.period < gt.group
    w, k = cs.wald_zero(gt.att[0, pre], gt.psi[0][:, pre])
    assert round(float(stats.chi2.sf(w, k)), 5) == 0.16812


def test_dropped_units_are_reported():
    base = _small_panel(1)
    extra = pl.DataFrame(
        [
            (100, t, float(t), 1)
            for t in range(1, 6)  # always treated
        ]
        + [(101, t, float(t), -2) for t in range(1, 6)]  # negative
        + [(102, t, float(t), 3.5) for t in range(1, 6)]  # fractional
        + [(103, 1, 1.0, 0)],  # observed once: enters no cell
        schema={"unit": pl.Int64, "period": pl.Int64, "y": pl.Float64, "g": pl.Float64},
        orient="row",
    )
    panel = pl.concat([base.with_columns(pl.col("g").cast(pl.Float64)), extra])
    result = estimate(panel, "y", "unit", "period", "g", inference=False)
    reasons = dict(result.dropped_units.iter_rows())
    assert reasons == {
        "100": "altid_behandlet",
        "101": "ugyldig_start",
        "102": "ugyldig_start",
        "103": "ingen_celle",
    }
    assert result.n_units == 9
    assert "4 enhed(er) er udeladt" in result.warning


def test_balanced_option_drops_incomplete_units():
    panel = _small_panel(3).filter(~((pl.col("unit") == 5) & (pl.col("period") == 2)))
    default = estimate(panel, "y", "unit", "period", "g", inference=False)
    balanced = estimate(panel, "y", "unit", "period", "g", inference=False, balanced=True)
    assert default.n_units == 9 and default.dropped_units.height == 0
    assert balanced.n_units == 8
    assert dict(balanced.dropped_units.iter_rows()) == {"5": "ufuldstaendig"}
    assert balanced.att != default.att


def test_clear_errors_for_dates_nan_and_infinite_values():
    panel = _small_panel(1)
    dated = panel.with_columns(
        pl.col("period").map_elements(lambda p: dt.date(2020, p, 1), return_dtype=pl.Date)
    )
    with pytest.raises(ValueError, match="dato/tid"):
        estimate(dated, "y", "unit", "period", "g")
    stamped = dated.with_columns(pl.col("period").cast(pl.Datetime))
    with pytest.raises(ValueError, match="dato/tid"):
        estimate(stamped, "y", "unit", "period", "g")
    nan_g = panel.with_columns(
        pl.when(pl.col("unit") == 5).then(float("nan")).otherwise(pl.col("g")).alias("g")
    )
    with pytest.raises(ValueError, match="NaN"):
        estimate(nan_g, "y", "unit", "period", "g")
    infinite = panel.with_columns(
        pl.when(pl.col("unit") == 5).then(float("inf")).otherwise(pl.col("y")).alias("y")
    )
    with pytest.raises(ValueError, match="uendelige"):
        estimate(infinite, "y", "unit", "period", "g")


PUBLISHED_FLCI = {  # HonestDiD README, DeltaSD, FLCI, first post period (with covariates)
    0.0: (0.0264, 0.0607),
    0.01: (0.0128, 0.0788),
    0.02: (0.00186, 0.0908),
    0.03: (-0.00814, 0.101),
}


def test_smoothness_flci_matches_published_honestdid_example():
    data = json.loads((DATA / "honestdid_medicaid.json").read_text())
    beta, sigma = np.array(data["betahat"]), np.array(data["sigma"])
    for m, (low, high) in PUBLISHED_FLCI.items():
        interval = flci_smoothness(beta, sigma, data["n_pre"], np.array([1.0, 0.0]), m)
        # Published to 3 significant digits; the optimiser agrees to 3e-5.
        assert interval.low == pytest.approx(
            low, abs=5e-5 + 0.5 * 10 ** np.floor(np.log10(abs(low)) - 2)
        )
        assert interval.high == pytest.approx(
            high, abs=5e-5 + 0.5 * 10 ** np.floor(np.log10(abs(high)) - 2)
        )


def test_smoothness_m0_is_linear_extrapolation_by_hand():
    # Pre periods −2, −1 (reference 0), one post period 1. With M = 0, δ_t = s·t; the
    # estimator β_1 − w_a β_{−2} − w_b β_{−1} is unbiased iff s + 2s·w_a + s·w_b = 0, i.e.
    # 2 w_a + w_b = −1; with Σ_pre = 0.01·I the shortest one minimises w_a² + w_b²:
    # w = (−0.4, −0.2), estimate 1 − 0.4·0.4 − 0.2·0.2 = 0.8, sd² = 0.04 + 0.01·0.2.
    beta = np.array([-0.4, -0.2, 1.0])
    sigma = np.diag([0.01, 0.01, 0.04])
    interval = flci_smoothness(beta, sigma, 2, np.array([1.0]), 0.0)
    half = 1.959964 * np.sqrt(0.04 + 0.01 * 0.2)
    assert (interval.low + interval.high) / 2 == pytest.approx(0.8, abs=1e-6)
    assert (interval.high - interval.low) / 2 == pytest.approx(half, abs=1e-5)
    fast = flci_smoothness(beta, sigma, 2, np.array([1.0]), 0.0, precise=False)
    assert fast.low == pytest.approx(interval.low, abs=1e-6)


def test_estimate_reports_smoothness_bounds_widening_with_m():
    panel = _small_panel(5, effect=1.0)
    result = estimate(panel, "y", "unit", "period", "g", inference=False, sensitivity=True)
    table = result.sensitivity.filter(pl.col("restriktion") == "smoothness")
    assert table.height == 6 and set(table["maal"]) == {"foerste", "gennemsnit"}
    # Relative magnitudes (M̄ = ½, 1, 2) for the first quarter: nested, widening sets.
    rm = result.sensitivity.filter(pl.col("restriktion") == "relative_magnitudes").sort("M")
    assert rm["M"].to_list() == [0.5, 1.0, 2.0] and set(rm["maal"]) == {"foerste"}
    assert rm["ci_low"].is_sorted(descending=True) and rm["ci_high"].is_sorted()
    assert (rm["ci_high"] - rm["ci_low"])[0] > 0
    for name in ("foerste", "gennemsnit"):
        rows = table.filter(pl.col("maal") == name).sort("M")
        width = (rows["ci_high"] - rows["ci_low"]).to_list()
        assert rows["M"][0] == 0.0
        assert width[0] < width[1] < width[2]


def test_flci_without_sampling_variance_is_the_estimate_plus_minus_the_bias_bound() -> None:
    """A degenerate event study (all variances 0, as on a tiny fixture): with M = 0 and a
    linear pre-trend through the estimates the bias bound is 0, so the interval collapses on
    the extrapolated effect; no division by zero."""
    from evaluation.honest_did import flci_smoothness

    # Periods -2, -1 (pre) and 1 (post): pre-estimates 0, 0; post 0.5. With no trend change
    # allowed (M = 0) the estimate of the first post effect is 0.5 with no uncertainty.
    interval = flci_smoothness(
        np.array([0.0, 0.0, 0.5]), np.zeros((3, 3)), 2, np.array([1.0]), 0.0, precise=False
    )
    assert interval.low == pytest.approx(0.5, abs=1e-9)
    assert interval.high == pytest.approx(0.5, abs=1e-9)


def test_pretrend_test_uses_placebo_regions_when_treated_share_a_region():
    # 14 periods and entry in periods 10 and 11, so every placebo cohort keeps four leads.
    panel = _regional_panel(3, periods=14, entry=10)
    result = estimate(panel, "y", "unit", "period", "g", region="region", ri_draws=99)
    assert result.headline == "regional" and result.pretrend_method == "regional"
    assert result.pretrend_leads == 4
    # Earliest entry at position 9: shifts 0..4 keep four leads; 3 regions × 5 × 3 subsets
    # = 45, of which 39 are kept (0.05 · 40 = 2).
    assert result.pretrend_placebos == 39
    k = result.pretrend_p * 40 - 1
    assert 0 <= k <= 39 and k == pytest.approx(round(k))
    plain = estimate(panel, "y", "unit", "period", "g", ri_draws=99)
    assert plain.pretrend_method == "randomisering" and plain.pretrend_leads == 4
    # Too few leads for four-lead placebos (entry at positions 5/6 of 10): not testable.
    short = estimate(_regional_panel(2), "y", "unit", "period", "g", region="region")
    assert short.headline == "regional" and np.isnan(short.pretrend_p)


def test_random_reassignments_in_batches_equal_single_assignments_brute_force():
    """Random draws (40 units, 5 treated: more assignments than draws). The batched path
    (units relabelled, observed timings kept) must use the same reassignments as drawing
    ``rng.permutation(gpos)`` one at a time, for the studentised p-value and for the
    pre-trend test; checked against a loop over those draws with the two-period t-ratio by
    hand and with the estimator called on each single assignment."""
    from evaluation.did import _pretrend_average_statistic
    from evaluation.inference import randomisation_inference

    rng = np.random.default_rng(11)
    post = list(rng.normal(size=40) * np.linspace(0.5, 3.0, 40))
    draws, seed = 150, 5
    result = estimate(
        _two_period(post, treated=5), "y", "unit", "period", "g", ri_draws=draws, seed=seed
    )
    assert not result.ri_exact and result.ri_draws == draws
    dy = np.array(post)
    gpos = np.where(np.arange(40) < 5, 1, cs.NEVER)
    observed = _t_brute(dy, gpos != cs.NEVER)
    draw = np.random.default_rng(seed)
    values = [_t_brute(dy, draw.permutation(gpos) != cs.NEVER) for _ in range(draws)]
    expected = (1 + np.sum(np.array(values) >= observed * (1 - 1e-10))) / (1 + draws)
    assert result.p_ri == pytest.approx(expected)

    # Pre-trend statistic on a panel with leads: batched against one call per assignment.
    y = rng.normal(size=(30, 6)) * np.linspace(0.5, 2.0, 30)[:, None]
    g = np.where(np.arange(30) < 3, 3, np.where(np.arange(30) < 6, 4, cs.NEVER))
    statistic = _pretrend_average_statistic("never", 4)
    p, used, exact = randomisation_inference(y, g, statistic, draws=60, seed=2)
    assert used == 60 and not exact
    draw = np.random.default_rng(2)
    single = [statistic(y[None], draw.permutation(g))[0] for _ in range(60)]
    observed = statistic(y[None], g)[0]
    assert p[0] == pytest.approx((1 + np.sum(np.array(single) >= observed - 1e-12)) / 61)


def test_unbalanced_convention_by_hand_and_balanced_equals_dropping_the_unit():
    """Default: a unit enters each group-time cell in which it is observed in both compared
    periods (like ``differences``). Control unit 5 lacks period 2, so it is out of cohort
    3's post cells (base period 2) and in cohort 4's (base period 3): the cells by hand.
    ``balanced=True`` is R ``did``'s convention: the same as leaving unit 5 out entirely."""
    panel = _small_panel(3).filter(~((pl.col("unit") == 5) & (pl.col("period") == 2)))
    default = estimate(panel, "y", "unit", "period", "g", inference=False)
    wide = {(u, t): y for u, t, y, _ in panel.iter_rows()}
    controls = list(range(2, 9))

    def cell(treated: int, base: int, t: int, units: list[int]) -> float:
        change = [wide[(u, t)] - wide[(u, base)] for u in units]
        return wide[(treated, t)] - wide[(treated, base)] - float(np.mean(change))

    cells = {(g, t): v for g, t, v in default.group_time.select("group", "time", "estimate").rows()}
    without_5 = [u for u in controls if u != 5]
    assert cells[(3, 3)] == pytest.approx(cell(0, 2, 3, without_5))
    assert cells[(3, 5)] == pytest.approx(cell(0, 2, 5, without_5))
    assert cells[(4, 4)] == pytest.approx(cell(1, 3, 4, controls))
    assert cells[(4, 5)] == pytest.approx(cell(1, 3, 5, controls))
    balanced = estimate(panel, "y", "unit", "period", "g", inference=False, balanced=True)
    dropped = estimate(
        panel.filter(pl.col("unit") != 5), "y", "unit", "period", "g", inference=False
    )
    assert balanced.att == pytest.approx(dropped.att, abs=1e-12)
    assert balanced.se == pytest.approx(dropped.se, abs=1e-12)


def test_warning_names_what_was_measured_for_the_design():
    """One treated region: the analytic, WCR and plain randomisation p-values over-rejected
    in the bench (no 'conservative' WCR claim there); with fewer than 5 treated units the
    WCR p-value is called conservative (0–0.5 % in the bench)."""
    regional = estimate(_regional_panel(2), "y", "unit", "period", "g", region="region")
    assert regional.headline == "regional" and regional.n_treated >= 5
    assert "ser ikke stødet i regionen" in regional.warning
    assert "konservativ" not in regional.warning
    few = estimate(_small_panel(4), "y", "unit", "period", "g")
    assert few.n_treated < 5 and "konservativ med så få behandlede" in few.warning
    assert "ser ikke stødet" not in few.warning


def _one_unit_regions(post: list[float]) -> pl.DataFrame:
    """Two periods; unit 0 (region R0) is treated in period 2; every other unit is the only
    member of its own region."""
    return _two_period(post, treated=1).with_columns(
        ("R" + (pl.col("unit") - 1).cast(pl.String)).alias("region")
    )


def test_placebo_regions_compare_with_every_unit_outside_their_region_by_hand():
    """19 control regions of one unit, one period after entry: one placebo per region (no
    shift, no subset; 19 placebos, so 0.05 · (1 + 19) is whole and all are kept), the
    placebo unit against every other unit, the treated one included (under the null its
    outcome is untreated), as the observed estimate compares the treated region with all
    other regions. Leaving the treated unit out of the placebos' comparison made them more
    dispersed than the observed t-ratio (conservative)."""
    rng = np.random.default_rng(7)
    post = [1.5] + [float(v) for v in rng.normal(size=19) * np.linspace(0.5, 2.0, 19)]
    result = estimate(_one_unit_regions(post), "y", "unit", "period", "g", region="region")
    assert result.headline == "regional" and result.regional_placebos == 19
    dy = np.array(post)
    observed = _t_brute(dy, np.arange(20) == 0)
    placebos = [_t_brute(dy, np.arange(20) == j) for j in range(1, 20)]
    expected = (1 + np.sum(np.array(placebos) >= observed * (1 - 1e-10))) / 20
    assert result.p_regional == pytest.approx(expected) == 3 / 20
    # The old comparison (treated unit left out) gives another p-value on this panel.
    without = [_t_brute(np.delete(dy, 0), np.arange(19) == j - 1) for j in range(1, 20)]
    assert (1 + np.sum(np.array(without) >= observed)) / 20 == pytest.approx(4 / 20)


def test_placebo_count_makes_the_five_percent_test_exact():
    """Davidson & MacKinnon: with P placebos exchangeable with the observed statistic its
    rank among the 1 + P values is uniform, and ``(1 + k)/(1 + P) ≤ α`` holds for
    ``⌊α(1 + P)⌋`` of the 1 + P ranks. Counted over the ranks: 192 placebos give
    9/193 = 4.7 %, the 179 kept give 9/180 = 5 % exactly."""
    from evaluation.regional import _keep_exact, exact_count

    def size(count: int) -> float:
        ranks = np.arange(count + 1)  # placebos at least as extreme as the observed one
        return float(np.mean((1 + ranks) / (1 + count) <= 0.05 + 1e-12))

    assert exact_count(192, 0.05) == 179 and size(192) == pytest.approx(9 / 193)
    assert size(179) == pytest.approx(0.05)
    assert exact_count(45, 0.05) == 39 and exact_count(45, 0.10) == 39
    assert exact_count(19, 0.05) == 19 and exact_count(200, 0.10) == 199
    assert exact_count(10, 0.05) == 10  # none smaller: all are kept
    values = np.arange(45.0)
    kept = _keep_exact(values, 0.05, seed=3)
    assert kept.size == 39 and np.all(np.diff(kept) > 0) and set(kept) <= set(values)
    assert np.array_equal(kept, _keep_exact(values, 0.05, seed=3))


def test_regional_interval_is_the_set_of_effects_the_placebo_test_does_not_reject():
    panel = _regional_panel(5)
    result = estimate(panel, "y", "unit", "period", "g", region="region", ri_draws=19, wcr_draws=19)
    assert result.headline == "regional"
    treated = (pl.col("g") > 0) & (pl.col("period") >= pl.col("g"))
    for bound, inside in ((result.ci_low, +1), (result.ci_high, -1)):
        assert np.isfinite(bound)
        for tau, accepted in ((bound + inside * 1e-6, True), (bound - inside * 1e-6, False)):
            shifted = panel.with_columns(
                (pl.col("y") - pl.when(treated).then(tau).otherwise(0.0)).alias("y")
            )
            p = estimate(
                shifted, "y", "unit", "period", "g", region="region", ri_draws=19, wcr_draws=19
            ).p_regional
            assert (p > 0.05) is accepted, (bound, tau, p)
