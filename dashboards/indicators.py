"""Small computations on query results: shares with Wilson intervals and Kaplan–Meier
medians per group, done with :mod:`evaluation` so the dashboard and the report agree."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from dashboards import queries
from dashboards.snapshot import Snapshot
from evaluation.proportions import wilson
from evaluation.survival import KMResult, kaplan_meier, logrank


def with_share(frame: pl.DataFrame, numerator: str, denominator: str) -> pl.DataFrame:
    """Adds ``andel`` = numerator / denominator and its Wilson 95 % interval
    (``andel_ci_lav``, ``andel_ci_hoej``); null where the denominator is 0 or null."""
    x = frame[numerator].cast(pl.Float64).fill_null(0).to_numpy()
    n = frame[denominator].cast(pl.Float64).fill_null(0).to_numpy()
    low, high = wilson(x, n)
    low, high = np.atleast_1d(low), np.atleast_1d(high)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, x / np.where(n > 0, n, 1), np.nan)
    return frame.with_columns(
        pl.Series("andel", share).fill_nan(None),
        pl.Series("andel_ci_lav", low, dtype=pl.Float64).fill_nan(None),
        pl.Series("andel_ci_hoej", high, dtype=pl.Float64).fill_nan(None),
    )


def _expand(counts: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per-day counts (``dage``, ``haendelser``, ``ophoer`` = cases whose spell ends that day,
    with or without the event) back to one (duration, observed) pair per case."""
    days = counts["dage"].to_numpy()
    events = counts["haendelser"].to_numpy()
    censored = counts["ophoer"].to_numpy() - events
    durations = np.concatenate([np.repeat(days, events), np.repeat(days, censored)])
    observed = np.concatenate(
        [np.ones(int(events.sum()), dtype=bool), np.zeros(int(censored.sum()), dtype=bool)]
    )
    return durations, observed


def km_fit(counts: pl.DataFrame) -> KMResult:
    """Kaplan–Meier from per-day counts (see :func:`_expand`)."""
    return kaplan_meier(*_expand(counts))


def logrank_p(counts: pl.DataFrame, group: str = "gruppe") -> float | None:
    """Log-rank p-value that the ``group`` curves are equal; None with fewer than two groups,
    no events, or no variance to test with (every event when only one case is at risk, or
    all at risk in one group)."""
    parts = [(key[0], _expand(part)) for key, part in counts.group_by(group, maintain_order=True)]
    if len(parts) < 2 or not any(observed.any() for _, (_, observed) in parts):
        return None
    durations = np.concatenate([d for _, (d, _) in parts])
    observed = np.concatenate([o for _, (_, o) in parts])
    labels = np.concatenate([np.repeat(str(name), d.size) for name, (d, _) in parts])
    p_value = logrank(durations, observed, labels).p_value
    return None if np.isnan(p_value) else p_value


def km_by_group(
    counts: pl.DataFrame, keys: list[str]
) -> tuple[pl.DataFrame, dict[tuple, KMResult]]:
    """Per ``keys`` group: cases, events, KM median and its 95 % interval; plus the fits."""
    rows: list[dict[str, object]] = []
    fits: dict[tuple, KMResult] = {}
    for key, part in counts.group_by(keys, maintain_order=True):
        fit = km_fit(part)
        fits[tuple(key)] = fit
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "n_sager": fit.n,
                "haendelser": fit.n_events,
                "median_dage": _finite(fit.median),
                "median_ci_lav": _finite(fit.median_ci_low),
                "median_ci_hoej": _finite(fit.median_ci_high),
            }
        )
    schema = {k: counts.schema[k] for k in keys} | {
        "n_sager": pl.Int64,
        "haendelser": pl.Int64,
        "median_dage": pl.Float64,
        "median_ci_lav": pl.Float64,
        "median_ci_hoej": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema), fits


def _finite(value: float) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def km_summary(
    snap: Snapshot,
    tema: str,
    kontrolgruppe: str,
    forloeb: str,
    fra: dt.date,
    til: dt.date,
) -> tuple[pl.DataFrame, dict[tuple, KMResult]]:
    """KM medians and fits per gruppe × periode (before/during the trial) for one spell;
    a pure function of the snapshot, so pages cache it on the build id."""
    counts = queries.km_optaelling(snap, tema, kontrolgruppe, forloeb, fra, til)
    return km_by_group(counts.filter(pl.col("periode") != "efter"), ["gruppe", "periode"])


def km_logrank_under(
    snap: Snapshot,
    tema: str,
    kontrolgruppe: str,
    forloeb: str,
    fra: dt.date,
    til: dt.date,
) -> float | None:
    """Log-rank p-value, trial vs control group, for spells starting during the trial."""
    counts = queries.km_optaelling(snap, tema, kontrolgruppe, forloeb, fra, til)
    return logrank_p(counts.filter(pl.col("periode") == "under"))
