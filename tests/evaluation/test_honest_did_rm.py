"""HonestDiD relative-magnitudes bounds (Δ^RM, ARP conditional least-favourable hybrid)
against the R package's published Medicaid example, and the constraint set by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evaluation import arp
from evaluation.honest_did import _rm_constraints, flci_smoothness, relative_magnitudes_ci

DATA = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "honestdid_medicaid_rm.json").read_text()
)
BETA = np.array(DATA["betahat"])
SIGMA = np.array(DATA["sigma"])
# The least-favourable critical value is simulated (1,000 draws, not R's draws): changing
# only its seed moved the ends by up to 0.0005 here; the grid step is 0.0004.
TOLERANCE = 1e-3


def test_inputs_reproduce_the_published_smoothness_table():
    published = DATA["published_delta_sd_first"]
    rows = list(zip(published["M"], published["lb"], published["ub"], strict=True))
    for m, lb, ub in rows[:2]:  # two values keep the (slow, precise) optimisation short
        interval = flci_smoothness(BETA, SIGMA, 5, np.array([1.0, 0.0]), m)
        # Within 1.5 units of the last digit the README prints (3 significant digits).
        assert interval.low == pytest.approx(lb, abs=_digit(lb))
        assert interval.high == pytest.approx(ub, abs=_digit(ub))


def _digit(printed: float) -> float:
    return 1.5 * 10 ** (np.floor(np.log10(abs(printed))) - 2)


@pytest.mark.parametrize(("target", "l_vec"), [("first", [1.0, 0.0]), ("average", [0.5, 0.5])])
def test_relative_magnitudes_match_the_published_honestdid_example(target, l_vec):
    published = DATA["published_delta_rm"][target]
    for mbar, lb, ub in zip(published["Mbar"], published["lb"], published["ub"], strict=True):
        interval = relative_magnitudes_ci(BETA, SIGMA, 5, np.array(l_vec), mbar)
        assert interval.low == pytest.approx(lb, abs=TOLERANCE), (target, mbar)
        assert interval.high == pytest.approx(ub, abs=TOLERANCE), (target, mbar)


def test_rm_constraints_by_hand():
    # Periods −2, −1, (0), 1, 2 (δ_0 = 0); the largest pre-entry change at s = 0 is
    # Δ_0 = δ_0 − δ_{−1} = −δ_{−1}, positive; M̄ = 2. Rows ±Δ_t − B_t ≤ 0 with B_t = Δ_0
    # before entry and 2Δ_0 after; Δ_0 − Δ_0 is the one zero row, dropped.
    # Columns δ_{−2}, δ_{−1}, δ_1, δ_2.
    expected = np.array(
        [
            [-1.0, 2.0, 0.0, 0.0],  # (δ_{−1} − δ_{−2}) + δ_{−1}
            [0.0, 2.0, 1.0, 0.0],  # δ_1 + 2δ_{−1}
            [0.0, 2.0, -1.0, 1.0],  # (δ_2 − δ_1) + 2δ_{−1}
            [1.0, 0.0, 0.0, 0.0],  # −(δ_{−1} − δ_{−2}) + δ_{−1}
            [0.0, 2.0, 0.0, 0.0],  # δ_{−1} + δ_{−1}  (Δ_0 ≥ 0)
            [0.0, 2.0, -1.0, 0.0],  # −δ_1 + 2δ_{−1}
            [0.0, 2.0, 1.0, -1.0],  # −(δ_2 − δ_1) + 2δ_{−1}
        ]
    )
    assert np.allclose(_rm_constraints(2, 2, 2.0, 0, True), expected)
    # Negative: the largest change is δ_{−1} − δ_0 = δ_{−1}; now +Δ_0 − (−Δ_0) is kept and
    # −Δ_0 − (−Δ_0) is the zero row.
    negative = np.array(
        [
            [-1.0, 0.0, 0.0, 0.0],
            [0.0, -2.0, 0.0, 0.0],
            [0.0, -2.0, 1.0, 0.0],
            [0.0, -2.0, -1.0, 1.0],
            [1.0, -2.0, 0.0, 0.0],
            [0.0, -2.0, -1.0, 0.0],
            [0.0, -2.0, 1.0, -1.0],
        ]
    )
    assert np.allclose(_rm_constraints(2, 2, 2.0, 0, False), negative)


def test_eta_from_dual_vertices_equals_the_primal_linear_programme():
    from scipy import optimize

    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 2))
    sd = rng.uniform(0.5, 2.0, 6)
    vertices = arp.dual_vertices(x, sd)
    for _ in range(20):
        y = rng.normal(size=6)
        lp = optimize.linprog(
            [1.0, 0.0, 0.0],
            A_ub=-np.column_stack([sd, x]),
            b_ub=-y,
            bounds=[(None, None)] * 3,
            method="highs",
        )
        assert (vertices @ y).max() == pytest.approx(lp.fun, abs=1e-9)


def test_relative_magnitudes_widen_with_mbar_and_cover_the_estimate_at_zero_pretrend():
    beta = np.array([0.0, 0.0, 1.0, 1.2])  # flat pre-period
    sigma = np.eye(4) * 0.01
    widths = []
    for mbar in (0.5, 1.0, 2.0):
        interval = relative_magnitudes_ci(beta, sigma, 2, np.array([1.0, 0.0]), mbar, 0.05, 400)
        assert interval.low < 1.0 < interval.high
        widths.append(interval.high - interval.low)
    assert widths[0] < widths[1] < widths[2]
