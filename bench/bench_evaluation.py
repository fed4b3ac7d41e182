"""Benchmark: the evaluation estimators at the size of the real panel.

A municipality × quarter panel like ``mart_panel_kommune_kvartal`` for the LÆ285 window
(98 municipalities, 24 quarters, 11 treated, staggered entry) with a planted effect.
Times ``evaluation.did.estimate`` without and with inference (WCR 9,999 draws, randomisation
inference 999 reassignments), the synthetic control with placebo-in-space over all donors,
and reports coverage of the 95 % interval and the rejection rates of every p-value under a
placebo (no effect) over repeated simulated panels.

    .venv/bin/python -m bench.bench_evaluation --replications 40
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import polars as pl

from evaluation.did import estimate
from evaluation.synth import synthetic_control

N_UNITS, N_PERIODS, TRIAL_END = 98, 24, 24
TREATED_START = {u: (13 if u < 9 else 15) for u in range(11)}  # 11 trial municipalities


def simulated_panel(seed: int, effect: float) -> pl.DataFrame:
    """Unit and period effects, AR(1) noise within unit (rho 0.5), ``effect`` from entry."""
    rng = np.random.default_rng(seed)
    unit_level = rng.normal(45, 4, N_UNITS)
    period_level = np.cumsum(rng.normal(0.1, 0.5, N_PERIODS))
    noise = np.zeros((N_UNITS, N_PERIODS))
    shocks = rng.normal(0, 2, (N_UNITS, N_PERIODS))
    noise[:, 0] = shocks[:, 0]
    for t in range(1, N_PERIODS):
        noise[:, t] = 0.5 * noise[:, t - 1] + shocks[:, t]
    start = np.array([TREATED_START.get(u, 0) for u in range(N_UNITS)])
    periods = np.arange(1, N_PERIODS + 1)
    treated = (start[:, None] > 0) & (periods[None, :] >= start[:, None])
    y = unit_level[:, None] + period_level[None, :] + noise + effect * treated
    return pl.DataFrame(
        {
            "kommunekode": np.repeat(np.arange(N_UNITS), N_PERIODS),
            "periode_index": np.tile(periods, N_UNITS),
            "y": y.ravel(),
            "first": np.repeat(start, N_PERIODS),
        }
    )


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=40)
    parser.add_argument("--effect", type=float, default=-3.0)
    args = parser.parse_args()
    columns = ("y", "kommunekode", "periode_index", "first")

    panel = simulated_panel(0, args.effect)
    _, seconds_point = _timed(estimate, panel, *columns, inference=False)
    full, seconds_full = _timed(estimate, panel, *columns)
    synth, seconds_synth = _timed(
        synthetic_control,
        panel,
        "y",
        "kommunekode",
        "periode_index",
        0,
        13,
        donors=list(range(11, N_UNITS)),
    )

    covered, rejections = [], {"p_value": [], "p_wcr": [], "p_ri": [], "pretrend_p": []}
    for seed in range(1, args.replications + 1):
        planted = estimate(simulated_panel(seed, args.effect), *columns, inference=False)
        covered.append(planted.ci_low <= args.effect <= planted.ci_high)
        placebo = estimate(simulated_panel(seed, 0.0), *columns, wcr_draws=999, ri_draws=199)
        for name in rejections:
            rejections[name].append(getattr(placebo, name) < 0.05)
    print(
        json.dumps(
            {
                "panel": {"units": N_UNITS, "periods": N_PERIODS, "treated": len(TREATED_START)},
                "seconds_estimate_point_only": round(seconds_point, 3),
                "seconds_estimate_with_inference": round(seconds_full, 2),
                "wcr_draws": full.wcr_draws,
                "ri_draws": full.ri_draws,
                "seconds_synthetic_control_with_placebos": round(seconds_synth, 2),
                "synthetic_control_placebos": synth.placebos.height,
                "replications": args.replications,
                "coverage_95_planted_effect": float(np.mean(covered)),
                "rejection_rate_5pct_under_placebo": {
                    name: float(np.mean(values)) for name, values in rejections.items()
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
