"""Synthetic control: weights, gap and placebo rank p-value on constructed data."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from evaluation.synth import simplex_weights, synthetic_control
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
