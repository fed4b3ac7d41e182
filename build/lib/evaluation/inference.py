"""Inference with few treated clusters: wild cluster bootstrap (WCR) and randomisation inference.

Both tests take a *statistic* — a function of an outcome array ``(B, n, T)`` and a cohort
vector ``gpos`` (n,) returning one value per draw — so they work for any estimator that is
a function of the unit × period outcome matrix (here the Callaway–Sant'Anna simple ATT).

**WCR** (Cameron, Gelbach & Miller 2008; MacKinnon & Webb 2017; Roodman et al. 2019
"Fast and wild", *Stata Journal* 19(1)): the null of no effect is imposed by fitting the
restricted model ``Y_it = α_i + λ_t + u_it`` (two-way fixed effects, no treatment term);
bootstrap outcomes ``Y*_it = Ŷ_it + v_i · û_it`` with Rademacher weights ``v_i = ±1``
drawn per cluster (municipality = unit); the statistic is the t-ratio ``ATT / SE`` and the
p-value is the share of draws with ``|t*| ≥ |t|`` (symmetric test).
Rule for the draws: with G ≤ 12 clusters all ``2^G`` sign vectors are enumerated (exact;
at most 4,096), otherwise ``draws`` (default 9,999) random sign vectors from a seeded
generator, so results are reproducible.

**Randomisation inference** (Fisher; for staggered designs e.g. MacKinnon & Webb 2020,
"Randomization inference for difference-in-differences with few treated clusters",
*Journal of Econometrics* 218(2)): the observed treatment timings (the multiset of
``first_treated`` values, never-treated included) are reassigned across units; the
statistic is ``|ATT|``; ``p = (1 + #{|ATT_perm| ≥ |ATT|}) / (1 + R)`` over ``R`` random
reassignments (default 999), or, when there are at most ``draws`` distinct reassignments,
the exact share over all of them (the observed one included).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator

import numpy as np

Statistic = Callable[[np.ndarray, np.ndarray], np.ndarray]

EXACT_WCR_MAX_CLUSTERS = 12


def two_way_fit(y: np.ndarray, tol: float = 1e-12, max_iter: int = 10_000) -> np.ndarray:
    """Fitted values of ``Y_it = α_i + λ_t`` by least squares on the observed cells of the
    (n, T) matrix ``y`` (NaN = missing), by alternating projections (exact in one pass for a
    balanced panel)."""
    valid = ~np.isnan(y)
    filled = np.where(valid, y, 0.0)
    count_i = valid.sum(axis=1)
    count_t = valid.sum(axis=0)
    alpha = np.zeros(y.shape[0])
    lam = np.zeros(y.shape[1])
    for _ in range(max_iter):
        alpha_new = np.where(
            count_i > 0, ((filled - lam[None, :]) * valid).sum(axis=1) / np.maximum(count_i, 1), 0
        )
        lam_new = np.where(
            count_t > 0,
            ((filled - alpha_new[:, None]) * valid).sum(axis=0) / np.maximum(count_t, 1),
            0,
        )
        change = max(np.abs(alpha_new - alpha).max(), np.abs(lam_new - lam).max())
        alpha, lam = alpha_new, lam_new
        if change < tol:
            break
    return np.where(valid, alpha[:, None] + lam[None, :], np.nan)


def rademacher_signs(n_clusters: int, draws: int, seed: int) -> tuple[np.ndarray, bool]:
    """Sign vectors (draws, G): all 2^G when G ≤ 12 (exact), else seeded random draws."""
    if n_clusters <= EXACT_WCR_MAX_CLUSTERS:
        grid = np.array(list(itertools.product((1.0, -1.0), repeat=n_clusters)))
        return grid, True
    rng = np.random.default_rng(seed)
    return rng.choice(np.array([-1.0, 1.0]), size=(draws, n_clusters)), False


def wild_cluster_bootstrap(
    y: np.ndarray,
    gpos: np.ndarray,
    t_statistic: Statistic,
    draws: int = 9_999,
    seed: int = 20180101,
    batch: int = 250,
) -> tuple[float, int, bool]:
    """WCR p-value for ``t_statistic`` (units are the clusters).

    Returns ``(p_value, number_of_draws, enumerated)``.
    """
    observed = float(t_statistic(y[None], gpos)[0])
    fitted = two_way_fit(y)
    residual = y - fitted
    signs, enumerated = rademacher_signs(y.shape[0], draws, seed)
    exceed = 0
    for start in range(0, signs.shape[0], batch):
        v = signs[start : start + batch]
        y_star = fitted[None] + v[:, :, None] * residual[None]
        t_star = t_statistic(y_star, gpos)
        exceed += int(np.sum(np.abs(t_star) >= abs(observed) - 1e-12))
    return exceed / signs.shape[0], int(signs.shape[0]), enumerated


def _distinct_assignments(gpos: np.ndarray) -> int:
    counts = np.unique(gpos, return_counts=True)[1]
    total = math.factorial(int(counts.sum()))
    for c in counts:
        total //= math.factorial(int(c))
    return total


def _all_assignments(gpos: np.ndarray) -> Iterator[np.ndarray]:
    """Every distinct arrangement of the multiset ``gpos`` over the units."""
    values, counts = np.unique(gpos, return_counts=True)
    n = gpos.size

    def place(free: tuple[int, ...], level: int, current: np.ndarray) -> Iterator[np.ndarray]:
        if level == len(values) - 1:
            out = current.copy()
            out[list(free)] = values[level]
            yield out
            return
        for chosen in itertools.combinations(free, int(counts[level])):
            current[list(chosen)] = values[level]
            rest = tuple(i for i in free if i not in set(chosen))
            yield from place(rest, level + 1, current)

    yield from place(tuple(range(n)), 0, np.empty(n, dtype=gpos.dtype))


def randomisation_inference(
    y: np.ndarray,
    gpos: np.ndarray,
    statistic: Statistic,
    draws: int = 999,
    seed: int = 20180101,
) -> tuple[np.ndarray, int, bool]:
    """Randomisation-inference p-values of ``|statistic|`` under reassignment of timings.

    ``statistic`` returns one value per draw, shape (1,), or several statistics at once,
    shape (1, m); one p-value per statistic, from the same reassignments.
    Returns ``(p_values (m,), number_of_assignments_used, exact)``.
    """

    def value(assignment: np.ndarray) -> np.ndarray:
        try:
            return np.abs(np.asarray(statistic(y[None], assignment), dtype=float)[0]).ravel()
        except ValueError:  # an assignment with no estimable cell is not more extreme
            return np.array([-np.inf])

    observed = value(gpos)
    if _distinct_assignments(gpos) <= draws:
        values = np.array([value(g) * np.ones_like(observed) for g in _all_assignments(gpos)])
        return np.mean(values >= observed - 1e-12, axis=0), int(values.shape[0]), True
    rng = np.random.default_rng(seed)
    values = np.array([value(rng.permutation(gpos)) * np.ones_like(observed) for _ in range(draws)])
    exceed = np.sum(values >= observed - 1e-12, axis=0)
    return (1 + exceed) / (1 + draws), draws, False
