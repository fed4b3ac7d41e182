"""Durations with open (right-censored) cases: Kaplan–Meier curves, medians and the log-rank test.

* :func:`kaplan_meier` — product-limit estimate (Kaplan & Meier 1958) with Greenwood's (1926)
  variance. Pointwise confidence band on the complementary log-log scale by default
  (``conf_type="log-log"``, Kalbfleisch & Prentice; what lifelines reports) or on the log
  scale (``conf_type="log"``, R ``survfit``'s default).
* Median: the first time the curve is at or below 0.5 (lifelines' convention). Its confidence
  interval is Brookmeyer & Crowley's (1982): the times where the lower and the upper
  pointwise band first reach 0.5 (the set of medians not rejected by the pointwise test).
  An upper limit that is never reached is ``inf`` (reported as "ikke nået").
* :func:`logrank` — the (Mantel–Haenszel) log-rank test for k groups, chi-square with
  k − 1 degrees of freedom (Peto & Peto 1972), hypergeometric variance with ties.
* the curves are drawn by :func:`report.charts.km_figure`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
from scipy import stats

ConfType = Literal["log-log", "log"]


@dataclass(frozen=True)
class KMResult:
    """Kaplan–Meier estimate. ``curve`` has one row per distinct time (plus time 0):
    time, n_at_risk, n_events, n_censored, survival, se (Greenwood), ci_low, ci_high."""

    curve: pl.DataFrame
    median: float
    median_ci_low: float
    median_ci_high: float
    n: int
    n_events: int
    level: float

    @property
    def median_ci(self) -> tuple[float, float]:
        """``(median_ci_low, median_ci_high)``; ``inf`` where a limit is not reached."""
        return self.median_ci_low, self.median_ci_high

    def survival_at(self, time: float) -> float:
        """S(time): the curve's value at the last step at or before ``time``."""
        times = self.curve["time"].to_numpy()
        index = np.searchsorted(times, time, side="right") - 1
        return float(self.curve["survival"][int(index)])


def _first_at_or_below(times: np.ndarray, values: np.ndarray, cut: float = 0.5) -> float:
    hits = np.flatnonzero(values <= cut + 1e-12)
    return float(times[hits[0]]) if hits.size else float("inf")


def kaplan_meier(
    durations: Sequence[float] | np.ndarray,
    observed: Sequence[bool] | np.ndarray,
    level: float = 0.95,
    conf_type: ConfType = "log-log",
) -> KMResult:
    """Kaplan–Meier estimate from ``durations`` (e.g. days) and ``observed`` (True = the event
    happened, False = still open/censored at that duration)."""
    t = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    keep = ~np.isnan(t)
    t, e = t[keep], e[keep]
    if t.size == 0:
        raise ValueError("no durations")
    if (t < 0).any():
        raise ValueError("durations must be non-negative")
    times, inverse = np.unique(t, return_inverse=True)
    events = np.bincount(inverse, weights=e.astype(float), minlength=times.size)
    censored = np.bincount(inverse, weights=(~e).astype(float), minlength=times.size)
    leaving = events + censored
    at_risk = t.size - np.concatenate([[0.0], np.cumsum(leaving)[:-1]])
    survival = np.cumprod(1.0 - events / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(at_risk > events, events / (at_risk * (at_risk - events)), np.inf)
        terms = np.where(events == 0, 0.0, terms)
        greenwood = np.cumsum(terms)
        se = survival * np.sqrt(greenwood)
        z = float(stats.norm.ppf(0.5 + level / 2))
        if conf_type == "log-log":
            log_s = np.log(survival)
            theta = np.log(-log_s)
            se_theta = np.sqrt(greenwood) / np.abs(log_s)
            low = np.exp(-np.exp(theta + z * se_theta))
            high = np.exp(-np.exp(theta - z * se_theta))
        elif conf_type == "log":
            low = survival * np.exp(-z * np.sqrt(greenwood))
            high = np.minimum(survival * np.exp(z * np.sqrt(greenwood)), 1.0)
        else:
            raise ValueError(f"unknown conf_type {conf_type!r}")
    low = np.where(survival >= 1.0, 1.0, np.where(survival <= 0.0, 0.0, low))
    high = np.where(survival >= 1.0, 1.0, np.where(survival <= 0.0, 0.0, high))
    # Start the curve at time 0 (S = 1) unless a duration of 0 already gives that row.
    prepend = times[0] > 0

    def column(values: np.ndarray, first: float) -> np.ndarray:
        return np.concatenate([[first], values]) if prepend else values

    curve = pl.DataFrame(
        {
            "time": column(times, 0.0),
            "n_at_risk": column(at_risk, float(t.size)),
            "n_events": column(events, 0.0),
            "n_censored": column(censored, 0.0),
            "survival": column(survival, 1.0),
            "se": column(se, 0.0),
            "ci_low": column(low, 1.0),
            "ci_high": column(high, 1.0),
        }
    ).with_columns(pl.col("n_at_risk", "n_events", "n_censored").cast(pl.Int64))
    return KMResult(
        curve=curve,
        median=_first_at_or_below(times, survival),
        median_ci_low=_first_at_or_below(times, low),
        median_ci_high=_first_at_or_below(times, high),
        n=int(t.size),
        n_events=int(e.sum()),
        level=level,
    )


@dataclass(frozen=True)
class LogrankResult:
    """Log-rank test: ``statistic`` (chi-square), ``df``, ``p_value`` and per group
    ``summary`` (group, n, observed, expected events)."""

    statistic: float
    df: int
    p_value: float
    summary: pl.DataFrame


def logrank(
    durations: Sequence[float] | np.ndarray,
    observed: Sequence[bool] | np.ndarray,
    groups: Sequence[object] | np.ndarray,
) -> LogrankResult:
    """Log-rank test that the survival curves of all ``groups`` are equal; the statistic
    and p-value are NaN when the groups' counts give it no variance."""
    t = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    g = np.asarray(groups)
    labels, g_index = np.unique(g, return_inverse=True)
    k = labels.size
    if k < 2:
        raise ValueError("the log-rank test needs at least two groups")
    event_times = np.unique(t[e])
    # at_risk[j, h]: units of group h with duration >= event time j; deaths[j, h] likewise.
    at_risk = np.empty((event_times.size, k))
    deaths = np.empty((event_times.size, k))
    for h in range(k):
        th = np.sort(t[g_index == h])
        at_risk[:, h] = th.size - np.searchsorted(th, event_times, side="left")
        eh = np.sort(t[(g_index == h) & e])
        deaths[:, h] = np.searchsorted(eh, event_times, side="right") - np.searchsorted(
            eh, event_times, side="left"
        )
    n_j = at_risk.sum(axis=1)
    d_j = deaths.sum(axis=1)
    expected = at_risk * (d_j / n_j)[:, None]
    observed_minus_expected = (deaths - expected).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n_j > 1, d_j * (n_j - d_j) / (n_j - 1), 0.0) / n_j
    share = at_risk / n_j[:, None]
    variance = np.einsum("j,jh,hk->hk", factor, at_risk, np.eye(k)) - np.einsum(
        "j,jh,jk->hk", factor, at_risk, share
    )
    u = observed_minus_expected[:-1]
    v = variance[:-1, :-1]
    try:
        statistic = float(u @ np.linalg.solve(v, u))
    except np.linalg.LinAlgError:
        # No variance to test with (no events, every event when one unit is at risk, or
        # every unit at risk in one group): there is no test, so no p-value (NaN).
        statistic = float("nan")
    df = k - 1
    summary = pl.DataFrame(
        {
            "group": labels.tolist(),
            "n": np.bincount(g_index, minlength=k),
            "observed": deaths.sum(axis=0),
            "expected": expected.sum(axis=0),
        }
    )
    return LogrankResult(
        statistic=statistic, df=df, p_value=float(stats.chi2.sf(statistic, df)), summary=summary
    )
