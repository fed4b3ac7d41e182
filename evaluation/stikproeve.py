"""Stratified sample of cases for case review (sagsgennemgang), with sampling weights.

The population is one row per case in a theme (``marts.fct_tema_sager``); strata are
municipality × target group × group (``fritaget`` = the theme's exemption was used,
``sammenligning`` = not). Half of the requested sample (rounded up) goes to the exempted
cases and the rest to the comparison cases, and within each group proportionally to the
strata sizes (largest remainder, so the sizes add up exactly; no stratum gets more than
it holds, the surplus goes to the strata with the most cases left). Within a stratum the
cases are drawn without replacement with ``numpy.random.default_rng(seed)`` after sorting
by ``kommunekode`` and ``sags_id``, so the same population and seed give the same sample.
The weight of a sampled case is N_h / n_h (cases in its stratum / sampled from it).
"""

from __future__ import annotations

import numpy as np
import polars as pl

STRATUM = ("kommunekode", "maalgruppe", "gruppe")
GRUPPER = ("fritaget", "sammenligning")


def _largest_remainder(sizes: list[int], n: int) -> list[int]:
    """Allocate ``n`` over strata proportionally to ``sizes``, capped at each size."""
    total = sum(sizes)
    n = min(n, total)
    if n == 0:
        return [0] * len(sizes)
    quotas = [n * s / total for s in sizes]
    alloc = [min(int(q), s) for q, s in zip(quotas, sizes, strict=True)]
    # Hand out what is left by largest remainder, then by most room left; ties by position.
    while sum(alloc) < n:
        room = [
            (quotas[i] - alloc[i], sizes[i] - alloc[i], -i)
            for i in range(len(sizes))
            if alloc[i] < sizes[i]
        ]
        _, _, neg_i = max(room)
        alloc[-neg_i] += 1
    return alloc


def group_sizes(population: pl.DataFrame, n: int) -> dict[str, int]:
    """Sample size per group: half (rounded up) to ``fritaget``, capped at what exists;
    what one group cannot fill goes to the other."""
    available = {g: population.filter(pl.col("gruppe") == g).height for g in GRUPPER}
    want = {"fritaget": (n + 1) // 2, "sammenligning": n // 2}
    got = {g: min(want[g], available[g]) for g in GRUPPER}
    for g, other in (("fritaget", "sammenligning"), ("sammenligning", "fritaget")):
        spare = want[other] - got[other]
        if spare > 0:
            got[g] = min(available[g], got[g] + spare)
    return got


def allocate(population: pl.DataFrame, n: int) -> pl.DataFrame:
    """Strata with their population size ``n_population`` and sample size ``n_stikproeve``."""
    strata = population.group_by(STRATUM).agg(pl.len().alias("n_population")).sort(STRATUM)
    sizes = group_sizes(population, n)
    parts = []
    for g in GRUPPER:
        part = strata.filter(pl.col("gruppe") == g)
        alloc = _largest_remainder(part["n_population"].to_list(), sizes[g])
        parts.append(part.with_columns(pl.Series("n_stikproeve", alloc, dtype=pl.Int64)))
    return pl.concat(parts)


def draw(population: pl.DataFrame, n: int, seed: int) -> pl.DataFrame:
    """The sample: population columns plus ``stratum``, ``n_population``, ``n_stikproeve``
    and ``vaegt`` (N_h / n_h). ``population`` needs sags_id and the STRATUM columns."""
    if n < 0:
        raise ValueError("stikprøvens størrelse skal være 0 eller mere")
    missing = {"sags_id", *STRATUM} - set(population.columns)
    if missing:
        raise ValueError(f"populationen mangler kolonnen/kolonnerne: {', '.join(sorted(missing))}")
    rng = np.random.default_rng(seed)
    ordered = population.sort(["kommunekode", "sags_id", "maalgruppe", "gruppe"])
    strata = allocate(ordered, n)
    picked = []
    for row in strata.iter_rows(named=True):
        if row["n_stikproeve"] == 0:
            continue
        members = ordered.filter(
            (pl.col("kommunekode") == row["kommunekode"])
            & (pl.col("maalgruppe") == row["maalgruppe"])
            & (pl.col("gruppe") == row["gruppe"])
        )
        index = np.sort(rng.choice(members.height, size=row["n_stikproeve"], replace=False))
        picked.append(
            members[index.tolist()].with_columns(
                pl.lit(f"{row['kommunekode']}|{row['maalgruppe']}|{row['gruppe']}").alias(
                    "stratum"
                ),
                pl.lit(row["n_population"], dtype=pl.Int64).alias("n_population"),
                pl.lit(row["n_stikproeve"], dtype=pl.Int64).alias("n_stikproeve"),
                pl.lit(row["n_population"] / row["n_stikproeve"]).alias("vaegt"),
            )
        )
    if not picked:
        return ordered.head(0).with_columns(
            pl.lit(None, dtype=pl.String).alias("stratum"),
            pl.lit(None, dtype=pl.Int64).alias("n_population"),
            pl.lit(None, dtype=pl.Int64).alias("n_stikproeve"),
            pl.lit(None, dtype=pl.Float64).alias("vaegt"),
        )
    return pl.concat(picked)
