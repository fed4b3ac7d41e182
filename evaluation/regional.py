"""Inference when every treated unit lies in one region that has its own shocks.

All eleven trial municipalities are in Region Nordjylland. A shock common to that region
(a local labour-market swing, a regional hospital's waiting list) moves every treated unit
at once and does not average out over them, so neither the influence-function standard
error nor a permutation of entry timings across all municipalities sees it: in the
issue-14 Monte Carlo the analytic interval covered 87 % and the plain randomisation test
rejected 5–7 % of true nulls when the treated region had its own shocks.

Method (Conley & Taber 2011, in the studentised form of Ferman & Pinto 2019): the
distribution of the t-ratio ``(ATT − τ) / SE`` under the null ``effect = τ`` is learned from
**placebo treatments of control regions**. For every other region r, every shift s of the
calendar (the observed entry timings moved s periods earlier, the panel cut s periods
earlier so each cohort keeps its number of post-entry periods) and a few random subsets of
r's never-treated units of the size of the treated group, the same estimator is run with
those units as pseudo-treated (given the observed timings, shifted) and **every unit outside
r** as comparison — the treated units included, with their outcomes under the null,
``Y − τ·D`` — as the observed estimate compares the treated region with every other
region; the rest of r is left out, as no control shares the treated region's shock in the
real design. Each placebo t-ratio therefore contains a regional shock of the same kind as
the treated one, against a comparison of as many regions, plus idiosyncratic noise
studentised by its own SE (so treated units that are noisier than the controls do not
distort it). A comparison without the treated region (one region fewer) averages the
regional shocks less, so its placebo t-ratios were too dispersed: the test rejected 3.5 %
and 4.3 % of true nulls at 5 % in the bench's one-region design.

``p(τ) = (1 + #{|t_p(τ)| ≥ |t(τ)|}) / (1 + P)`` over P placebos, ``p_value = p(0)``; the
interval holds the τ with ``p(τ) > 1 − level`` (test inversion; ATT and ψ are linear in
the outcome, so every τ costs one pass over the stored placebo moments). With P placebos
a test at level α can reject at most ``⌊α(1 + P)⌋ / (1 + P)`` of true nulls (9/193 = 4.7 %
at 5 % with the 192 placebos of the bench's design), so a random selection of the largest
P with ``α(1 + P)`` whole is kept (Davidson & MacKinnon 2000; 179 of 192 at 5 %). It
assumes the regional shocks are alike across regions and over time (stationary), which
placebos cannot check; with five regions the placebos are few and dependent, so the
interval is wide — that is the honest price of one treated region.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from evaluation import callaway_santanna as cs
from evaluation.inference import _invert

MIN_PLACEBOS = 19  # the fewest with which a test at 5 % can reject: 1/(1 + 19) = 0.05
SUBSETS = 3


@dataclass(frozen=True)
class RegionalResult:
    """``p_value``, ``ci_low``/``ci_high``, the placebo critical value ``q`` and the number
    of placebo t-ratios ``placebos`` (``region`` = the treated units' region)."""

    p_value: float
    ci_low: float
    ci_high: float
    q: float
    placebos: int
    region: object


def treated_region(gpos: np.ndarray, region: np.ndarray) -> object | None:
    """The one region all treated units share, or None."""
    values = {region[i] for i in np.flatnonzero(gpos != cs.NEVER)}
    return values.pop() if len(values) == 1 else None


def placebo_assignments(
    gpos: np.ndarray,
    region: np.ndarray,
    subsets: int = SUBSETS,
    seed: int = 20180101,
    max_shift: int | None = None,
    with_treated: bool = False,
) -> Iterator[tuple[np.ndarray, np.ndarray, int]]:
    """The placebo treatments, as ``(units, timings, shift)``: for every control region r
    (sorted by name) other than the treated units' region, every shift 0 … ``max_shift`` − 1
    (default: the earliest entry position, so every placebo keeps at least one period
    before entry) and ``subsets`` random subsets of r's never-treated units of the treated
    group's size (one when r has no more units than that), the chosen units get the
    observed timings in random order, moved ``shift`` periods earlier, followed by the
    comparison (timing ``NEVER``): the never-treated units outside r, and with
    ``with_treated`` the treated units too (the other units of r are left out). Both tests
    of this module draw their placebos here, so they use the same draws."""
    rng = np.random.default_rng(seed)
    treated = gpos != cs.NEVER
    timings = gpos[treated]
    home = treated_region(gpos, region)
    controls = np.flatnonzero(~treated)
    everyone = np.arange(gpos.size)
    shifts = int(timings.min()) if max_shift is None else max(max_shift, 0)
    for r in sorted({region[i] for i in controls} - {home}, key=str):
        members = controls[region[controls] == r]
        if members.size == 0 or np.sum(region[controls] != r) < 2:
            continue
        others = everyone[region != r] if with_treated else controls[region[controls] != r]
        k = min(timings.size, members.size)
        n_subsets = 1 if k == members.size else subsets
        for shift in range(shifts):
            for _ in range(n_subsets):
                chosen = rng.choice(members, size=k, replace=False)
                assigned = rng.permutation(timings)[:k] - shift
                units = np.concatenate([chosen, others])
                g = np.concatenate([assigned, np.full(others.size, cs.NEVER)])
                yield units, g, shift


def placebo_t(
    y: np.ndarray,
    gpos: np.ndarray,
    region: np.ndarray,
    t_of: Callable[[np.ndarray, np.ndarray], float],
    subsets: int = SUBSETS,
    seed: int = 20180101,
    max_shift: int | None = None,
) -> np.ndarray:
    """Placebo values of any statistic ``t_of(outcome, timings)`` for the placebo treatments
    of :func:`placebo_assignments`, each compared with the never-treated units outside its
    region (placebos the statistic cannot be computed for are left out)."""
    n_periods = y.shape[1]
    out: list[float] = []
    for units, g, shift in placebo_assignments(gpos, region, subsets, seed, max_shift):
        try:
            t = t_of(y[units][:, : n_periods - shift], g)
        except ValueError:
            continue
        if np.isfinite(t):
            out.append(t)
    return np.asarray(out)


def placebo_moments(
    y: np.ndarray,
    d: np.ndarray,
    gpos: np.ndarray,
    region: np.ndarray,
    linear_statistic: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    subsets: int = SUBSETS,
    seed: int = 20180101,
) -> np.ndarray:
    """``(P, 5)`` moments ``a, b, A, B, C`` of the placebo treatments of
    :func:`placebo_assignments`, each compared with **every unit outside its region**, the
    treated units included with their outcomes under the tested effect τ, ``Y − τ·D``
    (``d`` = the observed treatment dummies). ``a, b`` are the placebo ATTs of ``Y`` and
    ``D``, ``A, B, C`` the sums of ``ψ_Y², ψ_Yψ_D, ψ_D²`` over n², so the placebo t-ratio
    at τ is ``(a − τb) / sqrt(A − 2τB + τ²C)``.

    Why the treated units are in the comparison: the observed estimate compares the
    treated region with all other regions (four in the real design); a placebo whose
    comparison leaves out the treated region compares with one region fewer, so the
    regional shocks average out less and its t-ratios are too dispersed (the test was
    conservative: 3.5 % and 4.3 % at 5 % in the bench's one-region design)."""
    stacked = np.stack([y, np.where(np.isnan(y), np.nan, d)])
    n_periods = y.shape[1]
    rows: list[list[float]] = []
    for units, g, shift in placebo_assignments(gpos, region, subsets, seed, with_treated=True):
        try:
            att, psi = linear_statistic(stacked[:, units, : n_periods - shift], g)
        except ValueError:
            continue
        rows.append(_moments(att, psi, units.size))
    table = np.asarray(rows, dtype=float).reshape(-1, 5)
    return table[np.all(np.isfinite(table), axis=1)]


def _moments(att: np.ndarray, psi: np.ndarray, n: int) -> list[float]:
    """``a, b, A, B, C`` of one estimate (see :func:`placebo_moments`)."""
    return [
        att[0],
        att[1],
        psi[0] @ psi[0] / n**2,
        psi[0] @ psi[1] / n**2,
        psi[1] @ psi[1] / n**2,
    ]


def exact_count(available: int, alpha: float) -> int:
    """The largest number of placebos P ≤ ``available`` with ``α(1 + P)`` a whole number
    (Davidson & MacKinnon 2000): a test that rejects when ``(1 + k)/(1 + P) ≤ α`` then has
    size α when the observed statistic and the placebos are exchangeable; with any other P
    it has only ``⌊α(1 + P)⌋/(1 + P)`` (9/193 = 4.7 % at 5 % with 192 placebos).
    ``available`` itself when no such P exists."""
    for count in range(available, 0, -1):
        whole = alpha * (1 + count)
        if abs(whole - round(whole)) < 1e-9:
            return count
    return available


def _keep_exact(values: np.ndarray, alpha: float, seed: int) -> np.ndarray:
    """``values`` (placebos along axis 0) thinned at random to :func:`exact_count` rows,
    in their original order."""
    count = exact_count(values.shape[0], alpha)
    if count == values.shape[0]:
        return values
    rng = np.random.default_rng([seed, 1])
    return values[np.sort(rng.choice(values.shape[0], size=count, replace=False))]


def _t_ratio(moments: np.ndarray, tau: float) -> np.ndarray:
    """``|a − τb| / sqrt(A − 2τB + τ²C)`` row-wise (NaN where the SE is 0)."""
    num = moments[..., 0] - tau * moments[..., 1]
    var = moments[..., 2] - 2 * tau * moments[..., 3] + tau**2 * moments[..., 4]
    se = np.sqrt(np.maximum(var, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(se > 0, np.abs(num) / se, np.nan)


def regional_inference(
    y: np.ndarray,
    gpos: np.ndarray,
    region: np.ndarray,
    treated_indicator: np.ndarray,
    linear_statistic: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    level: float = 0.95,
    subsets: int = SUBSETS,
    seed: int = 20180101,
) -> RegionalResult | None:
    """The placebo-region test of ``ATT = τ`` and the interval of the τ it does not reject,
    or None when the treated units do not share one region or fewer than
    ``MIN_PLACEBOS`` placebos can be formed.

    ``p(τ) = (1 + #{|t_p(τ)| ≥ |t(τ)|}) / (1 + P)`` with ``t(τ) = (ATT − τ)/SE`` and the
    placebo t-ratios of :func:`placebo_moments` (the treated units' outcomes ``Y − τD`` in
    the placebos' comparison; :func:`exact_count` of them kept); ``p_value = p(0)``; the
    interval holds the τ with ``p(τ) > 1 − level`` (bisection, as the randomisation
    interval). ``q`` is the
    ``⌈level·(1 + P)⌉``-th smallest placebo ``|t|`` at τ = 0 (infinite when P is too
    small)."""
    home = treated_region(gpos, region)
    if home is None:
        return None
    d = np.asarray(treated_indicator, dtype=float)
    table = placebo_moments(y, d, gpos, region, linear_statistic, subsets, seed)
    table = _keep_exact(table, 1 - level, seed)
    count = table.shape[0]
    if count < MIN_PLACEBOS:
        return None
    nan = float("nan")
    att, psi = linear_statistic(np.stack([y, np.where(np.isnan(y), np.nan, d)]), gpos)
    n = gpos.size
    observed = np.array(_moments(att, psi, n))
    se = float(np.sqrt(observed[2]))
    if not (np.isfinite(se) and se > 1e-12 * max(1.0, abs(float(att[0])))):
        return RegionalResult(nan, nan, nan, nan, count, home)

    def p_of(tau: float) -> float:
        t_obs = float(_t_ratio(observed, tau))
        if np.isnan(t_obs):
            return nan
        extreme = np.nan_to_num(_t_ratio(table, tau), nan=-np.inf) >= t_obs * (1 - 1e-10)
        return float((1 + np.sum(extreme)) / (1 + count))

    p = p_of(0.0)
    rank = math.ceil(level * (1 + count))
    at_zero = np.sort(np.nan_to_num(_t_ratio(table, 0.0), nan=-np.inf))
    q = float(at_zero[rank - 1]) if rank <= count else float("inf")
    low, high = _invert(p_of, float(att[0]), se, level)
    return RegionalResult(p, low, high, q, count, home)


@dataclass(frozen=True)
class RegionalPretrend:
    """Placebo-region test that the last ``leads`` event-study leads are zero: ``p_value``
    and the number of placebo statistics ``placebos``."""

    p_value: float
    placebos: int
    leads: int


def regional_pretrend(
    y: np.ndarray,
    gpos: np.ndarray,
    region: np.ndarray,
    statistic: Callable[[np.ndarray, np.ndarray], float],
    leads: int,
    subsets: int = SUBSETS,
    seed: int = 20180101,
    level: float = 0.95,
) -> RegionalPretrend | None:
    """The joint pre-trend test when every treated unit lies in one region.

    ``statistic`` is ``Σ t_e²`` over the leads ``e = −2 … −(leads + 1)`` (universal base).
    A shock to the treated region moves all treated units' leads together, so a
    randomisation of entry timings across all municipalities (the test used otherwise)
    rejected 12 % of true nulls in the bench's one-region design. Here the null
    distribution comes from the same placebo treatments of the other regions as the
    headline interval, with the shifts limited so that every placebo cohort has all
    ``leads`` leads (the statistic sums the same number of squared t-ratios in every
    placebo), compared with the never-treated units outside their region (a treated unit's
    outcomes after its entry would carry its effect into the placebos' leads); of them,
    :func:`exact_count` for ``α = 1 − level`` are kept. ``p = (1 + #{S_p ≥ S})/(1 + P)``.
    None when the treated units do not share a
    region, the earliest cohort has fewer than ``leads`` leads, or fewer than
    ``MIN_PLACEBOS`` placebos can be formed."""
    if treated_region(gpos, region) is None:
        return None
    earliest = int(gpos[gpos != cs.NEVER].min())
    if earliest < leads + 1:
        return None
    try:
        observed = float(statistic(y, gpos))
    except ValueError:
        return None
    max_shift = earliest - leads  # shifted earliest entry ≥ leads + 1
    values = placebo_t(y, gpos, region, statistic, subsets, seed, max_shift=max_shift)
    values = _keep_exact(values, 1 - level, seed)
    if values.size < MIN_PLACEBOS or not np.isfinite(observed):
        return None
    p = float((1 + np.sum(values >= observed * (1 - 1e-10))) / (1 + values.size))
    return RegionalPretrend(p, int(values.size), leads)
