"""Vectorised random draws shared by the generator modules (numpy, no row loops)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import polars as pl

from synthetic.params import SAESON_MAANED

EPOCH = date(1970, 1, 1)


def day_number(d: date) -> int:
    """Days since 1970-01-01 (polars' Date representation)."""
    return (d - EPOCH).days


def categorical(rng: np.random.Generator, n: int, shares: Sequence[float]) -> np.ndarray:
    """Indices 0..k-1 drawn with the given shares (normalised)."""
    p = np.asarray(shares, dtype=float)
    return rng.choice(p.shape[0], size=n, p=p / p.sum())


def pick(rng: np.random.Generator, labels: Sequence[str], shares: Sequence[float], n: int):
    """Labels drawn with the given shares, as a numpy array of str."""
    return np.asarray(labels, dtype=object)[categorical(rng, n, shares)]


def seasonal_days(
    rng: np.random.Generator, n: int, start: date, end: date, amplitude: float = 1.0
) -> np.ndarray:
    """``n`` dates (day numbers) in [start, end], weighted by the seasonal month profile.

    ``amplitude`` scales the seasonal swing (0 = uniform).
    """
    days = np.arange(day_number(start), day_number(end) + 1)
    months = pl.Series(days).cast(pl.Date).dt.month().to_numpy() - 1
    weights = 1.0 + amplitude * (np.asarray(SAESON_MAANED)[months] - 1.0)
    return rng.choice(days, size=n, p=weights / weights.sum())


def gamma_days(rng: np.random.Generator, mean: float, shape: float, n: int) -> np.ndarray:
    """Whole days from a gamma distribution with the given mean and shape."""
    return np.round(rng.gamma(shape, mean / shape, n)).astype(np.int64)


def to_date(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int64)).cast(pl.Date)


def from_shares(u: pl.Expr, shares: dict[str, float]) -> pl.Expr:
    """Label whose cumulative share interval holds the uniform draw ``u`` (vectorised)."""
    total = sum(shares.values())
    expr = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.String))
    cum = 0.0
    for label, share in shares.items():
        cum += share / total
        expr = expr.when(u < cum).then(pl.lit(label))
    return expr.otherwise(pl.lit(list(shares)[-1]))
