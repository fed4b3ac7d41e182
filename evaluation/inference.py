"""Inference with few treated clusters: wild cluster bootstrap (WCR) and randomisation inference.

Both tests take a *statistic* — a function of an outcome array ``(B, n, T)`` and a cohort
vector ``gpos`` (n,) returning one value per draw — so they work for any estimator that is
a function of the unit × period outcome matrix (here the Callaway–Sant'Anna simple ATT).

**WCR** (Cameron, Gelbach & Miller 2008; MacKinnon & Webb 2017; Roodman et al. 2019
"Fast and wild", *Stata Journal* 19(1)): the null of no effect is imposed by fitting the
restricted model ``Y_it = α_i + λ_t + u_it`` (two-way fixed effects, no treatment term);
bootstrap outcomes ``Y*_it = Ŷ_it + v_i · û_it`` with Rademacher weights ``v_i = ±1``
drawn per cluster (municipality = unit); the statistic is the t-ratio ``ATT / SE`` and the
p-value is the share of draws with ``|t*| ≥ |t|`` (symmetric test) over all ``2^G`` sign
vectors when enumerated, ``(1 + #{|t*| ≥ |t|}) / (1 + B)`` with B random draws (never 0).
An observed statistic that is not finite (constant outcome, SE = 0) gives NaN, not 0.
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
from dataclasses import dataclass

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
    if not np.isfinite(observed):  # e.g. a constant outcome: no test is possible
        return float("nan"), 0, False
    fitted = two_way_fit(y)
    residual = y - fitted
    signs, enumerated = rademacher_signs(y.shape[0], draws, seed)
    exceed = 0
    for start in range(0, signs.shape[0], batch):
        v = signs[start : start + batch]
        y_star = fitted[None] + v[:, :, None] * residual[None]
        t_star = t_statistic(y_star, gpos)
        exceed += int(np.sum(np.abs(t_star) >= abs(observed) - 1e-12))
    if enumerated:  # the exact distribution, the observed sign vector (all +1) included
        return exceed / signs.shape[0], int(signs.shape[0]), enumerated
    # Random draws: the observed statistic counts as one draw, so p is never exactly 0.
    return (1 + exceed) / (1 + signs.shape[0]), int(signs.shape[0]), enumerated


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


PERMUTATION_BATCH = 100


def _permutation_orders(n: int, rng: np.random.Generator, draws: int) -> Iterator[np.ndarray]:
    """Unit orders ``(b, n)`` of ``draws`` random reassignments of the timings, in batches:
    reassigning the timings ``gpos[π]`` to the units is relabelling the units, so
    ``statistic(y, gpos[π]) = statistic(y[π⁻¹], gpos)`` and one vectorised call with the
    observed ``gpos`` on ``y[order]`` evaluates a whole batch. ``π = rng.permutation(n)``
    takes the same draws as ``rng.permutation(gpos)``, so the reassignments are those of a
    loop over single assignments. Only for outcomes without missing cells (the estimator
    requires one missing pattern in a batch)."""
    for start in range(0, draws, PERMUTATION_BATCH):
        size = min(PERMUTATION_BATCH, draws - start)
        yield np.array([np.argsort(rng.permutation(n)) for _ in range(size)])


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
    if not np.all(np.isfinite(observed)):
        observed = np.where(np.isfinite(observed), observed, np.nan)
    if _distinct_assignments(gpos) <= draws:
        values = np.array([value(g) * np.ones_like(observed) for g in _all_assignments(gpos)])
        p = np.mean(values >= observed - 1e-12, axis=0)
        return np.where(np.isnan(observed), np.nan, p), int(values.shape[0]), True
    rng = np.random.default_rng(seed)
    if np.isnan(y).any():
        values = np.array(
            [value(rng.permutation(gpos)) * np.ones_like(observed) for _ in range(draws)]
        )
    else:
        values = np.concatenate(
            [
                np.abs(np.asarray(statistic(y_batch, gpos), dtype=float)).reshape(
                    y_batch.shape[0], -1
                )
                * np.ones_like(observed)
                for y_batch in (y[order] for order in _permutation_orders(y.shape[0], rng, draws))
            ]
        )
    exceed = np.sum(values >= observed - 1e-12, axis=0)
    return np.where(np.isnan(observed), np.nan, (1 + exceed) / (1 + draws)), draws, False


@dataclass(frozen=True)
class InvertedTest:
    """A design-based test of ``ATT = 0`` and the interval of effects ``τ`` it does not
    reject (test inversion): ``p_value``, ``ci_low``/``ci_high`` (±inf when the test cannot
    reject any effect at the level), ``draws`` used, ``exact`` (all assignments)."""

    p_value: float
    ci_low: float
    ci_high: float
    draws: int
    exact: bool


def _invert(p_of: Callable[[float], float], centre: float, scale: float, level: float):
    """The smallest and largest τ with ``p(τ) > 1 − level``, by bracketing outwards from
    ``centre`` and bisection (the accepted set of a studentised test is an interval in all
    our checks; its hull is reported)."""
    alpha = 1 - level
    if not np.isfinite(centre) or not p_of(centre) > alpha:
        return float("nan"), float("nan")
    scale = scale if np.isfinite(scale) and scale > 0 else max(abs(centre), 1.0)
    bounds = []
    for direction in (-1.0, 1.0):
        inside, step = centre, scale
        outside = None
        for _ in range(60):
            candidate = centre + direction * step
            if p_of(candidate) > alpha:
                inside = candidate
                step *= 2
            else:
                outside = candidate
                break
        if outside is None:
            bounds.append(direction * np.inf)
            continue
        for _ in range(50):
            middle = (inside + outside) / 2
            if p_of(middle) > alpha:
                inside = middle
            else:
                outside = middle
        bounds.append(inside)
    return float(bounds[0]), float(bounds[1])


def studentised_randomisation(
    y: np.ndarray,
    gpos: np.ndarray,
    linear_statistic: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    treated_indicator: np.ndarray,
    draws: int = 999,
    seed: int = 20180101,
    level: float = 0.95,
) -> InvertedTest:
    """Randomisation inference on ``|ATT / SE|`` with the entry timings reassigned across
    units, and its inversion into a confidence interval.

    ``linear_statistic(y3, gpos)`` returns ``(att (B,), psi (B, n))`` for a batch of outcome
    arrays; both are linear in the outcome (Callaway–Sant'Anna without covariates). Under
    the sharp null of a constant effect τ, the untreated outcomes are ``Y − τ·D`` (``D`` =
    ``treated_indicator``, the observed treatment dummies), so for every assignment π the
    statistic is ``|a_π − τ b_π| / sqrt(A_π − 2τB_π + τ²C_π)·n`` with ``a, b`` the ATTs of
    ``Y`` and ``D`` and ``A, B, C`` the sums of ``ψ_Y², ψ_Yψ_D, ψ_D²``: one pass over the
    assignments gives ``p(τ)`` for every τ. Studentising makes the test robust to treated
    units that are noisier than the controls (Wu & Ding 2021; Chung & Romano 2013), which
    the plain ``|ATT|`` statistic is not.

    Exact over all distinct assignments when there are at most ``draws`` of them (the
    observed one included); otherwise ``(1 + #{t_π ≥ t}) / (1 + R)`` over R random ones.
    """
    stacked = np.stack([y, np.where(np.isnan(y), np.nan, treated_indicator)])
    n = y.shape[0]

    def moments(assignment: np.ndarray) -> np.ndarray:
        try:
            att, psi = linear_statistic(stacked, assignment)
        except ValueError:  # no estimable cell: never more extreme
            return np.array([np.nan] * 5)
        return np.array(
            [att[0], att[1], psi[0] @ psi[0], psi[0] @ psi[1], psi[1] @ psi[1]], dtype=float
        )

    observed = moments(gpos)
    exact = _distinct_assignments(gpos) <= draws
    if exact:
        rows = [moments(g) for g in _all_assignments(gpos)]
    elif np.isnan(y).any():
        rng = np.random.default_rng(seed)
        rows = [moments(rng.permutation(gpos)) for _ in range(draws)]
    else:  # batched, the same reassignments as the loop above (see _permutation_orders)
        rng = np.random.default_rng(seed)
        rows = []
        for order in _permutation_orders(n, rng, draws):
            b = order.shape[0]
            att, psi = linear_statistic(stacked[:, order].reshape(2 * b, *y.shape), gpos)
            psi_y, psi_d = psi[:b], psi[b:]
            rows.append(
                np.column_stack(
                    [
                        att[:b],
                        att[b:],
                        np.einsum("bn,bn->b", psi_y, psi_y),
                        np.einsum("bn,bn->b", psi_y, psi_d),
                        np.einsum("bn,bn->b", psi_d, psi_d),
                    ]
                )
            )
        rows = list(np.concatenate(rows))
    table = np.array(rows)
    scale_y = max(float(np.sqrt(observed[2])) / n, 1e-300) if np.isfinite(observed[2]) else 1.0

    def t_values(moment: np.ndarray, tau: float) -> np.ndarray:
        num = moment[..., 0] - tau * moment[..., 1]
        var = moment[..., 2] - 2 * tau * moment[..., 3] + tau**2 * moment[..., 4]
        se = np.sqrt(np.maximum(var, 0.0)) / n
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.abs(num) / se
        # A zero SE with a non-zero estimate is infinitely extreme; 0/0 is undefined.
        t = np.where(
            se <= 1e-10 * scale_y, np.where(np.abs(num) > 1e-10 * scale_y, np.inf, np.nan), t
        )
        return t

    def p_of(tau: float) -> float:
        t_obs = float(t_values(observed, tau))
        if np.isnan(t_obs):
            return float("nan")
        t = t_values(table, tau)
        extreme = np.nan_to_num(t, nan=-np.inf) >= t_obs * (1 - 1e-10)
        if exact:
            return float(np.mean(extreme))
        return float((1 + np.sum(extreme)) / (1 + table.shape[0]))

    p0 = p_of(0.0)
    se_obs = float(np.sqrt(observed[2]) / n) if np.isfinite(observed[2]) else float("nan")
    low, high = (float("nan"), float("nan"))
    if not np.isnan(p0):
        low, high = _invert(p_of, float(observed[0]), se_obs, level)
    return InvertedTest(
        p_value=p0, ci_low=low, ci_high=high, draws=int(table.shape[0]), exact=bool(exact)
    )
