"""Intervals for shares and the funnel plot for comparing municipalities of different sizes.

* :func:`wilson` — Wilson (1927) score interval for one proportion (the interval
  ``mart_omgoerelser.ci_lav/ci_hoej`` uses); well behaved at 0 and 1 and for small n.
* :func:`newcombe` — Newcombe (1998, method 10) hybrid score interval for a difference of two
  independent proportions, built from the two Wilson intervals.
* :func:`omgoerelsesprocent` — Ankestyrelsen's omgørelsesprocent with its Wilson interval.
* :func:`funnel_limits` — control limits around a pooled rate as a function of the number of
  cases (Spiegelhalter 2005, "Funnel plots for comparing institutional performance",
  *Statistics in Medicine* 24:1185–1202): exact binomial limits with his interpolation.
* the funnel plot itself is drawn by :func:`report.charts.funnel_figure`.

Functions accept scalars or numpy arrays (element-wise).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
from scipy import stats

ArrayLike = float | int | np.ndarray | Sequence[float]


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def _unwrap(value: np.ndarray) -> float | np.ndarray:
    return float(value) if np.ndim(value) == 0 else value


def wilson(
    successes: ArrayLike, n: ArrayLike, level: float = 0.95
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Wilson score interval ``(low, high)`` for ``successes / n``; NaN where ``n == 0``.

    ``low = (p + z²/2n − z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)`` and symmetric for ``high``.
    Example: 81 of 263 → (0.2553, 0.3662); 0 of 20 → (0, 0.1611).
    """
    x = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    z = _z(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / m
        denominator = 1 + z**2 / m
        centre = (p + z**2 / (2 * m)) / denominator
        half = z * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2)) / denominator
        low = np.where(m > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(m > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    # Exact bounds at the edges (rounding would otherwise give 1e-17 instead of 0).
    low = np.where(x == 0, np.where(m > 0, 0.0, np.nan), low)
    high = np.where((x == m) & (m > 0), 1.0, high)
    return _unwrap(low), _unwrap(high)


def newcombe(
    successes1: ArrayLike,
    n1: ArrayLike,
    successes2: ArrayLike,
    n2: ArrayLike,
    level: float = 0.95,
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Newcombe's hybrid score interval ``(low, high)`` for ``p1 − p2`` (method 10 of
    Newcombe 1998, *Statistics in Medicine* 17:873–890).

    With Wilson limits ``(l1, u1)`` and ``(l2, u2)`` and ``d = p1 − p2``:
    ``low = d − sqrt((p1 − l1)² + (u2 − p2)²)``, ``high = d + sqrt((u1 − p1)² + (p2 − l2)²)``.
    Newcombe's example 56/70 vs 48/80 gives (0.0524, 0.3339).
    """
    x1, m1 = np.asarray(successes1, dtype=float), np.asarray(n1, dtype=float)
    x2, m2 = np.asarray(successes2, dtype=float), np.asarray(n2, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = x1 / m1, x2 / m2
    l1, u1 = wilson(x1, m1, level)
    l2, u2 = wilson(x2, m2, level)
    d = p1 - p2
    low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return _unwrap(np.asarray(low)), _unwrap(np.asarray(high))


def omgoerelsesprocent(
    aendret_ophaevet: ArrayLike, hjemvist: ArrayLike, stadfaestet: ArrayLike, level: float = 0.95
) -> tuple[float | np.ndarray, float | np.ndarray, float | np.ndarray]:
    """Ankestyrelsen's omgørelsesprocent ``(procent, ci_lav, ci_hoej)`` in percent 0–100.

    realitetsbehandlede = stadfæstet + ændret/ophævet + hjemvist (afvist/bortfaldet excluded);
    omgjorte = ændret/ophævet + hjemvist. Worked example: 5 ændret, 19 hjemvist, 105 stadfæstet
    → 24 / 129 = 18.6 %.
    """
    omgjorte = np.asarray(aendret_ophaevet, dtype=float) + np.asarray(hjemvist, dtype=float)
    realitet = omgjorte + np.asarray(stadfaestet, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(realitet > 0, omgjorte / realitet, np.nan)
    low, high = wilson(omgjorte, realitet, level)
    return _unwrap(share * 100), _unwrap(np.asarray(low) * 100), _unwrap(np.asarray(high) * 100)


def _binomial_limit(n: np.ndarray, rate: float, probability: float) -> np.ndarray:
    """Spiegelhalter's interpolated binomial quantile (as a proportion) at ``probability``."""
    r = stats.binom.ppf(probability, n, rate)
    below = stats.binom.cdf(r - 1, n, rate)
    at = stats.binom.cdf(r, n, rate)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = np.where(at > below, (at - probability) / (at - below), 0.0)
        return np.clip((r - alpha) / n, 0.0, 1.0)


def funnel_limits(
    pooled_rate: float, n: ArrayLike, levels: Sequence[float] = (0.95, 0.998)
) -> pl.DataFrame:
    """Funnel-plot control limits around ``pooled_rate`` for each number of cases ``n``.

    Returns a frame with ``n`` and, per level (e.g. 0.95 → ``lav_95``/``hoej_95``,
    0.998 → ``lav_998``/``hoej_998``), the lower and upper limit as a proportion. Limits are
    the exact binomial quantiles at ``(1 ∓ level) / 2`` with Spiegelhalter's (2005)
    interpolation, so they are smooth in ``n``; for large ``n`` they approach
    ``p ± z·sqrt(p(1 − p)/n)``.
    """
    if not 0 < pooled_rate < 1:
        raise ValueError("pooled_rate must be strictly between 0 and 1")
    sizes = np.atleast_1d(np.asarray(n, dtype=float))
    columns: dict[str, np.ndarray] = {"n": sizes}
    for level in levels:
        tag = f"{level * 100:g}".replace(".", "")
        columns[f"lav_{tag}"] = _binomial_limit(sizes, pooled_rate, (1 - level) / 2)
        columns[f"hoej_{tag}"] = _binomial_limit(sizes, pooled_rate, (1 + level) / 2)
    return pl.DataFrame(columns)
