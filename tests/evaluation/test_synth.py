"""Synthetic control: weights, gap and placebo rank p-value on constructed data."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from evaluation.synth import evidence_da, simplex_weights, synthetic_control
from report.charts import gap_figure


def _panel(effect: float) -> pl.DataFrame:
    """Treated unit 100 = 0.3 * donor 1 + 0.7 * donor 2 before period 9, plus ``effect``
    from period 9 on; donors 1..6 follow distinct smooth paths."""
    rng = np.random.default_rng(7)
    periods = np.arange(1, 13)
    donors = {
        u: 10 * u + np.sin(periods * u / 3) + rng.normal(0, 0.2, periods.size) for u in range(1, 7)
    }
    treated = 0.3 * donors[1] + 0.7 * donors[2] + np.where(periods >= 9, effect, 0.0)
    rows = [
        (u, int(t), float(v))
        for u, path in donors.items()
        for t, v in zip(periods, path, strict=True)
    ]
    rows += [(100, int(t), float(v)) for t, v in zip(periods, treated, strict=True)]
    return pl.DataFrame(
        rows, schema={"kommunekode": pl.Int64, "periode": pl.Int64, "y": pl.Float64}, orient="row"
    )


def test_recovers_convex_weights_and_effect():
    result = synthetic_control(_panel(5.0), "y", "kommunekode", "periode", 100, 9)
    weights = dict(result.weights.iter_rows())
    assert weights["1"] == pytest.approx(0.3, abs=1e-4)
    assert weights["2"] == pytest.approx(0.7, abs=1e-4)
    assert sum(weights.values()) == pytest.approx(1.0)
    assert min(weights.values()) >= 0.0
    assert result.pre_rmspe == pytest.approx(0.0, abs=1e-3)
    assert result.att == pytest.approx(5.0, abs=1e-3)
    post = result.path.filter(pl.col("time") >= 9)["gap"].to_numpy()
    np.testing.assert_allclose(post, 5.0, atol=1e-3)


def test_placebo_rank_p_value_is_smallest_attainable():
    # A perfect pre-fit and a large post gap: no placebo ratio reaches the treated one,
    # so p = 1 / (J + 1) with J = 6 donors.
    result = synthetic_control(_panel(5.0), "y", "kommunekode", "periode", 100, 9)
    assert result.placebos.height == 6
    assert result.p_value == pytest.approx(1 / 7)
    assert result.placebo_gaps["unit"].n_unique() == 6


def test_p_value_counts_placebos_hand_check():
    result = synthetic_control(_panel(0.0), "y", "kommunekode", "periode", 100, 9)
    ratios = result.placebos["ratio"].to_numpy()
    expected = (1 + np.sum(ratios >= result.ratio)) / (1 + ratios.size)
    assert result.p_value == pytest.approx(expected)


def test_simplex_weights_match_exhaustive_two_donor_search():
    rng = np.random.default_rng(3)
    donors = rng.normal(size=(8, 2))
    target = rng.normal(size=8)
    grid = np.linspace(0, 1, 100_001)
    losses = [np.sum((target - donors @ np.array([a, 1 - a])) ** 2) for a in grid[::100]]
    best = grid[::100][int(np.argmin(losses))]
    weights = simplex_weights(target, donors)
    assert weights[0] == pytest.approx(best, abs=1e-3)


def test_gap_figure():
    result = synthetic_control(_panel(5.0), "y", "kommunekode", "periode", 100, 9)
    figure = gap_figure(result)
    assert figure.data[-1].name == "100 − syntetisk kontrol"
    assert len(figure.data) == 7


def test_simplex_weights_match_slsqp_on_many_donors():
    from scipy import optimize

    rng = np.random.default_rng(11)
    donors = rng.normal(10, 2, size=(12, 30))
    target = donors[:, :3] @ np.array([0.5, 0.3, 0.2]) + rng.normal(0, 0.5, 12)

    def loss(w: np.ndarray) -> float:
        return float(np.sum((target - donors @ w) ** 2))

    reference = optimize.minimize(
        loss,
        np.full(30, 1 / 30),
        method="SLSQP",
        bounds=[(0, 1)] * 30,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
        options={"ftol": 1e-15, "maxiter": 2000},
    )
    weights = simplex_weights(target, donors)
    assert weights.sum() == pytest.approx(1.0) and weights.min() >= 0
    assert loss(weights) <= loss(reference.x) + 1e-6


def test_p_value_granularity_and_rank_are_stated() -> None:
    # 6 donors: p can only be k/7; a 5-unit effect puts the treated unit's ratio first.
    result = synthetic_control(_panel(5.0), "y", "kommunekode", "periode", 100, 9)
    assert result.n_donors == 6
    assert result.p_granularity == pytest.approx(1 / 7)
    assert result.rank == 1 and result.p_value == pytest.approx(1 / 7)
    text = evidence_da(result)
    assert "6 placebo-kommuner" in text and "k/7" in text and "mindst 1/7 = 0,143" in text
    assert "nr. 1 af 7" in text
    # 1/7 > 5 %: the test can never reach it, and says so.
    assert "aldrig give p under 5 %" in text
    english = evidence_da(result, lang="en")
    assert "6 placebo municipalities" in english and "never give p below 5 %" in english


def test_enough_donors_do_not_claim_the_test_is_powerless() -> None:
    # 20 donors: the smallest p is 1/21 < 5 %, so no warning.
    rng = np.random.default_rng(3)
    periods = np.arange(1, 13)
    rows = [
        (u, int(t), float(10 * u + np.sin(t * u / 7) + rng.normal(0, 0.2)))
        for u in range(1, 21)
        for t in periods
    ]
    rows += [(100, int(t), float(10.5 + np.sin(t / 7))) for t in periods]
    panel = pl.DataFrame(
        rows, schema={"kommunekode": pl.Int64, "periode": pl.Int64, "y": pl.Float64}, orient="row"
    )
    result = synthetic_control(panel, "y", "kommunekode", "periode", 100, 9)
    assert result.p_granularity == pytest.approx(1 / 21)
    assert result.p_value * 21 == pytest.approx(round(result.p_value * 21))
    assert "aldrig" not in evidence_da(result)


def test_placebos_fitting_much_worse_than_the_treated_unit_can_be_left_out() -> None:
    # Donor 7 is pure noise (sd 5) around the middle of the others: no convex combination of
    # them fits it before entry, so its pre-period RMSPE is far above 5 × the treated unit's
    # (which carries noise of sd 0.3) and it is not ranked; the donors at the edge of the
    # pool (1 and 6: no convex combination reaches their level) are not ranked either.
    rng = np.random.default_rng(11)
    base = _panel(5.0)
    base = base.with_columns(
        pl.when(pl.col("kommunekode") == 100)
        .then(pl.col("y") + pl.Series(rng.normal(0, 0.3, base.height)))
        .otherwise(pl.col("y"))
        .alias("y")
    )
    noisy = pl.DataFrame(
        {
            "kommunekode": [7] * 12,
            "periode": list(range(1, 13)),
            "y": (35 + rng.normal(0, 5, 12)).tolist(),
        }
    )
    panel = pl.concat([base, noisy])
    every = synthetic_control(panel, "y", "kommunekode", "periode", 100, 9)
    kept = synthetic_control(panel, "y", "kommunekode", "periode", 100, 9, max_pre_rmspe_ratio=5.0)
    assert every.n_placebos == 7 and every.p_granularity == pytest.approx(1 / 8)
    left_out = kept.placebos.filter(~pl.col("kept"))
    assert set(left_out["unit"]) == {"1", "6", "7"}
    assert (left_out["pre_rmspe"] > 5 * kept.pre_rmspe).all()
    assert kept.n_placebos == 4 and kept.p_granularity == pytest.approx(1 / 5)
    # The planted 5 is the largest gap either way: rank 1 of 8, resp. of 5.
    assert every.p_value == pytest.approx(1 / 8) and kept.p_value == pytest.approx(1 / 5)
    assert "3 placebo-kommuner, hvis tilpasning" in evidence_da(kept)
