"""Benchmark: size and coverage of every p-value and interval ``did.estimate`` shows, in
five designs like the trial's, plus the time of one estimate.

DGP (null true: no effect anywhere). 98 municipalities × 32 quarters in five regions of
11, 29, 17, 22 and 19 municipalities (the sizes of the Danish regions; region "R1" plays
Nordjylland). ``Y_it = α_i + λ_t + η_{r(i),t} + ε_it`` with unit levels α_i ~ N(45, 4²), a
common random-walk trend λ_t, a regional shock η_{r,t} that is AR(1) (ρ = 0.5, innovation
sd 0.7) separately in every region, and idiosyncratic AR(1) noise (ρ = 0.5) whose
innovation sd σ_i = 1.5·exp(N(0, 0.5²)) differs between municipalities (heteroskedastic).
Eleven treated municipalities enter in three cohorts (quarters 17, 19 and 21: 4, 4 and 3
units); the panel ends at quarter 32.

Designs: ``random`` (11 treated drawn at random), ``region`` (the 11 municipalities of R1,
which has its own shocks like every region), ``noisy`` (the 11 with the largest σ_i),
``three`` (3 treated at random, one per cohort), ``one`` (1 treated, quarter 19).

For each replication the panel is simulated and ``estimate(..., region="region")`` run
with small draw counts; the table gives, per design, the share of intervals covering the
true effect (0) and the share of p-values at or below 0.05 (size: a test at level α rejects
when p ≤ α, the rule the intervals invert), for the headline and for every other interval
and p-value; ``size_5pct_strict_p_lt`` counts only p < 0.05 for comparison.

    .venv/bin/python -m bench.bench_evaluation --replications 400 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import time
from multiprocessing import Pool

import numpy as np
import polars as pl

from evaluation.did import estimate

N_PERIODS = 32
REGION_SIZES = (11, 29, 17, 22, 19)
COHORTS = (17, 17, 17, 17, 19, 19, 19, 19, 21, 21, 21)
DESIGNS = ("random", "region", "noisy", "three", "one")


def simulated_panel(seed: int, design: str, effect: float = 0.0) -> pl.DataFrame:
    """One panel of the DGP in the module docstring."""
    rng = np.random.default_rng(seed)
    region = np.repeat(np.arange(len(REGION_SIZES)), REGION_SIZES)
    n = region.size
    sigma = 1.5 * np.exp(rng.normal(0, 0.5, n))
    level = rng.normal(45, 4, n)
    trend = np.cumsum(rng.normal(0.1, 0.5, N_PERIODS))

    def ar1(shape: tuple[int, int], scale: np.ndarray | float) -> np.ndarray:
        shocks = rng.normal(0, 1, shape) * np.asarray(scale).reshape(-1, 1)
        out = np.empty(shape)
        out[:, 0] = shocks[:, 0] / np.sqrt(1 - 0.25)
        for t in range(1, shape[1]):
            out[:, t] = 0.5 * out[:, t - 1] + shocks[:, t]
        return out

    regional = ar1((len(REGION_SIZES), N_PERIODS), 0.7)[region]
    noise = ar1((n, N_PERIODS), sigma)
    start = np.zeros(n, dtype=int)
    if design == "random":
        start[rng.choice(n, 11, replace=False)] = COHORTS
    elif design == "region":
        start[np.flatnonzero(region == 0)] = rng.permutation(COHORTS)
    elif design == "noisy":
        start[np.argsort(sigma)[-11:]] = rng.permutation(COHORTS)
    elif design == "three":
        start[rng.choice(n, 3, replace=False)] = (17, 19, 21)
    elif design == "one":
        start[rng.choice(n)] = 19
    else:
        raise ValueError(design)
    periods = np.arange(1, N_PERIODS + 1)
    treated = (start[:, None] > 0) & (periods[None, :] >= start[:, None])
    y = level[:, None] + trend[None, :] + regional + noise + effect * treated
    return pl.DataFrame(
        {
            "kommunekode": np.repeat(np.arange(n), N_PERIODS),
            "periode_index": np.tile(periods, n),
            "y": y.ravel(),
            "first": np.repeat(start, N_PERIODS),
            "region": np.repeat(np.array([f"R{r + 1}" for r in region]), N_PERIODS),
        }
    )


COLUMNS = ("y", "kommunekode", "periode_index", "first")
INTERVALS = {
    "headline": ("ci_low", "ci_high"),
    "analytic": ("ci_low_analytic", "ci_high_analytic"),
    "ri_inverted": ("ri_ci_low", "ri_ci_high"),
    "regional": ("regional_ci_low", "regional_ci_high"),
}
ALPHA = 0.05
P_VALUES = ("p_headline", "p_value", "p_wcr", "p_ri", "p_regional", "pretrend_p")


def one_replication(task: tuple[str, int, int, int]) -> dict:
    design, seed, wcr_draws, ri_draws = task
    cpu = time.process_time()
    r = estimate(
        simulated_panel(seed, design),
        *COLUMNS,
        wcr_draws=wcr_draws,
        ri_draws=ri_draws,
        seed=seed,
        region="region",
        sensitivity=False,
    )
    row = {
        "headline_method": r.headline,
        "analytic_shown": r.analytic_shown,
        "cpu_seconds": time.process_time() - cpu,
    }
    for name, (low, high) in INTERVALS.items():
        lo, hi = getattr(r, low), getattr(r, high)
        row[f"cover_{name}"] = None if np.isnan(lo) or np.isnan(hi) else bool(lo <= 0 <= hi)
        row[f"infinite_{name}"] = bool(np.isinf(lo) or np.isinf(hi))
    for name in P_VALUES:
        p = getattr(r, name)
        # A test at level α rejects when p ≤ α: the intervals are the τ with p(τ) > α, and
        # with (1 + k)/(1 + B), B = 99, the p-values lie on a grid of 0.01 so p = 0.05
        # happens (counting only p < 0.05 measured 2.8 % in `random` where the exact
        # randomisation test has size 5 %).
        row[name] = None if np.isnan(p) else bool(p <= ALPHA + 1e-12)
        row[f"{name}_strict"] = None if np.isnan(p) else bool(p < ALPHA)
    row["pretrend_method"] = r.pretrend_method
    return row


def _rate(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r[key] is not None]
    return round(float(np.mean(values)), 3) if values else None


def _count(rows: list[dict], key: str) -> int:
    return sum(r[key] is not None for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=40)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--wcr-draws", type=int, default=99)
    parser.add_argument("--ri-draws", type=int, default=99)
    parser.add_argument("--designs", default=",".join(DESIGNS))
    parser.add_argument(
        "--first-seed", type=int, default=1, help="seeds first-seed … first-seed + n − 1"
    )
    parser.add_argument(
        "--no-timing", action="store_true", help="skip the timing of one estimate at the end"
    )
    args = parser.parse_args()

    designs = args.designs.split(",")
    print(
        json.dumps(
            {
                "replications_per_design": args.replications,
                "first_seed": args.first_seed,
                "wcr_draws": args.wcr_draws,
                "ri_draws": args.ri_draws,
            }
        ),
        flush=True,
    )
    pool = Pool(args.workers) if args.workers > 1 else None
    for d in designs:  # one line per design as soon as it is done
        tasks = [
            (d, seed, args.wcr_draws, args.ri_draws)
            for seed in range(args.first_seed, args.first_seed + args.replications)
        ]
        start = time.perf_counter()
        load_start = os.getloadavg()[0]
        rows = (
            pool.map(one_replication, tasks, chunksize=4)
            if pool
            else [one_replication(t) for t in tasks]
        )
        summary = {
            "design": d,
            "seconds": round(time.perf_counter() - start, 1),
            "cpu_seconds_estimate": round(sum(r["cpu_seconds"] for r in rows), 1),
            "load_1min_start_end": [round(load_start, 1), round(os.getloadavg()[0], 1)],
            "headline_method": sorted({r["headline_method"] for r in rows}),
            "analytic_interval_shown": _rate(rows, "analytic_shown"),
            "coverage_95": {k: _rate(rows, f"cover_{k}") for k in INTERVALS},
            "share_infinite": {k: _rate(rows, f"infinite_{k}") for k in INTERVALS},
            "size_5pct": {k: _rate(rows, k) for k in P_VALUES},
            "size_5pct_strict_p_lt": {k: _rate(rows, f"{k}_strict") for k in P_VALUES},
            # replications with a value (the rates' denominators), to pool runs exactly
            "n_cover": {k: _count(rows, f"cover_{k}") for k in INTERVALS},
            "n_p": {k: _count(rows, k) for k in P_VALUES},
            "pretrend_method": sorted({r["pretrend_method"] for r in rows}),
        }
        print(json.dumps(summary), flush=True)
    if pool:
        pool.close()

    if args.no_timing:
        return
    panel = simulated_panel(0, "region")
    start = time.perf_counter()
    estimate(panel, *COLUMNS, inference=False)
    seconds_point = time.perf_counter() - start
    start = time.perf_counter()
    estimate(panel, *COLUMNS, region="region", sensitivity=True)
    seconds_full = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds_estimate_point_only": round(seconds_point, 3),
                "seconds_estimate_default_draws_region_and_sensitivity": round(seconds_full, 2),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
