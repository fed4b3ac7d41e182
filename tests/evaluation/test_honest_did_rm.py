"""HonestDiD relative-magnitudes bounds (Δ^RM, ARP conditional least-favourable hybrid)
against the R package's published Medicaid example, and the constraint set by hand."""

from __future__ import annotations

import json
import warnings
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


# Moments with zero variance: event-study estimates known exactly (the pre-entry ones all 0,
# the post-entry ones equal, as in a hand-made panel without noise). Periods −4…−1, 1…4.
EXACT_PRE_BETA = np.array([0.0, 0.0, 0.0, 0.0, 1 / 3, 1 / 3, 1 / 3, 1 / 3])
EXACT_PRE_SIGMA = np.zeros((8, 8))
EXACT_PRE_SIGMA[4:, 4:] = 0.0046296  # one common post-entry draw: their differences are exact


def test_zero_variance_moments_raise_no_warning_and_give_the_conventional_interval():
    """The pre-entry changes are exactly 0, so Δ^RM(M̄) allows no post-entry bias for any
    M̄ and θ = τ_1 is β_1 itself. Its two moments θ ≤ β_1 and θ ≥ β_1 are perfectly
    negatively correlated, so the conditional test truncates at 0 and (without the hybrid
    step) rejects when |β_1 − θ|/sd > Φ⁻¹(1 − α/2): the interval is β_1 ± 1.96 sd, by hand."""
    from scipy import stats

    sd = np.sqrt(EXACT_PRE_SIGMA[4, 4])
    half = stats.norm.ppf(0.975) * sd
    step = 0.7 / 2000
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for mbar in (0.5, 1.0, 2.0):
            interval = relative_magnitudes_ci(
                EXACT_PRE_BETA, EXACT_PRE_SIGMA, 4, np.array([1.0, 0.0, 0.0, 0.0]), mbar,
                grid_points=2001, grid_lb=0.0, grid_ub=0.7, hybrid=False,
            )  # fmt: skip
            assert interval.low == pytest.approx(1 / 3 - half, abs=step), mbar
            assert interval.high == pytest.approx(1 / 3 + half, abs=step), mbar


def test_zero_variance_moments_give_the_limit_of_tiny_variances():
    """The hybrid test on exact moments equals the test on the same moments with a variance
    of 1e-14 added to every estimate (no zero sd anywhere: the unmodified path)."""
    l_vec = np.array([1.0, 0.0, 0.0, 0.0])
    kwargs = {"grid_points": 1001, "grid_lb": 0.0, "grid_ub": 0.7}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exact = relative_magnitudes_ci(EXACT_PRE_BETA, EXACT_PRE_SIGMA, 4, l_vec, 1.0, **kwargs)
    nearly = relative_magnitudes_ci(
        EXACT_PRE_BETA, EXACT_PRE_SIGMA + 1e-14 * np.eye(8), 4, l_vec, 1.0, **kwargs
    )
    assert (exact.low, exact.high) == (nearly.low, nearly.high)
    assert 0.0 < exact.low < 1 / 3 < exact.high < 0.7


def test_a_broken_exact_moment_rejects_as_the_primal_programme_is_infeasible():
    """Moments 0 and 1 have no variance; moment 2 has. With X = (1, −1, 0)' the exact moments
    demand y_0 ≤ δ and y_1 ≤ −δ: some δ meets both exactly when y_0 + y_1 ≤ 0 (the ray
    γ = (½, ½, 0)). The primal linear programme (scipy) is infeasible exactly then; when it
    is feasible its η̂ is the largest vertex score."""
    from scipy import optimize

    x = np.array([[1.0], [-1.0], [0.0]])
    sd = np.array([0.0, 0.0, 1.0])
    sigma = np.diag(sd**2)
    vertices = arp.dual_vertices(x, sd)
    rays = arp.deterministic_rays(x, sd)
    assert np.allclose(rays, [[0.5, 0.5, 0.0]])
    assert np.all(np.isfinite(vertices))
    for y in ([0.3, -0.1, 0.5], [-0.3, 0.1, 0.5], [0.2, -0.2, -1.0], [0.2, -0.2, 3.0]):
        y = np.array(y)
        lp = optimize.linprog(
            [1.0, 0.0],
            A_ub=-np.column_stack([sd, x]),
            b_ub=-y,
            bounds=[(None, None)] * 2,
            method="highs",
        )
        reject = arp.conditional_test(y, vertices, sigma, 0.05, None, 0.005, rays)[0]
        if lp.status == 2:  # infeasible: η̂ = +∞
            assert reject, y
        else:
            assert (vertices @ y).max() == pytest.approx(lp.fun, abs=1e-9)
            # Feasible: the exact moments say nothing; y_2 is N(η, 1): reject beyond 1.645.
            assert reject == (y[2] > stats_norm_ppf(0.95)), y


def stats_norm_ppf(q: float) -> float:
    from scipy import stats

    return float(stats.norm.ppf(q))


def test_product_grid_ends_are_refined_to_the_conventional_interval_on_exact_pre_trends():
    """Pre-entry estimates exactly 0 (no variance): Δ^RM(M̄) allows no post-entry bias for
    any M̄, so the set is the same for M̄ = ½, 1, 2 and equals β_1 ± 1.96 sd (by hand, see
    the test above). On the product's grid (100 points over β_1 ± 20 SE, step 0.40 SE) the
    hull of the accepted grid points lay inside it by 0.14 SE at each end (β_1 ± 1.82 sd:
    0.2096–0.4570); the refined ends are within 0.02 SE of ± 1.96 sd (plus the simulation
    noise of the hybrid's least-favourable critical value)."""
    from evaluation.honest_did import RM_GRID_POINTS, RM_REFINE

    sd = np.sqrt(EXACT_PRE_SIGMA[4, 4])
    centre = 1 / 3
    for mbar in (0.5, 1.0, 2.0):
        interval = relative_magnitudes_ci(
            EXACT_PRE_BETA, EXACT_PRE_SIGMA, 4, np.array([1.0, 0.0, 0.0, 0.0]), mbar,
            grid_points=RM_GRID_POINTS, grid_lb=centre - 20 * sd, grid_ub=centre + 20 * sd,
            refine=RM_REFINE,
        )  # fmt: skip
        assert (centre - interval.low) / sd == pytest.approx(1.96, abs=0.03), mbar
        assert (interval.high - centre) / sd == pytest.approx(1.96, abs=0.03), mbar


def test_refined_ends_lie_between_the_grid_hull_and_its_rejected_neighbours():
    """On the Medicaid inputs with a coarse grid: the refined interval contains the grid hull
    and stays within one grid step of it, and it reaches outside the hull (the grid's
    ends are not the set's)."""
    l_vec = np.array([1.0, 0.0])
    kwargs = {"grid_points": 30, "grid_lb": -0.1, "grid_ub": 0.2}
    step = 0.3 / 29
    coarse = relative_magnitudes_ci(BETA, SIGMA, 5, l_vec, 1.0, **kwargs)
    fine = relative_magnitudes_ci(BETA, SIGMA, 5, l_vec, 1.0, refine=50, **kwargs)
    assert coarse.low - step < fine.low <= coarse.low
    assert coarse.high <= fine.high < coarse.high + step
    assert fine.high - fine.low > coarse.high - coarse.low
    # The published set (1,000 grid points) for M̄ = 1: 0.0171–0.0720.
    assert fine.low == pytest.approx(0.0171, abs=2e-3)
    assert fine.high == pytest.approx(0.0720, abs=2e-3)
